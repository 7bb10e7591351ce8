#include <gtest/gtest.h>

#include "accord/crdt/doc.h"

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

}  // namespace
}  // namespace accord::crdt
