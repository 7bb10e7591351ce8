#include "lazy_struct.h"

#include <gtest/gtest.h>

#include "accord/crdt/updates.h"
#include "golden_testutil.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::LoadGolden;
using testing::ToHex;

TEST(LazyStructTest, Utf16SuffixCountsLikeJavaScript) {
  const std::string s =
      "a\xf0\x9f\x98\x80"
      "b";  // "a😀b": 4 UTF-16 units
  EXPECT_EQ(Utf16Suffix(s, 0), s);
  EXPECT_EQ(Utf16Suffix(s, 1),
            "\xf0\x9f\x98\x80"
            "b");
  EXPECT_EQ(Utf16Suffix(s, 2),
            "\xef\xbf\xbd"
            "b");  // cuts the pair: low half -> U+FFFD
  EXPECT_EQ(Utf16Suffix(s, 3), "b");
  EXPECT_EQ(Utf16Suffix(s, 4), "");
  EXPECT_EQ(Utf16Suffix(s, 9), "");
}

TEST(LazyStructTest, SliceKeepsLengthsConsistent) {
  LazyStruct item;
  item.kind = StructKind::kItem;
  item.id = Id{5, 10};
  item.parent_kind = ParentKind::kYKey;
  item.parent_ykey = "t";
  item.content.ref = kContentString;
  item.content.str = "x\xf0\x9f\x98\x80y";
  item.content.str_units = 4;
  item.length = 4;
  LazyStruct right = SliceLazyStruct(item, 2);
  EXPECT_EQ(right.id, (Id{5, 12}));
  EXPECT_EQ(right.length, 2u);
  ASSERT_TRUE(right.origin.has_value());
  EXPECT_EQ(*right.origin, (Id{5, 11}));
  EXPECT_EQ(right.content.str, "\xef\xbf\xbdy");

  LazyStruct gc;
  gc.kind = StructKind::kGc;
  gc.id = Id{1, 0};
  gc.length = 5;
  LazyStruct gc2 = SliceLazyStruct(gc, 3);
  EXPECT_EQ(gc2.id.clock, 3u);
  EXPECT_EQ(gc2.length, 2u);
  EXPECT_TRUE(MergeLazyStructs(gc, gc2));
  EXPECT_EQ(gc.length, 7u);
  EXPECT_FALSE(MergeLazyStructs(item, right));  // lazily read items never merge
}

TEST(LazyStructGoldenTest, SubdocOptionsAndSurrogateCutsAsYjs) {
  const Any g = LoadGolden("updates_edge.json");
  std::vector<uint8_t> u1 = FromHex(g.Find("update_v1")->as_string());
  Result<std::vector<uint8_t>> v2 = ConvertUpdateFormatV1ToV2(u1);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(ToHex(*v2), g.Find("converted_v2")->as_string());
  Result<std::vector<uint8_t>> v1 = ConvertUpdateFormatV2ToV1(*v2);
  ASSERT_TRUE(v1.ok());
  EXPECT_EQ(ToHex(*v1), g.Find("converted_v1")->as_string());
  std::vector<uint8_t> sv = FromHex(g.Find("sv")->as_string());
  Result<std::vector<uint8_t>> d1 = DiffUpdate(u1, sv);
  ASSERT_TRUE(d1.ok());
  EXPECT_EQ(ToHex(*d1), g.Find("diff_v1")->as_string());
  Result<std::vector<uint8_t>> d2 = DiffUpdateV2(*v2, sv);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(ToHex(*d2), g.Find("diff_v2")->as_string());
}

TEST(LazyStructTest, ReaderRejectsUnknownContentAndHugeClocks) {
  // One client, one struct with content ref 11.
  std::vector<uint8_t> bad_ref = {1, 1, 5, 0, 11, 0};
  auto dec = NewUpdateDecoderV1(bad_ref);
  EXPECT_THROW(LazyStructReader(*dec, false, 100), DecodeError);
  // A GC of length 2^53 + 1.
  std::vector<uint8_t> huge = {1, 1, 5, 0, 0, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10};
  auto dec2 = NewUpdateDecoderV1(huge);
  EXPECT_THROW(LazyStructReader(*dec2, false, 100), DecodeError);
  // More structs declared than allowed.
  std::vector<uint8_t> many = {1, 0x80, 0x01, 5, 0};
  auto dec3 = NewUpdateDecoderV1(many);
  EXPECT_THROW(LazyStructReader(*dec3, false, 100), DecodeError);
}

}  // namespace
}  // namespace accord::crdt
