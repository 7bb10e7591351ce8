#include "accord/crdt/state_vector.h"

#include <gtest/gtest.h>

#include "golden_testutil.h"
#include "state_vector.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::LoadGolden;
using testing::ToHex;

TEST(StateVectorGoldenTest, RoundTripsYjsStateVectors) {
  const Any golden = LoadGolden("updates.json");
  for (const Any& c : golden.as_array()) {
    std::vector<uint8_t> bytes = FromHex(c.Find("state_vector")->as_string());
    Result<StateVector> sv = DecodeStateVector(bytes);
    ASSERT_TRUE(sv.ok()) << sv.status().ToString();
    EXPECT_EQ(ToHex(EncodeStateVector(*sv)), ToHex(bytes));
  }
}

TEST(StateVectorTest, EncodesClientsInDescendingOrder) {
  StateVector sv = {{1, 5}, {300, 2}, {2, 0}};
  EXPECT_EQ(ToHex(EncodeStateVector(sv)), "03ac020202000105");
  EXPECT_EQ(ToHex(EncodeStateVector({})), "00");
}

TEST(StateVectorTest, DecodeAsYjs) {
  // Repeated client: the last clock wins; trailing bytes are ignored.
  std::vector<uint8_t> bytes = {2, 1, 5, 1, 7, 0xaa};
  Result<StateVector> sv = DecodeStateVector(bytes);
  ASSERT_TRUE(sv.ok());
  EXPECT_EQ(*sv, (StateVector{{1, 7}}));
}

TEST(StateVectorTest, MalformedInputIsCorruption) {
  std::vector<uint8_t> full = EncodeStateVector({{1, 5}, {300, 2}});
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> prefix(full.begin(), full.begin() + n);
    Result<StateVector> sv = DecodeStateVector(prefix);
    ASSERT_FALSE(sv.ok()) << n;
    EXPECT_EQ(sv.status().code(), Status::Code::kCorruption);
  }
  std::vector<uint8_t> huge = {0xff, 0xff, 0xff, 0xff, 0x0f};
  EXPECT_FALSE(DecodeStateVector(huge).ok());
}

}  // namespace
}  // namespace accord::crdt
