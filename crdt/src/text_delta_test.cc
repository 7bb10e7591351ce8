// Text::ToDelta against Yjs: documents built by tests/node/tools/gen-xml-golden.mjs, applied
// here from their update bytes, must give Yjs's toDelta exactly (runs, attribute order, embeds,
// nested types); plus the run-splitting rules checked on locally built text.
#include "text_delta.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "accord/crdt/xml.h"
#include "golden_testutil.h"
#include "xml_golden_testutil.h"

namespace accord::crdt {
namespace {

using testing::DeltaAsJson;
using testing::FromHex;

std::vector<XmlText> CollectXmlTexts(const XmlFragment& f) {
  std::vector<XmlText> out;
  for (const Value& v : f.Children()) {
    if (v.kind != Value::Kind::kType) continue;
    if (v.type.kind() == SharedKind::kXmlText) out.emplace_back(v.type);
    if (v.type.kind() == SharedKind::kXmlElement) {
      std::vector<XmlText> inner = CollectXmlTexts(XmlFragment(v.type));
      out.insert(out.end(), inner.begin(), inner.end());
    }
  }
  return out;
}

TEST(TextDeltaTest, MatchesYjsOnGoldenDocuments) {
  const Any cases = testing::LoadXmlCases();
  int checked = 0;
  for (const Any& c : cases.Find("replay")->as_array()) {
    SCOPED_TRACE(c.Find("name")->as_string());
    Doc doc;
    for (const Any& u : c.Find("updates")->as_array()) {
      ASSERT_TRUE(doc.ApplyUpdate(FromHex(u.as_string())).ok());
    }
    Text t = *doc.GetText("t");
    EXPECT_EQ(DeltaAsJson(t.ToDelta()).ToJson(), c.Find("delta")->as_string());
    XmlFragment x = *GetXmlFragment(doc, "x");
    AnyArray xml_deltas;
    for (const XmlText& xt : CollectXmlTexts(x)) xml_deltas.push_back(DeltaAsJson(xt.ToDelta()));
    EXPECT_EQ(Any(xml_deltas).ToJson(), c.Find("xmlDeltas")->as_string());
    ++checked;
  }
  EXPECT_GE(checked, 7);
}

TEST(TextDeltaTest, EmptyAndInvalid) {
  Doc doc;
  EXPECT_TRUE(doc.GetText("t")->ToDelta().empty());
  EXPECT_TRUE(Text().ToDelta().empty());
  EXPECT_TRUE(TextToDelta(nullptr).empty());
}

TEST(TextDeltaTest, PlainInsertsJoinIntoOneRun) {
  Doc doc;
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "world").ok());
  ASSERT_TRUE(t.Insert(0, "hello ").ok());
  ASSERT_TRUE(t.Delete(0, 1).ok());
  std::vector<DeltaInsert> d = t.ToDelta();
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].kind, DeltaInsert::Kind::kString);
  EXPECT_EQ(d[0].text, "ello world");
  EXPECT_TRUE(d[0].attributes.empty());
}

TEST(TextDeltaTest, EmbedsAndTypesAreSeparateInserts) {
  Doc doc;
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "ab").ok());
  ASSERT_TRUE(t.InsertEmbed(1, Any::Object({{"image", "x.png"}})).ok());
  Result<SharedType> nested = t.InsertType(3, SharedKind::kMap);
  ASSERT_TRUE(nested.ok());
  std::vector<DeltaInsert> d = t.ToDelta();
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d[0].text, "a");
  EXPECT_EQ(d[1].kind, DeltaInsert::Kind::kEmbed);
  EXPECT_EQ(d[1].embed.ToJson(), R"({"image":"x.png"})");
  EXPECT_EQ(d[2].text, "b");
  EXPECT_EQ(d[3].kind, DeltaInsert::Kind::kType);
  EXPECT_EQ(d[3].type, *nested);
}

}  // namespace
}  // namespace accord::crdt
