// Tests for relative_position.cc. Reference bytes come from Yjs 13.6.33
// (tests/node/tools/gen-snapshot-golden.mjs prints them).
#include "accord/crdt/relative_position.h"

#include <gtest/gtest.h>

#include <vector>

#include "accord/crdt/doc.h"

namespace accord::crdt {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(RelativePositionTest, EncodesLikeYjs) {
  RelativePosition in_list{.item = ItemId{300, 2}};
  EXPECT_EQ(*EncodeRelativePosition(in_list), (Bytes{0x00, 0xac, 0x02, 0x02, 0x00}));
  RelativePosition left{.item = ItemId{300, 4}, .assoc = -1};
  EXPECT_EQ(*EncodeRelativePosition(left), (Bytes{0x00, 0xac, 0x02, 0x04, 0x41}));
  RelativePosition root_end{.tname = "t"};
  EXPECT_EQ(*EncodeRelativePosition(root_end), (Bytes{0x01, 0x01, 0x74, 0x00}));
  EXPECT_FALSE(EncodeRelativePosition(RelativePosition{}).ok());
}

TEST(RelativePositionTest, FromTypeIndexMatchesYjs) {
  Doc doc;
  doc.set_client_id(300);
  Result<Text> text = doc.GetText("t");
  ASSERT_TRUE(text.ok());
  ASSERT_TRUE(text->Insert(0, "hello").ok());
  EXPECT_EQ(*EncodeRelativePosition(CreateRelativePositionFromTypeIndex(*text, 2)),
            (Bytes{0x00, 0xac, 0x02, 0x02, 0x00}));
  EXPECT_EQ(*EncodeRelativePosition(CreateRelativePositionFromTypeIndex(*text, 5, -1)),
            (Bytes{0x00, 0xac, 0x02, 0x04, 0x41}));
  EXPECT_EQ(*EncodeRelativePosition(CreateRelativePositionFromTypeIndex(*text, 5)),
            (Bytes{0x01, 0x01, 0x74, 0x00}));
}

TEST(RelativePositionTest, DecodeRoundTrips) {
  for (const Bytes& bytes :
       {Bytes{0x00, 0xac, 0x02, 0x02, 0x00}, Bytes{0x00, 0xac, 0x02, 0x04, 0x41},
        Bytes{0x01, 0x01, 0x74, 0x00}, Bytes{0x02, 0x07, 0x03, 0x01}}) {
    Result<RelativePosition> rpos = DecodeRelativePosition(bytes);
    ASSERT_TRUE(rpos.ok());
    EXPECT_EQ(*EncodeRelativePosition(*rpos), bytes);
  }
  // A missing assoc reads as 0, as in Yjs.
  Result<RelativePosition> no_assoc = DecodeRelativePosition(Bytes{0x01, 0x01, 0x74});
  ASSERT_TRUE(no_assoc.ok());
  EXPECT_EQ(no_assoc->assoc, 0);
  EXPECT_EQ(*no_assoc->tname, "t");
}

TEST(RelativePositionTest, HostileBytesAreCorruption) {
  EXPECT_FALSE(DecodeRelativePosition(Bytes{}).ok());
  EXPECT_FALSE(DecodeRelativePosition(Bytes{0x00, 0xac}).ok());
  EXPECT_FALSE(DecodeRelativePosition(Bytes{0x01, 0xff, 0xff, 0xff, 0x0f}).ok());
  EXPECT_FALSE(DecodeRelativePosition(Bytes{0x03, 0x00}).ok());
  EXPECT_FALSE(DecodeRelativePosition(Bytes{0x00, 0x01, 0x02, 0x80}).ok());
}

TEST(RelativePositionTest, ResolvesAfterConcurrentEditsLikeYjs) {
  Doc doc;
  doc.set_client_id(300);
  Result<Text> text = doc.GetText("t");
  ASSERT_TRUE(text.ok());
  ASSERT_TRUE(text->Insert(0, "hello").ok());
  RelativePosition p3 = CreateRelativePositionFromTypeIndex(*text, 3);
  // Yjs relativePositionToJSON of the same position.
  EXPECT_EQ(RelativePositionToJson(p3).ToJson(),
            R"({"tname":"t","item":{"client":300,"clock":3},"assoc":0})");
  Result<RelativePosition> back = RelativePositionFromJson(RelativePositionToJson(p3));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(CompareRelativePositions(*back, p3));
  // Client 9 inserts "ab" at 0 and deletes index 4 (gen-snapshot-golden.mjs "concurrent").
  Doc other;
  other.set_client_id(9);
  ASSERT_TRUE(other.ApplyUpdate(*doc.EncodeStateAsUpdate()).ok());
  Result<Text> t2 = other.GetText("t");
  ASSERT_TRUE(t2->Insert(0, "ab").ok());
  ASSERT_TRUE(t2->Delete(4, 1).ok());
  std::optional<AbsolutePosition> abs = CreateAbsolutePositionFromRelativePosition(p3, other);
  ASSERT_TRUE(abs.has_value());
  EXPECT_EQ(abs->index, 4u);  // Yjs: 4
  RelativePosition missing{.item = ItemId{300, 99}};
  EXPECT_FALSE(CreateAbsolutePositionFromRelativePosition(missing, other).has_value());
  EXPECT_FALSE(RelativePositionFromJson(Any("x")).ok());
}

}  // namespace
}  // namespace accord::crdt
