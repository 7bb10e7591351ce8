// Tests for amendment_analysis.cc: footprints, collisions, obsolete amendments and the merge
// update, on documents shaped like the editor's (paragraph elements holding an XmlText).
#include "accord/drafting/amendment_analysis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/xml.h"
#include "accord/drafting/canonical_text.h"

namespace accord::drafting {
namespace {

using Bytes = std::vector<uint8_t>;
using crdt::Doc;
using crdt::XmlFragment;
using crdt::XmlText;

XmlFragment Root(Doc& doc) { return *crdt::GetXmlFragment(doc, kFragmentName); }

// The XmlText of the `index`-th paragraph.
XmlText Paragraph(Doc& doc, uint64_t index) {
  crdt::Value child = *Root(doc).Get(index);
  crdt::XmlElement element(child.type);
  return XmlText(element.Children().at(0).type);
}

std::string Text(Doc& doc) {
  std::string out;
  for (const crdt::Value& child : Root(doc).Children()) {
    crdt::XmlElement element(child.type);
    for (const crdt::Value& t : element.Children()) out += XmlText(t.type).ToString();
    out += "|";
  }
  return out;
}

Bytes State(Doc& doc) { return *doc.EncodeStateAsUpdate(); }

Bytes BaseState(const std::vector<std::string>& paragraphs) {
  Doc doc;
  doc.set_client_id(1);
  XmlFragment root = Root(doc);
  for (size_t i = 0; i < paragraphs.size(); ++i) {
    crdt::XmlElement p = *root.InsertElement(i, "paragraph");
    XmlText t = *p.InsertText(0);
    EXPECT_TRUE(t.Insert(0, paragraphs[i]).ok());
  }
  return State(doc);
}

// A fork of `base` edited by client `client`.
struct Fork {
  Fork(const Bytes& base, uint64_t client) {
    doc.set_client_id(client);
    EXPECT_TRUE(doc.ApplyUpdate(base).ok());
  }
  Doc doc;
};

const std::vector<std::string> kBase = {"We demand fair wages.", "We stand together.",
                                        "Signed in Lima."};

Result<AmendmentAnalysis> Analyze(const Bytes& base, const std::vector<Bytes>& states,
                                  const Bytes& draft) {
  std::vector<AmendmentInput> inputs;
  for (size_t i = 0; i < states.size(); ++i) {
    inputs.push_back(AmendmentInput{i + 1, base, states[i]});
  }
  return AnalyzeAmendments(inputs, draft);
}

TEST(AmendmentAnalysisTest, EditsInDifferentParagraphsDoNotCollide) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11);
  ASSERT_TRUE(Paragraph(a.doc, 0).Insert(15, " and decent").ok());
  ASSERT_TRUE(Paragraph(b.doc, 2).Delete(10, 4).ok());
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc)}, base);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->collisions.empty());
  EXPECT_TRUE(r->obsolete.empty());
  EXPECT_TRUE(r->unchanged.empty());
}

TEST(AmendmentAnalysisTest, EditsOfTheSameWordsCollide) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11), c(base, 12);
  ASSERT_TRUE(Paragraph(a.doc, 0).Delete(10, 4).ok());        // "fair"
  ASSERT_TRUE(Paragraph(b.doc, 0).Delete(10, 10).ok());       // "fair wages"
  ASSERT_TRUE(Paragraph(c.doc, 1).Insert(0, "Today ").ok());  // elsewhere
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc), State(c.doc)}, base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->collisions, (std::vector<std::pair<uint64_t, uint64_t>>{{1, 2}}));
}

TEST(AmendmentAnalysisTest, AdjacentItemsCollideButOneUnchangedUnitApartDoNot) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11), c(base, 12), d(base, 13);
  ASSERT_TRUE(Paragraph(a.doc, 0).Delete(3, 1).ok());    // 'd' of "demand"
  ASSERT_TRUE(Paragraph(b.doc, 0).Delete(4, 1).ok());    // the next 'e': adjacent
  ASSERT_TRUE(Paragraph(c.doc, 0).Delete(6, 1).ok());    // 'a': one unit ('m') between
  ASSERT_TRUE(Paragraph(d.doc, 0).Insert(3, "X").ok());  // right before 'd'
  Result<AmendmentAnalysis> r =
      Analyze(base, {State(a.doc), State(b.doc), State(c.doc), State(d.doc)}, base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->collisions, (std::vector<std::pair<uint64_t, uint64_t>>{{1, 2}, {1, 4}}));
}

TEST(AmendmentAnalysisTest, InsertionsAtTheSamePlaceCollide) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11);
  ASSERT_TRUE(Paragraph(a.doc, 1).Insert(18, " Always.").ok());
  ASSERT_TRUE(Paragraph(b.doc, 1).Insert(18, " Forever.").ok());
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc)}, base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->collisions, (std::vector<std::pair<uint64_t, uint64_t>>{{1, 2}}));
}

TEST(AmendmentAnalysisTest, NewParagraphsBetweenDifferentParagraphsDoNotCollide) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11);
  crdt::XmlElement pa = *Root(a.doc).InsertElement(1, "paragraph");
  ASSERT_TRUE(pa.InsertText(0)->Insert(0, "A new first point.").ok());
  crdt::XmlElement pb = *Root(b.doc).InsertElement(3, "paragraph");
  ASSERT_TRUE(pb.InsertText(0)->Insert(0, "A closing line.").ok());
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc)}, base);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->collisions.empty());
}

TEST(AmendmentAnalysisTest, AnAmendmentWhoseParagraphTheDraftDeletedIsObsolete) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11), draft(base, 20);
  ASSERT_TRUE(Paragraph(a.doc, 1).Insert(8, " firmly").ok());
  ASSERT_TRUE(Paragraph(b.doc, 0).Delete(10, 5).ok());
  ASSERT_TRUE(Root(draft.doc).Delete(1).ok());  // the draft drops the second paragraph
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc)}, State(draft.doc));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->obsolete, (std::vector<uint64_t>{1}));
}

TEST(AmendmentAnalysisTest, ADeletionTheDraftAlreadyMadeIsObsolete) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), draft(base, 20);
  ASSERT_TRUE(Paragraph(a.doc, 2).Delete(0, 7).ok());
  ASSERT_TRUE(Paragraph(draft.doc, 2).Delete(0, 10).ok());
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc)}, State(draft.doc));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->obsolete, (std::vector<uint64_t>{1}));
}

TEST(AmendmentAnalysisTest, AnUntouchedOrUndoneAmendmentChangesNothing) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11);
  ASSERT_TRUE(Paragraph(b.doc, 0).Insert(0, "Oops ").ok());
  ASSERT_TRUE(Paragraph(b.doc, 0).Delete(0, 5).ok());
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc)}, base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->unchanged, (std::vector<uint64_t>{1, 2}));
  EXPECT_TRUE(r->obsolete.empty());
  EXPECT_TRUE(r->collisions.empty());
}

TEST(AmendmentAnalysisTest, AttributeChangesOfTheSameElementCollide) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11), c(base, 12);
  crdt::XmlElement ea(Root(a.doc).Get(0)->type), eb(Root(b.doc).Get(0)->type);
  ASSERT_TRUE(ea.SetAttribute("level", crdt::Any(1.0)).ok());
  ASSERT_TRUE(eb.SetAttribute("level", crdt::Any(2.0)).ok());
  crdt::XmlElement ec(Root(c.doc).Get(2)->type);
  ASSERT_TRUE(ec.SetAttribute("level", crdt::Any(1.0)).ok());
  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc), State(c.doc)}, base);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->collisions, (std::vector<std::pair<uint64_t, uint64_t>>{{1, 2}}));
}

TEST(AmendmentAnalysisTest, MergedUpdatesGiveTheExpectedTextAfterTheDraftMovedOn) {
  Bytes base = BaseState(kBase);
  Fork a(base, 10), b(base, 11), draft(base, 20);
  ASSERT_TRUE(Paragraph(a.doc, 0).Insert(20, " for all").ok());
  ASSERT_TRUE(Paragraph(b.doc, 2).Delete(10, 4).ok());
  ASSERT_TRUE(Paragraph(b.doc, 2).Insert(10, "Quito").ok());
  // The draft is edited after both forks: a word added at the start, a paragraph appended.
  ASSERT_TRUE(Paragraph(draft.doc, 1).Insert(0, "Today ").ok());
  crdt::XmlElement p = *Root(draft.doc).InsertElement(3, "paragraph");
  ASSERT_TRUE(p.InsertText(0)->Insert(0, "Annex.").ok());

  Result<AmendmentAnalysis> r = Analyze(base, {State(a.doc), State(b.doc)}, State(draft.doc));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->collisions.empty());
  EXPECT_TRUE(r->obsolete.empty());
  Bytes sa = State(a.doc), sb = State(b.doc);
  for (const Bytes* s : {&sa, &sb}) {
    Result<Bytes> update = AmendmentUpdate(AmendmentInput{1, base, *s});
    ASSERT_TRUE(update.ok());
    ASSERT_TRUE(draft.doc.ApplyUpdate(*update).ok());
    ASSERT_TRUE(draft.doc.ApplyUpdate(*update).ok());  // twice: no change
  }
  EXPECT_EQ(Text(draft.doc),
            "We demand fair wages for all.|Today We stand together.|Signed in Quito.|Annex.|");
}

TEST(AmendmentAnalysisTest, BadStatesAreRefused) {
  Bytes base = BaseState(kBase);
  Bytes junk = {0x05, 0xff, 0xff};
  EXPECT_EQ(Analyze(base, {junk}, base).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Analyze(junk, {base}, base).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Analyze(base, {base}, junk).status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(AmendmentUpdate(AmendmentInput{1, junk, base}).ok());
}

}  // namespace
}  // namespace accord::drafting
