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

TEST(ItemTest, RightOriginNextToTheOriginResolvesLikeALookup) {
  // Client 1 types "abcd" (one struct). Client 2 inserts "X" between b and c (origin 1:1,
  // right origin 1:2) and "Y" before a (right origin 1:0 only), "Z" after d (origin 1:3 only).
  Doc one(DocOptions{.client_id = 1});
  ASSERT_TRUE(one.GetText("t")->Insert(0, "abcd").ok());
  const std::vector<uint8_t> base = *one.EncodeStateAsUpdate();
  Doc two(DocOptions{.client_id = 2});
  ASSERT_TRUE(two.ApplyUpdate(base).ok());
  Text t2 = *two.GetText("t");
  ASSERT_TRUE(t2.Insert(2, "X").ok());
  ASSERT_TRUE(t2.Insert(0, "Y").ok());
  ASSERT_TRUE(t2.Insert(t2.Length(), "Z").ok());
  const std::vector<uint8_t> edits = *two.EncodeStateAsUpdate(one.EncodeStateVector());

  // Integrating the edits splits "abcd" at the origins; the right origins are the split-off
  // right parts, found through the left item's neighbour.
  Doc three(DocOptions{.client_id = 3});
  ASSERT_TRUE(three.ApplyUpdate(base).ok());
  ASSERT_TRUE(three.ApplyUpdate(edits).ok());
  EXPECT_EQ(three.GetText("t")->ToString(), "YabXcdZ");
  EXPECT_EQ(*three.EncodeStateAsUpdate(), *two.EncodeStateAsUpdate());
  const StructStore::Structs& structs = *three.internal()->store().Get(2);
  ASSERT_EQ(structs.size(), 3u);
  const Item* x = structs[0];
  ASSERT_TRUE(x->has_right_origin());
  EXPECT_EQ(x->right_origin, (Id{1, 2}));
  EXPECT_EQ(x->right->id, (Id{1, 2}));
  EXPECT_EQ(x->left->last_id(), (Id{1, 1}));
  EXPECT_EQ(x->left->right, x);
  // Concurrent edits at the same place, applied in both orders, agree.
  Doc four(DocOptions{.client_id = 4});
  ASSERT_TRUE(four.ApplyUpdate(base).ok());
  ASSERT_TRUE(four.GetText("t")->Insert(2, "W").ok());
  const std::vector<uint8_t> w = *four.EncodeStateAsUpdate(one.EncodeStateVector());
  ASSERT_TRUE(three.ApplyUpdate(w).ok());
  ASSERT_TRUE(four.ApplyUpdate(edits).ok());
  EXPECT_EQ(three.GetText("t")->ToString(), four.GetText("t")->ToString());
}

TEST(ItemTest, CountedIsLiveAndCountableForEveryKindOfStruct) {
  // Live and deleted text, a nested type whose content becomes GC structs when it is deleted,
  // and the same structs decoded into another document.
  Doc doc(DocOptions{.client_id = 1});
  Array a = *doc.GetArray("a");
  Result<SharedType> inner = a.InsertType(0, SharedKind::kText);
  ASSERT_TRUE(inner.ok());
  ASSERT_TRUE(Text(inner->internal()).Insert(0, "abc").ok());
  ASSERT_TRUE(a.Insert(1, {NewValue::Of(1), NewValue::Of(2)}).ok());
  ASSERT_TRUE(a.Delete(0, 1).ok());
  ASSERT_TRUE(a.Delete(1, 1).ok());
  Doc copy(DocOptions{.client_id = 2});
  ASSERT_TRUE(copy.ApplyUpdate(*doc.EncodeStateAsUpdate()).ok());
  int gc = 0;
  int counted = 0;
  for (Doc* d : {&doc, &copy}) {
    for (const auto& [client, structs] : d->internal()->store().clients()) {
      for (const Item* s : structs) {
        EXPECT_EQ(s->counted(), !s->deleted() && s->countable());
        gc += s->is_gc() ? 1 : 0;
        counted += s->counted() ? 1 : 0;
      }
    }
  }
  EXPECT_GT(gc, 0);
  EXPECT_GT(counted, 0);
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
