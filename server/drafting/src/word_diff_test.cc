#include "word_diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "diff_testutil.h"

namespace accord::drafting::internal {
namespace {

using testing::Side;
using testing::Wdiff;

std::string Diff(std::string_view a, std::string_view b) {
  WordDiffResult result = WordDiff(a, b, 1'000'000);
  EXPECT_FALSE(result.bounded);
  EXPECT_EQ(Side(result.spans, Span::Kind::kInsert), a);
  EXPECT_EQ(Side(result.spans, Span::Kind::kDelete), b);
  for (size_t k = 0; k < result.spans.size(); ++k) {
    EXPECT_FALSE(result.spans[k].text.empty());
    if (k > 0) {
      EXPECT_NE(result.spans[k - 1].kind, result.spans[k].kind);
    }
  }
  return Wdiff(result.spans);
}

TEST(WordDiff, IdenticalTextIsOneEqualSpan) {
  EXPECT_EQ(Diff("Peace and bread.", "Peace and bread."), "Peace and bread.");
  EXPECT_EQ(Diff("", ""), "");
}

TEST(WordDiff, ReplacedWord) {
  EXPECT_EQ(Diff("We demand peace now.", "We demand justice now."),
            "We demand [-peace-]{+justice+} now.");
}

TEST(WordDiff, InsertedAndDeletedWordsMidSentence) {
  EXPECT_EQ(Diff("a big dog barks", "a very big dog barks"), "a {+very +}big dog barks");
  EXPECT_EQ(Diff("a very big dog barks", "a big dog barks"), "a [-very -]big dog barks");
}

TEST(WordDiff, PunctuationChangeIsItsOwnToken) {
  EXPECT_EQ(Diff("Peace, bread and land.", "Peace; bread and land!"),
            "Peace[-,-]{+;+} bread and land[-.-]{+!+}");
}

TEST(WordDiff, NeighbouringChangesMergeAcrossSpacesAndShortWords) {
  // Word-by-word this would be confetti: the[-…-]{+…+} [-…-]{+…+} …; merged it reads.
  EXPECT_EQ(Diff("the quick brown fox", "a slow red fox"), "[-the quick brown-]{+a slow red+} fox");
  EXPECT_EQ(Diff("freedom of association", "liberty of expression"),
            "[-freedom of association-]{+liberty of expression+}");
  // An equal word longer than the changes around it is kept.
  EXPECT_EQ(Diff("one of them said", "two of us said"), "[-one-]{+two+} of [-them-]{+us+} said");
}

TEST(WordDiff, LongEqualRunsBetweenChangesStay) {
  EXPECT_EQ(Diff("red cars and the many blue boats", "green cars and the many blue ships"),
            "[-red-]{+green+} cars and the many blue [-boats-]{+ships+}");
}

TEST(WordDiff, UnicodeIsNeverSplit) {
  EXPECT_EQ(Diff("Réunion à São Paulo", "Réunion à Brasília"),
            "Réunion à [-São Paulo-]{+Brasília+}");
  EXPECT_EQ(Diff("和平与发展", "和平与合作"), "和平与[-发展-]{+合作+}");
  EXPECT_EQ(Diff("peace 🕊️ now", "peace 👍🏽 now"), "peace [-🕊️-]{+👍🏽+} now");
  EXPECT_EQ(Diff("naïve café", "naive café"), "[-naïve-]{+naive+} café");
}

TEST(WordDiff, MarkupChangesAreMarkupTokens) {
  // Either star of each pair may be the deleted one; the word itself stays equal.
  std::string bold = Diff("**peace** now", "*peace* now");
  EXPECT_TRUE(bold == "*[-*-]peace[-*-]* now" || bold == "*[-*-]peace*[-*-] now") << bold;
  EXPECT_EQ(Diff("see [the text](a)", "see [the text](b)"), "see [the text]([-a-]{+b+})");
}

TEST(WordDiff, EmptySides) {
  EXPECT_EQ(Diff("", "new words"), "{+new words+}");
  EXPECT_EQ(Diff("old words", ""), "[-old words-]");
}

TEST(WordDiff, FallsBackToDeleteAndInsertWhenTheBudgetIsSpent) {
  std::string a, b;
  for (int i = 0; i < 300; ++i) {
    a += "a" + std::to_string(i) + " ";
    b += "b" + std::to_string(i) + " ";
  }
  WordDiffResult result = WordDiff("keep " + a, "keep " + b, 500);
  EXPECT_TRUE(result.bounded);
  EXPECT_LE(result.work, 500u);
  EXPECT_EQ(Side(result.spans, Span::Kind::kInsert), "keep " + a);
  EXPECT_EQ(Side(result.spans, Span::Kind::kDelete), "keep " + b);
}

TEST(CleanupSpans, MergesOnlyWhatBreaksAChange) {
  using K = Span::Kind;
  // Whitespace between two changes joins them.
  EXPECT_EQ(Wdiff(CleanupSpans({{K::kDelete, "a"},
                                {K::kInsert, "b"},
                                {K::kEqual, " "},
                                {K::kDelete, "c"},
                                {K::kInsert, "d"}})),
            "[-a c-]{+b d+}");
  // Text at the edges is never merged.
  EXPECT_EQ(Wdiff(CleanupSpans({{K::kEqual, " "}, {K::kInsert, "x"}, {K::kEqual, ","}})),
            " {+x+},");
  // A long word between short changes stays.
  EXPECT_EQ(
      Wdiff(CleanupSpans({{K::kDelete, "a"}, {K::kEqual, " solidarity "}, {K::kInsert, "b"}})),
      "[-a-] solidarity {+b+}");
}

TEST(CleanupSpans, MergesALongChainIntoOneChange) {
  using K = Span::Kind;
  std::vector<Span> spans;
  std::string del, ins;
  for (int i = 0; i < 10'000; ++i) {
    if (i > 0) {
      spans.push_back({K::kEqual, " "});
      del += " ";
      ins += " ";
    }
    spans.push_back({K::kDelete, "a"});
    spans.push_back({K::kInsert, "b"});
    del += "a";
    ins += "b";
  }
  spans.push_back({K::kEqual, " end"});
  std::vector<Span> clean = CleanupSpans(spans);
  ASSERT_EQ(clean.size(), 3u);
  EXPECT_EQ(clean[0], (Span{K::kDelete, del}));
  EXPECT_EQ(clean[1], (Span{K::kInsert, ins}));
  EXPECT_EQ(clean[2], (Span{K::kEqual, " end"}));
}

}  // namespace
}  // namespace accord::drafting::internal
