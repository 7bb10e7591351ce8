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

TEST(StructStoreTest, FindIndexChecksTheLastStructAndKeepsTheHint) {
  Doc doc(DocOptions{.client_id = 3, .gc = false});
  Text t = *doc.GetText("t");
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(t.Insert(i % 2 == 0 ? 0 : t.Length(), "xy").ok());
  const auto& structs = *doc.internal()->store().Get(3);
  ASSERT_GT(structs.size(), 10u);
  // The index of the struct holding `clock`, by a plain scan.
  auto scan = [&](uint64_t clock) {
    size_t i = 0;
    while (structs[i]->id.clock + structs[i]->length <= clock) ++i;
    return i;
  };
  const size_t last = structs.size() - 1;
  const uint64_t last_clock = structs[last]->id.clock;
  ASSERT_EQ(FindIndexSS(structs, 10), scan(10));
  const size_t hint = structs.hint();
  ASSERT_EQ(hint, scan(10));
  ASSERT_NE(hint, last);
  // Every clock of the last struct finds it; the hint still names the earlier lookup.
  for (uint64_t c = last_clock; c < 100; ++c) EXPECT_EQ(FindIndexSS(structs, c), last);
  EXPECT_EQ(structs.hint(), hint);
  // Lookups elsewhere still work after it.
  for (uint64_t c : {13u, 0u, 57u, 99u, 1u}) EXPECT_EQ(FindIndexSS(structs, c), scan(c)) << c;
  // The std::vector overload checks the last struct too.
  const std::vector<Item*>& flat = structs;
  EXPECT_EQ(FindIndexSS(flat, 99), last);
  EXPECT_EQ(FindIndexSS(flat, 41), scan(41));
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
