#include <gtest/gtest.h>

#include "accord/crdt/doc.h"

namespace accord::crdt {
namespace {

TEST(ArrayTest, InsertPushDeleteGet) {
  Doc doc(DocOptions{.client_id = 1});
  Array a = *doc.GetArray("a");
  ASSERT_TRUE(a.Push({NewValue::Of(1), NewValue::Of("two")}).ok());
  ASSERT_TRUE(a.Insert(1, {NewValue::Of(Bytes{7}), NewValue::Of(true)}).ok());
  EXPECT_EQ(a.Length(), 4u);
  EXPECT_EQ(a.ToJson().ToJson(), R"([1,{"$binary":"Bw=="},true,"two"])");
  ASSERT_TRUE(a.Delete(0, 2).ok());
  Result<Value> v = a.Get(1);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->any.as_string(), "two");
  EXPECT_FALSE(a.Get(2).ok());
  EXPECT_EQ(a.Delete(1, 2).code(), Status::Code::kInvalidArgument);
}

TEST(ArrayTest, NestedTypes) {
  Doc doc(DocOptions{.client_id = 1});
  Array a = *doc.GetArray("a");
  Result<SharedType> m = a.InsertType(0, SharedKind::kMap);
  ASSERT_TRUE(m.ok());
  ASSERT_TRUE(Map(m->internal()).Set("k", NewValue::Of(1)).ok());
  Result<SharedType> t = a.InsertType(1, SharedKind::kText);
  ASSERT_TRUE(Text(t->internal()).Insert(0, "hi").ok());
  EXPECT_EQ(a.ToJson().ToJson(), R"([{"k":1},"hi"])");
  Doc copy;
  ASSERT_TRUE(copy.ApplyUpdate(*doc.EncodeStateAsUpdate()).ok());
  EXPECT_EQ(copy.GetArray("a")->ToJson().ToJson(), R"([{"k":1},"hi"])");
  // Deleting the nested map removes it and its content.
  ASSERT_TRUE(a.Delete(0, 1).ok());
  EXPECT_EQ(a.ToJson().ToJson(), R"(["hi"])");
}

TEST(ArrayTest, ManyRandomEditsStayConsistent) {
  Doc doc(DocOptions{.client_id = 1});
  Array a = *doc.GetArray("a");
  std::vector<int> model;
  uint32_t seed = 1;
  auto rnd = [&](uint32_t n) { return (seed = seed * 1664525 + 1013904223) % n; };
  for (int i = 0; i < 2000; ++i) {
    if (!model.empty() && rnd(3) == 0) {
      uint32_t idx = rnd(static_cast<uint32_t>(model.size()));
      ASSERT_TRUE(a.Delete(idx, 1).ok());
      model.erase(model.begin() + idx);
    } else {
      uint32_t idx = rnd(static_cast<uint32_t>(model.size()) + 1);
      ASSERT_TRUE(a.Insert(idx, {NewValue::Of(i)}).ok());
      model.insert(model.begin() + idx, i);
    }
  }
  ASSERT_EQ(a.Length(), model.size());
  for (size_t i = 0; i < model.size(); i += 37) {
    EXPECT_EQ(a.Get(i)->any.as_number(), model[i]);
  }
}

}  // namespace
}  // namespace accord::crdt
