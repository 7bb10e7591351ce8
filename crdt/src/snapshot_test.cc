// Tests for snapshot.cc. Reference bytes come from Yjs 13.6.33 through
// tests/node/tools/gen-snapshot-golden.mjs (run it to regenerate the constants below).
#include "accord/crdt/snapshot.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "accord/crdt/doc.h"

namespace accord::crdt {
namespace {

std::vector<uint8_t> FromHex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

constexpr char kUpdate[] =
    "0201ac0200c407040705042062696707070004010174026865840701016c840702016c840703016f840704012084"
    "070503776f72840708026c64010703000203010603";
constexpr char kSnapshotV1[] = "01070300020301060302ac0204070b";
constexpr char kSnapshotV2[] = "01070300010100020202ac0204070b";

TEST(SnapshotTest, TakeSnapshotMatchesYjsBytes) {
  Doc doc;
  ASSERT_TRUE(doc.GetText("t").ok());
  ASSERT_TRUE(doc.ApplyUpdate(FromHex(kUpdate)).ok());
  Snapshot s = TakeSnapshot(doc);
  EXPECT_EQ(EncodeSnapshot(s), FromHex(kSnapshotV1));
  EXPECT_EQ(EncodeSnapshotV2(s), FromHex(kSnapshotV2));
}

TEST(SnapshotTest, DecodeRoundTrips) {
  Result<Snapshot> v1 = DecodeSnapshot(FromHex(kSnapshotV1));
  Result<Snapshot> v2 = DecodeSnapshotV2(FromHex(kSnapshotV2));
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(v2.ok());
  EXPECT_TRUE(EqualSnapshots(*v1, *v2));
  EXPECT_EQ(EncodeSnapshot(*v2), FromHex(kSnapshotV1));
  EXPECT_EQ(EncodeSnapshotV2(*v1), FromHex(kSnapshotV2));
  EXPECT_EQ(v1->sv.at(300), 4u);
  EXPECT_EQ(v1->sv.at(7), 11u);
}

TEST(SnapshotTest, EmptySnapshot) {
  EXPECT_EQ(EncodeSnapshot(EmptySnapshot()), FromHex("0000"));
  EXPECT_EQ(EncodeSnapshotV2(EmptySnapshot()), FromHex("0000"));
  EXPECT_FALSE(EqualSnapshots(EmptySnapshot(), *DecodeSnapshot(FromHex(kSnapshotV1))));
}

TEST(SnapshotTest, HostileBytesAreCorruption) {
  const std::vector<uint8_t> full = FromHex(kSnapshotV1);
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + n);
    EXPECT_FALSE(DecodeSnapshot(cut).ok()) << n;
  }
  std::vector<uint8_t> huge = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x01};
  EXPECT_FALSE(DecodeSnapshot(huge).ok());
  EXPECT_FALSE(DecodeSnapshotV2(huge).ok());
  for (int b = 0; b < 256; ++b) {
    std::vector<uint8_t> bytes = FromHex(kSnapshotV2);
    bytes[3] = static_cast<uint8_t>(b);
    (void)DecodeSnapshotV2(bytes);  // must not crash or over-allocate
  }
}

constexpr char kUpdateLater[] =
    "0202ac0200c4070407050120c4ac0200070503626967060700040101740568656c6c6f840704012084070503776f"
    "72840708026c64c4ac0200ac02010158c4070bac020102595a02ac020100010703000506030b01";
constexpr char kFromSnapshot[] =
    "0201ac0200c40704070504206269670707000101017402840701016c81070201840703016f840704012081070503"
    "840708026c64010703000203010603";

TEST(SnapshotTest, CreateDocFromSnapshotMatchesYjs) {
  DocOptions options;
  options.gc = false;
  Doc origin(options);
  ASSERT_TRUE(origin.ApplyUpdate(FromHex(kUpdateLater)).ok());
  const std::vector<uint8_t> before = *origin.EncodeStateAsUpdate();
  Result<Snapshot> snap = DecodeSnapshot(FromHex(kSnapshotV1));
  ASSERT_TRUE(snap.ok());
  Doc out;
  ASSERT_TRUE(CreateDocFromSnapshot(origin, *snap, out).ok());
  EXPECT_EQ(*out.EncodeStateAsUpdate(), FromHex(kFromSnapshot));
  EXPECT_EQ(*origin.EncodeStateAsUpdate(), before);  // splits are merged back

  Doc gc_on;
  ASSERT_TRUE(gc_on.ApplyUpdate(FromHex(kUpdateLater)).ok());
  Doc out2;
  EXPECT_EQ(CreateDocFromSnapshot(gc_on, *snap, out2).code(), Status::Code::kFailedPrecondition);
  Snapshot ahead = *snap;
  ahead.sv[7] = 1000;
  EXPECT_FALSE(CreateDocFromSnapshot(origin, ahead, out2).ok());
}

TEST(SnapshotTest, SnapshotContainsUpdateMatchesYjs) {
  Snapshot snap = *DecodeSnapshot(FromHex(kSnapshotV1));
  EXPECT_TRUE(*SnapshotContainsUpdate(snap, FromHex(kUpdate)));        // Yjs: true
  EXPECT_FALSE(*SnapshotContainsUpdate(snap, FromHex(kUpdateLater)));  // Yjs: false
  EXPECT_FALSE(SnapshotContainsUpdate(snap, FromHex("02ff")).ok());
}

}  // namespace
}  // namespace accord::crdt
