#include <gtest/gtest.h>

#include <random>
#include <string>

#include "accord/crdt/doc.h"
#include "item.h"
#include "text_internal.h"

namespace accord::crdt {
namespace {

std::vector<uint8_t> State(Doc& d) { return *d.EncodeStateAsUpdate(); }

TEST(TextTest, InsertDeleteToString) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "hello").ok());
  ASSERT_TRUE(t.Insert(5, " world").ok());
  ASSERT_TRUE(t.Delete(0, 1).ok());
  ASSERT_TRUE(t.Insert(0, "H").ok());
  EXPECT_EQ(t.ToString(), "Hello world");
  EXPECT_EQ(t.Length(), 11u);
  EXPECT_EQ(t.Insert(12, "x").code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Delete(5, 7).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(t.Insert(0, "\xff").code(), Status::Code::kInvalidArgument);
}

TEST(TextTest, Utf16IndicesAndSurrogateSplit) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "a😀b").ok());
  EXPECT_EQ(t.Length(), 4u);
  ASSERT_TRUE(t.Insert(2, "X").ok());  // inside the pair, as Yjs allows
  EXPECT_EQ(t.ToString(),
            "a\xEF\xBF\xBDX\xEF\xBF\xBD"
            "b");
}

TEST(TextTest, ConcurrentEditsConverge) {
  Doc a(DocOptions{.client_id = 1});
  Doc b(DocOptions{.client_id = 2});
  ASSERT_TRUE(a.GetText("t")->Insert(0, "base").ok());
  ASSERT_TRUE(b.ApplyUpdate(State(a)).ok());
  ASSERT_TRUE(a.GetText("t")->Insert(2, "AA").ok());
  ASSERT_TRUE(b.GetText("t")->Insert(2, "BB").ok());
  ASSERT_TRUE(b.GetText("t")->Delete(0, 1).ok());
  ASSERT_TRUE(a.ApplyUpdate(State(b)).ok());
  ASSERT_TRUE(b.ApplyUpdate(State(a)).ok());
  EXPECT_EQ(a.GetText("t")->ToString(), b.GetText("t")->ToString());
  EXPECT_EQ(a.GetText("t")->ToString(), "aAABBse");  // lower client id first
  EXPECT_EQ(State(a), State(b));
}

TEST(TextTest, SequentialTypingMergesIntoOneStruct) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(t.Insert(t.Length(), "x").ok());
  std::vector<uint8_t> s = State(doc);
  EXPECT_LT(s.size(), 1030u);  // one string struct, not a thousand
  EXPECT_EQ(t.Length(), 1000u);
}

// Typing appends to the item typed just before (text.cc, AppendToOwnRun), in one transaction
// or across several, and each transaction still reports the text as changed.
TEST(TextTest, TypingExtendsTheRunTypedJustBefore) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "ab").ok());
  std::vector<TransactionInfo> seen;
  doc.OnAfterTransaction([&](const TransactionInfo& info) { seen.push_back(info); });
  auto items = [&] {
    size_t n = 0;
    for (const Item* i = t.internal()->start(); i != nullptr; i = i->right) ++n;
    return n;
  };
  doc.Transact([&] {
    for (char c : std::string("cdefg")) {
      ASSERT_TRUE(t.Insert(t.Length(), std::string(1, c)).ok());
    }
    EXPECT_EQ(items(), 1u);
  });
  ASSERT_TRUE(t.Insert(t.Length(), "h").ok());  // a transaction of its own
  ASSERT_TRUE(t.Insert(0, "<").ok());           // elsewhere: an item of its own
  ASSERT_TRUE(t.Insert(1, "=").ok());           // after that one
  EXPECT_EQ(items(), 2u);
  ASSERT_EQ(seen.size(), 4u);
  for (const TransactionInfo& info : seen) {
    ASSERT_EQ(info.changed.size(), 1u);
    EXPECT_EQ(info.changed[0].internal(), t.internal());
    EXPECT_EQ(info.after_state.at(1), info.before_state.at(1) + (&info == &seen[0] ? 5 : 1));
  }
  EXPECT_EQ(t.ToString(), "<=abcdefgh");
}

// One transaction of random edits, biased towards deleting again and again at one place (the
// case the remembered runs of deleted items are for), with typing between and into the gaps.
// Returns the v1 and v2 state; checks the text against a plain string.
std::pair<std::vector<uint8_t>, std::vector<uint8_t>> OneTransactionSession(uint32_t seed) {
  Doc doc(DocOptions{.client_id = 7});
  Text t = *doc.GetText("t");
  std::mt19937 rng(seed);
  std::string model;
  doc.Transact([&] {
    uint64_t cursor = 0;
    for (int i = 0; i < 3000; ++i) {
      const uint32_t op = rng() % 10;
      if (op == 0 || model.empty()) {
        cursor = model.empty() ? 0 : rng() % (model.size() + 1);
      }
      cursor = std::min<uint64_t>(cursor, model.size());
      if (op < 4 || model.empty()) {
        const std::string s(1 + rng() % 3, static_cast<char>('a' + rng() % 26));
        ASSERT_TRUE(t.Insert(cursor, s).ok());
        model.insert(cursor, s);
        if (op % 2 == 0) cursor += s.size();
      } else if (cursor < model.size()) {
        const uint64_t n = std::min<uint64_t>(1 + rng() % 2, model.size() - cursor);
        ASSERT_TRUE(t.Delete(cursor, n).ok());  // forward delete: the cursor stays
        model.erase(cursor, n);
      } else if (cursor > 0) {
        ASSERT_TRUE(t.Delete(cursor - 1, 1).ok());  // backspace
        model.erase(--cursor, 1);
      }
    }
  });
  EXPECT_EQ(t.ToString(), model);
  return {*doc.EncodeStateAsUpdate({}, UpdateFormat::kV1),
          *doc.EncodeStateAsUpdate({}, UpdateFormat::kV2)};
}

TEST(TextTest, RememberedDeletedRunsChangeNothing) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SetRememberDeletedRunsForTesting(false);
    const auto plain = OneTransactionSession(seed);
    SetRememberDeletedRunsForTesting(true);
    const auto remembered = OneTransactionSession(seed);
    EXPECT_EQ(plain.first, remembered.first) << "seed " << seed;
    EXPECT_EQ(plain.second, remembered.second) << "seed " << seed;
  }
}

}  // namespace
}  // namespace accord::crdt
