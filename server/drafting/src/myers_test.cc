#include "myers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace accord::drafting::internal {
namespace {

using Ids = std::vector<uint32_t>;

// Applies the script to a, checking it consumes exactly a and b; returns its edit count.
size_t CheckScript(const Ids& a, const Ids& b, const std::vector<EditRun>& runs) {
  size_t i = 0, j = 0, edits = 0;
  for (size_t r = 0; r < runs.size(); ++r) {
    const EditRun& run = runs[r];
    EXPECT_GT(run.len, 0u);
    if (r > 0) {
      EXPECT_NE(runs[r - 1].kind, run.kind);
    }
    switch (run.kind) {
      case EditRun::Kind::kEqual:
        for (size_t k = 0; k < run.len; ++k) {
          EXPECT_LT(i + k, a.size());
          EXPECT_LT(j + k, b.size());
          if (i + k < a.size() && j + k < b.size()) {
            EXPECT_EQ(a[i + k], b[j + k]);
          }
        }
        i += run.len;
        j += run.len;
        break;
      case EditRun::Kind::kDelete:
        i += run.len;
        edits += run.len;
        break;
      case EditRun::Kind::kInsert:
        j += run.len;
        edits += run.len;
        break;
    }
  }
  EXPECT_EQ(i, a.size());
  EXPECT_EQ(j, b.size());
  return edits;
}

// Edit distance (insertions and deletions only) by the textbook LCS table.
size_t LcsDistance(const Ids& a, const Ids& b) {
  std::vector<std::vector<size_t>> lcs(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      lcs[i][j] =
          a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    }
  }
  return a.size() + b.size() - 2 * lcs[a.size()][b.size()];
}

TEST(Myers, ClassicExample) {
  // ABCABBA -> CBABAC has D = 5 (Myers 1986).
  Ids a{0, 1, 2, 0, 1, 1, 0}, b{2, 1, 0, 1, 0, 2};
  uint64_t work = 0;
  auto runs = Myers(a, b, 1000, &work);
  ASSERT_TRUE(runs);
  EXPECT_EQ(CheckScript(a, b, *runs), 5u);
  EXPECT_GT(work, 0u);
}

TEST(Myers, EmptyAndIdenticalInputsCostNothing) {
  uint64_t work = 0;
  Ids a{1, 2, 3};
  auto same = Myers(a, a, 0, &work);
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, (std::vector<EditRun>{{EditRun::Kind::kEqual, 3}}));
  auto gone = Myers(a, {}, 0, &work);
  ASSERT_TRUE(gone);
  EXPECT_EQ(*gone, (std::vector<EditRun>{{EditRun::Kind::kDelete, 3}}));
  auto added = Myers({}, a, 0, &work);
  ASSERT_TRUE(added);
  EXPECT_EQ(*added, (std::vector<EditRun>{{EditRun::Kind::kInsert, 3}}));
  EXPECT_EQ(work, 0u);
}

TEST(Myers, MinimalOnRandomSequences) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    Ids a(rng() % 25), b(rng() % 25);
    uint32_t alphabet = 1 + rng() % 5;
    for (auto& x : a) x = rng() % alphabet;
    for (auto& x : b) x = rng() % alphabet;
    uint64_t work = 0;
    auto runs = Myers(a, b, 1'000'000, &work);
    ASSERT_TRUE(runs);
    EXPECT_EQ(CheckScript(a, b, *runs), LcsDistance(a, b));
  }
}

TEST(Myers, GivesUpPastTheBudgetAndReportsWhatItSpent) {
  Ids a(500), b(500);
  for (uint32_t i = 0; i < 500; ++i) {
    a[i] = i;
    b[i] = 1000 + i;
  }
  uint64_t work = 0;
  EXPECT_FALSE(Myers(a, b, 1000, &work));
  EXPECT_EQ(work, 1000u);
}

TEST(DiffSequences, AnchorsUniqueElementsWhenMyersRunsOut) {
  // Two unrelated halves around shared unique elements 900, 901: the anchored fallback keeps
  // them equal even though the whole does not fit the budget.
  Ids a, b;
  for (uint32_t i = 0; i < 200; ++i) a.push_back(i);
  a.push_back(900);
  for (uint32_t i = 0; i < 200; ++i) a.push_back(300 + i);
  a.push_back(901);
  for (uint32_t i = 0; i < 200; ++i) b.push_back(1000 + i);
  b.push_back(900);
  b.push_back(5000);
  b.push_back(901);
  SequenceDiff diff = DiffSequences(a, b, 2000);
  EXPECT_TRUE(diff.bounded);
  EXPECT_LE(diff.work, 2000u);
  CheckScript(a, b, diff.runs);
  size_t equal = 0;
  for (const EditRun& run : diff.runs) {
    if (run.kind == EditRun::Kind::kEqual) equal += run.len;
  }
  EXPECT_EQ(equal, 2u);
}

TEST(DiffSequences, StaysValidAndWithinBudgetOnRandomInput) {
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    Ids a(rng() % 400), b(rng() % 400);
    for (auto& x : a) x = rng() % 300;
    for (auto& x : b) x = rng() % 300;
    uint64_t budget = rng() % 3000;
    SequenceDiff diff = DiffSequences(a, b, budget);
    EXPECT_LE(diff.work, budget);
    CheckScript(a, b, diff.runs);
  }
}

TEST(AppendRun, MergesSameKindsAndDropsEmptyRuns) {
  std::vector<EditRun> runs;
  AppendRun(&runs, EditRun::Kind::kEqual, 2);
  AppendRun(&runs, EditRun::Kind::kEqual, 1);
  AppendRun(&runs, EditRun::Kind::kDelete, 0);
  AppendRun(&runs, EditRun::Kind::kInsert, 1);
  EXPECT_EQ(runs, (std::vector<EditRun>{{EditRun::Kind::kEqual, 3}, {EditRun::Kind::kInsert, 1}}));
}

}  // namespace
}  // namespace accord::drafting::internal
