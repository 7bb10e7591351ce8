#include "item.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "doc_impl.h"
#include "golden_testutil.h"

namespace accord::crdt {
namespace {

TEST(ItemTest, WriteEncodesOriginsAndParentLikeYjs) {
  // Y.Doc clientID 1: getText('t').insert(0,'ab') then insert(1,'X') as one update.
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "ab").ok());
  ASSERT_TRUE(t.Insert(1, "X").ok());
  // Structs: "a" (split), "b", "X" (origin a, right origin b). Bytes printed by Yjs 13.6.33
  // for the same edits (Y.encodeStateAsUpdate).
  std::vector<uint8_t> s = *doc.EncodeStateAsUpdate();
  EXPECT_EQ(testing::ToHex(s), "010301000401017401618401000162c401000101015800");
}

TEST(ItemTest, SplitAndMergeRestoreOneStruct) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "abcd").ok());
  StructStore& store = doc.internal()->store();
  ASSERT_EQ(store.Get(1)->size(), 1u);
  // A transaction that splits but changes nothing merges the pieces again.
  doc.internal()->Transact([&](Transaction& txn) { GetItemCleanStart(txn, Id{1, 2}); });
  EXPECT_EQ(store.Get(1)->size(), 1u);
  EXPECT_EQ((*store.Get(1))[0]->length, 4u);
}

TEST(ItemTest, DeletedContentIsCollected) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "abcd").ok());
  ASSERT_TRUE(t.Delete(1, 2).ok());
  auto& structs = *doc.internal()->store().Get(1);
  ASSERT_EQ(structs.size(), 3u);
  EXPECT_EQ(structs[1]->content->ref(), kRefDeleted);
  EXPECT_TRUE(structs[1]->deleted());
}

}  // namespace
}  // namespace accord::crdt
