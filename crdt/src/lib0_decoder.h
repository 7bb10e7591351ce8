// lib0_decoder.h: the primitive readers of lib0's binary encoding (lib0/decoding.js).
//
// The inverse of Lib0Encoder. Unlike lib0, every read is bounds-checked: reading past the end,
// an over-long or overflowing varint, invalid UTF-8 (lib0 decodes with a fatal TextDecoder), an
// unknown Any tag or Any nesting deeper than kMaxAnyDepth throws DecodeError. Lengths read from
// the input are checked against the remaining bytes before anything is allocated. The decoder
// views its input, which must outlive it. Single-threaded.
#ifndef ACCORD_CRDT_LIB0_DECODER_H_
#define ACCORD_CRDT_LIB0_DECODER_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "accord/crdt/any.h"
#include "update_coder.h"

namespace accord::crdt {

// Nesting limit for arrays/objects in ReadAny (and Any::FromJson): deep enough for any real
// document, shallow enough that recursion cannot exhaust the stack.
inline constexpr int kMaxAnyDepth = 256;

// Throws DecodeError unless `s` is well-formed UTF-8 as the WHATWG decoder accepts it (no
// overlong forms, no surrogates, nothing above U+10FFFF).
void CheckUtf8(std::string_view s);
// CheckUtf8, and returns the number of UTF-16 code units JavaScript's String#length would
// report for `s` (two for each code point above U+FFFF). ASCII runs are checked and counted
// eight bytes at a time.
uint64_t CheckUtf8CountUtf16(std::string_view s);
// The length of the longest prefix of `s` (starting at `from`) that is pure ASCII.
size_t AsciiPrefixEnd(std::string_view s, size_t from);

class Lib0Decoder {
 public:
  explicit Lib0Decoder(std::span<const uint8_t> data) : data_(data) {}

  bool HasContent() const { return pos_ < data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  size_t pos() const { return pos_; }

  uint8_t ReadUint8() {
    if (pos_ >= data_.size()) ThrowEnd();
    return data_[pos_++];
  }
  // `len` raw bytes, as a view into the input.
  std::span<const uint8_t> ReadUint8Array(uint64_t len) {
    if (len > remaining()) ThrowEnd();
    auto view = data_.subspan(pos_, static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return view;
  }
  std::span<const uint8_t> ReadVarUint8Array() { return ReadUint8Array(ReadVarUint()); }
  // Everything not read yet.
  std::span<const uint8_t> ReadTail() { return ReadUint8Array(remaining()); }

  // Any value that fits in 64 bits (lib0 itself stops at 2^53).
  uint64_t ReadVarUint() {
    // Fast path for the common one-byte case.
    if (pos_ < data_.size() && data_[pos_] < 0x80) return data_[pos_++];
    return ReadVarUintSlow();
  }
  struct SignMagnitude {
    bool negative = false;  // true also for -0, which the RLE decoders use as a flag
    uint64_t magnitude = 0;
  };
  SignMagnitude ReadVarIntSignMagnitude() {
    // Fast path for the common one-byte case (|v| < 64).
    if (pos_ < data_.size() && data_[pos_] < 0x80) {
      const uint8_t b = data_[pos_++];
      return SignMagnitude{(b & 0x40) != 0, static_cast<uint64_t>(b & 0x3f)};
    }
    return ReadVarIntSignMagnitudeSlow();
  }
  // A varInt that must fit in int64; -0 reads as 0.
  int64_t ReadVarInt() {
    if (pos_ < data_.size() && data_[pos_] < 0x80) {
      const uint8_t b = data_[pos_++];
      const int64_t magnitude = b & 0x3f;
      return (b & 0x40) ? -magnitude : magnitude;
    }
    return ReadVarIntSlow();
  }
  std::string ReadVarString();
  // ReadVarString, also returning the string's UTF-16 length (in the same pass as the UTF-8
  // check).
  std::string ReadVarStringUtf16(uint64_t* utf16_units);
  float ReadFloat32();
  double ReadFloat64();
  int64_t ReadBigInt64();
  Any ReadAny() { return ReadAnyAt(0); }

 private:
  [[noreturn]] static void ThrowEnd();
  uint64_t ReadVarUintSlow();
  SignMagnitude ReadVarIntSignMagnitudeSlow();
  int64_t ReadVarIntSlow();
  uint64_t ReadBigEndian(int bytes);
  Any ReadAnyAt(int depth);

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_LIB0_DECODER_H_
