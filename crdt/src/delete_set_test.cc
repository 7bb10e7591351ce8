#include "delete_set.h"

#include <gtest/gtest.h>

#include "golden_testutil.h"
#include "state_vector.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::LoadGolden;
using testing::ToHex;

TEST(DeleteSetTest, SortAndMergeFusesOverlappingAndAdjacentRanges) {
  DeleteSet ds;
  ds.Add(1, 10, 2);
  ds.Add(1, 0, 3);
  ds.Add(1, 3, 1);   // adjacent to [0,3)
  ds.Add(1, 11, 5);  // overlaps [10,12)
  ds.Add(1, 20, 1);
  ds.Add(2, 5, 1);
  ds.SortAndMerge();
  EXPECT_EQ(ds.clients().at(1), (std::vector<DeleteItem>{{0, 4}, {10, 6}, {20, 1}}));
  EXPECT_EQ(ds.clients().at(2), (std::vector<DeleteItem>{{5, 1}}));
  EXPECT_TRUE(ds.IsDeleted(1, 0));
  EXPECT_TRUE(ds.IsDeleted(1, 3));
  EXPECT_FALSE(ds.IsDeleted(1, 4));
  EXPECT_TRUE(ds.IsDeleted(1, 15));
  EXPECT_FALSE(ds.IsDeleted(1, 16));
  EXPECT_TRUE(ds.IsDeleted(1, 20));
  EXPECT_FALSE(ds.IsDeleted(1, 21));
  EXPECT_FALSE(ds.IsDeleted(3, 0));
  // A range contained in another does not shrink it.
  DeleteSet contained;
  contained.Add(4, 0, 10);
  contained.Add(4, 2, 3);
  contained.SortAndMerge();
  EXPECT_EQ(contained.clients().at(4), (std::vector<DeleteItem>{{0, 10}}));
}

TEST(DeleteSetTest, MergeIsTheSortedUnion) {
  DeleteSet a, b, c;
  a.Add(1, 0, 2);
  b.Add(1, 2, 2);
  b.Add(7, 5, 5);
  c.Add(7, 0, 1);
  c.Add(1, 8, 1);
  std::vector<DeleteSet> sets = {a, b, c};
  DeleteSet m = DeleteSet::Merge(sets);
  EXPECT_EQ(m.clients().at(1), (std::vector<DeleteItem>{{0, 4}, {8, 1}}));
  EXPECT_EQ(m.clients().at(7), (std::vector<DeleteItem>{{0, 1}, {5, 5}}));
  EXPECT_TRUE(DeleteSet::Merge({}).empty());
}

TEST(DeleteSetTest, FindIndexOnEmptyAndSingle) {
  EXPECT_EQ(FindDeleteItemIndex({}, 0), -1);
  std::vector<DeleteItem> one = {{5, 2}};
  EXPECT_EQ(FindDeleteItemIndex(one, 4), -1);
  EXPECT_EQ(FindDeleteItemIndex(one, 6), 0);
  EXPECT_EQ(FindDeleteItemIndex(one, 7), -1);
}

// Yjs snapshots are writeDeleteSet + writeStateVector on a DS coder: golden delete sets.
TEST(DeleteSetGoldenTest, SnapshotsRoundTrip) {
  const Any golden = LoadGolden("updates.json");
  int nonempty = 0;
  for (const Any& c : golden.as_array()) {
    const std::string& name = c.Find("name")->as_string();
    for (bool v2 : {false, true}) {
      std::vector<uint8_t> bytes = FromHex(c.Find(v2 ? "snapshot_v2" : "snapshot_v1")->as_string());
      auto dec = v2 ? NewDsDecoderV2(bytes) : NewUpdateDecoderV1(bytes);
      DeleteSet ds = ReadDeleteSet(*dec);
      StateVector sv = ReadStateVector(*dec);
      EXPECT_TRUE(dec->RestEmpty()) << name;
      if (!ds.empty()) ++nonempty;
      // The snapshot's state vector is the document's.
      EXPECT_EQ(ToHex(EncodeStateVector(sv)), c.Find("state_vector")->as_string()) << name;
      auto enc = v2 ? NewDsEncoderV2() : NewUpdateEncoderV1();
      WriteDeleteSet(*enc, ds);
      WriteStateVector(*enc, sv);
      EXPECT_EQ(ToHex(enc->ToBytes()), ToHex(bytes)) << name << (v2 ? " v2" : " v1");
      // Yjs's delete sets are sorted and merged already.
      DeleteSet merged = ds;
      merged.SortAndMerge();
      EXPECT_EQ(merged, ds) << name;
    }
  }
  EXPECT_GT(nonempty, 5);
}

TEST(DeleteSetTest, ReadSkipsEmptyClientsAndAppendsRepeatedOnes) {
  auto enc = NewUpdateEncoderV1();
  enc->WriteRestVarUint(3);
  for (uint64_t client : {5, 6, 5}) {
    enc->WriteRestVarUint(client);
    enc->WriteRestVarUint(client == 6 ? 0 : 1);
    if (client == 5) {
      enc->WriteDsClock(client == 5 ? 1 : 0);
      enc->WriteDsLen(1);
    }
  }
  std::vector<uint8_t> bytes = enc->ToBytes();
  DeleteSet ds = ReadDeleteSet(*NewUpdateDecoderV1(bytes));
  EXPECT_EQ(ds.clients().size(), 1u);
  EXPECT_EQ(ds.clients().at(5).size(), 2u);
}

TEST(DeleteSetTest, HostileCountsEndWithDecodeError) {
  std::vector<uint8_t> bytes = {1, 5, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 0};
  EXPECT_THROW(ReadDeleteSet(*NewUpdateDecoderV1(bytes)), DecodeError);
  EXPECT_THROW(ReadDeleteSet(*NewDsDecoderV2(bytes)), DecodeError);
  DeleteSet zero;
  zero.Add(1, 0, 0);
  EXPECT_THROW(WriteDeleteSet(*NewDsEncoderV2(), zero), DecodeError);  // as Yjs refuses it
}

}  // namespace
}  // namespace accord::crdt
