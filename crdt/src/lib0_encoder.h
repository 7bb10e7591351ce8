// lib0_encoder.h: the primitive writers of lib0's binary encoding (lib0/encoding.js), which all
// Yjs wire formats are built from.
//
// Every writer produces exactly the bytes lib0 0.2.x produces for the same value, including the
// quirks the Yjs formats rely on (varInt's sign bit in the first byte and its negative zero,
// writeAny's choice between integer, float32 and float64). Single-threaded; append-only.
#ifndef ACCORD_CRDT_LIB0_ENCODER_H_
#define ACCORD_CRDT_LIB0_ENCODER_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "accord/crdt/any.h"

namespace accord::crdt {

class Lib0Encoder {
 public:
  Lib0Encoder() = default;

  const std::vector<uint8_t>& bytes() const { return buf_; }
  std::vector<uint8_t> TakeBytes() { return std::exchange(buf_, {}); }
  size_t size() const { return buf_.size(); }
  bool empty() const { return buf_.empty(); }
  void Clear() { buf_.clear(); }

  void WriteUint8(uint8_t v) { buf_.push_back(v); }
  // Raw bytes without a length prefix (lib0 writeUint8Array).
  void WriteUint8Array(std::span<const uint8_t> data) {
    buf_.insert(buf_.end(), data.begin(), data.end());
  }
  // 7 bits per byte, least significant group first, high bit = "more follows".
  void WriteVarUint(uint64_t v) {
    while (v > 0x7f) {
      buf_.push_back(static_cast<uint8_t>(0x80 | (v & 0x7f)));
      v >>= 7;
    }
    buf_.push_back(static_cast<uint8_t>(v));
  }
  // lib0's signed varint: the first byte holds "more follows" (bit 8), the sign (bit 7) and the
  // low 6 bits of the magnitude. `negative` with magnitude 0 is JavaScript's -0, which lib0
  // writes as 0x40 and the RLE column coders use as a flag.
  void WriteVarIntSignMagnitude(bool negative, uint64_t magnitude);
  void WriteVarInt(int64_t v) {
    WriteVarIntSignMagnitude(v < 0,
                             v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  }
  // A length-prefixed UTF-8 string. Our strings are UTF-8 already, so the bytes go out as they
  // are (lib0 runs JavaScript's UTF-16 strings through TextEncoder).
  void WriteVarString(std::string_view s) {
    WriteVarUint(s.size());
    buf_.insert(buf_.end(), s.begin(), s.end());
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
  void WriteNumber(double d);
  std::vector<uint8_t> buf_;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_LIB0_ENCODER_H_
