#include "accord/drafting/text_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "diff_testutil.h"

namespace accord::drafting {
namespace {

using testing::Describe;
using testing::ExpectConsistent;

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

TEST(DiffTexts, LargeGapsPairGreedilyInOrder) {
  // With the exact programme disabled every gap takes the greedy window path.
  DiffLimits limits;
  limits.pair_full_cells = 0;
  std::string a =
      "Start.\n\nWe oppose the war in all its forms.\n\nBread and land for everyone.\n\nEnd.\n";
  std::string b = "Start.\n\nWe oppose the war in every form.\n\nBread and land for all.\n\nEnd.\n";
  TextDiff diff = DiffTexts(a, b, limits);
  ExpectConsistent(a, b, diff);
  std::vector<std::string> lines;
  for (const Entry& entry : diff.entries) lines.push_back(Describe(entry));
  EXPECT_EQ(lines, (L{"equal 0>0: Start.",
                      "changed 1>1: We oppose the war in [-all its forms-]{+every form+}.",
                      "changed 2>2: Bread and land for [-everyone-]{+all+}.", "equal 3>3: End."}));
}

TEST(DiffTexts, UniqueUnitsAnchorTheAlignmentWhenMyersRunsOut) {
  DiffLimits limits;
  limits.align_work = 4;
  std::string a = "Alpha.\n\nWe want peace now.\n\nGamma.\n\nDelta.\n";
  std::string b = "Alpha.\n\nWe want peace today.\n\nGamma.\n\nDelta.\n";
  TextDiff diff = DiffTexts(a, b, limits);
  ExpectConsistent(a, b, diff);
  EXPECT_TRUE(diff.stats.bounded);
  EXPECT_LE(diff.stats.work, limits.TotalWork());
  std::vector<std::string> lines;
  for (const Entry& entry : diff.entries) lines.push_back(Describe(entry));
  EXPECT_EQ(lines, (L{"equal 0>0: Alpha.", "changed 1>1: We want peace [-now-]{+today+}.",
                      "equal 2>2: Gamma.", "equal 3>3: Delta."}));
}

}  // namespace
}  // namespace accord::drafting
