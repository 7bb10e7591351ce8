// Documents y-prosemirror never writes but foreign updates may: unknown elements, stray text,
// odd attribute types, extreme nesting. The golden tests (canonical_text_test.cc) cover what
// the editor writes.
#include "canonical_model.h"

#include <gtest/gtest.h>

#include <string>

#include "accord/drafting/canonical_text.h"

namespace accord::drafting {
namespace {

using crdt::Any;
using crdt::XmlElement;
using crdt::XmlFragment;
using crdt::XmlText;

class ModelTest : public ::testing::Test {
 protected:
  XmlFragment Root() { return *crdt::GetXmlFragment(doc_, kFragmentName); }

  static XmlElement Element(XmlFragment parent, std::string_view name) {
    return *parent.InsertElement(parent.Length(), name);
  }
  static void Text(XmlFragment parent, std::string_view text,
                   const crdt::TextAttributes& marks = {}) {
    XmlText t = *parent.InsertText(parent.Length());
    ASSERT_TRUE(t.Insert(0, text, marks).ok());
  }
  static XmlElement Paragraph(XmlFragment parent, std::string_view text) {
    XmlElement p = Element(parent, "paragraph");
    Text(p, text);
    return p;
  }

  std::string Markdown() {
    auto c = RenderCanonical(doc_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? c->markdown : "";
  }
  std::string Html() {
    auto c = RenderCanonical(doc_);
    return c.ok() ? c->html : "";
  }

  crdt::Doc doc_;
};

TEST_F(ModelTest, UnknownElementsAreUnwrappedWithoutLosingWords) {
  XmlElement div = Element(Root(), "div");
  Paragraph(div, "inside div");
  Text(div, "stray text in div");
  XmlElement item = Element(Root(), "list_item");  // outside a list
  Paragraph(item, "lonely item");
  XmlElement p = Element(Root(), "paragraph");
  Text(p, "a");
  Paragraph(p, "nested paragraph");  // a block inside inline content
  Text(p, "b");
  EXPECT_EQ(Markdown(),
            "inside div\n\nstray text in div\n\nlonely item\n\na\\\nnested paragraph\\\nb\n");
}

TEST_F(ModelTest, StrayTextAndHardBreaksAtTopLevelFormOneParagraph) {
  Text(Root(), "loose");
  Element(Root(), "hard_break");
  Text(Root(), "text");
  Paragraph(Root(), "then a paragraph");
  EXPECT_EQ(Markdown(), "loose\\\ntext\n\nthen a paragraph\n");
}

TEST_F(ModelTest, NonItemChildrenOfAListBecomeItems) {
  XmlElement list = Element(Root(), "bullet_list");
  Paragraph(list, "paragraph as item");
  Text(list, "text as item");
  Element(Root(), "ordered_list");  // no items: nothing to show
  EXPECT_EQ(Markdown(), "- paragraph as item\n\n- text as item\n");
}

TEST_F(ModelTest, AttributesOfOtherTypesAreReadOrDefaulted) {
  auto heading = [&](Any level) {
    XmlElement h = Element(Root(), "heading");
    ASSERT_TRUE(h.SetAttribute("level", level).ok());
    Text(h, "h");
  };
  heading(Any("2"));                       // digit string
  heading(Any(7));                         // clamped to 3
  heading(Any(0));                         // clamped to 1
  heading(Any(2.5));                       // not an integer
  heading(Any(true));                      // not a number
  heading(Any(std::string(100000, 'x')));  // huge
  auto list = [&](Any order) {
    XmlElement ol = Element(Root(), "ordered_list");
    ASSERT_TRUE(ol.SetAttribute("order", order).ok());
    Paragraph(Element(ol, "list_item"), "i");
    Element(Root(), "paragraph");  // keeps lists apart... but is empty and omitted
    Paragraph(Root(), "-");
  };
  list(Any("4"));
  list(Any(-3));
  list(Any(999999999));
  list(Any(1e300));
  list(Any(crdt::AnyArray{Any(2)}));
  EXPECT_EQ(Markdown(),
            "## h\n\n### h\n\n# h\n\n# h\n\n# h\n\n# h\n\n"
            "4. i\n\n\\-\n\n1. i\n\n\\-\n\n999999999. i\n\n\\-\n\n1. i\n\n\\-\n\n1. i\n\n\\-\n");
}

TEST_F(ModelTest, MarksAreReadFromAttributesWhateverTheirShape) {
  XmlElement p = Element(Root(), "paragraph");
  Text(p, "hashed", {{"strong--AbCd+/=1", Any::Object({})}});
  Text(p, " ");
  Text(p, "bad link", {{"link", Any::Object({{"href", Any(5)}})}});
  Text(p, " ");
  Text(p, "link", {{"link", Any("https://not-an-object")}});
  Text(p, " ");
  Text(p, "unknown", {{"underline", Any::Object({})}, {"em", Any(true)}});
  Text(p, " ");
  Text(p, "titled", {{"link", Any::Object({{"href", "https://x.org"}, {"title", Any(3)}})}});
  EXPECT_EQ(Markdown(), "**hashed** bad link link *unknown* [titled](https://x.org)\n");
}

TEST_F(ModelTest, ControlCharactersAreDroppedAndLineBreaksBecomeHardBreaks) {
  Paragraph(Root(), std::string("a\x01z\x7F b\r\nc\rd\xE2\x80\xA8") + "e\t f");
  EXPECT_EQ(Markdown(), "az b\\\nc\\\nd\\\ne  f\n");
}

TEST_F(ModelTest, WhiteSpaceAtMarkEdgesMovesOutsideTheMark) {
  XmlElement p = Element(Root(), "paragraph");
  Text(p, "x");
  Text(p, " bold\xC2\xA0", {{"strong", Any::Object({})}});
  Text(p, "y ");
  Text(p, " em ", {{"em", Any::Object({})}});
  Text(p, "z");
  EXPECT_EQ(Markdown(), "x **bold**\xC2\xA0y  *em* z\n");
  // A run of white space made of pieces with different marks is treated as one run.
  XmlElement q = Element(Root(), "paragraph");
  Text(q, "bold ", {{"strong", Any::Object({})}});
  Text(q, " ");
  Text(q, "next", {{"strong", Any::Object({})}});
  Text(q, " ", {{"em", Any::Object({})}, {"strong", Any::Object({})}});
  Text(q, " ", {{"em", Any::Object({})}});
  Text(q, "last", {{"em", Any::Object({})}});
  EXPECT_EQ(Markdown(), "x **bold**\xC2\xA0y  *em* z\n\n**bold**  **next**  *last*\n");
  EXPECT_EQ(Html(),
            "<p>x <strong>bold</strong>\xC2\xA0y  <em>em</em> z</p>\n"
            "<p><strong>bold</strong>  <strong>next</strong>  <em>last</em></p>\n");
}

TEST_F(ModelTest, HeadingClosingHashesAndLinkDestinationsAreEscaped) {
  XmlElement h = Element(Root(), "heading");
  Text(h, "#");
  XmlElement p = Element(Root(), "paragraph");
  Text(p, "t", {{"link", Any::Object({{"href", "a<b>\\c\nd"}, {"title", "x\\\"y"}})}});
  Text(p, "u", {{"link", Any::Object({{"href", ""}})}});
  EXPECT_EQ(Markdown(), "# \\#\n\n[t](<a\\<b\\>\\\\c d> \"x\\\\\\\"y\")[u](<>)\n");
  EXPECT_EQ(Html(), "<h1>#</h1>\n<p>tu</p>\n");
}

TEST_F(ModelTest, HtmlEscapesEverythingAndLinksOnlySafeSchemes) {
  XmlElement p = Element(Root(), "paragraph");
  Text(p, "<script>&'\"", {});
  Text(p, "a", {{"link", Any::Object({{"href", "HTTPS://x.org/?a=1&b=\"2\""}})}});
  Text(p, "b", {{"link", Any::Object({{"href", "data:text/html,<x>"}})}});
  Text(p, "c", {{"link", Any::Object({{"href", " javascript:x"}})}});
  EXPECT_EQ(Html(),
            "<p>&lt;script&gt;&amp;&#39;&quot;<a href=\"HTTPS://x.org/?a=1&amp;b=&quot;2&quot;\" "
            "rel=\"noopener noreferrer nofollow\">a</a>bc</p>\n");
}

TEST_F(ModelTest, NestingUpToTheCapRendersDeeperIsRefused) {
  // Quotes nested so that the paragraph is element number kMaxDepth render.
  XmlFragment at = Root();
  for (int d = 1; d < internal::kMaxDepth; ++d) at = Element(at, "blockquote");
  Paragraph(at, "deep");  // level 64
  std::string md = Markdown();
  EXPECT_NE(md.find("> deep"), std::string::npos);
  // One more level is refused, not overflowed.
  Paragraph(Element(at, "blockquote"), "deeper");
  auto c = RenderCanonical(doc_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kResourceExhausted);
}

TEST_F(ModelTest, ThousandsOfLevelsAreRefusedWithoutCrashing) {
  XmlFragment at = Root();
  for (int d = 0; d < 5000; ++d) at = Element(at, d % 2 ? "list_item" : "unknown");
  Text(at, "bottom");
  auto c = RenderCanonical(doc_);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Status::Code::kResourceExhausted);
  // Deep inline nesting too (elements inside a paragraph).
  crdt::Doc inline_doc;
  XmlFragment f = *crdt::GetXmlFragment(inline_doc, kFragmentName);
  for (int d = 0; d < 5000; ++d) f = Element(f, "paragraph");
  EXPECT_EQ(RenderCanonical(inline_doc).status().code(), Status::Code::kResourceExhausted);
}

TEST_F(ModelTest, HugeTextAndAttributesRender) {
  std::string big(1 << 20, 'a');
  XmlElement p = Element(Root(), "paragraph");
  Text(p, big, {{"link", Any::Object({{"href", "https://x.org/" + big}, {"title", big}})}});
  XmlElement h = Element(Root(), "heading");
  ASSERT_TRUE(h.SetAttribute(big, Any(big)).ok());
  Text(h, "h");
  auto c = RenderCanonical(doc_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->markdown.size(), 1 + big.size() + 2 + 14 + big.size() + 2 + big.size() + 2 + 6);
}

// Many runs under one large link: links are compared by identity first, so this stays linear
// (it used to copy and compare the href for every run and every character).
TEST_F(ModelTest, ManyRunsUnderOneLargeLinkRender) {
  std::string href = "https://x.org/" + std::string(1 << 18, 'h');
  std::string text;
  for (int k = 0; k < 4000; ++k) text += "w ";
  XmlElement p = Element(Root(), "paragraph");
  XmlText t = *p.InsertText(0);
  ASSERT_TRUE(t.Insert(0, text, {{"link", Any::Object({{"href", href}})}}).ok());
  for (uint64_t k = 0; k < 4000; k += 2) {
    ASSERT_TRUE(t.Format(2 * k, 1, {{"strong", Any::Object({})}}).ok());
  }
  auto c = RenderCanonical(doc_);
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->markdown.starts_with("[**w** w **w** w"));
  EXPECT_EQ(c->markdown.size(), 1 + 2000 * 6 + 2000 * 2 - 1 + 2 + href.size() + 2);
}

TEST_F(ModelTest, HooksAndNonTextValuesAreSkipped) {
  ASSERT_TRUE(Root().InsertHook(0, "hook").ok());
  Paragraph(Root(), "after hook");
  EXPECT_EQ(Markdown(), "after hook\n");
}

TEST(Nfc, ComposesAndLeavesInvalidUtf8Alone) {
  EXPECT_EQ(internal::Nfc("e\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(internal::Nfc("plain"), "plain");
  EXPECT_EQ(internal::Nfc("\xFF\xFE"), "\xFF\xFE");
}

}  // namespace
}  // namespace accord::drafting
