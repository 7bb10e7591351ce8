#include "struct_store.h"

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
