// Properties of DiffTexts over many inputs: reconstruction on random edits of real statements,
// and the work bound on large hostile texts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "accord/drafting/text_diff.h"
#include "accord/drafting/units.h"
#include "diff_testutil.h"

namespace accord::drafting {
namespace {

using testing::ExpectConsistent;

// Real statements from ../shared/samples, edited at random (seeded, so each run makes the same
// edits), must diff consistently: the reconstruction property on realistic text.
std::vector<std::string> ReadSamples() {
  std::vector<std::string> texts;
  const char* source = std::getenv("ACCORD_SOURCE_DIR");
  std::filesystem::path dir =
      std::filesystem::path(source ? source : ".") / ".." / "shared" / "samples";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return texts;
  std::vector<std::filesystem::path> paths;
  for (const auto& file : std::filesystem::directory_iterator(dir, ec)) {
    auto ext = file.path().extension();
    if (ext == ".txt" || ext == ".md") paths.push_back(file.path());
  }
  std::sort(paths.begin(), paths.end());
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    texts.push_back(buffer.str());
  }
  return texts;
}

std::string Join(const std::vector<Unit>& units) {
  std::string text;
  for (const Unit& unit : units) {
    if (!text.empty()) text += "\n\n";
    text += unit.marker + unit.text;
  }
  return text.empty() ? text : text + "\n";
}

std::string EditWords(const std::string& text, std::mt19937& rng) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  if (words.empty()) return "inserted words";
  size_t at = rng() % words.size();
  switch (rng() % 4) {
    case 0:
      words.erase(words.begin() + static_cast<ptrdiff_t>(at));
      break;
    case 1:
      words.insert(words.begin() + static_cast<ptrdiff_t>(at), "solidarity");
      break;
    case 2:
      words[at] = "peace";
      break;
    default:
      words[at] += rng() % 2 ? "," : ";";
  }
  std::string out;
  for (const auto& word : words) out += (out.empty() ? "" : " ") + word;
  return out;
}

TEST(DiffTexts, RandomEditsOfRealStatementsReconstructBothVersions) {
  std::vector<std::string> samples = ReadSamples();
  if (samples.empty()) GTEST_SKIP() << "no ../shared/samples next to ACCORD_SOURCE_DIR";
  std::mt19937 rng(2026);
  size_t moves = 0, changes = 0;
  for (const std::string& sample : samples) {
    for (int round = 0; round < 12; ++round) {
      std::vector<Unit> units = SplitUnits(sample);
      int edits = 1 + static_cast<int>(rng() % 8);
      for (int e = 0; e < edits && !units.empty(); ++e) {
        size_t at = rng() % units.size();
        switch (rng() % 5) {
          case 0:
            units.erase(units.begin() + static_cast<ptrdiff_t>(at));
            break;
          case 1:
            units.insert(units.begin() + static_cast<ptrdiff_t>(at),
                         Unit{"", "A new paragraph of solidarity number " +
                                      std::to_string(rng() % 100) + "."});
            break;
          case 2: {
            Unit unit = units[at];
            units.erase(units.begin() + static_cast<ptrdiff_t>(at));
            units.insert(units.begin() + static_cast<ptrdiff_t>(rng() % (units.size() + 1)), unit);
            break;
          }
          case 3:
            units[at].text = EditWords(units[at].text, rng);
            break;
          default:
            units[at].marker = std::to_string(rng() % 20) + ". ";
        }
      }
      std::string edited = Join(units);
      TextDiff diff = DiffTexts(sample, edited);
      ExpectConsistent(sample, edited, diff);
      EXPECT_FALSE(diff.stats.bounded);
      moves += diff.stats.moved;
      changes += diff.stats.changed;
      // And backwards.
      ExpectConsistent(edited, sample, DiffTexts(edited, sample));
    }
  }
  // The edits did exercise moves and word diffs, not only equal units.
  EXPECT_GT(moves, 0u);
  EXPECT_GT(changes, 0u);
}

// Random words w<n> from [base, base + range): unrelated texts take disjoint ranges.
std::string RandomUnits(std::mt19937& rng, size_t units, uint32_t base, uint32_t range) {
  std::string text;
  for (size_t u = 0; u < units; ++u) {
    for (int w = 0; w < 8; ++w) text += (w ? " w" : "w") + std::to_string(base + rng() % range);
    text += ".\n\n";
  }
  return text;
}

TEST(DiffTexts, LargeUnrelatedTextsStayWithinTheWorkBound) {
  std::mt19937 rng(1);
  std::string a = RandomUnits(rng, 20'000, 0, 1'000'000);
  std::string b = RandomUnits(rng, 20'000, 1'000'000, 1'000'000);
  ASSERT_GT(a.size(), 1'000'000u);
  DiffLimits limits;
  TextDiff diff = DiffTexts(a, b, limits);
  EXPECT_LE(diff.stats.work, limits.TotalWork());
  EXPECT_TRUE(diff.stats.bounded);
  EXPECT_EQ(diff.stats.deleted, 20'000u);
  EXPECT_EQ(diff.stats.inserted, 20'000u);
  ExpectConsistent(a, b, diff);
}

TEST(DiffTexts, LargeSimilarTextsStayWithinTheWorkBound) {
  // A ten-word vocabulary makes every unit resemble every other: pairing and move search
  // would be quadratic without their budgets.
  std::mt19937 rng(2);
  std::string a = RandomUnits(rng, 20'000, 0, 10);
  std::string b = RandomUnits(rng, 20'000, 0, 10);
  DiffLimits limits;
  TextDiff diff = DiffTexts(a, b, limits);
  EXPECT_LE(diff.stats.work, limits.TotalWork());
  ExpectConsistent(a, b, diff);
}

TEST(DiffTexts, OneHugeParagraphStaysWithinTheWorkBound) {
  std::mt19937 rng(3);
  std::string a, b;
  for (int w = 0; w < 150'000; ++w) {
    std::string word = "w" + std::to_string(rng() % 1'000'000);
    a += word + " ";
    b += (w % 7 == 0 ? "x" + word : word) + " ";
  }
  ASSERT_GT(a.size(), 1'000'000u);
  DiffLimits limits;
  TextDiff diff = DiffTexts(a, b, limits);
  EXPECT_LE(diff.stats.work, limits.TotalWork());
  ASSERT_EQ(diff.entries.size(), 1u);
  EXPECT_EQ(diff.entries[0].kind, EntryKind::kChanged);
  // Past Myers' share of the budget, unique words anchor the rest: the one word in seven that
  // changed is what the diff shows, not the whole paragraph.
  EXPECT_TRUE(diff.stats.bounded);
  EXPECT_LE(diff.stats.words_deleted, 150'000u / 7 + 100);
  EXPECT_LE(diff.stats.words_inserted, 150'000u / 7 + 100);
  ExpectConsistent(a, b, diff);
}

}  // namespace
}  // namespace accord::drafting
