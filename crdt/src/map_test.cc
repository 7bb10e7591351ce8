#include <gtest/gtest.h>

#include "accord/crdt/doc.h"

namespace accord::crdt {
namespace {

TEST(MapTest, SetGetDeleteKeys) {
  Doc doc(DocOptions{.client_id = 1});
  Map m = *doc.GetMap("m");
  ASSERT_TRUE(m.Set("b", NewValue::Of(1)).ok());
  ASSERT_TRUE(m.Set("a", NewValue::Of("x")).ok());
  ASSERT_TRUE(m.Set("b", NewValue::Of(2)).ok());
  ASSERT_TRUE(m.Set("1", NewValue::Of(Null{})).ok());
  EXPECT_EQ(m.Size(), 3u);
  EXPECT_EQ(m.Get("b")->any.as_number(), 2);
  EXPECT_EQ(m.Keys(), (std::vector<std::string>{"b", "a", "1"}));
  // JSON follows JavaScript key order: integer-like keys first.
  EXPECT_EQ(m.ToJson().ToJson(), R"({"1":null,"b":2,"a":"x"})");
  ASSERT_TRUE(m.Delete("a").ok());
  EXPECT_FALSE(m.Has("a"));
  EXPECT_FALSE(m.Get("zzz").has_value());
}

TEST(MapTest, ConcurrentSetsResolveByClientId) {
  Doc a(DocOptions{.client_id = 1});
  Doc b(DocOptions{.client_id = 2});
  ASSERT_TRUE(a.GetMap("m")->Set("k", NewValue::Of("from a")).ok());
  ASSERT_TRUE(b.GetMap("m")->Set("k", NewValue::Of("from b")).ok());
  ASSERT_TRUE(a.ApplyUpdate(*b.EncodeStateAsUpdate()).ok());
  ASSERT_TRUE(b.ApplyUpdate(*a.EncodeStateAsUpdate()).ok());
  EXPECT_EQ(a.GetMap("m")->Get("k")->any.as_string(), "from b");
  EXPECT_EQ(*a.EncodeStateAsUpdate(), *b.EncodeStateAsUpdate());
}

TEST(MapTest, SubdocumentValues) {
  Doc doc(DocOptions{.client_id = 1});
  Map m = *doc.GetMap("m");
  ASSERT_TRUE(m.Set("d", NewValue::Doc(SubDoc{"sub-guid", Any::Object({})})).ok());
  Doc copy;
  ASSERT_TRUE(copy.ApplyUpdate(*doc.EncodeStateAsUpdate()).ok());
  std::optional<Value> v = copy.GetMap("m")->Get("d");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->kind, Value::Kind::kDoc);
  EXPECT_EQ(v->doc.guid, "sub-guid");
  EXPECT_EQ(*copy.EncodeStateAsUpdate(), *doc.EncodeStateAsUpdate());
}

}  // namespace
}  // namespace accord::crdt
