#include "update_ops.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "accord/crdt/updates.h"

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

// A v1 update of `n` GC structs of client 5 from clock 1 (so a fresh document parks them all):
// two bytes per struct in v1, a few bytes in all once v2's run-length columns hold them.
std::vector<uint8_t> ManyParkedStructsV1(uint64_t n) {
  std::vector<uint8_t> u = {1};     // one client
  for (uint64_t v = n;; v >>= 7) {  // struct count, varuint
    if (v < 0x80) {
      u.push_back(static_cast<uint8_t>(v));
      break;
    }
    u.push_back(static_cast<uint8_t>(0x80 | (v & 0x7f)));
  }
  u.insert(u.end(), {5, 1});                                   // client 5, first clock 1
  for (uint64_t i = 0; i < n; ++i) u.insert(u.end(), {0, 1});  // GC of length 1
  u.push_back(0);                                              // empty delete set
  return u;
}

// The document's pending state, kept as v2, can be far smaller than the update that brought it;
// the struct bound for untrusted bytes must not apply to it (found by update_v2_fuzzer: the
// document accepted an update and then could not encode its state).
TEST(UpdateOpsTest, OwnPendingStateHasNoStructBoundBySize) {
  const std::vector<uint8_t> v1 = ManyParkedStructsV1(20000);
  Doc doc(DocOptions{.client_id = 1});
  ASSERT_TRUE(doc.ApplyUpdate(v1).ok());
  ASSERT_TRUE(doc.HasPending());
  Result<std::vector<uint8_t>> state = doc.EncodeStateAsUpdate();
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  Result<std::vector<uint8_t>> state_v2 = doc.EncodeStateAsUpdate({}, UpdateFormat::kV2);
  ASSERT_TRUE(state_v2.ok()) << state_v2.status().ToString();
  EXPECT_LT(state_v2->size(), 200u);
  // A further update still merges with the parked structs.
  EXPECT_TRUE(doc.ApplyUpdate(ManyParkedStructsV1(3)).ok());
  // The same compact bytes from outside remain bounded.
  std::vector<std::vector<uint8_t>> twice = {*state_v2, *state_v2};
  EXPECT_FALSE(MergeUpdatesV2(twice).ok());
  EXPECT_EQ(MergeV2Updates(twice).size(), state_v2->size());
}

}  // namespace
}  // namespace accord::crdt
