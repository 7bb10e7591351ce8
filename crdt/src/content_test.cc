#include "content.h"

#include <gtest/gtest.h>

#include "golden_testutil.h"

namespace accord::crdt {
namespace {

TEST(ContentStringTest, LengthCountsUtf16Units) {
  EXPECT_EQ(ContentString("abc").Length(), 3u);
  EXPECT_EQ(ContentString("é漢").Length(), 2u);
  EXPECT_EQ(ContentString("a😀").Length(), 3u);  // astral: a surrogate pair
}

TEST(ContentStringTest, SpliceAsciiAndMerge) {
  ContentString s("hello");
  std::unique_ptr<Content> right = s.Splice(2);
  EXPECT_EQ(s.str(), "he");
  EXPECT_EQ(static_cast<ContentString&>(*right).str(), "llo");
  EXPECT_TRUE(s.MergeWith(*right));
  EXPECT_EQ(s.str(), "hello");
  EXPECT_EQ(s.Length(), 5u);
}

TEST(ContentStringTest, SplittingASurrogatePairGivesReplacementCharacters) {
  ContentString s("a😀b");
  std::unique_ptr<Content> right = s.Splice(2);  // between the two halves of U+1F600
  EXPECT_EQ(s.str(), "a\xEF\xBF\xBD");
  EXPECT_EQ(s.Length(), 2u);
  EXPECT_EQ(static_cast<ContentString&>(*right).str(),
            "\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(right->Length(), 2u);
}

TEST(ContentStringTest, WriteFromOffsetMatchesYjs) {
  // Yjs writes str.slice(offset); a cut pair is encoded as U+FFFD by TextEncoder.
  ContentString s("😀x");
  auto enc = NewUpdateEncoderV1();
  s.Write(*enc, 1);
  EXPECT_EQ(testing::ToHex(enc->ToBytes()), "04efbfbd78");
}

TEST(ContentTest, SimpleKindsRoundTrip) {
  class NoTypes : public TypeFactory {
   public:
    AbstractType* NewType(TypeRef, std::string) override { return nullptr; }
  } types;
  std::vector<std::unique_ptr<Content>> contents;
  contents.push_back(std::make_unique<ContentDeleted>(5));
  contents.push_back(std::make_unique<ContentJson>(std::vector<Any>{Any(1), Any()}));
  contents.push_back(std::make_unique<ContentBinary>(Bytes{1, 2}));
  contents.push_back(std::make_unique<ContentString>("xyz"));
  contents.push_back(std::make_unique<ContentEmbed>(Any::Object({{"a", Any(1)}})));
  contents.push_back(std::make_unique<ContentFormat>("bold", Any(true)));
  contents.push_back(std::make_unique<ContentAny>(std::vector<Any>{Any("a"), Any(Null{})}));
  contents.push_back(std::make_unique<ContentDoc>("guid", Any::Object({{"gc", Any(false)}})));
  for (bool v2 : {false, true}) {
    for (const auto& c : contents) {
      auto enc = v2 ? NewUpdateEncoderV2() : NewUpdateEncoderV1();
      enc->WriteInfo(c->ref());
      c->Write(*enc, 0);
      std::vector<uint8_t> bytes = enc->ToBytes();
      auto dec = v2 ? NewUpdateDecoderV2(bytes) : NewUpdateDecoderV1(bytes);
      uint8_t info = dec->ReadInfo();
      std::unique_ptr<Content> back = ReadItemContent(*dec, info, types);
      EXPECT_EQ(back->ref(), c->ref());
      EXPECT_EQ(back->Length(), c->Length());
      EXPECT_EQ(back->Countable(), c->Countable());
    }
  }
}

TEST(ContentTest, UnknownRefsAndEmptyContentAreRejected) {
  class NoTypes : public TypeFactory {
   public:
    AbstractType* NewType(TypeRef, std::string) override { return nullptr; }
  } types;
  for (uint8_t ref : {uint8_t{0}, uint8_t{10}, uint8_t{11}, uint8_t{31}}) {
    std::vector<uint8_t> bytes = {0, 0, 0};
    auto dec = NewUpdateDecoderV1(bytes);
    EXPECT_THROW(ReadItemContent(*dec, ref, types), DecodeError);
  }
  std::vector<uint8_t> empty_string = {0};
  auto dec = NewUpdateDecoderV1(empty_string);
  EXPECT_THROW(ReadItemContent(*dec, kRefString, types), DecodeError);
}

TEST(ContentDocTest, OptionsNormalisedAsYjs) {
  std::unique_ptr<ContentDoc> c;
  ASSERT_TRUE(ContentDoc::FromWire(
      "g", Any::Object({{"meta", Any(1)}, {"gc", Any(0)}, {"autoLoad", Any("yes")}}), &c));
  EXPECT_EQ(c->opts().ToJson(), R"({"gc":false,"autoLoad":true,"meta":1})");
  ASSERT_TRUE(ContentDoc::FromWire("g", Any("str"), &c));
  EXPECT_EQ(c->opts().ToJson(), "{}");
  EXPECT_FALSE(ContentDoc::FromWire("g", Any::Object({{"guid", Any(5)}}), &c));
}

}  // namespace
}  // namespace accord::crdt
