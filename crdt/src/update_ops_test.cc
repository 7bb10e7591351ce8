#include "update_ops.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"

namespace accord::crdt {
namespace {

TEST(UpdateOpsTest, MergeAndConvertAgreeWithTheDocument) {
  Doc a(DocOptions{.client_id = 1});
  std::vector<std::vector<uint8_t>> v2;
  a.OnUpdate([&](std::span<const uint8_t> u, const void*) { v2.emplace_back(u.begin(), u.end()); },
             UpdateFormat::kV2);
  ASSERT_TRUE(a.GetText("t")->Insert(0, "ab").ok());
  ASSERT_TRUE(a.GetText("t")->Insert(2, "cd").ok());
  // Merged updates keep the items apart (lazy merging does not join items), but applying them
  // gives the same document.
  std::vector<uint8_t> merged = MergeV2Updates(v2);
  Doc b;
  ASSERT_TRUE(b.ApplyUpdate(merged, UpdateFormat::kV2).ok());
  EXPECT_EQ(*b.EncodeStateAsUpdate(), *a.EncodeStateAsUpdate());
  Doc c;
  ASSERT_TRUE(c.ApplyUpdate(ConvertV2ToV1(merged)).ok());
  EXPECT_EQ(*c.EncodeStateAsUpdate(), *a.EncodeStateAsUpdate());
  Doc d;
  ASSERT_TRUE(d.ApplyUpdate(DiffV2Update(merged, StateVector{{1, 2}}), UpdateFormat::kV2).ok());
  EXPECT_TRUE(d.HasPending());  // the part after clock 2 depends on what was left out
}

}  // namespace
}  // namespace accord::crdt
