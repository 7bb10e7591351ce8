#include "transaction.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

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

TEST(TransactionTest, AddDeletedFusesRangesThatTouchTheClientsLastOne) {
  Doc doc(DocOptions{.client_id = 1});
  Transaction txn(doc.internal(), nullptr, true);
  txn.AddDeleted(7, 10, 2);  // [10, 12)
  txn.AddDeleted(7, 12, 3);  // adjoins on the right: [10, 15)
  txn.AddDeleted(7, 8, 2);   // adjoins on the left (backspacing): [8, 15)
  txn.AddDeleted(7, 9, 10);  // overlaps and extends: [8, 19)
  txn.AddDeleted(5, 19, 1);  // another client: its own list
  txn.AddDeleted(7, 30, 1);  // a gap: a new range
  txn.AddDeleted(7, 31, 1);  // fused with the new last range
  txn.AddDeleted(7, 20, 1);  // touches neither last range end: appended
  const auto& clients = txn.delete_set.clients();
  EXPECT_EQ(clients.at(7), (std::vector<DeleteItem>{{8, 11}, {30, 2}, {20, 1}}));
  EXPECT_EQ(clients.at(5), (std::vector<DeleteItem>{{19, 1}}));
  // Clients in the order they first deleted something.
  EXPECT_EQ(txn.delete_order, (std::vector<uint64_t>{7, 5}));
}

TEST(TransactionTest, AddDeletedLeavesTheMergedDeleteSetUnchanged) {
  // Random ranges, many of them touching: after SortAndMerge (which runs before anything reads
  // a transaction's delete set) the fused set equals the plainly appended one.
  std::mt19937 gen(42);
  for (int round = 0; round < 200; ++round) {
    Doc doc(DocOptions{.client_id = 1});
    Transaction txn(doc.internal(), nullptr, true);
    DeleteSet plain;
    uint64_t cursor = gen() % 50;
    for (int k = 0; k < 40; ++k) {
      const uint64_t client = gen() % 3;
      const uint64_t len = gen() % 4;  // includes empty ranges
      switch (gen() % 4) {
        case 0:  // forwards
          break;
        case 1:  // backwards
          cursor = cursor >= len ? cursor - len : 0;
          break;
        default:  // anywhere
          cursor = gen() % 60;
      }
      txn.AddDeleted(client, cursor, len);
      plain.Add(client, cursor, len);
      if (gen() % 2 == 0) cursor += len;
    }
    txn.delete_set.SortAndMerge();
    plain.SortAndMerge();
    EXPECT_EQ(txn.delete_set, plain) << "round " << round;
  }
}

TEST(TransactionTest, DeletingARunEmitsTheUpdateYjsEmits) {
  Doc doc(DocOptions{.client_id = 1});
  Text t = *doc.GetText("t");
  ASSERT_TRUE(t.Insert(0, "abcdef").ok());
  std::vector<std::vector<uint8_t>> updates;
  doc.OnUpdate(
      [&](std::span<const uint8_t> u, const void*) { updates.emplace_back(u.begin(), u.end()); });
  // Backspacing three characters, then deleting one ahead, in one transaction: one range.
  doc.Transact([&] {
    ASSERT_TRUE(t.Delete(4, 1).ok());
    ASSERT_TRUE(t.Delete(3, 1).ok());
    ASSERT_TRUE(t.Delete(2, 1).ok());
    ASSERT_TRUE(t.Delete(2, 1).ok());
  });
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(t.ToString(), "ab");
  // No structs; delete set {client 1: [(2, 4)]}, as Yjs writes it.
  EXPECT_EQ(testing::ToHex(updates[0]), "000101010204");
}

}  // namespace
}  // namespace accord::crdt
