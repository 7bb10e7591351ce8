#include "struct_list.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace accord::crdt {
namespace {

// Fake struct pointers: only their identity matters to the list.
Item* P(uintptr_t n) { return reinterpret_cast<Item*>(n * 8 + 8); }

void ExpectSame(const StructList& list, const std::vector<Item*>& model) {
  ASSERT_EQ(list.size(), model.size());
  for (size_t i = 0; i < model.size(); ++i) ASSERT_EQ(list[i], model[i]) << i;
  size_t i = 0;
  for (Item* s : list) EXPECT_EQ(s, model[i++]);
}

TEST(StructListTest, BehavesLikeAVectorUnderRandomSplices) {
  std::mt19937 rng(7);
  StructList list;
  std::vector<Item*> model;
  uintptr_t next = 0;
  for (int step = 0; step < 20000; ++step) {
    const uint32_t op = rng() % 10;
    // Mostly near a moving cursor or the end, as splits and merges are, sometimes anywhere.
    const size_t n = model.size();
    size_t pos = n == 0 ? 0 : rng() % (n + 1);
    if (rng() % 4 != 0 && n > 0) pos = n - std::min<size_t>(n, rng() % 40);
    if (op < 3) {
      list.push_back(P(next));
      model.push_back(P(next++));
    } else if (op < 7) {
      list.Insert(pos, P(next));
      model.insert(model.begin() + static_cast<ptrdiff_t>(pos), P(next++));
    } else if (n > 0) {
      if (pos == n) --pos;
      const size_t last = std::min(n, pos + 1 + rng() % 3);
      list.Erase(pos, last);
      model.erase(model.begin() + static_cast<ptrdiff_t>(pos),
                  model.begin() + static_cast<ptrdiff_t>(last));
    }
    if (step % 997 == 0) ExpectSame(list, model);
  }
  ExpectSame(list, model);
  // The contiguous view equals the model, and the list stays usable after it.
  const std::vector<Item*>& flat = list;
  EXPECT_EQ(flat, model);
  list.Insert(model.size() / 2, P(next));
  model.insert(model.begin() + static_cast<ptrdiff_t>(model.size() / 2), P(next));
  ExpectSame(list, model);
}

TEST(StructListTest, VectorStyleSplicesAndBack) {
  StructList list{P(1), P(2), P(3)};
  list.insert(list.begin() + 1, P(9));
  EXPECT_EQ(list[1], P(9));
  list.erase(list.begin(), list.begin() + 2);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list.front(), P(2));
  EXPECT_EQ(list.back(), P(3));
  list[1] = P(4);
  EXPECT_EQ(list.back(), P(4));
}

TEST(StructListTest, ShrinkToFitKeepsTheStructs) {
  StructList list;
  std::vector<Item*> model;
  for (uintptr_t i = 0; i < 1000; ++i) {
    list.push_back(P(i));
    model.push_back(P(i));
  }
  list.Insert(500, P(5000));  // opens a gap in the middle
  model.insert(model.begin() + 500, P(5000));
  list.Erase(10, 990);
  model.erase(model.begin() + 10, model.begin() + 990);
  list.ShrinkToFit();
  ExpectSame(list, model);
  const std::vector<Item*>& v = list;
  EXPECT_LE(v.capacity(), model.size() + model.size() / 4 + 16);
  list.Insert(5, P(6000));
  model.insert(model.begin() + 5, P(6000));
  ExpectSame(list, model);
}

}  // namespace
}  // namespace accord::crdt
