#include "lib0_decoder.h"

#include <bit>
#include <cstring>
#include <utility>

namespace accord::crdt {

size_t AsciiPrefixEnd(std::string_view s, size_t from) {
  const char* p = s.data();
  const size_t n = s.size();
  size_t i = from;
  while (n - i >= 8) {
    uint64_t word;
    std::memcpy(&word, p + i, 8);
    if ((word & 0x8080808080808080ULL) != 0) break;
    i += 8;
  }
  while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
  return i;
}

void CheckUtf8(std::string_view s) { CheckUtf8CountUtf16(s); }

uint64_t CheckUtf8CountUtf16(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  // Code points outside ASCII count one unit per sequence (two for four-byte sequences); ASCII
  // bytes are added in bulk as runs.
  uint64_t units = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      const size_t end = AsciiPrefixEnd(s, i);
      units += end - i;
      i = end;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;  // allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;  // overlong
      if (c == 0xed) hi = 0x9f;  // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;  // overlong
      if (c == 0xf4) hi = 0x8f;  // above U+10FFFF
    } else {
      throw DecodeError("invalid UTF-8 in string");
    }
    if (n - i < len) throw DecodeError("invalid UTF-8 in string");
    if (p[i + 1] < lo || p[i + 1] > hi) throw DecodeError("invalid UTF-8 in string");
    for (size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) throw DecodeError("invalid UTF-8 in string");
    }
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

void Lib0Decoder::ThrowEnd() { throw DecodeError("unexpected end of input"); }

uint64_t Lib0Decoder::ReadVarUintSlow() {
  // With ten bytes at hand no read can run past the end: decode up to nine groups without
  // bounds checks (63 bits, no overflow possible); a tenth group takes the checked loop below.
  if (data_.size() - pos_ >= 10) {
    const uint8_t* p = data_.data() + pos_;
    uint64_t fast = 0;
    for (int i = 0; i < 9; ++i) {
      fast |= static_cast<uint64_t>(p[i] & 0x7f) << (7 * i);
      if (p[i] < 0x80) {
        pos_ += static_cast<size_t>(i) + 1;
        return fast;
      }
    }
  }
  uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    uint8_t b = ReadUint8();
    uint64_t bits = b & 0x7f;
    if (shift == 63 && bits > 1) throw DecodeError("varuint overflows 64 bits");
    value |= bits << shift;
    if (b < 0x80) return value;
    if (shift == 63) throw DecodeError("varuint too long");
  }
}

Lib0Decoder::SignMagnitude Lib0Decoder::ReadVarIntSignMagnitudeSlow() {
  uint8_t b = ReadUint8();
  SignMagnitude r{(b & 0x40) != 0, static_cast<uint64_t>(b & 0x3f)};
  if (b < 0x80) return r;
  for (int shift = 6;; shift += 7) {
    b = ReadUint8();
    uint64_t bits = b & 0x7f;
    // 6 + 7 * 8 = 62: only two bits of the ninth group still fit.
    if (shift == 62 && bits > 3) throw DecodeError("varint overflows 64 bits");
    r.magnitude |= bits << shift;
    if (b < 0x80) return r;
    if (shift == 62) throw DecodeError("varint too long");
  }
}

int64_t Lib0Decoder::ReadVarIntSlow() {
  SignMagnitude sm = ReadVarIntSignMagnitudeSlow();
  if (sm.negative) {
    if (sm.magnitude > (uint64_t{1} << 63)) throw DecodeError("varint out of range");
    return static_cast<int64_t>(0 - sm.magnitude);
  }
  if (sm.magnitude > static_cast<uint64_t>(INT64_MAX)) throw DecodeError("varint out of range");
  return static_cast<int64_t>(sm.magnitude);
}

std::string Lib0Decoder::ReadVarString() {
  std::span<const uint8_t> bytes = ReadVarUint8Array();
  std::string s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  CheckUtf8(s);
  return s;
}

std::string Lib0Decoder::ReadVarStringUtf16(uint64_t* utf16_units) {
  std::span<const uint8_t> bytes = ReadVarUint8Array();
  std::string s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  *utf16_units = CheckUtf8CountUtf16(s);
  return s;
}

uint64_t Lib0Decoder::ReadBigEndian(int bytes) {
  std::span<const uint8_t> b = ReadUint8Array(bytes);
  uint64_t v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

float Lib0Decoder::ReadFloat32() {
  return std::bit_cast<float>(static_cast<uint32_t>(ReadBigEndian(4)));
}
double Lib0Decoder::ReadFloat64() { return std::bit_cast<double>(ReadBigEndian(8)); }
int64_t Lib0Decoder::ReadBigInt64() { return static_cast<int64_t>(ReadBigEndian(8)); }

Any Lib0Decoder::ReadAnyAt(int depth) {
  uint8_t tag = ReadUint8();
  switch (tag) {
    case 127:
      return Any();
    case 126:
      return Any(Null{});
    case 125: {
      SignMagnitude sm = ReadVarIntSignMagnitude();
      double d = static_cast<double>(sm.magnitude);
      return Any(sm.negative ? -d : d);
    }
    case 124:
      return Any(static_cast<double>(ReadFloat32()));
    case 123:
      return Any(ReadFloat64());
    case 122:
      return Any(BigInt{ReadBigInt64()});
    case 121:
      return Any(false);
    case 120:
      return Any(true);
    case 119:
      return Any(ReadVarString());
    case 118: {
      if (depth >= kMaxAnyDepth) throw DecodeError("Any nested too deeply");
      uint64_t len = ReadVarUint();
      // Each entry takes at least two bytes (key length, value tag).
      if (len > remaining() / 2) ThrowEnd();
      AnyObject entries;
      entries.reserve(static_cast<size_t>(len));
      for (uint64_t i = 0; i < len; ++i) {
        std::string key = ReadVarString();
        Any value = ReadAnyAt(depth + 1);
        entries.emplace_back(std::move(key), std::move(value));
      }
      // JavaScript re-orders integer-like keys and lets a repeated key overwrite in place.
      return Any::Object(std::move(entries));
    }
    case 117: {
      if (depth >= kMaxAnyDepth) throw DecodeError("Any nested too deeply");
      uint64_t len = ReadVarUint();
      if (len > remaining()) ThrowEnd();  // each element takes at least its tag byte
      AnyArray arr;
      arr.reserve(static_cast<size_t>(len));
      for (uint64_t i = 0; i < len; ++i) arr.push_back(ReadAnyAt(depth + 1));
      return Any(std::move(arr));
    }
    case 116: {
      std::span<const uint8_t> b = ReadVarUint8Array();
      return Any(Bytes(b.begin(), b.end()));
    }
    default:
      // lib0 indexes its table with 127 - tag and would call undefined: an error there too.
      throw DecodeError("unknown Any type tag");
  }
}

}  // namespace accord::crdt
