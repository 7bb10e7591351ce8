#include "rle_coders.h"

#include <gtest/gtest.h>

#include "golden_testutil.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::LoadGolden;
using testing::ToHex;

const Any& Golden() {
  static const Any* golden = new Any(LoadGolden("lib0_rle.json"));
  return *golden;
}
const AnyArray& Cases(const char* key) { return Golden().Find(key)->as_array(); }

std::vector<uint64_t> Values(const Any& c) {
  std::vector<uint64_t> out;
  for (const Any& v : c.Find("values")->as_array()) {
    out.push_back(static_cast<uint64_t>(v.as_number()));
  }
  return out;
}

TEST(RleCodersGoldenTest, RleUint8) {
  for (const Any& c : Cases("rle_uint8")) {
    RleEncoder e;
    for (uint64_t v : Values(c)) e.Write(static_cast<uint8_t>(v));
    std::vector<uint8_t> bytes = e.ToBytes();
    EXPECT_EQ(ToHex(bytes), c.Find("hex")->as_string());
    RleDecoder d(bytes);
    for (uint64_t v : Values(c)) EXPECT_EQ(d.Read(), v);
  }
}

TEST(RleCodersGoldenTest, UintOptRle) {
  for (const Any& c : Cases("uint_opt_rle")) {
    UintOptRleEncoder e;
    for (uint64_t v : Values(c)) e.Write(v);
    std::vector<uint8_t> bytes = e.ToBytes();
    EXPECT_EQ(ToHex(bytes), c.Find("hex")->as_string());
    UintOptRleDecoder d(bytes);
    for (uint64_t v : Values(c)) EXPECT_EQ(d.Read(), v);
    EXPECT_THROW(d.Read(), DecodeError);  // lib0 would invent zeros here
  }
}

TEST(RleCodersGoldenTest, IntDiffOptRle) {
  for (const Any& c : Cases("int_diff_opt_rle")) {
    IntDiffOptRleEncoder e;
    for (uint64_t v : Values(c)) e.Write(v);
    std::vector<uint8_t> bytes = e.ToBytes();
    EXPECT_EQ(ToHex(bytes), c.Find("hex")->as_string());
    IntDiffOptRleDecoder d(bytes);
    for (uint64_t v : Values(c)) EXPECT_EQ(d.Read(), v);
    EXPECT_THROW(d.Read(), DecodeError);
  }
}

TEST(RleCodersGoldenTest, StringEncoderCountsUtf16Units) {
  for (const Any& c : Cases("string")) {
    StringEncoder e;
    for (const Any& s : c.Find("values")->as_array()) e.Write(s.as_string());
    std::vector<uint8_t> bytes = e.ToBytes();
    EXPECT_EQ(ToHex(bytes), c.Find("hex")->as_string());
    StringDecoder d(bytes);
    for (const Any& s : c.Find("values")->as_array()) EXPECT_EQ(d.Read(), s.as_string());
    EXPECT_THROW(d.Read(), DecodeError);
  }
}

TEST(RleCodersTest, Utf16Length) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("\xc3\xbc\xe2\x82\xac"), 2u);  // ü€
  EXPECT_EQ(Utf16Length("\xf0\x9f\x98\x80"), 2u);      // one astral code point
}

TEST(RleCodersTest, StringDecoderSplittingASurrogatePairYieldsReplacementChars) {
  // Text "a😀b" with lengths 2, 2: JavaScript slices between the surrogates; each lone half
  // becomes U+FFFD when encoded again.
  Lib0Encoder col;
  col.WriteVarString(
      "a\xf0\x9f\x98\x80"
      "b");
  UintOptRleEncoder lens;
  lens.Write(2);
  lens.Write(2);
  col.WriteUint8Array(lens.ToBytes());
  StringDecoder d(col.bytes());
  EXPECT_EQ(d.Read(), "a\xef\xbf\xbd");
  EXPECT_EQ(d.Read(),
            "\xef\xbf\xbd"
            "b");
}

TEST(RleCodersTest, StringColumnRoundTripsMixedTextWithUnitCounts) {
  // Long ASCII stretches (the decoder's fast path) interleaved with multi-byte and astral text,
  // and strings that cross from one kind into the other.
  const std::vector<std::string> values = {"hello world, a long ascii run",
                                           "x",
                                           "\xc3\xbc",
                                           "ab\xe2\x82\xac"
                                           "cd",
                                           std::string(40, 'q'),
                                           "\xf0\x9f\x98\x80",
                                           "tail after astral",
                                           "",
                                           std::string(9, 'z') + "\xc3\xbc",
                                           "end"};
  StringEncoder e;
  for (const std::string& v : values) e.Write(v, Utf16Length(v));
  std::vector<uint8_t> bytes = e.ToBytes();
  StringDecoder d(bytes);
  for (const std::string& v : values) {
    uint64_t units = 0;
    EXPECT_EQ(d.Read(&units), v);
    EXPECT_EQ(units, Utf16Length(v));
  }
  EXPECT_THROW(d.Read(), DecodeError);
  // AppendColumnTo writes the same column, length-prefixed.
  StringEncoder e2;
  for (const std::string& v : values) e2.Write(v);
  std::vector<uint8_t> column = {9};
  e2.AppendColumnTo(&column);
  Lib0Decoder prefixed(column);
  EXPECT_EQ(prefixed.ReadUint8(), 9);
  std::span<const uint8_t> inner = prefixed.ReadVarUint8Array();
  EXPECT_TRUE(std::vector<uint8_t>(inner.begin(), inner.end()) == bytes);
  EXPECT_FALSE(prefixed.HasContent());
}

TEST(RleCodersTest, TruncatedColumnsThrow) {
  for (const char* key : {"uint_opt_rle", "int_diff_opt_rle", "string", "rle_uint8"}) {
    for (const Any& c : Cases(key)) {
      std::vector<uint8_t> bytes = FromHex(c.Find("hex")->as_string());
      size_t n = c.Find("values")->as_array().size();
      for (size_t cut = 0; cut < bytes.size(); ++cut) {
        std::span<const uint8_t> prefix(bytes.data(), cut);
        // Reading all values from a truncated column either throws or (for the uint8 RLE,
        // whose last run repeats forever) yields values; it never reads out of bounds.
        try {
          if (std::string(key) == "uint_opt_rle") {
            UintOptRleDecoder d(prefix);
            for (size_t i = 0; i < n; ++i) d.Read();
          } else if (std::string(key) == "int_diff_opt_rle") {
            IntDiffOptRleDecoder d(prefix);
            for (size_t i = 0; i < n; ++i) d.Read();
          } else if (std::string(key) == "string") {
            StringDecoder d(prefix);
            for (size_t i = 0; i < n; ++i) d.Read();
          } else {
            RleDecoder d(prefix);
            for (size_t i = 0; i < n; ++i) d.Read();
          }
        } catch (const DecodeError&) {
        }
      }
    }
  }
}

}  // namespace
}  // namespace accord::crdt
