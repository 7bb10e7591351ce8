#include "struct_store.h"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "doc_impl.h"

namespace accord::crdt {
namespace {

TEST(StructStoreTest, FindIndexAndState) {
  Doc doc(DocOptions{.client_id = 3, .gc = false});
  Text t = *doc.GetText("t");
  // Alternate insert positions so that structs do not merge.
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(t.Insert(i % 2 == 0 ? 0 : t.Length(), "xy").ok());
  StructStore& store = doc.internal()->store();
  EXPECT_EQ(store.GetState(3), 100u);
  EXPECT_EQ(store.GetState(4), 0u);
  const auto& structs = *store.Get(3);
  for (uint64_t clock = 0; clock < 100; ++clock) {
    const Item* s = structs[FindIndexSS(structs, clock)];
    EXPECT_LE(s->id.clock, clock);
    EXPECT_LT(clock, s->id.clock + s->length);
  }
  EXPECT_THROW(FindIndexSS(structs, 100), DecodeError);
}

TEST(StructStoreTest, FindIndexFromAnyGuessMatchesFindIndex) {
  Doc doc(DocOptions{.client_id = 3, .gc = false});
  Text t = *doc.GetText("t");
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(t.Insert(i % 2 == 0 ? 0 : t.Length(), "xy").ok());
  const auto& structs = *doc.internal()->store().Get(3);
  // Guesses before, at, after the answer and past the end all land on the same struct.
  for (uint64_t clock = 0; clock < 100; ++clock) {
    const size_t want = FindIndexSS(structs, clock);
    for (size_t guess = 0; guess <= structs.size() + 1; ++guess) {
      EXPECT_EQ(FindIndexFrom(structs, guess, clock), want) << clock << " from " << guess;
    }
  }
  EXPECT_THROW(FindIndexFrom(structs, 3, 100), DecodeError);
}

TEST(StructStoreTest, PoolHandsOutDistinctItemsAcrossBlocks) {
  ItemPool pool;
  std::vector<Item*> items;
  for (int i = 0; i < 600; ++i) {
    items.push_back(pool.New());
    items.back()->length = static_cast<uint64_t>(i) + 1;
  }
  EXPECT_EQ(pool.live(), 600u);
  for (int i = 0; i < 600; ++i) EXPECT_EQ(items[static_cast<size_t>(i)]->length, i + 1u);
  std::sort(items.begin(), items.end());
  EXPECT_EQ(std::unique(items.begin(), items.end()), items.end());
  for (Item* item : items) pool.Free(item);
  EXPECT_EQ(pool.live(), 0u);
  // A recycled item comes back reset.
  Item* again = pool.New();
  EXPECT_EQ(again->length, 0u);
  pool.Free(again);
}

TEST(StructStoreTest, PoolRecyclesItems) {
  ItemPool pool;
  Item* a = pool.New();
  pool.Free(a);
  Item* b = pool.New();
  EXPECT_EQ(a, b);
  EXPECT_EQ(pool.live(), 1u);
  pool.Free(b);
}

}  // namespace
}  // namespace accord::crdt
