#include "content.h"

#include <gtest/gtest.h>

#include "golden_testutil.h"

namespace accord::crdt {
namespace {

TEST(ContentStringTest, LengthCountsUtf16Units) {
  EXPECT_EQ(ContentString::Make("abc")->Length(), 3u);
  EXPECT_EQ(ContentString::Make("é漢")->Length(), 2u);
  EXPECT_EQ(ContentString::Make("a😀")->Length(), 3u);  // astral: a surrogate pair
  EXPECT_EQ(ContentString::Make("a😀")->str(), "a😀");
}

TEST(ContentStringTest, SpliceAsciiAndMerge) {
  std::unique_ptr<Content> s = ContentString::Make("hello");
  std::unique_ptr<Content> right = s->Splice(2);
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), "he");
  EXPECT_EQ(static_cast<ContentString&>(*right).str(), "llo");
  EXPECT_TRUE(MergeContent(s, *right));
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), "hello");
  EXPECT_EQ(s->Length(), 5u);
}

TEST(ContentStringTest, MergingManyTimesThenSplittingKeepsTheText) {
  // The first merge moves the text out of the object's own block into a growable buffer; later
  // merges and splits work on that buffer.
  std::unique_ptr<Content> s = ContentString::Make("é");
  std::string expected = "é";
  for (int i = 0; i < 200; ++i) {
    const std::string piece = i % 3 == 0 ? "😀" : (i % 3 == 1 ? "x" : "漢字");
    std::unique_ptr<Content> more = ContentString::Make(piece);
    ASSERT_TRUE(MergeContent(s, *more));
    expected += piece;
  }
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), expected);
  const uint64_t len = s->Length();
  EXPECT_EQ(len, 1 + 67 * 2 + 67 + 66 * 2u);
  std::unique_ptr<Content> right = SpliceContent(s, 4);  // "é😀x" | "漢字..."
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), "é😀x");
  EXPECT_EQ(s->Length(), 4u);
  EXPECT_EQ(right->Length(), len - 4);
  EXPECT_EQ(static_cast<ContentString&>(*right).str(), expected.substr(std::string("é😀x").size()));
}

TEST(ContentStringTest, SplittingALongInlineStringRepacksTheLeftPart) {
  const std::string text(300, 'a');
  std::unique_ptr<Content> s = ContentString::Make(text + "b");
  const Content* before = s.get();
  std::unique_ptr<Content> right = SpliceContent(s, 3);
  EXPECT_NE(s.get(), before);  // re-packed into a smaller block
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), "aaa");
  EXPECT_EQ(static_cast<ContentString&>(*right).str(), text.substr(3) + "b");
  // A split that leaves most of the text on the left keeps the block.
  before = right.get();
  std::unique_ptr<Content> tail = SpliceContent(right, right->Length() - 1);
  EXPECT_EQ(right.get(), before);
  EXPECT_EQ(static_cast<ContentString&>(*tail).str(), "b");
  EXPECT_EQ(right->Length(), 297u);
}

TEST(ContentStringTest, CopyKeepsTextAndLength) {
  for (const char* text : {"", "x", "exactly sixteen!", "ü", "a😀b with some more text"}) {
    std::unique_ptr<ContentString> s = ContentString::Make(text);
    std::unique_ptr<Content> copy = s->Copy();
    EXPECT_EQ(static_cast<ContentString&>(*copy).str(), text);
    EXPECT_EQ(copy->Length(), s->Length());
  }
}

TEST(ContentStringTest, SplittingASurrogatePairGivesReplacementCharacters) {
  std::unique_ptr<Content> s = ContentString::Make("a😀b");
  std::unique_ptr<Content> right = s->Splice(2);  // between the two halves of U+1F600
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), "a\xEF\xBF\xBD");
  EXPECT_EQ(s->Length(), 2u);
  EXPECT_EQ(static_cast<ContentString&>(*right).str(),
            "\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(right->Length(), 2u);
  // The left part is now ASCII-sized in units and bytes differently; splitting it again works.
  std::unique_ptr<Content> again = s->Splice(1);
  EXPECT_EQ(static_cast<ContentString&>(*s).str(), "a");
  EXPECT_EQ(static_cast<ContentString&>(*again).str(), "\xEF\xBF\xBD");
}

TEST(ContentStringTest, WriteFromOffsetMatchesYjs) {
  // Yjs writes str.slice(offset); a cut pair is encoded as U+FFFD by TextEncoder.
  std::unique_ptr<ContentString> s = ContentString::Make("😀x");
  auto enc = NewUpdateEncoderV1();
  s->Write(*enc, 1);
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
  contents.push_back(ContentString::Make("xyz"));
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
