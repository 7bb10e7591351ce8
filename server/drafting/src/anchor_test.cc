#include "accord/drafting/anchor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "accord/crdt/xml.h"

namespace accord::drafting {
namespace {

// A draft shaped as y-prosemirror writes it: paragraphs, each holding one XmlText.
class AnchorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fragment = crdt::GetXmlFragment(doc_, "prosemirror");
    ASSERT_TRUE(fragment.ok());
    fragment_ = *fragment;
    AddParagraph(0, "We demand bread and roses for all workers everywhere, now and always.");
    AddParagraph(1, "Peace is the condition of every other right.");
  }
  void AddParagraph(uint64_t index, const std::string& text) {
    auto p = fragment_.InsertElement(index, "paragraph");
    ASSERT_TRUE(p.ok());
    auto t = p->InsertText(0);
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE(t->Insert(0, text).ok());
  }
  crdt::Text TextOf(uint64_t paragraph) {
    auto p = fragment_.Get(paragraph);
    auto t = crdt::XmlFragment(p->type).Get(0);
    return crdt::Text(t->type.internal());
  }
  std::vector<uint8_t> AnchorAt(const crdt::SharedType& type, uint64_t index) {
    auto bytes =
        crdt::EncodeRelativePosition(crdt::CreateRelativePositionFromTypeIndex(type, index));
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? *bytes : std::vector<uint8_t>{};
  }

  crdt::Doc doc_;
  crdt::XmlFragment fragment_;
};

TEST_F(AnchorTest, FollowsItsTextWhileTextBeforeItChanges) {
  std::vector<uint8_t> anchor = AnchorAt(TextOf(0), 10);  // before "bread"
  {
    AnchorResolver resolver(doc_);
    EXPECT_TRUE(resolver.Parse(anchor).ok());
    AnchorState state = resolver.Resolve(anchor);
    EXPECT_TRUE(state.attached);
    EXPECT_EQ(state.excerpt, "bread and roses for all workers everywhere, now");
  }
  ASSERT_TRUE(TextOf(0).Insert(0, "Today ").ok());
  ASSERT_TRUE(TextOf(0).Delete(6, 3).ok());  // "We " goes
  ASSERT_TRUE(TextOf(0).ToString().starts_with("Today demand bread"));
  AddParagraph(0, "A new first paragraph.");
  AnchorResolver resolver(doc_);
  AnchorState state = resolver.Resolve(anchor);
  EXPECT_TRUE(state.attached);
  EXPECT_EQ(state.excerpt, "bread and roses for all workers everywhere, now");
}

TEST_F(AnchorTest, IsDetachedWhenItsTextOrItsParagraphIsDeleted) {
  std::vector<uint8_t> in_first = AnchorAt(TextOf(0), 10);
  std::vector<uint8_t> in_second = AnchorAt(TextOf(1), 0);
  ASSERT_TRUE(TextOf(0).Delete(10, 6).ok());  // "bread "
  ASSERT_TRUE(fragment_.Delete(1).ok());      // the second paragraph
  AnchorResolver resolver(doc_);
  EXPECT_FALSE(resolver.Resolve(in_first).attached);
  EXPECT_EQ(resolver.Resolve(in_first).excerpt, "");
  EXPECT_FALSE(resolver.Resolve(in_second).attached);
  auto refused = resolver.Parse(in_first);
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("deleted"), std::string::npos);
}

TEST_F(AnchorTest, ResolvesInACopyLoadedFromTheStoredState) {
  std::vector<uint8_t> anchor = AnchorAt(TextOf(1), 13);  // "condition"
  auto state = doc_.EncodeStateAsUpdate();
  ASSERT_TRUE(state.ok());
  crdt::Doc copy;
  ASSERT_TRUE(copy.ApplyUpdate(*state).ok());
  AnchorResolver resolver(copy);
  AnchorState resolved = resolver.Resolve(anchor);
  EXPECT_TRUE(resolved.attached);
  EXPECT_EQ(resolved.excerpt, "condition of every other right.");
}

TEST_F(AnchorTest, BetweenBlocksTheExcerptIsTheFollowingBlock) {
  std::vector<uint8_t> anchor = AnchorAt(fragment_, 1);
  AnchorResolver resolver(doc_);
  ASSERT_TRUE(resolver.Parse(anchor).ok());
  EXPECT_EQ(resolver.Resolve(anchor).excerpt, "Peace is the condition of every other right.");
}

TEST_F(AnchorTest, CountsUtf16UnitsAndBoundsTheExcerpt) {
  AddParagraph(2, "\xF0\x9F\x8C\xB9 Rosen f\xC3\xBCr alle");  // rose emoji: two UTF-16 units
  std::vector<uint8_t> anchor = AnchorAt(TextOf(2), 3);
  AnchorResolver resolver(doc_);
  EXPECT_EQ(resolver.Resolve(anchor).excerpt, "Rosen f\xC3\xBCr alle");

  AddParagraph(3, std::string(200, 'x') + " tail");
  std::vector<uint8_t> long_word = AnchorAt(TextOf(3), 0);
  AnchorResolver again(doc_);
  EXPECT_EQ(again.Resolve(long_word).excerpt, std::string(kExcerptCodePoints, 'x'));
}

TEST_F(AnchorTest, RefusesWhatIsNotAPlaceInTheDraftText) {
  AnchorResolver resolver(doc_);
  EXPECT_EQ(resolver.Parse(std::vector<uint8_t>{0xFF, 0xFF}).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(resolver.Parse(std::vector<uint8_t>{}).status().code(), Status::Code::kInvalidArgument);
  // The end of the fragment is a position on the root by name, not into any text.
  auto end = resolver.Parse(AnchorAt(fragment_, fragment_.Length()));
  EXPECT_EQ(end.status().code(), Status::Code::kInvalidArgument);
  // Text of another root of the same document.
  auto other = doc_.GetText("notes");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other->Insert(0, "private notes").ok());
  AnchorResolver after(doc_);
  auto outside = after.Parse(AnchorAt(*other, 2));
  EXPECT_EQ(outside.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(outside.status().message().find("not in the draft"), std::string::npos);
  // An item of a client the draft has never seen.
  crdt::RelativePosition unknown;
  unknown.item = crdt::ItemId{123456, 7};
  auto bytes = crdt::EncodeRelativePosition(unknown);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(after.Parse(*bytes).status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(after.Resolve(*bytes).attached);
}

}  // namespace
}  // namespace accord::drafting
