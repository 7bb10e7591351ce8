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
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      // An ASCII run: one unit per byte.
      const size_t end = AsciiPrefixEnd(s, i);
      n += end - i;
      i = end;
      continue;
    }
    // Count lead bytes; a 4-byte sequence is a surrogate pair, one extra unit.
    if ((c & 0xc0) != 0x80) ++n;
    if (c >= 0xf0) ++n;
    ++i;
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

void AppendVarUint(std::vector<uint8_t>* out, uint64_t v) {
  while (v > 0x7f) {
    out->push_back(static_cast<uint8_t>(0x80 | (v & 0x7f)));
    v >>= 7;
  }
  out->push_back(static_cast<uint8_t>(v));
}

void AppendColumn(Lib0Encoder& column, std::vector<uint8_t>* out) {
  AppendVarUint(out, column.size());
  column.AppendTo(out);
  column.Clear();
}

std::vector<uint8_t> StringEncoder::ToBytes() {
  // A varString of all the text, then the lengths column.
  std::vector<uint8_t> out;
  AppendColumn(text_, &out);
  std::vector<uint8_t> lens = lens_.ToBytes();
  out.insert(out.end(), lens.begin(), lens.end());
  return out;
}

void StringEncoder::AppendColumnTo(std::vector<uint8_t>* out) {
  std::vector<uint8_t> lens = lens_.ToBytes();
  const size_t text_size = text_.size();
  size_t prefix = 1;
  for (uint64_t v = text_size; v > 0x7f; v >>= 7) ++prefix;
  AppendVarUint(out, prefix + text_size + lens.size());
  AppendColumn(text_, out);
  out->insert(out->end(), lens.begin(), lens.end());
}

StringDecoder::StringDecoder(std::span<const uint8_t> column)
    : lens_(column), text_(lens_.raw().ReadVarString()) {}

std::string StringDecoder::Read(uint64_t* utf16_units) {
  uint64_t units = lens_.Read();
  *utf16_units = units;
  std::string out;
  if (units == 0) return out;
  if (!split_pair_) {
    // Fast path: the whole string lies in a known ASCII stretch, so units are bytes.
    if (pos_ >= ascii_end_) ascii_end_ = AsciiPrefixEnd(text_, pos_);
    if (units <= ascii_end_ - pos_) {
      out.assign(text_, pos_, static_cast<size_t>(units));
      pos_ += static_cast<size_t>(units);
      return out;
    }
  }
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
