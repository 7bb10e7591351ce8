#include "lib0_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "golden_testutil.h"
#include "lib0_decoder.h"

namespace accord::crdt {
namespace {

using testing::FromTagged;
using testing::LoadGolden;
using testing::ParseNum;
using testing::ToHex;

class Lib0EncoderGoldenTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { golden_ = new Any(LoadGolden("lib0_primitives.json")); }
  static void TearDownTestSuite() { delete golden_; }
  static const AnyArray& Cases(const char* key) { return golden_->Find(key)->as_array(); }
  static Any* golden_;
};
Any* Lib0EncoderGoldenTest::golden_ = nullptr;

TEST_F(Lib0EncoderGoldenTest, VarUint) {
  for (const Any& c : Cases("varuint")) {
    Lib0Encoder e;
    e.WriteVarUint(static_cast<uint64_t>(ParseNum(c.Find("v")->as_string())));
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string()) << c.Find("v")->as_string();
  }
}

TEST_F(Lib0EncoderGoldenTest, VarInt) {
  for (const Any& c : Cases("varint")) {
    double d = ParseNum(c.Find("v")->as_string());
    Lib0Encoder e;
    if (d == 0) {
      e.WriteVarIntSignMagnitude(std::signbit(d), 0);  // -0 is only expressible this way
    } else {
      e.WriteVarInt(static_cast<int64_t>(d));
    }
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string()) << c.Find("v")->as_string();
  }
}

TEST_F(Lib0EncoderGoldenTest, VarString) {
  for (const Any& c : Cases("varstring")) {
    Lib0Encoder e;
    e.WriteVarString(c.Find("s")->as_string());
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string());
  }
}

TEST_F(Lib0EncoderGoldenTest, Floats) {
  for (const Any& c : Cases("float32")) {
    Lib0Encoder e;
    e.WriteFloat32(static_cast<float>(ParseNum(c.Find("v")->as_string())));
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string()) << c.Find("v")->as_string();
  }
  for (const Any& c : Cases("float64")) {
    Lib0Encoder e;
    e.WriteFloat64(ParseNum(c.Find("v")->as_string()));
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string()) << c.Find("v")->as_string();
  }
}

TEST_F(Lib0EncoderGoldenTest, BigInt64) {
  for (const Any& c : Cases("bigint64")) {
    Lib0Encoder e;
    e.WriteBigInt64(std::stoll(c.Find("v")->as_string()));
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string());
  }
}

TEST_F(Lib0EncoderGoldenTest, WriteAny) {
  ASSERT_GT(Cases("any").size(), 50u);
  for (const Any& c : Cases("any")) {
    Any value = FromTagged(*c.Find("value"));
    Lib0Encoder e;
    e.WriteAny(value);
    EXPECT_EQ(ToHex(e.bytes()), c.Find("hex")->as_string()) << value.ToJson();
  }
}

TEST(Lib0EncoderTest, AnyNumberClassification) {
  auto tag = [](double d) {
    Lib0Encoder e;
    e.WriteAny(Any(d));
    return e.bytes()[0];
  };
  EXPECT_EQ(tag(2147483647.0), 125);
  EXPECT_EQ(tag(-2147483647.0), 125);
  EXPECT_EQ(tag(2147483648.0), 124);  // exact in float32
  EXPECT_EQ(tag(2147483649.0), 123);
  EXPECT_EQ(tag(0.5), 124);
  EXPECT_EQ(tag(0.1), 123);
  EXPECT_EQ(tag(1e300), 123);  // beyond float32 range: no undefined cast
  EXPECT_EQ(tag(std::numeric_limits<double>::infinity()), 124);
  EXPECT_EQ(tag(std::numeric_limits<double>::quiet_NaN()), 123);
}

TEST(Lib0EncoderTest, VarUintBeyond53Bits) {
  Lib0Encoder e;
  e.WriteVarUint(UINT64_MAX);
  ASSERT_EQ(e.size(), 10u);
  EXPECT_EQ(e.bytes().back(), 0x01);
}

// Reference lib0 varUint, written out independently of the encoder.
void AppendVarUintReference(std::vector<uint8_t>* out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out->push_back(v > 0 ? (b | 0x80) : b);
  } while (v > 0);
}

TEST(Lib0EncoderTest, WriteUpTo16WritesOnlyTheFirstNBytesAcrossChunks) {
  const uint8_t src[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  Lib0Encoder e;
  std::vector<uint8_t> want;
  for (size_t i = 0; i < 20000; ++i) {
    const size_t n = i % 17;
    e.WriteUpTo16(src, n);
    want.insert(want.end(), src, src + n);
    e.WriteUint8(0xee);
    want.push_back(0xee);
  }
  ASSERT_EQ(e.size(), want.size());
  EXPECT_TRUE(e.bytes() == want);
}

TEST(Lib0EncoderTest, ReserveAndCommitWriteLikeTheSingleFieldWriters) {
  Lib0Encoder fused;
  Lib0Encoder plain;
  for (uint64_t i = 0; i < 30000; ++i) {
    const uint64_t a = i << (i % 50);
    const uint64_t b = UINT64_MAX >> (i % 64);
    uint8_t* p = fused.Reserve(1 + 2 * Lib0Encoder::kMaxVarUintBytes);
    *p++ = static_cast<uint8_t>(i);
    p = Lib0Encoder::PutVarUint(p, a);
    p = Lib0Encoder::PutVarUint(p, b);
    fused.Commit(p);
    plain.WriteUint8(static_cast<uint8_t>(i));
    plain.WriteVarUint(a);
    plain.WriteVarUint(b);
  }
  ASSERT_EQ(fused.size(), plain.size());
  EXPECT_TRUE(fused.bytes() == plain.bytes());
}

TEST(Lib0EncoderTest, LargeOutputsSpanningManyChunksAreJoinedInOrder) {
  Lib0Encoder e;
  std::vector<uint8_t> want;
  std::string text;
  for (uint64_t i = 0; i < 60000; ++i) {
    e.WriteVarUint(i * 977);
    AppendVarUintReference(&want, i * 977);
    if (i % 1000 == 0) {
      // A raw write larger than any chunk.
      text.assign(100000 + i, static_cast<char>('a' + i % 26));
      e.WriteVarString(text);
      AppendVarUintReference(&want, text.size());
      want.insert(want.end(), text.begin(), text.end());
    }
    e.WriteUint8(static_cast<uint8_t>(i));
    want.push_back(static_cast<uint8_t>(i));
  }
  ASSERT_EQ(e.size(), want.size());
  EXPECT_TRUE(e.bytes() == want);
  std::vector<uint8_t> appended = {42};
  e.AppendTo(&appended);
  ASSERT_EQ(appended.size(), want.size() + 1);
  EXPECT_TRUE(std::equal(want.begin(), want.end(), appended.begin() + 1));
  Lib0Encoder moved = std::move(e);
  EXPECT_TRUE(moved.TakeBytes() == want);
  EXPECT_TRUE(moved.empty());
  // The encoder is reusable after TakeBytes / Clear, and a moved-from one is empty.
  moved.WriteVarUint(300);
  EXPECT_EQ(moved.TakeBytes(), (std::vector<uint8_t>{0xac, 0x02}));
  EXPECT_TRUE(e.empty());
  e.WriteUint8(7);
  e.Clear();
  e.WriteUint8(8);
  EXPECT_EQ(e.bytes(), std::vector<uint8_t>{8});
}

TEST(Lib0EncoderTest, LargeResultsComeOutWhole) {
  // Large enough to be prefaulted (prefault.h) before the chunks are joined into it.
  Lib0Encoder e;
  for (uint32_t i = 0; i < 200000; ++i) e.WriteVarUint(i);
  std::vector<uint8_t> out = e.TakeBytes();
  Lib0Decoder d(out);
  for (uint32_t i = 0; i < 200000; ++i) ASSERT_EQ(d.ReadVarUint(), i);
}

}  // namespace
}  // namespace accord::crdt
