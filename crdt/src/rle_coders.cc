#include "rle_coders.h"

namespace accord::crdt {
namespace {

// What TextEncoder writes for half of a surrogate pair: U+FFFD.
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Byte length of the UTF-8 sequence starting with `lead` (input already validated).
size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  return 4;
}

}  // namespace

uint64_t Utf16Length(std::string_view s) {
  uint64_t n = 0;
  for (unsigned char c : s) {
    // Count lead bytes; a 4-byte sequence is a surrogate pair, one extra unit.
    if ((c & 0xc0) != 0x80) ++n;
    if (c >= 0xf0) ++n;
  }
  return n;
}

void UintOptRleEncoder::Flush() {
  if (count_ == 0) return;
  enc_.WriteVarIntSignMagnitude(count_ != 1, state_);
  if (count_ > 1) enc_.WriteVarUint(count_ - 2);
}

void IntDiffOptRleEncoder::Flush() {
  if (count_ == 0) return;
  uint64_t encoded = diff_ * 2 + (count_ == 1 ? 0 : 1);
  enc_.WriteVarInt(static_cast<int64_t>(encoded));
  if (count_ > 1) enc_.WriteVarUint(count_ - 2);
}

std::vector<uint8_t> StringEncoder::ToBytes() {
  Lib0Encoder out;
  out.WriteVarString(text_);
  out.WriteUint8Array(lens_.ToBytes());
  text_.clear();
  return out.TakeBytes();
}

StringDecoder::StringDecoder(std::span<const uint8_t> column)
    : lens_(column), text_(lens_.raw().ReadVarString()) {}

std::string StringDecoder::Read() {
  uint64_t units = lens_.Read();
  std::string out;
  if (units == 0) return out;
  if (split_pair_) {
    // The low half of the pair the previous string cut through.
    out.append(kReplacementChar);
    split_pair_ = false;
    --units;
  }
  size_t start = pos_;
  while (units > 0) {
    if (pos_ >= text_.size()) throw DecodeError("string column shorter than its lengths");
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(text_[pos_]));
    if (len < 4) {
      pos_ += len;
      --units;
    } else if (units >= 2) {
      pos_ += len;
      units -= 2;
    } else {
      // JavaScript would slice between the surrogates; each half becomes U+FFFD once encoded.
      out.append(text_, start, pos_ - start);
      out.append(kReplacementChar);
      pos_ += len;
      split_pair_ = true;
      return out;
    }
  }
  out.append(text_, start, pos_ - start);
  return out;
}

}  // namespace accord::crdt
