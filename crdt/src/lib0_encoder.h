// lib0_encoder.h: the primitive writers of lib0's binary encoding (lib0/encoding.js), which all
// Yjs wire formats are built from.
//
// Every writer produces exactly the bytes lib0 0.2.x produces for the same value, including the
// quirks the Yjs formats rely on (varInt's sign bit in the first byte and its negative zero,
// writeAny's choice between integer, float32 and float64). Single-threaded; append-only.
#ifndef ACCORD_CRDT_LIB0_ENCODER_H_
#define ACCORD_CRDT_LIB0_ENCODER_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "accord/crdt/any.h"

namespace accord::crdt {

// The bytes are written into a list of chunks (like lib0's own encoder), so that growing a large
// update never copies what was written so far; they are joined once, by TakeBytes / AppendTo.
class Lib0Encoder {
 public:
  // A 64-bit varint takes at most ten bytes (either flavour).
  static constexpr size_t kMaxVarUintBytes = 10;

  Lib0Encoder() = default;
  Lib0Encoder(Lib0Encoder&& other) noexcept;
  Lib0Encoder& operator=(Lib0Encoder&& other) noexcept;

  // Everything written so far, joined (a copy kept in the encoder; for tests and small uses).
  const std::vector<uint8_t>& bytes() const;
  // Everything written so far, leaving the encoder empty.
  std::vector<uint8_t> TakeBytes();
  // Appends everything written so far to `out`.
  void AppendTo(std::vector<uint8_t>* out) const;
  size_t size() const { return done_bytes_ + static_cast<size_t>(cur_ - begin_); }
  bool empty() const { return size() == 0; }
  void Clear();

  // The small writers are forced inline: encoding loops call them for every field, and the
  // compiler's size heuristics otherwise leave them out of line in the big struct writers.
  [[gnu::always_inline]] void WriteUint8(uint8_t v) {
    if (cur_ == end_) Grow(1);
    *cur_++ = v;
  }
  // Raw bytes without a length prefix (lib0 writeUint8Array).
  void WriteUint8Array(std::span<const uint8_t> data) { WriteRaw(data.data(), data.size()); }
  // The first `n` (at most 16) bytes of `src`, with two fixed-size copies instead of a memcpy
  // call: for short byte strings written over and over (a v1 update's client ids).
  [[gnu::always_inline]] void WriteUpTo16(const uint8_t (&src)[16], size_t n) {
    if (static_cast<size_t>(end_ - cur_) < 16) Grow(16);
    std::memcpy(cur_, src, 16);
    cur_ += n;
  }
  // 7 bits per byte, least significant group first, high bit = "more follows".
  [[gnu::always_inline]] void WriteVarUint(uint64_t v) {
    if (static_cast<size_t>(end_ - cur_) < kMaxVarUintBytes) Grow(kMaxVarUintBytes);
    cur_ = PutVarUint(cur_, v);
  }
  // WriteVarUint's bytes at `p`, which must have room for kMaxVarUintBytes; returns the end.
  [[gnu::always_inline]] static uint8_t* PutVarUint(uint8_t* p, uint64_t v) {
    while (v > 0x7f) {
      *p++ = static_cast<uint8_t>(0x80 | (v & 0x7f));
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
    return p;
  }
  // For writers that put several fields at once with a single room check (a v1 struct's
  // header): room for `n` more bytes at the returned pointer; the writer fills them with Put*
  // and hands the end back to Commit.
  [[gnu::always_inline]] uint8_t* Reserve(size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) Grow(n);
    return cur_;
  }
  [[gnu::always_inline]] void Commit(uint8_t* end) { cur_ = end; }
  // lib0's signed varint: the first byte holds "more follows" (bit 8), the sign (bit 7) and the
  // low 6 bits of the magnitude. `negative` with magnitude 0 is JavaScript's -0, which lib0
  // writes as 0x40 and the RLE column coders use as a flag.
  [[gnu::always_inline]] void WriteVarIntSignMagnitude(bool negative, uint64_t magnitude) {
    if (static_cast<size_t>(end_ - cur_) < kMaxVarUintBytes) Grow(kMaxVarUintBytes);
    uint8_t* p = cur_;
    *p++ = static_cast<uint8_t>((magnitude > 0x3f ? 0x80 : 0) | (negative ? 0x40 : 0) |
                                (magnitude & 0x3f));
    magnitude >>= 6;
    while (magnitude > 0) {
      *p++ = static_cast<uint8_t>((magnitude > 0x7f ? 0x80 : 0) | (magnitude & 0x7f));
      magnitude >>= 7;
    }
    cur_ = p;
  }
  void WriteVarInt(int64_t v) {
    WriteVarIntSignMagnitude(v < 0,
                             v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  }
  // A length-prefixed UTF-8 string. Our strings are UTF-8 already, so the bytes go out as they
  // are (lib0 runs JavaScript's UTF-16 strings through TextEncoder).
  void WriteVarString(std::string_view s) {
    WriteVarUint(s.size());
    WriteRaw(s.data(), s.size());
  }
  void WriteVarUint8Array(std::span<const uint8_t> data) {
    WriteVarUint(data.size());
    WriteUint8Array(data);
  }
  void WriteFloat32(float v);   // big-endian IEEE 754
  void WriteFloat64(double v);  // big-endian IEEE 754; NaN written as JavaScript's canonical NaN
  void WriteBigInt64(int64_t v);
  // lib0 writeAny: a type tag (127 undefined .. 116 Uint8Array) followed by the value.
  void WriteAny(const Any& any);

 private:
  struct Chunk {
    std::unique_ptr<uint8_t[]> data;
    size_t size;
  };

  void WriteRaw(const void* data, size_t n) {
    if (static_cast<size_t>(end_ - cur_) < n) Grow(n);
    if (n > 0) std::memcpy(cur_, data, n);
    cur_ += n;
  }
  // Makes room for at least `need` contiguous bytes, starting a new chunk.
  void Grow(size_t need);
  void WriteNumber(double d);

  std::vector<Chunk> done_;  // full chunks, in order
  size_t done_bytes_ = 0;
  std::unique_ptr<uint8_t[]> chunk_;  // the chunk being written: [begin_, cur_) used of end_
  uint8_t* begin_ = nullptr;
  uint8_t* cur_ = nullptr;
  uint8_t* end_ = nullptr;
  mutable std::vector<uint8_t> joined_;  // bytes()'s result
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_LIB0_ENCODER_H_
