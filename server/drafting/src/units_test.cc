#include "accord/drafting/units.h"

#include <gtest/gtest.h>

namespace accord::drafting {
namespace {

TEST(SplitUnits, CutsAtBlankLinesAndSeparatesMarkers) {
  auto units = SplitUnits(
      "# Final declaration\n\nWe, the undersigned,\\\ndeclare:\n\n1. Peace.\n\n2. Bread.\n\n"
      "- one\n\n   - nested\n\n> quoted\n>\n> on\n");
  ASSERT_EQ(units.size(), 7u);
  EXPECT_EQ(units[0], (Unit{"# ", "Final declaration"}));
  EXPECT_EQ(units[1], (Unit{"", "We, the undersigned,\\\ndeclare:"}));
  EXPECT_EQ(units[2], (Unit{"1. ", "Peace."}));
  EXPECT_EQ(units[3], (Unit{"2. ", "Bread."}));
  EXPECT_EQ(units[4], (Unit{"- ", "one"}));
  EXPECT_EQ(units[5], (Unit{"   - ", "nested"}));
  EXPECT_EQ(units[6], (Unit{"> ", "quoted\n\non"}));
}

TEST(SplitUnits, ContinuationLinesLoseTheMarkerIndentation) {
  auto units = SplitUnits("12. first line\\\n    second line\n");
  ASSERT_EQ(units.size(), 1u);
  EXPECT_EQ(units[0], (Unit{"12. ", "first line\\\nsecond line"}));
}

TEST(SplitUnits, WordsThatLookLikeMarkersMidLineAreText) {
  auto units = SplitUnits("2023. was the year\n\n#hashtag\n\n-dash\n");
  ASSERT_EQ(units.size(), 3u);
  EXPECT_EQ(units[0].marker, "2023. ");  // canonical text escapes this; raw text is cut anyway
  EXPECT_EQ(units[1], (Unit{"", "#hashtag"}));
  EXPECT_EQ(units[2], (Unit{"", "-dash"}));
}

TEST(SplitUnits, EmptyAndBlankInputHaveNoUnits) {
  EXPECT_TRUE(SplitUnits("").empty());
  EXPECT_TRUE(SplitUnits("\n\n  \n").empty());
}

}  // namespace
}  // namespace accord::drafting
