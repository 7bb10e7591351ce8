#include "lib0_encoder.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <variant>

namespace accord::crdt {
namespace {

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// Spelled out for clang 14 (the fuzz build), which lacks C++20 aggregate deduction.
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// JavaScript's float32 test (`new Float32Array([x])[0] === x`), written so that the cast never
// sees an out-of-range finite value (undefined behaviour in C++).
bool IsExactFloat32(double d) {
  if (std::isnan(d)) return false;  // NaN !== NaN in JavaScript
  if (std::isinf(d)) return true;
  if (std::fabs(d) > std::numeric_limits<float>::max()) return false;
  return static_cast<double>(static_cast<float>(d)) == d;
}

}  // namespace

void Lib0Encoder::WriteVarIntSignMagnitude(bool negative, uint64_t magnitude) {
  buf_.push_back(static_cast<uint8_t>((magnitude > 0x3f ? 0x80 : 0) | (negative ? 0x40 : 0) |
                                      (magnitude & 0x3f)));
  magnitude >>= 6;
  while (magnitude > 0) {
    buf_.push_back(static_cast<uint8_t>((magnitude > 0x7f ? 0x80 : 0) | (magnitude & 0x7f)));
    magnitude >>= 7;
  }
}

void Lib0Encoder::WriteFloat32(float v) {
  uint32_t bits = std::bit_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) buf_.push_back(static_cast<uint8_t>(bits >> shift));
}

void Lib0Encoder::WriteFloat64(double v) {
  // V8 stores every NaN it produces as the canonical quiet NaN; do the same so that equal
  // values always give equal bytes.
  uint64_t bits = std::isnan(v) ? 0x7ff8000000000000ULL : std::bit_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) buf_.push_back(static_cast<uint8_t>(bits >> shift));
}

void Lib0Encoder::WriteBigInt64(int64_t v) {
  uint64_t bits = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) buf_.push_back(static_cast<uint8_t>(bits >> shift));
}

void Lib0Encoder::WriteNumber(double d) {
  // lib0: integers with |d| <= 2^31 - 1 as varInt (keeping the sign of -0), then float32 when
  // that is exact, otherwise float64.
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= 2147483647.0) {
    WriteUint8(125);
    WriteVarIntSignMagnitude(std::signbit(d), static_cast<uint64_t>(std::fabs(d)));
  } else if (IsExactFloat32(d)) {
    WriteUint8(124);
    WriteFloat32(static_cast<float>(d));
  } else {
    WriteUint8(123);
    WriteFloat64(d);
  }
}

void Lib0Encoder::WriteAny(const Any& any) {
  std::visit(Overloaded{
                 [&](const Undefined&) { WriteUint8(127); },
                 [&](const Null&) { WriteUint8(126); },
                 [&](bool b) { WriteUint8(b ? 120 : 121); },
                 [&](double d) { WriteNumber(d); },
                 [&](const BigInt& b) {
                   WriteUint8(122);
                   WriteBigInt64(b.value);
                 },
                 [&](const std::string& s) {
                   WriteUint8(119);
                   WriteVarString(s);
                 },
                 [&](const Bytes& b) {
                   WriteUint8(116);
                   WriteVarUint8Array(b);
                 },
                 [&](const std::shared_ptr<const AnyArray>& a) {
                   WriteUint8(117);
                   WriteVarUint(a->size());
                   for (const Any& e : *a) WriteAny(e);
                 },
                 [&](const std::shared_ptr<const AnyObject>& o) {
                   WriteUint8(118);
                   WriteVarUint(o->size());
                   for (const auto& [key, value] : *o) {
                     WriteVarString(key);
                     WriteAny(value);
                   }
                 },
             },
             any.value());
}

}  // namespace accord::crdt
