#include "accord/crdt/any.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "golden_testutil.h"
#include "lib0_decoder.h"

namespace accord::crdt {
namespace {

using testing::FromTagged;
using testing::LoadGolden;
using testing::ParseNum;

const Any& JsonGolden() {
  static const Any* golden = new Any(LoadGolden("json.json"));
  return *golden;
}

TEST(AnyTest, ObjectUsesJavaScriptKeyOrder) {
  Any o = Any::Object({{"b", 1}, {"a", 2}, {"10", 3}, {"2", 4}, {"01", 5}, {"b", 6}});
  const AnyObject& entries = o.as_object();
  ASSERT_EQ(entries.size(), 5u);
  EXPECT_EQ(entries[0].first, "2");
  EXPECT_EQ(entries[1].first, "10");
  EXPECT_EQ(entries[2].first, "b");
  EXPECT_EQ(entries[2].second, Any(6));  // last value, first position
  EXPECT_EQ(entries[3].first, "a");
  EXPECT_EQ(entries[4].first, "01");
  ASSERT_NE(o.Find("a"), nullptr);
  EXPECT_EQ(*o.Find("a"), Any(2));
  EXPECT_EQ(o.Find("zz"), nullptr);
  EXPECT_EQ(Any(1).Find("a"), nullptr);
}

TEST(AnyTest, ObjectWithManyDuplicateKeys) {
  AnyObject entries;
  for (int i = 0; i < 100; ++i) entries.emplace_back("k" + std::to_string(i % 10), i);
  Any o = Any::Object(std::move(entries));
  ASSERT_EQ(o.as_object().size(), 10u);
  EXPECT_EQ(o.as_object()[0].first, "k0");
  EXPECT_EQ(o.as_object()[0].second, Any(90));
}

TEST(AnyTest, Equality) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Any(nan), Any(nan));
  EXPECT_EQ(Any(0.0), Any(-0.0));
  EXPECT_NE(Any(1), Any("1"));
  EXPECT_NE(Any(), Any(Null{}));
  EXPECT_EQ(Any::Object({{"a", 1}, {"b", 2}}), Any::Object({{"b", 2}, {"a", 1}}));
  EXPECT_NE(Any::Object({{"a", 1}}), Any::Object({{"a", 1}, {"b", 2}}));
  EXPECT_EQ(Any(AnyArray{1, "x", Bytes{1, 2}}), Any(AnyArray{1, "x", Bytes{1, 2}}));
  EXPECT_NE(Any(AnyArray{1}), Any(AnyArray{2}));
  EXPECT_EQ(Any(BigInt{5}), Any(BigInt{5}));
  EXPECT_NE(Any(BigInt{5}), Any(5));
}

TEST(AnyTest, ToJsonMatchesJsonStringifyOnGoldenValues) {
  const Any golden = LoadGolden("lib0_primitives.json");
  int checked = 0;
  for (const Any& c : golden.Find("any")->as_array()) {
    const Any* json = c.Find("json");
    if (json->is_null()) continue;  // JSON.stringify throws or yields undefined
    Any value = FromTagged(*c.Find("value"));
    if (value.is_bytes()) continue;  // we print bytes in the ydoc convention instead
    bool has_bytes = value.ToJson().find("$binary") != std::string::npos;
    if (has_bytes) continue;
    EXPECT_EQ(value.ToJson(), json->as_string());
    ++checked;
  }
  EXPECT_GT(checked, 50);
}

TEST(AnyTest, NumberFormattingMatchesJavaScript) {
  for (const Any& c : JsonGolden().Find("numbers")->as_array()) {
    EXPECT_EQ(Any(ParseNum(c.Find("v")->as_string())).ToJson(), c.Find("json")->as_string());
  }
}

TEST(AnyTest, ToJsonConventions) {
  EXPECT_EQ(Any(Bytes{0xfb, 0xff, 0x01}).ToJson(), R"({"$binary":"+/8B"})");
  EXPECT_EQ(Any(Bytes{1}).ToJson(), R"({"$binary":"AQ=="})");
  EXPECT_EQ(Any(BigInt{-42}).ToJson(), "-42");
  EXPECT_EQ(Any().ToJson(), "null");
  EXPECT_EQ(Any(AnyArray{Any(), 1}).ToJson(), "[null,1]");
  EXPECT_EQ(Any::Object({{"u", Any()}, {"v", 1}}).ToJson(), R"({"v":1})");
}

TEST(AnyTest, FromJsonMatchesJsonParse) {
  for (const Any& c : JsonGolden().Find("parse")->as_array()) {
    const std::string& text = c.Find("text")->as_string();
    std::optional<Any> parsed = Any::FromJson(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    Any want = FromTagged(*c.Find("value"));
    EXPECT_EQ(*parsed, want) << text;
    if (want.is_number()) {
      EXPECT_EQ(std::signbit(parsed->as_number()), std::signbit(want.as_number())) << text;
    }
    EXPECT_EQ(parsed->ToJson(), c.Find("stringify")->as_string()) << text;
  }
  for (const Any& bad : JsonGolden().Find("bad")->as_array()) {
    EXPECT_FALSE(Any::FromJson(bad.as_string()).has_value()) << bad.as_string();
  }
}

TEST(AnyTest, FromJsonLimitsAndInvalidInput) {
  EXPECT_FALSE(Any::FromJson("\"\xff\"").has_value());  // invalid UTF-8
  std::string deep(kMaxAnyDepth, '[');
  deep += std::string(kMaxAnyDepth, ']');
  EXPECT_TRUE(Any::FromJson(deep).has_value());
  std::string too_deep(100000, '[');
  EXPECT_FALSE(Any::FromJson(too_deep).has_value());
  EXPECT_EQ(Any::FromJson(R"("\ud800x")")->as_string(), "\xef\xbf\xbdx");  // lone surrogate
  EXPECT_EQ(Any::FromJson(R"("\ud83d\ude00")")->as_string(), "\xf0\x9f\x98\x80");
  EXPECT_EQ(Any::FromJson("1e99999999999999999999")->as_number(), HUGE_VAL);
  EXPECT_EQ(Any::FromJson("0.0000e99999999999999")->as_number(), 0.0);
}

}  // namespace
}  // namespace accord::crdt
