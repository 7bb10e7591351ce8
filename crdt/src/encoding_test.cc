#include "encoding.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "doc_impl.h"

namespace accord::crdt {
namespace {

std::vector<uint8_t> MakeUpdates(std::vector<std::vector<uint8_t>>* updates) {
  Doc src(DocOptions{.client_id = 1});
  src.OnUpdate(
      [&](std::span<const uint8_t> u, const void*) { updates->emplace_back(u.begin(), u.end()); });
  Text t = *src.GetText("t");
  EXPECT_TRUE(t.Insert(0, "abc").ok());
  EXPECT_TRUE(t.Insert(3, "def").ok());
  EXPECT_TRUE(t.Delete(1, 3).ok());
  return *src.EncodeStateAsUpdate();
}

TEST(EncodingTest, OutOfOrderUpdatesWaitAndApply) {
  std::vector<std::vector<uint8_t>> updates;
  std::vector<uint8_t> full = MakeUpdates(&updates);
  ASSERT_EQ(updates.size(), 3u);
  Doc dst;
  // The delete arrives first, then the second insert: both wait.
  ASSERT_TRUE(dst.ApplyUpdate(updates[2]).ok());
  ASSERT_TRUE(dst.ApplyUpdate(updates[1]).ok());
  EXPECT_TRUE(dst.HasPending());
  EXPECT_EQ(dst.GetText("t")->ToString(), "");
  // While pending, the encoded state still carries the parked data (as Yjs's does).
  Doc relay;
  ASSERT_TRUE(relay.ApplyUpdate(*dst.EncodeStateAsUpdate()).ok());
  ASSERT_TRUE(dst.ApplyUpdate(updates[0]).ok());
  EXPECT_FALSE(dst.HasPending());
  EXPECT_EQ(dst.GetText("t")->ToString(), "aef");
  EXPECT_EQ(*dst.EncodeStateAsUpdate(), full);
  ASSERT_TRUE(relay.ApplyUpdate(updates[0]).ok());
  EXPECT_EQ(*relay.EncodeStateAsUpdate(), full);
}

TEST(EncodingTest, DecodeRejectsReferencesToLaterClocks) {
  // Item of client 1 at clock 0 whose origin is (1, 5): impossible in a real update.
  const std::vector<uint8_t> bad = {1, 1, 1, 0, 0x84, 1, 5, 1, 'x', 0};
  Doc doc;
  EXPECT_THROW(DecodeUpdate(bad, false, doc.internal()), DecodeError);
}

TEST(EncodingTest, PredictPendingBytes) {
  std::vector<std::vector<uint8_t>> updates;
  MakeUpdates(&updates);
  Doc doc;
  auto decoded = DecodeUpdate(updates[1], false, doc.internal());
  EXPECT_GT(PredictPendingBytes(*decoded, doc.internal()->store()), 0u);
  auto first = DecodeUpdate(updates[0], false, doc.internal());
  EXPECT_EQ(PredictPendingBytes(*first, doc.internal()->store()), 0u);
}

}  // namespace
}  // namespace accord::crdt
