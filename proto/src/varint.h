// proto/src/varint.h: the few lib0 primitives the y-websocket protocol needs (varUint,
// varUint8Array, varString), written for proto so that it does not reach into crdt's private
// coders. Private to proto. Reads are bounds-checked and report failure instead of throwing.
#ifndef ACCORD_PROTO_SRC_VARINT_H_
#define ACCORD_PROTO_SRC_VARINT_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace accord::proto::internal {

// lib0 refuses integers above Number.MAX_SAFE_INTEGER; so do we, to agree on every value.
inline constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;

inline void WriteVarUint(std::vector<uint8_t>& out, uint64_t v) {
  while (v > 0x7f) {
    out.push_back(static_cast<uint8_t>(0x80 | (v & 0x7f)));
    v >>= 7;
  }
  out.push_back(static_cast<uint8_t>(v));
}

inline void WriteVarBytes(std::vector<uint8_t>& out, std::span<const uint8_t> bytes) {
  WriteVarUint(out, bytes.size());
  out.insert(out.end(), bytes.begin(), bytes.end());
}

inline void WriteVarString(std::vector<uint8_t>& out, std::string_view s) {
  WriteVarUint(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// Why a read failed; the caller turns it into a Status with context.
enum class ReadError { kNone, kTruncated, kOutOfRange, kTooLong };

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}

  size_t remaining() const { return data_.size() - pos_; }
  ReadError error() const { return error_; }
  bool ok() const { return error_ == ReadError::kNone; }

  // Each Read* returns false (and records error()) on failure; the out value is then unspecified.
  bool ReadVarUint(uint64_t& v) {
    v = 0;
    for (int shift = 0; pos_ < data_.size(); shift += 7) {
      uint8_t b = data_[pos_++];
      if (shift >= 56) return Fail(ReadError::kOutOfRange);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (v > kMaxSafeInteger) return Fail(ReadError::kOutOfRange);
      if (b < 0x80) return true;
    }
    return Fail(ReadError::kTruncated);
  }

  // A length-prefixed byte string of at most `limit` bytes; `out` views the input.
  bool ReadVarBytes(std::span<const uint8_t>& out, size_t limit) {
    uint64_t len;
    if (!ReadVarUint(len)) return false;
    if (len > limit) return Fail(ReadError::kTooLong);
    if (len > remaining()) return Fail(ReadError::kTruncated);
    out = data_.subspan(pos_, static_cast<size_t>(len));
    pos_ += static_cast<size_t>(len);
    return true;
  }

  bool ReadVarString(std::string& out, size_t limit) {
    std::span<const uint8_t> bytes;
    if (!ReadVarBytes(bytes, limit)) return false;
    out.assign(bytes.begin(), bytes.end());
    return true;
  }

 private:
  bool Fail(ReadError e) {
    error_ = e;
    return false;
  }

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  ReadError error_ = ReadError::kNone;
};

}  // namespace accord::proto::internal

#endif  // ACCORD_PROTO_SRC_VARINT_H_
