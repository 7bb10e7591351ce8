#include "lib0_decoder.h"

#include <gtest/gtest.h>

#include <cmath>

#include "golden_testutil.h"
#include "lib0_encoder.h"
#include "rle_coders.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::FromTagged;
using testing::LoadGolden;
using testing::ParseNum;
using testing::ToHex;

const Any& Golden() {
  static const Any* golden = new Any(LoadGolden("lib0_primitives.json"));
  return *golden;
}
const AnyArray& Cases(const char* key) { return Golden().Find(key)->as_array(); }

TEST(Lib0DecoderGoldenTest, VarUintAndVarInt) {
  for (const Any& c : Cases("varuint")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    Lib0Decoder d(bytes);
    EXPECT_EQ(d.ReadVarUint(), static_cast<uint64_t>(ParseNum(c.Find("v")->as_string())));
    EXPECT_FALSE(d.HasContent());
  }
  for (const Any& c : Cases("varint")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    double want = ParseNum(c.Find("v")->as_string());
    Lib0Decoder d(bytes);
    Lib0Decoder::SignMagnitude sm = d.ReadVarIntSignMagnitude();
    EXPECT_EQ(sm.negative, std::signbit(want)) << c.Find("v")->as_string();
    EXPECT_EQ(sm.magnitude, static_cast<uint64_t>(std::fabs(want)));
    Lib0Decoder d2(bytes);
    EXPECT_EQ(d2.ReadVarInt(), static_cast<int64_t>(want));
  }
}

TEST(Lib0DecoderGoldenTest, StringsFloatsBigInts) {
  for (const Any& c : Cases("varstring")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    Lib0Decoder d(bytes);
    EXPECT_EQ(d.ReadVarString(), c.Find("s")->as_string());
  }
  for (const Any& c : Cases("float64")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    Lib0Decoder d(bytes);
    EXPECT_EQ(Any(d.ReadFloat64()), Any(ParseNum(c.Find("v")->as_string())));
  }
  for (const Any& c : Cases("float32")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    Lib0Decoder d(bytes);
    double want = static_cast<double>(static_cast<float>(ParseNum(c.Find("v")->as_string())));
    EXPECT_EQ(Any(static_cast<double>(d.ReadFloat32())), Any(want));
  }
  for (const Any& c : Cases("bigint64")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    Lib0Decoder d(bytes);
    EXPECT_EQ(d.ReadBigInt64(), std::stoll(c.Find("v")->as_string()));
  }
}

TEST(Lib0DecoderGoldenTest, ReadAnyRoundTrips) {
  for (const Any& c : Cases("any")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    Any want = FromTagged(*c.Find("value"));
    Lib0Decoder d(bytes);
    Any got = d.ReadAny();
    EXPECT_FALSE(d.HasContent());
    EXPECT_EQ(got, want) << c.Find("hex")->as_string();
    if (got.is_number()) EXPECT_EQ(std::signbit(got.as_number()), std::signbit(want.as_number()));
    Lib0Encoder e;
    e.WriteAny(got);
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string());
  }
}

TEST(Lib0DecoderGoldenTest, EveryTruncationThrows) {
  for (const Any& c : Cases("any")) {
    std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
    for (size_t n = 0; n < bytes.size(); ++n) {
      std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + n);
      Lib0Decoder d(prefix);
      EXPECT_THROW(d.ReadAny(), DecodeError) << c.Find("hex")->as_string() << " cut at " << n;
    }
  }
}

TEST(Lib0DecoderTest, VarUintLimits) {
  std::vector<uint8_t> max = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  EXPECT_EQ(Lib0Decoder(max).ReadVarUint(), UINT64_MAX);
  std::vector<uint8_t> overflow = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  EXPECT_THROW(Lib0Decoder(overflow).ReadVarUint(), DecodeError);
  std::vector<uint8_t> too_long(11, 0x80);
  too_long.push_back(0);
  EXPECT_THROW(Lib0Decoder(too_long).ReadVarUint(), DecodeError);
  std::vector<uint8_t> non_canonical = {0x80, 0x00};  // lib0 accepts padded forms
  EXPECT_EQ(Lib0Decoder(non_canonical).ReadVarUint(), 0u);
  std::vector<uint8_t> unterminated = {0x80, 0x80};
  EXPECT_THROW(Lib0Decoder(unterminated).ReadVarUint(), DecodeError);
  EXPECT_THROW(Lib0Decoder({}).ReadVarUint(), DecodeError);
}

TEST(Lib0DecoderTest, VarIntLimits) {
  Lib0Encoder e;
  e.WriteVarInt(INT64_MIN);
  e.WriteVarInt(INT64_MAX);
  Lib0Decoder d(e.bytes());
  EXPECT_EQ(d.ReadVarInt(), INT64_MIN);
  EXPECT_EQ(d.ReadVarInt(), INT64_MAX);
  Lib0Encoder big;
  big.WriteVarIntSignMagnitude(false, UINT64_MAX);
  EXPECT_EQ(Lib0Decoder(big.bytes()).ReadVarIntSignMagnitude().magnitude, UINT64_MAX);
  EXPECT_THROW(Lib0Decoder(big.bytes()).ReadVarInt(), DecodeError);
  std::vector<uint8_t> too_long(12, 0xff);
  EXPECT_THROW(Lib0Decoder(too_long).ReadVarIntSignMagnitude(), DecodeError);
}

TEST(Lib0DecoderTest, RejectsInvalidUtf8LikeAFatalTextDecoder) {
  const std::vector<std::vector<uint8_t>> bad = {
      {0xc0, 0x80},              // overlong
      {0xe0, 0x80, 0x80},        // overlong
      {0xed, 0xa0, 0x80},        // UTF-16 surrogate
      {0xf4, 0x90, 0x80, 0x80},  // above U+10FFFF
      {0xf8, 0x88, 0x80, 0x80, 0x80},
      {0x80},
      {0xe2, 0x82},  // truncated sequence
      {0xff},
  };
  for (const auto& s : bad) {
    Lib0Encoder e;
    e.WriteVarUint8Array(s);
    Lib0Decoder d(e.bytes());
    EXPECT_THROW(d.ReadVarString(), DecodeError) << ToHex(s);
  }
  Lib0Encoder ok;
  ok.WriteVarString("\xef\xbb\xbf\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");  // BOM kept, max code point
  EXPECT_EQ(Lib0Decoder(ok.bytes()).ReadVarString(),
            "\xef\xbb\xbf\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
}

TEST(Lib0DecoderTest, ReadAnyRejectsHostileInput) {
  // Unknown tags.
  for (uint8_t tag : {0, 1, 115, 128, 255}) {
    std::vector<uint8_t> b = {tag};
    EXPECT_THROW(Lib0Decoder(b).ReadAny(), DecodeError) << int{tag};
  }
  // Lengths far beyond the input are refused before any allocation.
  for (uint8_t tag : {116, 117, 118, 119}) {
    Lib0Encoder e;
    e.WriteUint8(tag);
    e.WriteVarUint(uint64_t{1} << 60);
    EXPECT_THROW(Lib0Decoder(e.bytes()).ReadAny(), DecodeError);
  }
  // Nesting: kMaxAnyDepth levels decode, one more does not.
  for (int depth : {kMaxAnyDepth, kMaxAnyDepth + 1, 100000}) {
    std::vector<uint8_t> b;
    for (int i = 0; i < depth; ++i) {
      b.push_back(117);
      b.push_back(1);
    }
    b.push_back(126);
    Lib0Decoder d(b);
    if (depth <= kMaxAnyDepth) {
      EXPECT_TRUE(d.ReadAny().is_array());
    } else {
      EXPECT_THROW(d.ReadAny(), DecodeError);
    }
  }
}

TEST(Lib0DecoderTest, ReadUint8ArrayIsBoundsChecked) {
  std::vector<uint8_t> b = {3, 1, 2};
  Lib0Decoder d(b);
  EXPECT_THROW(d.ReadVarUint8Array(), DecodeError);
  Lib0Decoder d2(b);
  EXPECT_THROW(d2.ReadUint8Array(UINT64_MAX), DecodeError);
  EXPECT_EQ(d2.ReadTail().size(), 3u);
  EXPECT_THROW(d2.ReadUint8(), DecodeError);
}

TEST(Lib0DecoderTest, Utf16CountingMatchesCodePoints) {
  // ASCII runs longer than a word, with multi-byte sequences at and across word boundaries.
  const std::string ascii(21, 'x');
  const std::string text =
      ascii + "\xc3\xbc" + ascii + "\xf0\x9f\x98\x80" + "1234567" + "\xe2\x82\xac" + ascii;
  // 3 x 21 ASCII + 7 ASCII, one BMP two-byte, one astral (two units), one BMP three-byte.
  const uint64_t want = 3 * 21 + 7 + 1 + 2 + 1;
  EXPECT_EQ(CheckUtf8CountUtf16(text), want);
  EXPECT_EQ(Utf16Length(text), want);
  EXPECT_EQ(CheckUtf8CountUtf16(""), 0u);
  EXPECT_EQ(AsciiPrefixEnd(text, 0), 21u);
  EXPECT_EQ(AsciiPrefixEnd(text, 21), 21u);
  EXPECT_EQ(AsciiPrefixEnd(text, 23), 44u);
  Lib0Encoder e;
  e.WriteVarString(text);
  Lib0Decoder d(e.bytes());
  uint64_t units = 0;
  EXPECT_EQ(d.ReadVarStringUtf16(&units), text);
  EXPECT_EQ(units, want);
  // An invalid byte after a long ASCII run is still found.
  for (size_t prefix : {0, 7, 8, 9, 16, 17}) {
    std::string bad(prefix, 'a');
    bad += '\xff';
    bad += "tail";
    EXPECT_THROW(CheckUtf8CountUtf16(bad), DecodeError) << prefix;
    std::string truncated(prefix, 'a');
    truncated += "\xe2\x82";
    EXPECT_THROW(CheckUtf8CountUtf16(truncated), DecodeError) << prefix;
  }
}

TEST(Lib0DecoderTest, VarIntOneByteFastPathAgreesWithSlowPath) {
  // lib0 bytes: 0x3f = 63, 0x7f = -63, 0x40 = -0, 0x80 0x01 = 64 (two bytes).
  const std::vector<uint8_t> b = {0x3f, 0x7f, 0x40, 0x80, 0x01, 0x00};
  Lib0Decoder d(b);
  EXPECT_EQ(d.ReadVarInt(), 63);
  EXPECT_EQ(d.ReadVarInt(), -63);
  EXPECT_EQ(d.ReadVarInt(), 0);
  EXPECT_EQ(d.ReadVarInt(), 64);
  Lib0Decoder::SignMagnitude sm = d.ReadVarIntSignMagnitude();
  EXPECT_FALSE(sm.negative);
  EXPECT_EQ(sm.magnitude, 0u);
  EXPECT_THROW(d.ReadVarInt(), DecodeError);
  EXPECT_THROW(d.ReadVarIntSignMagnitude(), DecodeError);
  const std::vector<uint8_t> minus_zero = {0x40};
  EXPECT_TRUE(Lib0Decoder(minus_zero).ReadVarIntSignMagnitude().negative);
}

}  // namespace
}  // namespace accord::crdt
