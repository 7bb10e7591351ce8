// Rich-text editing against Yjs: the scripted cases of crdt/testdata/richtext/cases.json (made
// by tests/node/tools/gen-richtext-golden.mjs) replayed through the public Text API; every
// emitted update and every final state (v1 and v2) must equal Yjs's bytes.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "abstract_type.h"
#include "accord/crdt/doc.h"
#include "content.h"
#include "golden_testutil.h"
#include "item.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::ToHex;

Any LoadRichText() {
  std::vector<std::string> roots;
  if (const char* dir = std::getenv("ACCORD_SOURCE_DIR")) roots.emplace_back(dir);
  roots.insert(roots.end(), {".", "..", "../..", "../../.."});
  for (const std::string& root : roots) {
    std::ifstream in(root + "/crdt/testdata/richtext/cases.json", std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    return *Any::FromJson(ss.str());
  }
  ADD_FAILURE() << "crdt/testdata/richtext/cases.json not found (set ACCORD_SOURCE_DIR)";
  return Any::Object({{"cases", Any(AnyArray{})}});
}

TextAttributes Attrs(const Any& pairs) {
  TextAttributes out;
  for (const Any& p : pairs.as_array()) {
    out.emplace_back(p.as_array()[0].as_string(), p.as_array()[1]);
  }
  return out;
}

uint64_t U(const Any& a) { return static_cast<uint64_t>(a.as_number()); }

SharedKind KindOf(const std::string& s) {
  return s == "text" ? SharedKind::kText : s == "map" ? SharedKind::kMap : SharedKind::kArray;
}

// The first live nested text inside `t`, as the generator's nestedText finds it.
Text NestedText(Text t) {
  for (const Item* n = t.internal()->start(); n != nullptr; n = n->right) {
    if (!n->deleted() && n->content->ref() == kRefType) {
      AbstractType* type = static_cast<const ContentType&>(*n->content).type();
      if (type->kind() == TypeKind::kText) return Text(type);
    }
  }
  ADD_FAILURE() << "no nested text";
  return t;
}

void RunStep(std::vector<std::unique_ptr<Doc>>& docs, const AnyArray& step) {
  std::string op = step[0].as_string();
  Doc& doc = *docs[U(step[1])];
  Text t = *doc.GetText("t");
  if (op.rfind("n:", 0) == 0) {
    t = NestedText(t);
    op = op.substr(2);
  }
  if (op == "txn") {
    doc.Transact([&] {
      for (const Any& inner : step[2].as_array()) RunStep(docs, inner.as_array());
    });
  } else if (op == "insert") {
    Status s = step[4].is_null() ? t.Insert(U(step[2]), step[3].as_string())
                                 : t.Insert(U(step[2]), step[3].as_string(), Attrs(step[4]));
    ASSERT_TRUE(s.ok()) << s.ToString();
  } else if (op == "embed") {
    Status s = step[4].is_null() ? t.InsertEmbed(U(step[2]), step[3])
                                 : t.InsertEmbed(U(step[2]), step[3], Attrs(step[4]));
    ASSERT_TRUE(s.ok()) << s.ToString();
  } else if (op == "type") {
    Result<SharedType> r =
        step[4].is_null() ? t.InsertType(U(step[2]), KindOf(step[3].as_string()))
                          : t.InsertType(U(step[2]), KindOf(step[3].as_string()), Attrs(step[4]));
    ASSERT_TRUE(r.ok());
  } else if (op == "format") {
    ASSERT_TRUE(t.Format(U(step[2]), U(step[3]), Attrs(step[4])).ok());
  } else if (op == "delete") {
    ASSERT_TRUE(t.Delete(U(step[2]), U(step[3])).ok());
  } else if (op == "apply") {
    Status s = doc.ApplyUpdate(FromHex(step[2].as_string()));
    ASSERT_TRUE(s.ok()) << s.ToString();
  } else if (op == "sync") {
    Doc& to = *docs[U(step[2])];
    const UpdateFormat f = step[3].as_string() == "v2" ? UpdateFormat::kV2 : UpdateFormat::kV1;
    std::vector<uint8_t> diff = *doc.EncodeStateAsUpdate(to.EncodeStateVector(), f);
    Status s = to.ApplyUpdate(diff, f);
    ASSERT_TRUE(s.ok()) << s.ToString();
  } else {
    FAIL() << "unknown op " << op;
  }
}

TEST(RichTextGoldenTest, ScriptsMatchYjsBytes) {
  Any golden = LoadRichText();
  const AnyArray& cases = golden.Find("cases")->as_array();
  ASSERT_GT(cases.size(), 30u);
  for (const Any& c : cases) {
    SCOPED_TRACE(c.Find("name")->as_string());
    std::vector<std::unique_ptr<Doc>> docs;
    std::vector<std::vector<std::string>> logs;
    const AnyArray& clients = c.Find("clients")->as_array();
    logs.resize(clients.size());
    for (size_t i = 0; i < clients.size(); ++i) {
      DocOptions opts;
      opts.client_id = U(clients[i]);
      opts.gc = c.Find("gc")->as_bool();
      docs.push_back(std::make_unique<Doc>(opts));
      ASSERT_TRUE(docs.back()->GetText("t").ok());
      docs.back()->OnUpdate(
          [&logs, i](std::span<const uint8_t> u, const void*) { logs[i].push_back(ToHex(u)); });
    }
    const AnyArray& steps = c.Find("steps")->as_array();
    for (size_t k = 0; k < steps.size(); ++k) {
      SCOPED_TRACE("step " + std::to_string(k));
      const AnyArray& step = steps[k].Find("step")->as_array();
      const size_t actor = U(step[0].as_string() == "sync" ? step[2] : step[1]);
      const size_t before = logs[actor].size();
      RunStep(docs, step);
      if (::testing::Test::HasFatalFailure()) return;
      std::vector<std::string> got(logs[actor].begin() + static_cast<ptrdiff_t>(before),
                                   logs[actor].end());
      std::vector<std::string> want;
      for (const Any& e : steps[k].Find("emitted")->as_array()) want.push_back(e.as_string());
      ASSERT_EQ(got, want);
    }
    const AnyArray& final_states = c.Find("final")->as_array();
    for (size_t i = 0; i < docs.size(); ++i) {
      const Any& f = final_states[i];
      EXPECT_EQ(ToHex(*docs[i]->EncodeStateAsUpdate()), f.Find("state")->as_string());
      EXPECT_EQ(ToHex(*docs[i]->EncodeStateAsUpdate({}, UpdateFormat::kV2)),
                f.Find("stateV2")->as_string());
      EXPECT_EQ(docs[i]->GetText("t")->ToString(), f.Find("text")->as_string());
    }
  }
}

TEST(RichTextTest, LengthCountsEmbedsAndTypesNotFormats) {
  Doc doc(DocOptions{.client_id = 1, .guid = {}});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "ab", {{"bold", Any(true)}}).ok());
  EXPECT_EQ(t.Length(), 2u);
  ASSERT_TRUE(t.InsertEmbed(1, Any::Object({{"image", Any("x")}})).ok());
  ASSERT_TRUE(t.InsertType(0, SharedKind::kMap).ok());
  EXPECT_EQ(t.Length(), 4u);
  EXPECT_EQ(t.ToString(), "ab");
  ASSERT_TRUE(t.Format(0, 4, {{"italic", Any(true)}}).ok());
  EXPECT_EQ(t.Length(), 4u);
  ASSERT_TRUE(t.Format(3, 3, {{"italic", Any(true)}}).ok());  // pads with two newlines
  EXPECT_EQ(t.Length(), 6u);
  EXPECT_EQ(t.ToString(), "ab\n\n");
}

TEST(RichTextTest, RejectsBadArguments) {
  Doc doc(DocOptions{.client_id = 1, .guid = {}});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "abc").ok());
  EXPECT_EQ(t.Insert(4, "x", {}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Insert(0, "\xff", {}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.InsertEmbed(4, Any(1.0)).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.InsertEmbed(0, Any(Null{})).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.InsertType(0, SharedKind::kUntyped).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Format(4, 1, {{"bold", Any(true)}}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Format(0, uint64_t{1} << 40, {{"bold", Any(true)}}).code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Format(0, 1, {{"bold", Any()}}).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Insert(0, "x", {{"bold", Any()}}).code(), Status::Code::kInvalidArgument);
  EXPECT_TRUE(t.Format(1, 0, {{"bold", Any(true)}}).ok());
  EXPECT_TRUE(t.Format(3, 1, {{"bold", Any(true)}}).ok());  // at the end: nothing, as Yjs
  EXPECT_EQ(t.Length(), 3u);
  EXPECT_EQ(
      *doc.EncodeStateAsUpdate(), *[] {
        Doc plain(DocOptions{.client_id = 1, .guid = {}});
        (void)plain.GetText("t")->Insert(0, "abc");
        return plain.EncodeStateAsUpdate();
      }());
}

TEST(RichTextTest, StringEmbedIsText) {
  Doc doc(DocOptions{.client_id = 1, .guid = {}});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.InsertEmbed(0, Any("hi")).ok());
  EXPECT_EQ(t.ToString(), "hi");
  EXPECT_EQ(t.Length(), 2u);
}

// A formatted nested text left untyped (as the server holds documents) gets no cleanup, while
// a typed one does; the cleanup arrives as a second update.
TEST(RichTextTest, RemoteCleanupRunsAsSeparateUpdate) {
  Doc a(DocOptions{.client_id = 1, .guid = {}});
  Doc b(DocOptions{.client_id = 2, .guid = {}});
  Text ta = *a.GetText("t");
  Text tb = *b.GetText("t");
  ASSERT_TRUE(ta.Insert(0, "xyz").ok());
  ASSERT_TRUE(b.ApplyUpdate(*a.EncodeStateAsUpdate()).ok());
  ASSERT_TRUE(ta.Format(0, 2, {{"bold", Any(true)}}).ok());
  ASSERT_TRUE(tb.Format(0, 1, {{"bold", Any(true)}}).ok());
  int updates = 0;
  b.OnUpdate([&](std::span<const uint8_t>, const void*) { ++updates; });
  ASSERT_TRUE(b.ApplyUpdate(*a.EncodeStateAsUpdate(b.EncodeStateVector())).ok());
  EXPECT_EQ(updates, 2);  // the remote change, then the cleanup deleting a duplicate "bold"

  Doc server(DocOptions{.client_id = 3, .guid = {}});
  int server_updates = 0;
  server.OnUpdate([&](std::span<const uint8_t>, const void*) { ++server_updates; });
  ASSERT_TRUE(server.ApplyUpdate(*a.EncodeStateAsUpdate()).ok());
  ASSERT_TRUE(server.ApplyUpdate(*b.EncodeStateAsUpdate()).ok());
  EXPECT_EQ(server_updates, 2);  // untyped root: no cleanup transaction
}

}  // namespace
}  // namespace accord::crdt
