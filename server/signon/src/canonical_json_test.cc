#include "accord/signon/canonical_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <limits>
#include <random>
#include <string>

namespace accord::signon {
namespace {

std::string Canon(std::string_view text) {
  auto r = CanonicalizeJson(text);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? r.value() : "";
}

Status::Code Refusal(std::string_view text) {
  auto r = CanonicalizeJson(text);
  EXPECT_FALSE(r.ok()) << text << " was accepted as " << (r.ok() ? r.value() : "");
  return r.ok() ? Status::Code::kOk : r.status().code();
}

// RFC 8785 section 3.2.2 example: whitespace removed, numbers and escapes normalized.
TEST(CanonicalizeJson, Rfc8785SectionThreeExample) {
  std::string in = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  EXPECT_EQ(Canon(in),
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
            "1e-27],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

// RFC 8785 section 3.2.3: sorting by UTF-16 code units puts U+1F600 (a surrogate pair starting
// 0xD83D) before U+FB33 — unlike sorting by code points or by UTF-8 bytes.
TEST(CanonicalizeJson, Rfc8785SortingExample) {
  std::string in =
      "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": \"Hebrew Letter "
      "Dalet With Dagesh\", \"1\": \"One\", \"\\ud83d\\ude00\": \"Emoji: Grinning Face\", "
      "\"\\u0080\": \"Control\", \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
  EXPECT_EQ(Canon(in),
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\",\"\xC3\xB6\":"
            "\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\",\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet "
            "With Dagesh\"}");
}

TEST(CanonicalizeJson, SortsNestedObjectsAndKeepsArrayOrder) {
  EXPECT_EQ(CanonicalizeJson("[ 1 ]").value(), "[1]");  // a literal is unambiguous
  EXPECT_EQ(Canon(R"( { "b" : [ {"z":1,"a":2}, 3 ], "a" : {} , "" : [] } )"),
            R"({"":[],"a":{},"b":[{"a":2,"z":1},3]})");
  // Names are compared as whole code-unit sequences: a prefix sorts first.
  EXPECT_EQ(Canon(R"({"ab":1,"a":2,"b":3,"A":4})"), R"({"A":4,"a":2,"ab":1,"b":3})");
}

TEST(CanonicalizeJson, EscapesExactlyAsJsonStringify) {
  EXPECT_EQ(Canon(R"("\u0000\u0001\b\t\n\u000b\f\r\u001f\u007f")"),
            "\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\x7f\"");
  // U+2028 and U+2029 are written as themselves; so are '/' and non-ASCII.
  EXPECT_EQ(Canon(R"("\u2028\u2029\/\u00e9")"), "\"\xE2\x80\xA8\xE2\x80\xA9/\xC3\xA9\"");
  EXPECT_EQ(Canon("\"\xF0\x9F\x98\x80\""), "\"\xF0\x9F\x98\x80\"");
}

TEST(AppendJsonString, WritesAStringLiteralAsJsonStringifyDoes) {
  std::string out = "x";
  AppendJsonString("q\"b\\\b\f\n\r\t\x01\x1f\x7f \xe2\x80\xa8 \xff", out);
  // Appends to what `out` holds; bytes at or above 0x7f, even a stray 0xff, are copied unchanged.
  EXPECT_EQ(out, "x\"q\\\"b\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\x7f \xe2\x80\xa8 \xff\"");
}

TEST(CanonicalizeJson, NumbersAsEcmaScriptWritesThem) {
  // Values from RFC 8785 appendix B and ECMAScript's Number::toString boundaries.
  EXPECT_EQ(Canon("[0, -0, 0.0, -0.0e5, 1, -1, 1.0, 10, 100e-2]"), "[0,0,0,0,1,-1,1,10,1]");
  EXPECT_EQ(Canon("1e21"), "1e+21");
  EXPECT_EQ(Canon("999999999999999900000"), "999999999999999900000");
  EXPECT_EQ(Canon("1e20"), "100000000000000000000");
  EXPECT_EQ(Canon("0.000001"), "0.000001");
  EXPECT_EQ(Canon("0.0000001"), "1e-7");
  EXPECT_EQ(Canon("1.5e-7"), "1.5e-7");
  EXPECT_EQ(Canon("123456789012345678901234"), "1.2345678901234569e+23");
  EXPECT_EQ(Canon("9007199254740993"), "9007199254740992");  // 2^53+1 is not a double
  EXPECT_EQ(Canon("5e-324"), "5e-324");
  EXPECT_EQ(Canon("1.7976931348623157e308"), "1.7976931348623157e+308");
  EXPECT_EQ(Canon("0.1"), "0.1");
  EXPECT_EQ(Canon("0.30000000000000004"), "0.30000000000000004");
  EXPECT_EQ(Canon("-1.25E+2"), "-125");
  EXPECT_EQ(Canon("295147905179352830000"), "295147905179352830000");
  EXPECT_EQ(Canon("1e-400"), "0");  // underflow rounds to zero, as JSON.parse does
  EXPECT_EQ(Canon("-0." + std::string(317, '0') + "1"), "-1e-318");  // subnormal, kept
  EXPECT_EQ(Canon("-0." + std::string(400, '0') + "1"), "0");        // underflow without 'e'
  EXPECT_EQ(Canon("1" + std::string(400, '0') + "e-800"), "0");      // long mantissa, tiny
  EXPECT_EQ(Canon("1" + std::string(400, '0') + "e-500"), "1e-100");
}

TEST(FormatJsonNumber, MatchesEcmaScriptForDoubles) {
  EXPECT_EQ(FormatJsonNumber(-0.0), "0");
  EXPECT_EQ(FormatJsonNumber(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(FormatJsonNumber(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(FormatJsonNumber(std::numeric_limits<double>::min()), "2.2250738585072014e-308");
  EXPECT_EQ(FormatJsonNumber(1e21), "1e+21");
  EXPECT_EQ(FormatJsonNumber(123e-20), "1.23e-18");
  EXPECT_EQ(FormatJsonNumber(0.000001234), "0.000001234");
  EXPECT_EQ(FormatJsonNumber(-12.5), "-12.5");
  EXPECT_EQ(FormatJsonNumber(4294967296.0), "4294967296");
}

TEST(CanonicalizeJson, RefusesWhatJcsRefuses) {
  EXPECT_EQ(Refusal(R"({"a":1,"a":2})"), Status::Code::kInvalidArgument);
  EXPECT_EQ(Refusal(R"({"\u00e9":1,"é":2})"), Status::Code::kInvalidArgument);  // same name
  EXPECT_EQ(Refusal(R"("\ud800")"), Status::Code::kInvalidArgument);
  EXPECT_EQ(Refusal(R"("\udc00\ud800")"), Status::Code::kInvalidArgument);
  EXPECT_EQ(Refusal(R"("\ud800x")"), Status::Code::kInvalidArgument);
  EXPECT_EQ(Refusal("\"\xED\xA0\x80\""), Status::Code::kInvalidArgument);  // surrogate in UTF-8
  EXPECT_EQ(Refusal("\"\xC3\""), Status::Code::kInvalidArgument);
  EXPECT_EQ(Refusal("\"a\nb\""), Status::Code::kInvalidArgument);  // raw control
  EXPECT_EQ(Refusal("1e400"), Status::Code::kInvalidArgument);     // would be Infinity
  EXPECT_EQ(Refusal("-1e400"), Status::Code::kInvalidArgument);
  EXPECT_EQ(Refusal("0.0001" + std::string(400, '0') + "e400"), Status::Code::kInvalidArgument);
  for (const char* bad :
       {"NaN",  "Infinity", "-Infinity",  "01",    "1.",      ".5", "+1", "1e",
        "0x10", "[1,]",     "{\"a\":1,}", "{a:1}", "'a'",     "",   " ",  "[1] [2]",
        "tru",  "\"\\x\"",  "\"\\u12\"",  "[",     "{\"a\"}", "nul"}) {
    EXPECT_EQ(Refusal(bad), Status::Code::kInvalidArgument) << bad;
  }
}

TEST(CanonicalizeJson, BoundsNesting) {
  std::string ok(kMaxJsonDepth, '[');
  ok += std::string(kMaxJsonDepth, ']');
  EXPECT_EQ(Canon(ok), ok);
  std::string deep(kMaxJsonDepth + 1, '[');
  deep += std::string(kMaxJsonDepth + 1, ']');
  EXPECT_EQ(Refusal(deep), Status::Code::kResourceExhausted);
  EXPECT_EQ(Refusal(std::string(100000, '[')), Status::Code::kResourceExhausted);
}

TEST(CanonicalizeJson, BoostValuesCanonicalizeLikeTheirText) {
  std::string text =
      R"({"z":[1,2.5,-3,18446744073709551615,9007199254740993],"a":{"y":null,"x":true},"€":"\u001f"})";
  boost::json::value v = boost::json::parse(text);
  auto from_value = CanonicalizeJsonValue(v);
  ASSERT_TRUE(from_value.ok()) << from_value.status().ToString();
  EXPECT_EQ(from_value.value(), Canon(text));
  EXPECT_EQ(from_value.value(),
            "{\"a\":{\"x\":true,\"y\":null},\"z\":[1,2.5,-3,18446744073709552000,"
            "9007199254740992],\"\xE2\x82\xAC\":\"\\u001f\"}");
}

TEST(CanonicalizeJson, BoostValuesThatJcsRefuses) {
  EXPECT_FALSE(CanonicalizeJsonValue(boost::json::value(std::nan(""))).ok());
  EXPECT_FALSE(CanonicalizeJsonValue(boost::json::value(HUGE_VAL)).ok());
  EXPECT_FALSE(CanonicalizeJsonValue(boost::json::value(std::string("\xFF"))).ok());
  boost::json::object o;
  o["\xED\xA0\x80"] = 1;
  EXPECT_FALSE(CanonicalizeJsonValue(boost::json::value(o)).ok());
}

// Hostile input: byte mutations of a tricky document never crash the parser (ASan/UBSan in
// `make test`), and whatever is accepted canonicalizes to a fixed point that Boost.JSON reads.
TEST(CanonicalizeJson, MutatedInputIsRefusedOrCanonicalizedToAFixedPoint) {
  const std::string base =
      R"({"a":[1,-0.5e-7,1E21,{"\ud83d\ude00":"x\u0000"}],"é":null,"b":true,"c":"\/\\"})";
  std::mt19937 rng(20261203);  // fixed: the same cases every run
  const std::string alphabet = "{}[],:\"\\-+.eE0123456789untrfalsd \t\n\xC3\xA9\xF0\x9F\xED\xFF";
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = base;
    for (int k = std::uniform_int_distribution<int>(1, 4)(rng); k > 0; --k) {
      size_t at = std::uniform_int_distribution<size_t>(0, s.size() - 1)(rng);
      char c = alphabet[std::uniform_int_distribution<size_t>(0, alphabet.size() - 1)(rng)];
      switch (rng() % 3) {
        case 0:
          s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + at, c);
          break;
        default:
          s.erase(at, 1);
      }
    }
    auto r = CanonicalizeJson(s);
    if (!r.ok()) {
      EXPECT_TRUE(r.status().code() == Status::Code::kInvalidArgument) << r.status().ToString();
      continue;
    }
    ++accepted;
    auto again = CanonicalizeJson(r.value());
    ASSERT_TRUE(again.ok()) << r.value();
    EXPECT_EQ(again.value(), r.value());
    boost::system::error_code ec;
    boost::json::parse(r.value(), ec);
    EXPECT_FALSE(ec) << r.value();
  }
  EXPECT_GT(accepted, 100);  // the mutations do reach the canonical writer
}

}  // namespace
}  // namespace accord::signon
