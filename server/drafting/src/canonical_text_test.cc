#include "accord/drafting/canonical_text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "accord/crdt/xml.h"
#include "accord/drafting/units.h"

namespace accord::drafting {
namespace {

namespace fs = std::filesystem;

// The golden cases in server/drafting/testdata: NAME.pm.json is a ProseMirror document,
// NAME.update what y-prosemirror stores for it (tests/node/tools/make-canonical-fixtures.mjs;
// the node suite canonical-fixtures checks the bytes are still what y-prosemirror writes),
// NAME.md and NAME.html the expected renderings.
const std::vector<std::string> kFixtures = {"adjacent_lists",
                                            "blockquote",
                                            "bullet_list",
                                            "empty",
                                            "empty_items",
                                            "escaping",
                                            "hard_break",
                                            "headings",
                                            "link_destinations",
                                            "links",
                                            "marks",
                                            "nested_lists",
                                            "nfc",
                                            "ordered_list",
                                            "overlap",
                                            "paragraphs",
                                            "quote_in_list"};

fs::path TestData() {
  const char* env = std::getenv("ACCORD_SOURCE_DIR");
  return fs::path(env && *env ? env : ACCORD_SOURCE_ROOT) / "server/drafting/testdata";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << "cannot read " << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Canonical RenderFixture(const std::string& name) {
  std::string bytes = ReadFile(TestData() / (name + ".update"));
  auto c = RenderCanonicalUpdate(
      std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  EXPECT_TRUE(c.ok()) << name << ": " << c.status().ToString();
  return c.ok() ? *c : Canonical{};
}

TEST(CanonicalGolden, EveryFixtureRendersToItsExpectedMarkdownAndHtml) {
  for (const auto& name : kFixtures) {
    SCOPED_TRACE(name);
    Canonical c = RenderFixture(name);
    EXPECT_EQ(c.markdown, ReadFile(TestData() / (name + ".md")));
    EXPECT_EQ(c.html, ReadFile(TestData() / (name + ".html")));
    EXPECT_EQ(c.sha256_hex, Sha256Hex(c.markdown));
  }
}

TEST(CanonicalGolden, TheListNamesEveryFixtureInTheDirectory) {
  std::set<std::string> found;
  for (const auto& entry : fs::directory_iterator(TestData())) {
    std::string file = entry.path().filename().string();
    if (file.ends_with(".pm.json")) found.insert(file.substr(0, file.size() - 8));
  }
  EXPECT_EQ(found, std::set<std::string>(kFixtures.begin(), kFixtures.end()));
}

TEST(CanonicalGolden, FixturesUseEveryNodeAndMarkOfTheSchema) {
  std::string all;
  for (const auto& name : kFixtures) all += ReadFile(TestData() / (name + ".pm.json"));
  for (const char* type :
       {"doc", "paragraph", "heading", "blockquote", "ordered_list", "bullet_list", "list_item",
        "text", "hard_break", "strong", "em", "link"}) {
    EXPECT_NE(all.find(std::string("\"type\": \"") + type + "\""), std::string::npos) << type;
  }
  for (int level = 1; level <= 3; ++level) {
    EXPECT_NE(all.find("\"level\": " + std::to_string(level)), std::string::npos) << level;
  }
  EXPECT_NE(all.find("\"title\": "), std::string::npos);
}

TEST(CanonicalGolden, EmptyDocumentIsEmptyText) {
  Canonical c = RenderFixture("empty");
  EXPECT_EQ(c.markdown, "");
  EXPECT_EQ(c.html, "");
  EXPECT_EQ(c.sha256_hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(CanonicalGolden, NfdInputComesOutComposed) {
  Canonical c = RenderFixture("nfc");
  EXPECT_NE(c.markdown.find("Caf\xC3\xA9 d\xC3\xA9"), std::string::npos);
  EXPECT_EQ(c.markdown.find("\xCC\x81"), std::string::npos);  // no combining acute left
  EXPECT_NE(c.html.find("<h1>R\xC3\xA9solution</h1>"), std::string::npos);
}

// The canonical text is cut into the units units.h promises: one per paragraph, heading,
// quote, list item's first block and further block of an item.
TEST(CanonicalUnits, SplitUnitsCutsRenderedListsAndQuotesIntoTheExpectedUnits) {
  std::vector<Unit> nested = SplitUnits(RenderFixture("nested_lists").markdown);
  std::vector<Unit> want = {{"1. ", "One"},
                            {"   - ", "one-a"},
                            {"   - ", "one-b"},
                            {"     3. ", "deep three"},
                            {"     4. ", "deep four"},
                            {"2. ", "Two"}};
  EXPECT_EQ(nested, want);

  std::vector<Unit> ordered = SplitUnits(RenderFixture("ordered_list").markdown);
  want = {{"", "Points:"},
          {"1. ", "First."},
          {"2. ", "Second."},
          {"3. ", "Third."},
          {"", "Continued:"},
          {"9. ", "Ninth."},
          {"10. ", "Tenth, with a second paragraph."},
          {"    ", "Second paragraph of ten."}};
  EXPECT_EQ(ordered, want);

  std::vector<Unit> quote = SplitUnits(RenderFixture("blockquote").markdown);
  ASSERT_EQ(quote.size(), 3u);
  EXPECT_EQ(quote[0], (Unit{"> ", "Quoted first.\n\nQuoted second."}));
  EXPECT_EQ(quote[1], (Unit{"", "Between."}));
  EXPECT_EQ(quote[2].marker, "> ");

  std::vector<Unit> items = SplitUnits(RenderFixture("quote_in_list").markdown);
  want = {{"- ", "Item"}, {"  > ", "quoted in item"}, {"- > ", "quote first"}};
  EXPECT_EQ(items, want);

  std::vector<Unit> empty_items = SplitUnits(RenderFixture("empty_items").markdown);
  want = {{"1. ", "one"}, {"2. ", ""}, {"3. ", "three"}, {"- ", "second block only"}};
  EXPECT_EQ(empty_items, want);

  std::vector<Unit> adjacent = SplitUnits(RenderFixture("adjacent_lists").markdown);
  want = {{"1. ", "a"}, {"2. ", "b"}, {"5) ", "e"}, {"1. ", "x"}, {"- ", "u"}, {"+ ", "v"}};
  EXPECT_EQ(adjacent, want);

  std::vector<Unit> breaks = SplitUnits(RenderFixture("hard_break").markdown);
  ASSERT_EQ(breaks.size(), 2u);
  EXPECT_EQ(breaks[0], (Unit{"", "Line one\\\nline two\\\n\\\nafter two breaks"}));
}

TEST(CanonicalUnits, EscapedLineStartsAreNotMarkers) {
  for (const Unit& u : SplitUnits(RenderFixture("escaping").markdown)) {
    EXPECT_EQ(u.marker, "") << u.text;
  }
}

TEST(Sha256Hex, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(RenderCanonical, DocWithoutTheFragmentIsEmpty) {
  crdt::Doc doc;
  auto c = RenderCanonical(doc);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->markdown, "");
  EXPECT_EQ(c->sha256_hex, Sha256Hex(""));
}

TEST(RenderCanonical, RootOfAnotherKindIsAnError) {
  crdt::Doc doc;
  ASSERT_TRUE(doc.GetText(kFragmentName).ok());
  auto c = RenderCanonical(doc);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kFailedPrecondition);
}

TEST(RenderCanonicalUpdate, GarbageIsCorruption) {
  std::vector<uint8_t> garbage = {0xFF, 0xFF, 0xFF, 0x01, 0x02};
  auto c = RenderCanonicalUpdate(garbage);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kCorruption);
}

TEST(RenderCanonical, RenderingIsDeterministicAndLeavesTheDocumentAlone) {
  std::string bytes = ReadFile(TestData() / "marks.update");
  crdt::Doc doc;
  ASSERT_TRUE(
      doc.ApplyUpdate(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()))
          .ok());
  auto before = doc.EncodeStateAsUpdate();
  auto a = RenderCanonical(doc);
  auto b = RenderCanonical(doc);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->markdown, b->markdown);
  EXPECT_EQ(a->html, b->html);
  EXPECT_EQ(*doc.EncodeStateAsUpdate(), *before);
}

}  // namespace
}  // namespace accord::drafting
