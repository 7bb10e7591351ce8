// Byte-identity of the document core against Yjs (crdt/testdata/core/, made by
// tests/node/tools/gen-core-golden.mjs), and the atomicity of ApplyUpdate on hostile input.
#include "accord/crdt/doc.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "golden_testutil.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::ToHex;

Any LoadCore(const std::string& name) {
  std::vector<std::string> roots;
  if (const char* dir = std::getenv("ACCORD_SOURCE_DIR")) roots.emplace_back(dir);
  roots.insert(roots.end(), {".", "..", "../..", "../../.."});
  for (const std::string& root : roots) {
    std::ifstream in(root + "/crdt/testdata/core/" + name, std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    return *Any::FromJson(ss.str());
  }
  ADD_FAILURE() << "golden file not found: " << name;
  return Any();
}

std::string RootsJson(Doc& doc, const AnyArray& roots) {
  AnyObject out;
  for (const Any& r : roots) {
    const std::string& name = r.as_array()[0].as_string();
    const std::string& kind = r.as_array()[1].as_string();
    SharedKind k = kind == "text"  ? SharedKind::kText
                   : kind == "map" ? SharedKind::kMap
                                   : SharedKind::kArray;
    Result<SharedType> t = doc.GetRoot(name, k);
    EXPECT_TRUE(t.ok());
    out.emplace_back(name, t->ToJson());
  }
  return Any::Object(std::move(out)).ToJson();
}

std::string Hex(Result<std::vector<uint8_t>> r) {
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? ToHex(*r) : "";
}

TEST(DocGoldenTest, ReplayMatchesYjs) {
  Any golden = LoadCore("replay.json");
  const AnyArray& cases = golden.Find("cases")->as_array();
  ASSERT_GT(cases.size(), 10u);
  for (const Any& c : cases) {
    const std::string& name = c.Find("name")->as_string();
    for (bool v2 : {false, true}) {
      SCOPED_TRACE(name + (v2 ? " (v2 input)" : " (v1 input)"));
      DocOptions opts;
      opts.gc = c.Find("gc")->as_bool();
      opts.client_id = 1u << 30;
      Doc doc(opts);
      for (const Any& u : c.Find(v2 ? "updatesV2" : "updates")->as_array()) {
        Status s =
            doc.ApplyUpdate(FromHex(u.as_string()), v2 ? UpdateFormat::kV2 : UpdateFormat::kV1);
        ASSERT_TRUE(s.ok()) << s.ToString();
      }
      EXPECT_EQ(Hex(doc.EncodeStateAsUpdate()), c.Find("state")->as_string());
      EXPECT_EQ(Hex(doc.EncodeStateAsUpdate({}, UpdateFormat::kV2)),
                c.Find("stateV2")->as_string());
      EXPECT_EQ(ToHex(doc.EncodeStateVector()), c.Find("sv")->as_string());
      EXPECT_EQ(RootsJson(doc, c.Find("roots")->as_array()), c.Find("json")->as_string());
      EXPECT_FALSE(doc.HasPending());
    }
  }
}

TEST(DocGoldenTest, DiffAgainstStateVectorMatchesFullState) {
  Any golden = LoadCore("replay.json");
  for (const Any& c : golden.Find("cases")->as_array()) {
    Doc full;
    for (const Any& u : c.Find("updates")->as_array()) {
      ASSERT_TRUE(full.ApplyUpdate(FromHex(u.as_string())).ok());
    }
    // Half the updates, then the diff from the other side, gives the same state.
    Doc half;
    const AnyArray& ups = c.Find("updates")->as_array();
    for (size_t i = 0; i < ups.size() / 2; ++i) {
      ASSERT_TRUE(half.ApplyUpdate(FromHex(ups[i].as_string())).ok());
    }
    Result<std::vector<uint8_t>> diff = full.EncodeStateAsUpdate(half.EncodeStateVector());
    ASSERT_TRUE(diff.ok());
    ASSERT_TRUE(half.ApplyUpdate(*diff).ok());
    EXPECT_EQ(Hex(half.EncodeStateAsUpdate()), Hex(full.EncodeStateAsUpdate()))
        << c.Find("name")->as_string();
  }
}

// Replays a script of local edits through the public API; each transaction (one edit, or the
// script's "groups" of edits) must emit Yjs's bytes.
TEST(DocGoldenTest, LocalEditsEmitYjsUpdates) {
  Any golden = LoadCore("local.json");
  for (const Any& script : golden.Find("scripts")->as_array()) {
    SCOPED_TRACE(script.Find("name")->as_string());
    DocOptions opts;
    opts.client_id = static_cast<uint64_t>(script.Find("client")->as_number());
    Doc doc(opts);
    std::vector<std::string> emitted;
    doc.OnUpdate([&](std::span<const uint8_t> u, const void*) { emitted.push_back(ToHex(u)); });
    const AnyArray& expected = script.Find("updates")->as_array();
    const AnyArray& ops = script.Find("ops")->as_array();
    std::vector<size_t> groups(ops.size(), 1);
    if (const Any* g = script.Find("groups")) {
      groups.clear();
      for (const Any& n : g->as_array()) groups.push_back(static_cast<size_t>(n.as_number()));
    }
    ASSERT_EQ(groups.size(), expected.size());
    auto apply = [&](const AnyArray& op) -> Status {
      const std::string& kind = op[0].as_string();
      const std::string& root = op[1].as_string();
      const std::string& what = op[2].as_string();
      auto values = [](const Any& list) {
        std::vector<NewValue> out;
        for (const Any& v : list.as_array()) out.push_back(NewValue::Of(v));
        return out;
      };
      if (kind == "text") {
        Text t = *doc.GetText(root);
        if (what == "insert")
          return t.Insert(static_cast<uint64_t>(op[3].as_number()), op[4].as_string());
        return t.Delete(static_cast<uint64_t>(op[3].as_number()),
                        static_cast<uint64_t>(op[4].as_number()));
      }
      if (kind == "array") {
        Array a = *doc.GetArray(root);
        if (what == "insert")
          return a.Insert(static_cast<uint64_t>(op[3].as_number()), values(op[4]));
        if (what == "push") return a.Push(values(op[3]));
        return a.Delete(static_cast<uint64_t>(op[3].as_number()),
                        static_cast<uint64_t>(op[4].as_number()));
      }
      Map m = *doc.GetMap(root);
      if (what == "set") return m.Set(op[3].as_string(), NewValue::Of(op[4]));
      return m.Delete(op[3].as_string());
    };
    size_t next = 0;
    for (size_t g = 0; g < groups.size(); ++g) {
      const size_t before = emitted.size();
      ASSERT_LE(next + groups[g], ops.size());
      if (groups[g] == 1) {
        ASSERT_TRUE(apply(ops[next].as_array()).ok()) << "op " << next;
      } else {
        doc.Transact([&] {
          for (size_t i = next; i < next + groups[g]; ++i) {
            EXPECT_TRUE(apply(ops[i].as_array()).ok()) << "op " << i;
          }
        });
      }
      next += groups[g];
      const std::string got = emitted.size() > before ? emitted.back() : "";
      ASSERT_EQ(got, expected[g].as_string()) << "transaction " << g;
    }
    EXPECT_EQ(Hex(doc.EncodeStateAsUpdate()), script.Find("state")->as_string());
  }
}

// Every prefix of every golden update either applies or fails leaving the document unchanged.
TEST(DocHostileTest, TruncatedUpdatesAreAtomic) {
  Any golden = LoadCore("replay.json");
  int failures = 0;
  for (const Any& c : golden.Find("cases")->as_array()) {
    for (bool v2 : {false, true}) {
      const AnyArray& ups = c.Find(v2 ? "updatesV2" : "updates")->as_array();
      Doc doc;
      for (size_t i = 0; i < ups.size(); ++i) {
        std::vector<uint8_t> u = FromHex(ups[i].as_string());
        const std::string before = Hex(doc.EncodeStateAsUpdate());
        for (size_t cut = 0; cut < u.size(); cut += 1 + u.size() / 16) {
          std::vector<uint8_t> prefix(u.begin(), u.begin() + static_cast<ptrdiff_t>(cut));
          Doc copy;
          ASSERT_TRUE(copy.ApplyUpdate(FromHex(before)).ok());
          const std::string copy_before = Hex(copy.EncodeStateAsUpdate());
          Status s = copy.ApplyUpdate(prefix, v2 ? UpdateFormat::kV2 : UpdateFormat::kV1);
          if (!s.ok()) {
            ++failures;
            EXPECT_EQ(Hex(copy.EncodeStateAsUpdate()), copy_before);
          }
        }
        ASSERT_TRUE(doc.ApplyUpdate(u, v2 ? UpdateFormat::kV2 : UpdateFormat::kV1).ok());
        if (i > 3) break;  // enough coverage, bounded time
      }
    }
  }
  EXPECT_GT(failures, 0);
}

TEST(DocHostileTest, RandomCorruptionNeverCrashes) {
  Any golden = LoadCore("replay.json");
  uint32_t seed = 12345;
  auto next = [&]() { return seed = seed * 1103515245 + 12345; };
  for (const Any& c : golden.Find("cases")->as_array()) {
    std::vector<uint8_t> u = FromHex(c.Find("state")->as_string());
    for (int round = 0; round < 40; ++round) {
      std::vector<uint8_t> bad = u;
      for (int k = 0; k < 3; ++k) bad[next() % bad.size()] = static_cast<uint8_t>(next() >> 7);
      Doc doc;
      Status s = doc.ApplyUpdate(bad);
      if (!s.ok()) {
        EXPECT_EQ(Hex(doc.EncodeStateAsUpdate()), "0000") << s.ToString();
      } else {
        (void)doc.EncodeStateAsUpdate();
      }
      Doc doc2;
      (void)doc2.ApplyUpdate(bad, UpdateFormat::kV2);
    }
  }
}

TEST(DocHostileTest, AbsurdValuesAreRejected) {
  const std::vector<std::vector<uint8_t>> bad = {
      // one client, 1 struct, client 1, clock 2^53 + GC of length 1
      {1, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 1, 0},
      // GC whose length overflows 2^53
      {1, 1, 1, 1, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0},
      // unknown content ref 17
      {1, 1, 1, 0, 17, 0},
      // zero-length GC
      {1, 1, 1, 0, 0, 0, 0},
      // a billion structs in a few bytes
      {1, 0x80, 0x94, 0xeb, 0xdc, 0x03, 1, 0, 0, 1},
      // a type ref beyond the known kinds
      {1, 1, 1, 0, 7, 1, 1, 'a', 9, 0},
      // delete range beyond 2^53
      {0, 1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 5},
  };
  for (const auto& u : bad) {
    Doc doc;
    Status s = doc.ApplyUpdate(u);
    EXPECT_EQ(s.code(), Status::Code::kCorruption) << ToHex(u) << " " << s.ToString();
    EXPECT_EQ(Hex(doc.EncodeStateAsUpdate()), "0000");
  }
}

TEST(DocHostileTest, PendingLimitRejectsWithoutChange) {
  // An update from client 2 that depends on client 1, which never arrives.
  Doc a(DocOptions{.client_id = 1});
  ASSERT_TRUE(a.GetText("t")->Insert(0, "x").ok());
  Doc b(DocOptions{.client_id = 2});
  ASSERT_TRUE(b.ApplyUpdate(*a.EncodeStateAsUpdate()).ok());
  std::vector<uint8_t> sv = b.EncodeStateVector();
  ASSERT_TRUE(b.GetText("t")->Insert(1, std::string(1000, 'y')).ok());
  std::vector<uint8_t> dependent = *b.EncodeStateAsUpdate(sv);

  Doc c;
  c.set_update_limits(UpdateLimits{.max_pending_bytes = 100});
  EXPECT_EQ(c.ApplyUpdate(dependent).code(), Status::Code::kResourceExhausted);
  EXPECT_FALSE(c.HasPending());
  c.set_update_limits(UpdateLimits{});
  ASSERT_TRUE(c.ApplyUpdate(dependent).ok());
  EXPECT_TRUE(c.HasPending());
  EXPECT_EQ(c.GetText("t")->ToString(), "");
  ASSERT_TRUE(c.ApplyUpdate(*a.EncodeStateAsUpdate()).ok());
  EXPECT_FALSE(c.HasPending());
  EXPECT_EQ(c.GetText("t")->ToString(), "x" + std::string(1000, 'y'));
}

TEST(DocHostileTest, DeepNestingIsHandled) {
  Doc doc(DocOptions{.client_id = 9});
  Map root = *doc.GetMap("m");
  SharedType cur = root;
  for (int i = 0; i < 3000; ++i) {
    Result<SharedType> next = Map(cur.internal()).SetType("k", SharedKind::kMap);
    ASSERT_TRUE(next.ok());
    cur = *next;
  }
  std::vector<uint8_t> state = *doc.EncodeStateAsUpdate();
  Doc other;
  ASSERT_TRUE(other.ApplyUpdate(state).ok());
  // Deleting the outermost map deletes and collects the whole chain without recursion.
  ASSERT_TRUE(root.Delete("k").ok());
  Doc third;
  ASSERT_TRUE(third.ApplyUpdate(*doc.EncodeStateAsUpdate()).ok());
  EXPECT_EQ(third.GetMap("m")->Size(), 0u);
  EXPECT_TRUE(root.ToJson().is_object());
}

TEST(DocTest, RootKindIsFixedByFirstUse) {
  Doc doc;
  ASSERT_TRUE(doc.GetText("a").ok());
  EXPECT_EQ(doc.GetMap("a").status().code(), Status::Code::kFailedPrecondition);
  // A root known only from a remote update takes the kind first asked for.
  Doc src(DocOptions{.client_id = 3});
  ASSERT_TRUE(src.GetArray("r")->Push({NewValue::Of(1)}).ok());
  Doc dst;
  ASSERT_TRUE(dst.ApplyUpdate(*src.EncodeStateAsUpdate()).ok());
  EXPECT_EQ(dst.RootNames(), std::vector<std::string>{"r"});
  Result<Array> arr = dst.GetArray("r");
  ASSERT_TRUE(arr.ok());
  EXPECT_EQ(arr->Length(), 1u);
}

TEST(DocTest, TransactionsBatchIntoOneUpdate) {
  Doc doc(DocOptions{.client_id = 5});
  int updates = 0, v2_updates = 0, txns = 0;
  doc.OnUpdate([&](std::span<const uint8_t>, const void*) { ++updates; });
  doc.OnUpdate([&](std::span<const uint8_t>, const void*) { ++v2_updates; }, UpdateFormat::kV2);
  uint64_t id = doc.OnAfterTransaction([&](const TransactionInfo& info) {
    ++txns;
    EXPECT_EQ(info.changed.size(), 2u);
  });
  Text t = *doc.GetText("t");
  Map m = *doc.GetMap("m");
  doc.Transact([&] {
    ASSERT_TRUE(t.Insert(0, "ab").ok());
    ASSERT_TRUE(m.Set("k", NewValue::Of("v")).ok());
  });
  EXPECT_EQ(updates, 1);
  EXPECT_EQ(v2_updates, 1);
  EXPECT_EQ(txns, 1);
  doc.Unobserve(id);
  ASSERT_TRUE(t.Insert(0, "c").ok());
  EXPECT_EQ(txns, 1);
  EXPECT_EQ(updates, 2);
}

TEST(DocTest, RemoteUseOfOwnClientIdChangesIt) {
  Doc a(DocOptions{.client_id = 77});
  ASSERT_TRUE(a.GetText("t")->Insert(0, "x").ok());
  Doc b(DocOptions{.client_id = 77});
  ASSERT_TRUE(b.ApplyUpdate(*a.EncodeStateAsUpdate()).ok());
  EXPECT_NE(b.client_id(), 77u);
}

TEST(DocTest, ApplyingTheSameUpdateTwiceIsIdempotent) {
  Any golden = LoadCore("replay.json");
  const Any& c = golden.Find("cases")->as_array()[3];
  Doc doc;
  for (int k = 0; k < 2; ++k) {
    for (const Any& u : c.Find("updates")->as_array()) {
      ASSERT_TRUE(doc.ApplyUpdate(FromHex(u.as_string())).ok());
    }
  }
  EXPECT_EQ(Hex(doc.EncodeStateAsUpdate()), c.Find("state")->as_string());
}

}  // namespace
}  // namespace accord::crdt
