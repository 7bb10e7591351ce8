#include "transaction.h"

#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "doc_impl.h"
#include "golden_testutil.h"

namespace accord::crdt {
namespace {

TEST(TransactionTest, UpdateCarriesOnlyTheTransactionsChanges) {
  Doc doc(DocOptions{.client_id = 1});
  ASSERT_TRUE(doc.GetText("t")->Insert(0, "abc").ok());
  std::vector<std::vector<uint8_t>> updates;
  doc.OnUpdate(
      [&](std::span<const uint8_t> u, const void*) { updates.emplace_back(u.begin(), u.end()); });
  ASSERT_TRUE(doc.GetText("t")->Delete(1, 1).ok());
  ASSERT_EQ(updates.size(), 1u);
  // As Yjs 13.6.33 emits it: no structs; delete set {client 1: [(1, 1)]}.
  EXPECT_EQ(testing::ToHex(updates[0]), "000101010101");
}

TEST(TransactionTest, ChangedTypesAndOrigin) {
  Doc doc(DocOptions{.client_id = 1});
  int origin_tag = 0;
  std::vector<TransactionInfo> seen;
  doc.OnAfterTransaction([&](const TransactionInfo& info) { seen.push_back(info); });
  Map m = *doc.GetMap("m");
  doc.Transact([&] { ASSERT_TRUE(m.Set("a", NewValue::Of(1)).ok()); }, &origin_tag);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].origin, &origin_tag);
  EXPECT_TRUE(seen[0].local);
  ASSERT_EQ(seen[0].changed.size(), 1u);
  EXPECT_EQ(seen[0].changed[0], m);
  EXPECT_EQ(seen[0].after_state.at(1), 1u);
}

TEST(TransactionTest, EmptyTransactionEmitsNothing) {
  Doc doc;
  int n = 0;
  doc.OnUpdate([&](std::span<const uint8_t>, const void*) { ++n; });
  doc.Transact([] {});
  EXPECT_EQ(n, 0);
}

}  // namespace
}  // namespace accord::crdt
