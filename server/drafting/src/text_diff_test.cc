#include "accord/drafting/text_diff.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "accord/drafting/units.h"
#include "diff_testutil.h"

namespace accord::drafting {
namespace {

using testing::Wdiff;

// One line per entry: kind, old>new unit indices, a marker change, the spans in wdiff form.
std::string Describe(const Entry& entry) {
  static const std::map<EntryKind, std::string> kNames = {
      {EntryKind::kEqual, "equal"},       {EntryKind::kChanged, "changed"},
      {EntryKind::kInserted, "inserted"}, {EntryKind::kDeleted, "deleted"},
      {EntryKind::kMovedTo, "moved_to"},  {EntryKind::kMovedFrom, "moved_from"}};
  auto index = [](const std::optional<size_t>& i) {
    return i ? std::to_string(*i) : std::string("-");
  };
  std::string line =
      kNames.at(entry.kind) + " " + index(entry.old_index) + ">" + index(entry.new_index);
  if (entry.marker_changed) line += " '" + entry.old_marker + "'>'" + entry.new_marker + "'";
  return line + ": " + Wdiff(entry.spans);
}

// The properties every diff has, whatever the input: old-side entries give the old units in
// order and new-side entries the new ones; moves point at each other; stats count entries.
void ExpectConsistent(std::string_view old_text, std::string_view new_text, const TextDiff& diff) {
  std::vector<Unit> old_units = SplitUnits(old_text);
  std::vector<Unit> new_units = SplitUnits(new_text);
  size_t next_old = 0, next_new = 0;
  std::map<EntryKind, size_t> kinds;
  for (size_t e = 0; e < diff.entries.size(); ++e) {
    const Entry& entry = diff.entries[e];
    SCOPED_TRACE("entry " + std::to_string(e) + ": " + Describe(entry));
    ++kinds[entry.kind];
    for (size_t k = 0; k < entry.spans.size(); ++k) {
      EXPECT_FALSE(entry.spans[k].text.empty());
      if (k > 0) {
        EXPECT_NE(entry.spans[k - 1].kind, entry.spans[k].kind);
      }
    }
    if (entry.OnOldSide()) {
      ASSERT_EQ(entry.old_index, next_old);
      ASSERT_LT(next_old, old_units.size());
      EXPECT_EQ(entry.OldText(), old_units[next_old].text);
      EXPECT_EQ(entry.old_marker, old_units[next_old].marker);
      ++next_old;
    }
    if (entry.OnNewSide()) {
      ASSERT_EQ(entry.new_index, next_new);
      ASSERT_LT(next_new, new_units.size());
      EXPECT_EQ(entry.NewText(), new_units[next_new].text);
      EXPECT_EQ(entry.new_marker, new_units[next_new].marker);
      ++next_new;
    }
    if (entry.kind == EntryKind::kMovedTo || entry.kind == EntryKind::kMovedFrom) {
      ASSERT_TRUE(entry.counterpart);
      const Entry& other = diff.entries.at(*entry.counterpart);
      EXPECT_EQ(other.counterpart, e);
      EXPECT_EQ(other.old_index, entry.old_index);
      EXPECT_EQ(other.new_index, entry.new_index);
      EXPECT_NE(other.kind, entry.kind);
      if (entry.kind == EntryKind::kMovedFrom) {
        EXPECT_EQ(entry.OldText(), old_units[*entry.old_index].text);
      }
    } else {
      EXPECT_FALSE(entry.counterpart);
    }
  }
  EXPECT_EQ(next_old, old_units.size());
  EXPECT_EQ(next_new, new_units.size());
  EXPECT_EQ(diff.stats.equal, kinds[EntryKind::kEqual]);
  EXPECT_EQ(diff.stats.changed, kinds[EntryKind::kChanged]);
  EXPECT_EQ(diff.stats.inserted, kinds[EntryKind::kInserted]);
  EXPECT_EQ(diff.stats.deleted, kinds[EntryKind::kDeleted]);
  EXPECT_EQ(diff.stats.moved, kinds[EntryKind::kMovedFrom]);
  EXPECT_EQ(diff.stats.moved, kinds[EntryKind::kMovedTo]);
}

std::vector<std::string> Lines(std::string_view old_text, std::string_view new_text) {
  TextDiff diff = DiffTexts(old_text, new_text);
  ExpectConsistent(old_text, new_text, diff);
  EXPECT_FALSE(diff.stats.bounded);
  std::vector<std::string> lines;
  for (const Entry& entry : diff.entries) lines.push_back(Describe(entry));
  return lines;
}

using L = std::vector<std::string>;

TEST(DiffTexts, IdenticalTextsAreAllEqual) {
  std::string text = "# Title\n\nFirst.\n\n1. One.\n";
  EXPECT_EQ(Lines(text, text), (L{"equal 0>0: Title", "equal 1>1: First.", "equal 2>2: One."}));
  TextDiff diff = DiffTexts(text, text);
  EXPECT_EQ(diff.stats.equal, 3u);
  EXPECT_EQ(diff.stats.words_inserted + diff.stats.words_deleted, 0u);
}

TEST(DiffTexts, WordReplacedInsertedAndDeleted) {
  EXPECT_EQ(Lines("Intro.\n\nWe demand peace now.\n\nEnd.\n",
                  "Intro.\n\nWe demand justice now.\n\nEnd.\n"),
            (L{"equal 0>0: Intro.", "changed 1>1: We demand [-peace-]{+justice+} now.",
               "equal 2>2: End."}));
  EXPECT_EQ(Lines("We stand with the workers.\n", "We firmly stand with the workers.\n"),
            (L{"changed 0>0: We {+firmly +}stand with the workers."}));
  EXPECT_EQ(Lines("We stand with all the workers.\n", "We stand with the workers.\n"),
            (L{"changed 0>0: We stand with [-all -]the workers."}));
  TextDiff diff = DiffTexts("We demand peace now.\n", "We demand justice and bread now.\n");
  EXPECT_EQ(diff.stats.words_deleted, 1u);
  EXPECT_EQ(diff.stats.words_inserted, 3u);
}

TEST(DiffTexts, PunctuationChange) {
  EXPECT_EQ(Lines("Peace, bread and land.\n", "Peace, bread, and land!\n"),
            (L{"changed 0>0: Peace, bread{+,+} and land[-.-]{+!+}"}));
}

TEST(DiffTexts, RenumberedPointsAreMarkerChangesOnly) {
  EXPECT_EQ(Lines("1. Peace.\n\n2. Bread.\n\n3. Land.\n",
                  "1. Peace.\n\n2. Work.\n\n3. Bread.\n\n4. Land.\n"),
            (L{"equal 0>0: Peace.", "inserted ->1: {+Work.+}", "equal 1>2 '2. '>'3. ': Bread.",
               "equal 2>3 '3. '>'4. ': Land."}));
  TextDiff diff = DiffTexts("1. Peace.\n\n2. Bread.\n", "2. Peace.\n\n3. Bread.\n");
  EXPECT_EQ(diff.stats.equal, 2u);
  EXPECT_EQ(diff.stats.markers_changed, 2u);
  EXPECT_EQ(diff.stats.changed, 0u);
}

TEST(DiffTexts, HeadingLevelChangeIsAMarkerChange) {
  EXPECT_EQ(Lines("# Declaration\n\nText.\n", "## Declaration\n\nText.\n"),
            (L{"equal 0>0 '# '>'## ': Declaration", "equal 1>1: Text."}));
  // A marker change and a word change together.
  EXPECT_EQ(Lines("## Final text\n", "# Final declaration\n"),
            (L{"changed 0>0 '## '>'# ': Final [-text-]{+declaration+}"}));
}

TEST(DiffTexts, ParagraphInsertedAndDeleted) {
  EXPECT_EQ(Lines("Alpha beta.\n\nGamma delta.\n",
                  "Alpha beta.\n\nA wholly new paragraph.\n\nGamma delta.\n"),
            (L{"equal 0>0: Alpha beta.", "inserted ->1: {+A wholly new paragraph.+}",
               "equal 1>2: Gamma delta."}));
  EXPECT_EQ(Lines("Alpha beta.\n\nA wholly old paragraph.\n\nGamma delta.\n",
                  "Alpha beta.\n\nGamma delta.\n"),
            (L{"equal 0>0: Alpha beta.", "deleted 1>-: [-A wholly old paragraph.-]",
               "equal 2>1: Gamma delta."}));
}

TEST(DiffTexts, ReplacedParagraphWithLittleInCommonIsDeletedAndInserted) {
  // Dice 2·1/(4+4) = 0.25 < 0.5: not the same paragraph edited.
  EXPECT_EQ(Lines("Start.\n\nWe oppose the war.\n\nEnd.\n",
                  "Start.\n\nLong live the solidarity.\n\nEnd.\n"),
            (L{"equal 0>0: Start.", "deleted 1>-: [-We oppose the war.-]",
               "inserted ->1: {+Long live the solidarity.+}", "equal 2>2: End."}));
}

TEST(DiffTexts, SplitParagraphKeepsTheLargerHalfAsChanged) {
  EXPECT_EQ(Lines("We demand an immediate ceasefire and lasting peace. Bread for all.\n",
                  "We demand an immediate ceasefire and lasting peace.\n\nBread for all.\n"),
            (L{"changed 0>0: We demand an immediate ceasefire and lasting peace.[- Bread for "
               "all.-]",
               "inserted ->1: {+Bread for all.+}"}));
}

TEST(DiffTexts, MergedParagraphsKeepTheLargerHalfAsChanged) {
  EXPECT_EQ(Lines("We demand an immediate ceasefire and lasting peace.\n\nBread for all.\n",
                  "We demand an immediate ceasefire and lasting peace. Bread for all.\n"),
            (L{"changed 0>0: We demand an immediate ceasefire and lasting peace.{+ Bread for "
               "all.+}",
               "deleted 1>-: [-Bread for all.-]"}));
}

TEST(DiffTexts, MovedParagraphUnchanged) {
  EXPECT_EQ(Lines("First point here.\n\nSecond point here.\n\nThird point here.\n\nFourth.\n",
                  "Second point here.\n\nThird point here.\n\nFourth.\n\nFirst point here.\n"),
            (L{"moved_to 0>3: [-First point here.-]", "equal 1>0: Second point here.",
               "equal 2>1: Third point here.", "equal 3>2: Fourth.",
               "moved_from 0>3: First point here."}));
  TextDiff diff = DiffTexts("A a a.\n\nB b b.\n\nC c c.\n", "B b b.\n\nC c c.\n\nA a a.\n");
  EXPECT_EQ(diff.stats.moved, 1u);
  EXPECT_EQ(diff.entries[0].counterpart, 3u);
  EXPECT_EQ(diff.entries[3].counterpart, 0u);
}

TEST(DiffTexts, MovedParagraphEdited) {
  // 9 of 10 words shared: Dice 0.9 ≥ 0.8, a move with its word diff at the new place.
  std::string moved_old = "The peoples of the world will defeat imperialism in the end.";
  std::string moved_new = "The peoples of the world will defeat imperialism in the future.";
  EXPECT_EQ(Lines("1. " + moved_old + "\n\n2. Bread.\n\n3. Land.\n",
                  "1. Bread.\n\n2. Land.\n\n3. " + moved_new + "\n"),
            (L{"moved_to 0>2 '1. '>'3. ': [-" + moved_old + "-]", "equal 1>0 '2. '>'1. ': Bread.",
               "equal 2>1 '3. '>'2. ': Land.",
               "moved_from 0>2 '1. '>'3. ': The peoples of the world will defeat imperialism in "
               "the [-end-]{+future+}."}));
}

TEST(DiffTexts, EmptyAgainstText) {
  EXPECT_EQ(Lines("", ""), L{});
  EXPECT_EQ(Lines("", "# T\n\nWords.\n"), (L{"inserted ->0: {+T+}", "inserted ->1: {+Words.+}"}));
  EXPECT_EQ(Lines("Words.\n", ""), (L{"deleted 0>-: [-Words.-]"}));
}

TEST(DiffTexts, UnicodeParagraphs) {
  EXPECT_EQ(Lines("Simón Bolívar 🕊️ 和平与发展\n",
                  "Simón Bolívar 🕊️ 和平与合作\n"),
            (L{"changed 0>0: Simón Bolívar 🕊️ 和平与[-发展-]{+合作+}"}));
}

TEST(DiffTexts, MarkupAndMultiLineUnits) {
  EXPECT_EQ(
      Lines("We **demand** peace.\n\n> quoted\n>\n> text\n",
            "We *demand* peace.\n\n> quoted\n>\n> texts\n"),
      (L{"changed 0>0: We *[-*-]demand[-*-]* peace.", "changed 1>1: quoted\n\n[-text-]{+texts+}"}));
}

TEST(DiffTexts, TinyBudgetsStillGiveAConsistentDiff) {
  std::string a = "One two three.\n\nFour five six.\n\nSeven eight nine.\n\nTen.\n";
  std::string b = "Ten.\n\nOne two three four.\n\nSeven eight.\n\nFour five six.\n";
  DiffLimits limits;
  limits.align_work = 2;
  limits.pair_work = 3;
  limits.move_work = 2;
  limits.word_work = 1;
  TextDiff diff = DiffTexts(a, b, limits);
  ExpectConsistent(a, b, diff);
  EXPECT_TRUE(diff.stats.bounded);
  EXPECT_LE(diff.stats.work, limits.TotalWork());
}

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
