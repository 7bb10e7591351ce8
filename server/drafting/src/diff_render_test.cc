#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>

#include "accord/drafting/text_diff.h"

namespace accord::drafting {
namespace {

// A changed unit whose marker changed, a move (old "§2" went to new "§3") and an equal unit;
// the text carries every character HTML must escape.
constexpr std::string_view kOld =
    "1. Use <b> & \"quotes\" here.\n\nThe 'moved' paragraph stays intact.\n\nKeep.\n";
constexpr std::string_view kNew =
    "2. Use <i> & \"quotes\" here.\n\nKeep.\n\nThe 'moved' paragraph stays intact.\n";

// The JSON with stats.work zeroed: the step count follows the algorithm's internals, which
// may be tuned without changing the diff.
std::string JsonWithoutWork(const TextDiff& diff) {
  boost::json::value json = boost::json::parse(DiffToJson(diff));
  json.at("stats").as_object()["work"] = 0;
  return boost::json::serialize(json);
}

TEST(DiffToJson, GoldenSchemaVersion1) {
  EXPECT_GT(boost::json::parse(DiffToJson(DiffTexts(kOld, kNew)))
                .at("stats")
                .at("work")
                .to_number<uint64_t>(),
            0u);
  EXPECT_EQ(
      JsonWithoutWork(DiffTexts(kOld, kNew)),
      R"({"version":1,"stats":{"equal":1,"changed":1,"inserted":0,"deleted":0,"moved":1,)"
      R"("markers_changed":1,"words_inserted":1,"words_deleted":1,"work":0,"bounded":false},)"
      R"("entries":[)"
      R"({"kind":"changed","old_index":0,"new_index":0,"old_marker":"1. ","new_marker":"2. ",)"
      R"("marker_changed":true,"counterpart":null,"spans":[{"op":"equal","text":"Use <"},)"
      R"({"op":"delete","text":"b"},{"op":"insert","text":"i"},)"
      R"({"op":"equal","text":"> & \"quotes\" here."}]},)"
      R"({"kind":"moved_to","old_index":1,"new_index":2,"old_marker":"","new_marker":"",)"
      R"("marker_changed":false,"counterpart":3,"spans":[{"op":"delete",)"
      R"("text":"The 'moved' paragraph stays intact."}]},)"
      R"({"kind":"equal","old_index":2,"new_index":1,"old_marker":"","new_marker":"",)"
      R"("marker_changed":false,"counterpart":null,"spans":[{"op":"equal","text":"Keep."}]},)"
      R"({"kind":"moved_from","old_index":1,"new_index":2,"old_marker":"","new_marker":"",)"
      R"("marker_changed":false,"counterpart":1,"spans":[{"op":"equal",)"
      R"("text":"The 'moved' paragraph stays intact."}]}]})");
}

TEST(DiffToJson, AbsentSidesAreNullAndControlCharactersEscaped) {
  TextDiff diff = DiffTexts("", "Tab\there \u00e9.\n");
  boost::json::value json = boost::json::parse(DiffToJson(diff));
  const auto& entry = json.at("entries").at(0);
  EXPECT_EQ(entry.at("kind").as_string(), "inserted");
  EXPECT_TRUE(entry.at("old_index").is_null());
  EXPECT_TRUE(entry.at("old_marker").is_null());
  EXPECT_EQ(entry.at("new_index").to_number<uint64_t>(), 0u);
  EXPECT_EQ(entry.at("spans").at(0).at("text").as_string(), "Tab\there \u00e9.");
  EXPECT_NE(DiffToJson(diff).find(R"(Tab\there)"), std::string::npos);
  EXPECT_EQ(json.at("stats").at("inserted").to_number<uint64_t>(), 1u);
}

TEST(DiffToJson, InvalidUtf8BecomesReplacementCharacters) {
  std::string json = DiffToJson(DiffTexts("", "bad \xff byte\n"));
  EXPECT_NE(boost::json::parse(json).at("entries").at(0).at("spans").at(0).at("text").as_string(),
            "");
  EXPECT_NE(json.find("bad \uFFFD byte"), std::string::npos);
  std::string html = DiffToHtml(DiffTexts("", "bad \xff byte\n"), DiffLayout::kInline);
  EXPECT_NE(html.find("bad \uFFFD byte"), std::string::npos);
}

TEST(DiffToJson, EmptyDiff) {
  EXPECT_EQ(JsonWithoutWork(DiffTexts("", "")).find(R"("entries":[])") != std::string::npos, true);
}

const std::string kInsOpen =
    "<ins><span class=\"diff-mark\" aria-hidden=\"true\">{+</span>"
    "<span class=\"diff-sr\">inserted: </span>";
const std::string kInsClose =
    "<span class=\"diff-mark\" aria-hidden=\"true\">+}</span>"
    "<span class=\"diff-sr\"> (end of insertion)</span></ins>";
const std::string kDelOpen =
    "<del><span class=\"diff-mark\" aria-hidden=\"true\">[-</span>"
    "<span class=\"diff-sr\">deleted: </span>";
const std::string kDelClose =
    "<span class=\"diff-mark\" aria-hidden=\"true\">-]</span>"
    "<span class=\"diff-sr\"> (end of deletion)</span></del>";

TEST(DiffToHtml, InlineGolden) {
  std::string html = DiffToHtml(DiffTexts(kOld, kNew), DiffLayout::kInline);
  EXPECT_EQ(html,
            "<div class=\"accord-diff accord-diff-inline\">\n"
            "<div class=\"diff-unit diff-changed\"><span class=\"diff-marker\">" +
                kDelOpen + "1. " + kDelClose + "</span><span class=\"diff-marker\">" + kInsOpen +
                "2. " + kInsClose + "</span>Use &lt;" + kDelOpen + "b" + kDelClose + kInsOpen +
                "i" + kInsClose +
                "&gt; &amp; &quot;quotes&quot; here.</div>\n"
                "<div class=\"diff-unit diff-moved_to\"><span class=\"diff-label\">Moved to "
                "§3:</span> <del><span class=\"diff-mark\" aria-hidden=\"true\">[-</span>The "
                "&#39;moved&#39; paragraph stays intact.<span class=\"diff-mark\" "
                "aria-hidden=\"true\">-]</span></del></div>\n"
                "<div class=\"diff-unit diff-equal\">Keep.</div>\n"
                "<div class=\"diff-unit diff-moved_from\"><span class=\"diff-label\">Moved from "
                "§2:</span> The &#39;moved&#39; paragraph stays intact.</div>\n"
                "</div>\n");
}

TEST(DiffToHtml, SideBySideGolden) {
  std::string html = DiffToHtml(DiffTexts(kOld, kNew), DiffLayout::kSideBySide);
  EXPECT_EQ(html,
            "<table class=\"accord-diff accord-diff-side\">\n"
            "<thead><tr><th scope=\"col\">Old version</th><th scope=\"col\">New "
            "version</th></tr></thead>\n<tbody>\n"
            "<tr class=\"diff-changed\"><td><span class=\"diff-marker\">" +
                kDelOpen + "1. " + kDelClose + "</span>Use &lt;" + kDelOpen + "b" + kDelClose +
                "&gt; &amp; &quot;quotes&quot; here.</td><td><span class=\"diff-marker\">" +
                kInsOpen + "2. " + kInsClose + "</span>Use &lt;" + kInsOpen + "i" + kInsClose +
                "&gt; &amp; &quot;quotes&quot; here.</td></tr>\n"
                "<tr class=\"diff-moved_to\"><td><span class=\"diff-label\">Moved to §3:</span> "
                "The &#39;moved&#39; paragraph stays intact.</td><td class=\"diff-empty\"><span "
                "class=\"diff-label\">Moved to §3</span></td></tr>\n"
                "<tr class=\"diff-equal\"><td>Keep.</td><td>Keep.</td></tr>\n"
                "<tr class=\"diff-moved_from\"><td class=\"diff-empty\"><span "
                "class=\"diff-label\">Moved from §2</span></td><td><span "
                "class=\"diff-label\">Moved from §2:</span> The &#39;moved&#39; paragraph stays "
                "intact.</td></tr>\n"
                "</tbody>\n</table>\n");
}

TEST(DiffToHtml, WholeUnitsAreLabelledInWords) {
  TextDiff diff = DiffTexts("Gone <now>.\n", "- Fresh & new.\n");
  std::string html = DiffToHtml(diff, DiffLayout::kInline);
  EXPECT_EQ(html,
            "<div class=\"accord-diff accord-diff-inline\">\n"
            "<div class=\"diff-unit diff-deleted\"><span class=\"diff-label\">Deleted:</span> "
            "<del><span class=\"diff-mark\" aria-hidden=\"true\">[-</span>Gone "
            "&lt;now&gt;.<span class=\"diff-mark\" aria-hidden=\"true\">-]</span></del></div>\n"
            "<div class=\"diff-unit diff-inserted\"><span class=\"diff-label\">Inserted:</span> "
            "<span class=\"diff-marker\">- </span><ins><span class=\"diff-mark\" "
            "aria-hidden=\"true\">{+</span>Fresh &amp; new.<span class=\"diff-mark\" "
            "aria-hidden=\"true\">+}</span></ins></div>\n"
            "</div>\n");
  std::string side = DiffToHtml(diff, DiffLayout::kSideBySide);
  EXPECT_NE(side.find("<td class=\"diff-empty\"></td><td><span class=\"diff-label\">Inserted:"),
            std::string::npos);
  EXPECT_NE(side.find("<td><span class=\"diff-label\">Deleted:</span> <del>"), std::string::npos);
}

TEST(DiffToHtml, ContinuationLinesBecomeLineBreaks) {
  std::string html = DiffToHtml(DiffTexts("a\\\nb\n", "a\\\nb\n"), DiffLayout::kInline);
  EXPECT_NE(html.find("a\\<br>b"), std::string::npos);
}

TEST(DiffCss, StylesTheClassesTheHtmlUses) {
  std::string_view css = DiffCss();
  for (std::string_view cls : {".diff-sr", ".diff-mark", ".diff-label", ".accord-diff-side"}) {
    EXPECT_NE(css.find(cls), std::string_view::npos) << cls;
  }
  EXPECT_NE(css.find("line-through"), std::string_view::npos);
  EXPECT_NE(css.find("underline"), std::string_view::npos);
}

}  // namespace
}  // namespace accord::drafting
