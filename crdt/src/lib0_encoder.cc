#include "lib0_encoder.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>
#include <variant>

#include "prefault.h"

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

namespace {

// Chunks start small (most encoders write a few bytes) and double, up to a size that malloc
// still serves from its heap rather than with a fresh mapping.
constexpr size_t kFirstChunk = 64;
constexpr size_t kMaxChunk = 64 * 1024;

}  // namespace

void Lib0Encoder::Grow(size_t need) {
  const size_t used = static_cast<size_t>(cur_ - begin_);
  const size_t capacity = static_cast<size_t>(end_ - begin_);
  if (used > 0) {
    done_.push_back(Chunk{std::move(chunk_), used});
    done_bytes_ += used;
  }
  size_t next = capacity == 0 ? kFirstChunk : std::min(capacity * 2, kMaxChunk);
  if (next < need) next = need;
  chunk_.reset(new uint8_t[next]);
  begin_ = chunk_.get();
  cur_ = begin_;
  end_ = begin_ + next;
}

Lib0Encoder::Lib0Encoder(Lib0Encoder&& other) noexcept { *this = std::move(other); }

Lib0Encoder& Lib0Encoder::operator=(Lib0Encoder&& other) noexcept {
  if (this == &other) return *this;
  done_ = std::exchange(other.done_, {});
  done_bytes_ = std::exchange(other.done_bytes_, 0);
  chunk_ = std::move(other.chunk_);
  begin_ = std::exchange(other.begin_, nullptr);
  cur_ = std::exchange(other.cur_, nullptr);
  end_ = std::exchange(other.end_, nullptr);
  joined_ = std::exchange(other.joined_, {});
  return *this;
}

void Lib0Encoder::AppendTo(std::vector<uint8_t>* out) const {
  out->reserve(out->size() + size());
  PrefaultForWrite(out->data() + out->size(), size());
  for (const Chunk& c : done_) out->insert(out->end(), c.data.get(), c.data.get() + c.size);
  out->insert(out->end(), begin_, cur_);
}

const std::vector<uint8_t>& Lib0Encoder::bytes() const {
  joined_.clear();
  AppendTo(&joined_);
  return joined_;
}

std::vector<uint8_t> Lib0Encoder::TakeBytes() {
  std::vector<uint8_t> out;
  AppendTo(&out);
  Clear();
  return out;
}

void Lib0Encoder::Clear() {
  done_.clear();
  done_bytes_ = 0;
  // Keep the current chunk for reuse.
  cur_ = begin_;
  joined_.clear();
}

void Lib0Encoder::WriteFloat32(float v) {
  uint32_t bits = std::bit_cast<uint32_t>(v);
  for (int shift = 24; shift >= 0; shift -= 8) WriteUint8(static_cast<uint8_t>(bits >> shift));
}

void Lib0Encoder::WriteFloat64(double v) {
  // V8 stores every NaN it produces as the canonical quiet NaN; do the same so that equal
  // values always give equal bytes.
  uint64_t bits = std::isnan(v) ? 0x7ff8000000000000ULL : std::bit_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) WriteUint8(static_cast<uint8_t>(bits >> shift));
}

void Lib0Encoder::WriteBigInt64(int64_t v) {
  uint64_t bits = static_cast<uint64_t>(v);
  for (int shift = 56; shift >= 0; shift -= 8) WriteUint8(static_cast<uint8_t>(bits >> shift));
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
