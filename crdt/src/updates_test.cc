#include "accord/crdt/updates.h"

#include <gtest/gtest.h>

#include <random>

#include "golden_testutil.h"
#include "updates.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::LoadGolden;
using testing::ToHex;

std::vector<std::vector<uint8_t>> HexList(const Any& list) {
  std::vector<std::vector<uint8_t>> out;
  for (const Any& h : list.as_array()) out.push_back(FromHex(h.as_string()));
  return out;
}

std::string Hex(const Result<std::vector<uint8_t>>& r) {
  return r.ok() ? ToHex(*r) : "error: " + r.status().ToString();
}

TEST(UpdatesGoldenTest, MergeUpdatesMatchesYjs) {
  const Any golden = LoadGolden("updates_merge.json");
  ASSERT_GE(golden.as_array().size(), 20u);
  int i = 0;
  for (const Any& c : golden.as_array()) {
    auto v1 = HexList(*c.Find("inputs_v1"));
    auto v2 = HexList(*c.Find("inputs_v2"));
    EXPECT_EQ(Hex(MergeUpdates(v1)), c.Find("v1")->as_string()) << "case " << i;
    EXPECT_EQ(Hex(MergeUpdatesV2(v2)), c.Find("v2")->as_string()) << "case " << i;
    ++i;
  }
}

TEST(UpdatesGoldenTest, DiffUpdateMatchesYjs) {
  const Any golden = LoadGolden("updates_diff.json");
  for (const Any& c : golden.as_array()) {
    std::vector<uint8_t> u1 = FromHex(c.Find("update_v1")->as_string());
    std::vector<uint8_t> u2 = FromHex(c.Find("update_v2")->as_string());
    for (const Any& d : c.Find("diffs")->as_array()) {
      std::vector<uint8_t> sv = FromHex(d.Find("sv")->as_string());
      EXPECT_EQ(Hex(DiffUpdate(u1, sv)), d.Find("v1")->as_string()) << d.Find("sv")->as_string();
      EXPECT_EQ(Hex(DiffUpdateV2(u2, sv)), d.Find("v2")->as_string());
    }
  }
}

TEST(UpdatesGoldenTest, StateVectorAndMetaFromUpdateMatchYjs) {
  const Any golden = LoadGolden("updates_state_vector.json");
  for (const Any& c : golden.as_array()) {
    std::vector<uint8_t> u1 = FromHex(c.Find("update_v1")->as_string());
    std::vector<uint8_t> u2 = FromHex(c.Find("update_v2")->as_string());
    EXPECT_EQ(Hex(EncodeStateVectorFromUpdate(u1)), c.Find("v1")->as_string());
    EXPECT_EQ(Hex(EncodeStateVectorFromUpdateV2(u2)), c.Find("v2")->as_string());
    auto to_sv = [](const Any& pairs) {
      StateVector sv;
      for (const Any& p : pairs.as_array()) {
        sv[std::stoull(p.as_array()[0].as_string())] =
            static_cast<uint64_t>(p.as_array()[1].as_number());
      }
      return sv;
    };
    for (const Result<UpdateMeta>& meta : {ParseUpdateMeta(u1), ParseUpdateMetaV2(u2)}) {
      ASSERT_TRUE(meta.ok()) << meta.status().ToString();
      EXPECT_EQ(meta->from, to_sv(*c.Find("meta_from")));
      EXPECT_EQ(meta->to, to_sv(*c.Find("meta_to")));
    }
  }
}

TEST(UpdatesGoldenTest, ConvertUpdateFormatMatchesYjs) {
  const Any golden = LoadGolden("updates_convert.json");
  for (const Any& c : golden.as_array()) {
    std::vector<uint8_t> u1 = FromHex(c.Find("v1")->as_string());
    std::vector<uint8_t> u2 = FromHex(c.Find("v2")->as_string());
    EXPECT_EQ(Hex(ConvertUpdateFormatV1ToV2(u1)), c.Find("v2")->as_string());
    EXPECT_EQ(Hex(ConvertUpdateFormatV2ToV1(u2)), c.Find("v2_to_v1")->as_string());
  }
  // Whole documents (including GC, ContentJSON, subdocuments, XML) convert as Yjs converts them.
  const Any docs = LoadGolden("updates.json");
  for (const Any& c : docs.as_array()) {
    std::vector<uint8_t> u1 = FromHex(c.Find("v1")->as_string());
    std::vector<uint8_t> u2 = FromHex(c.Find("v2")->as_string());
    EXPECT_EQ(Hex(ConvertUpdateFormatV1ToV2(u1)), c.Find("converted_v2")->as_string())
        << c.Find("name")->as_string();
    EXPECT_EQ(Hex(ConvertUpdateFormatV2ToV1(u2)), c.Find("converted_v1")->as_string())
        << c.Find("name")->as_string();
  }
}

TEST(UpdatesTest, MergeOfOneReturnsItAndOfNoneIsEmpty) {
  std::vector<std::vector<uint8_t>> one = {{0xde, 0xad}};  // not even looked at, as in Yjs
  EXPECT_EQ(Hex(MergeUpdates(one)), "dead");
  EXPECT_EQ(Hex(MergeUpdates({})), "0000");
}

TEST(UpdatesTest, MalformedInputIsCorruptionNeverACrash) {
  const Any golden = LoadGolden("updates_merge.json");
  const Any& c = golden.as_array()[0];
  auto v1 = HexList(*c.Find("inputs_v1"));
  auto v2 = HexList(*c.Find("inputs_v2"));
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    bool use_v2 = round % 2 == 1;
    auto inputs = use_v2 ? v2 : v1;
    for (auto& u : inputs) {
      if (u.empty()) continue;
      if (rng() % 2) u.resize(rng() % u.size());
      for (int f = 0; f < 2; ++f) {
        if (!u.empty()) u[rng() % u.size()] = static_cast<uint8_t>(rng());
      }
    }
    auto check = [](const auto& r) {
      if (!r.ok()) EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
    };
    if (use_v2) {
      check(MergeUpdatesV2(inputs));
      check(ConvertUpdateFormatV2ToV1(inputs[0]));
      check(EncodeStateVectorFromUpdateV2(inputs[0]));
      check(DiffUpdateV2(inputs[0], std::vector<uint8_t>{1, 7, 3}));
      check(ParseUpdateMetaV2(inputs[0]));
      check(ValidateUpdateV2(inputs[0]));
    } else {
      check(MergeUpdates(inputs));
      check(ConvertUpdateFormatV1ToV2(inputs[0]));
      check(EncodeStateVectorFromUpdate(inputs[0]));
      check(DiffUpdate(inputs[0], std::vector<uint8_t>{1, 7, 3}));
      check(ParseUpdateMeta(inputs[0]));
      check(ValidateUpdate(inputs[0]));
    }
  }
}

TEST(UpdatesTest, ValidateUpdateAcceptsWhatYjsWroteAndRefusesEveryTruncation) {
  const Any golden = LoadGolden("updates_merge.json");
  for (const Any& c : golden.as_array()) {
    for (const auto& [key, validate] :
         {std::pair{"inputs_v1", &ValidateUpdate}, std::pair{"inputs_v2", &ValidateUpdateV2}}) {
      const bool v2 = std::string_view(key) == "inputs_v2";
      for (const auto& u : HexList(*c.Find(key))) {
        auto meta = validate(u);
        ASSERT_TRUE(meta.ok()) << key << " " << ToHex(u) << ": " << meta.status().ToString();
        // The same figures as parseUpdateMeta.
        auto parsed = v2 ? ParseUpdateMetaV2(u) : ParseUpdateMeta(u);
        ASSERT_TRUE(parsed.ok());
        EXPECT_EQ(meta->from, parsed->from);
        EXPECT_EQ(meta->to, parsed->to);
        // Every proper prefix lacks part of the structs or of the delete set.
        for (size_t n = 0; n < u.size(); ++n) {
          std::vector<uint8_t> cut(u.begin(), u.begin() + static_cast<ptrdiff_t>(n));
          EXPECT_EQ(validate(cut).status().code(), Status::Code::kCorruption)
              << key << " cut at " << n;
        }
      }
    }
  }
}

TEST(UpdatesTest, ValidateUpdateReadsTheDeleteSet) {
  // No structs; a delete set naming one client whose range count claims 5 ranges, with none
  // following.
  const std::vector<uint8_t> u = {0, 1, 7, 5};
  auto r = ValidateUpdate(u);
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
  EXPECT_TRUE(ParseUpdateMeta(u).ok());  // which stops before the delete set
  // The same with its ranges present is fine.
  const std::vector<uint8_t> whole = {0, 1, 7, 1, 0, 3};
  EXPECT_TRUE(ValidateUpdate(whole).ok());
}

TEST(UpdatesTest, TinyV2UpdateCannotDeclareBillionsOfStructs) {
  // One client with 2^40 GC structs: info column "0" forever, len column "1" for 2^40 values.
  std::vector<uint8_t> u = {0,           // feature flag
                            0,           // key clocks
                            1, 7,        // clients: 7
                            0, 0,        // left / right clocks
                            1, 0,        // info: 0 forever
                            2, 0,    0,  // strings: "" and no lengths
                            0, 0,        // parent info, type refs
                            7, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20,      // lens: run of 1s
                            1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0,    0};  // rest
  Result<std::vector<uint8_t>> r = ConvertUpdateFormatV2ToV1(u);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption);
}

}  // namespace
}  // namespace accord::crdt
