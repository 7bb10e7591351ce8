// rle_coders.h: lib0's run-length column coders, which the Yjs v2 update format stores its
// struct fields in (lib0 RleEncoder, UintOptRleEncoder, IntDiffOptRleEncoder, StringEncoder and
// their decoders).
//
// Encoders produce lib0's bytes exactly. Decoders read a column view (which must outlive them)
// and throw DecodeError when a column runs out, where lib0 would silently yield zeros or
// undefined. Single-threaded.
#ifndef ACCORD_CRDT_RLE_CODERS_H_
#define ACCORD_CRDT_RLE_CODERS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lib0_decoder.h"
#include "lib0_encoder.h"

namespace accord::crdt {

// Number of UTF-16 code units JavaScript's String#length reports for the UTF-8 text `s`
// (which must be valid UTF-8): one per code point, two for code points above U+FFFF.
uint64_t Utf16Length(std::string_view s);

// Appends lib0 writeVarUint(v) to `out`.
void AppendVarUint(std::vector<uint8_t>* out, uint64_t v);
// Appends `column`'s bytes, prefixed with their length, to `out` and clears `column`.
void AppendColumn(Lib0Encoder& column, std::vector<uint8_t>* out);

// Byte values with run lengths: value, then (run length - 1) once the run ends. The final run
// length is never written; its value repeats forever on decode.
class RleEncoder {
 public:
  void Write(uint8_t v) {
    if (has_state_ && state_ == v) {
      ++count_;
      return;
    }
    if (count_ > 0) enc_.WriteVarUint(count_ - 1);
    count_ = 1;
    enc_.WriteUint8(v);
    state_ = v;
    has_state_ = true;
  }
  std::vector<uint8_t> ToBytes() { return enc_.TakeBytes(); }
  // Appends the column as a length-prefixed byte array (lib0 writeVarUint8Array of ToBytes())
  // to `out`, leaving the encoder as ToBytes does.
  void AppendColumnTo(std::vector<uint8_t>* out) { AppendColumn(enc_, out); }
  size_t size_hint() const { return enc_.size(); }

 private:
  Lib0Encoder enc_;
  uint8_t state_ = 0;
  bool has_state_ = false;
  uint64_t count_ = 0;
};

// Unsigned values: a single value as a positive varInt; a run as the negated value (0 as -0)
// followed by (run length - 2).
class UintOptRleEncoder {
 public:
  void Write(uint64_t v) {
    if (state_ == v) {
      ++count_;
      return;
    }
    Flush();
    count_ = 1;
    state_ = v;
  }
  std::vector<uint8_t> ToBytes() {
    Flush();
    count_ = 0;
    return enc_.TakeBytes();
  }
  void AppendColumnTo(std::vector<uint8_t>* out) {
    Flush();
    count_ = 0;
    AppendColumn(enc_, out);
  }
  // The column's bytes are this, or a few more once the last run is flushed.
  size_t size_hint() const { return enc_.size(); }

 private:
  void Flush();
  Lib0Encoder enc_;
  uint64_t state_ = 0;
  uint64_t count_ = 0;
};

// Values stored as differences to their predecessor; runs of equal differences share one
// entry: varInt(diff * 2 + has_count), then (run length - 2) if has_count.
class IntDiffOptRleEncoder {
 public:
  void Write(uint64_t v) {
    // Wrapping arithmetic: clocks stay far below 2^62 in practice, and hostile values must not
    // cause signed overflow.
    uint64_t diff = v - state_;
    if (diff == diff_) {
      state_ = v;
      ++count_;
      return;
    }
    Flush();
    count_ = 1;
    diff_ = diff;
    state_ = v;
  }
  std::vector<uint8_t> ToBytes() {
    Flush();
    count_ = 0;
    return enc_.TakeBytes();
  }
  void AppendColumnTo(std::vector<uint8_t>* out) {
    Flush();
    count_ = 0;
    AppendColumn(enc_, out);
  }
  size_t size_hint() const { return enc_.size(); }

 private:
  void Flush();
  Lib0Encoder enc_;
  uint64_t state_ = 0;
  uint64_t diff_ = 0;
  uint64_t count_ = 0;
};

// All strings concatenated into one varString, followed by their lengths (in UTF-16 code
// units, as JavaScript counts them) in a UintOptRle column.
class StringEncoder {
 public:
  void Write(std::string_view s) { Write(s, Utf16Length(s)); }
  // `utf16_units` must be Utf16Length(s) (callers that cache it save the count).
  void Write(std::string_view s, uint64_t utf16_units) {
    text_.WriteUint8Array(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
    lens_.Write(utf16_units);
  }
  std::vector<uint8_t> ToBytes();
  void AppendColumnTo(std::vector<uint8_t>* out);
  size_t size_hint() const { return text_.size() + lens_.size_hint(); }

 private:
  Lib0Encoder text_;  // the strings' UTF-8, concatenated
  UintOptRleEncoder lens_;
};

class RleDecoder {
 public:
  explicit RleDecoder(std::span<const uint8_t> column) : dec_(column) {}
  uint8_t Read() {
    if (count_ == 0 && !forever_) {
      state_ = dec_.ReadUint8();
      if (dec_.HasContent()) {
        count_ = dec_.ReadVarUint() + 1;
      } else {
        forever_ = true;
      }
    }
    if (!forever_) --count_;
    return state_;
  }

 private:
  Lib0Decoder dec_;
  uint8_t state_ = 0;
  uint64_t count_ = 0;
  bool forever_ = false;
};

class UintOptRleDecoder {
 public:
  explicit UintOptRleDecoder(std::span<const uint8_t> column) : dec_(column) {}
  uint64_t Read() {
    if (count_ == 0) {
      Lib0Decoder::SignMagnitude sm = dec_.ReadVarIntSignMagnitude();
      state_ = sm.magnitude;
      count_ = sm.negative ? dec_.ReadVarUint() + 2 : 1;
    }
    --count_;
    return state_;
  }
  // The StringDecoder keeps its text at the front of the same column.
  Lib0Decoder& raw() { return dec_; }

 private:
  Lib0Decoder dec_;
  uint64_t state_ = 0;
  uint64_t count_ = 0;
};

class IntDiffOptRleDecoder {
 public:
  explicit IntDiffOptRleDecoder(std::span<const uint8_t> column) : dec_(column) {}
  uint64_t Read() {
    if (count_ == 0) {
      int64_t d = dec_.ReadVarInt();
      // Two's-complement low bit and floor division, as lib0's `d & 1` and `floor(d / 2)`.
      diff_ = static_cast<uint64_t>(d >> 1);
      count_ = (d & 1) ? dec_.ReadVarUint() + 2 : 1;
    }
    state_ += diff_;
    --count_;
    return state_;
  }

 private:
  Lib0Decoder dec_;
  uint64_t state_ = 0;
  uint64_t diff_ = 0;
  uint64_t count_ = 0;
};

class StringDecoder {
 public:
  // Reads the concatenated text eagerly (as lib0 does); throws DecodeError if it is missing.
  explicit StringDecoder(std::span<const uint8_t> column);
  // The next string: as many UTF-16 code units as its recorded length.
  std::string Read() {
    uint64_t units;
    return Read(&units);
  }
  // Read, also returning the string's length in UTF-16 code units.
  std::string Read(uint64_t* utf16_units);

 private:
  UintOptRleDecoder lens_;
  std::string text_;
  size_t pos_ = 0;  // byte offset into text_
  // text_[pos_, ascii_end_) is known to be ASCII, where UTF-16 units are bytes.
  size_t ascii_end_ = 0;
  // The previous string ended between the two halves of a surrogate pair.
  bool split_pair_ = false;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_RLE_CODERS_H_
