#include "update_coder.h"

#include <gtest/gtest.h>

#include <random>

#include "delete_set.h"
#include "golden_testutil.h"
#include "update_coder_impl.h"

namespace accord::crdt {
namespace {

using testing::FromHex;
using testing::LoadGolden;
using testing::ToHex;

// Reads every field of an update (structs, then the delete set) with `dec` and writes it again
// with `enc`, following Yjs's struct layout (readClientsStructRefs / Item.write). Checks the
// coders in isolation from any document model.
void Transcode(UpdateDecoder& dec, UpdateEncoder& enc) {
  uint64_t num_clients = dec.ReadRestVarUint();
  enc.WriteRestVarUint(num_clients);
  for (uint64_t c = 0; c < num_clients; ++c) {
    uint64_t num_structs = dec.ReadRestVarUint();
    // v2 columns can repeat a value forever, so a corrupted count could spin without consuming
    // input; the goldens are far below this.
    if (num_structs > 100000) throw DecodeError("too many structs for a test update");
    enc.WriteRestVarUint(num_structs);
    enc.WriteClient(dec.ReadClient());
    enc.WriteRestVarUint(dec.ReadRestVarUint());  // first clock
    for (uint64_t s = 0; s < num_structs; ++s) {
      uint8_t info = dec.ReadInfo();
      enc.WriteInfo(info);
      switch (info & 0x1f) {
        case 0:  // GC
          enc.WriteLen(dec.ReadLen());
          continue;
        case 10:  // Skip
          enc.WriteRestVarUint(dec.ReadRestVarUint());
          continue;
      }
      if (info & 0x80) enc.WriteLeftId(dec.ReadLeftId());
      if (info & 0x40) enc.WriteRightId(dec.ReadRightId());
      if ((info & 0xc0) == 0) {
        bool is_ykey = dec.ReadParentInfo();
        enc.WriteParentInfo(is_ykey);
        if (is_ykey) {
          enc.WriteString(dec.ReadString());
        } else {
          enc.WriteLeftId(dec.ReadLeftId());
        }
        if (info & 0x20) enc.WriteString(dec.ReadString());
      }
      switch (info & 0x1f) {
        case 1:  // deleted
          enc.WriteLen(dec.ReadLen());
          break;
        case 2: {  // JSON
          uint64_t len = dec.ReadLen();
          enc.WriteLen(len);
          for (uint64_t i = 0; i < len; ++i) enc.WriteString(dec.ReadString());
          break;
        }
        case 3:
          enc.WriteBuf(dec.ReadBuf());
          break;
        case 4:
          enc.WriteString(dec.ReadString());
          break;
        case 5:
          enc.WriteJson(dec.ReadJson());
          break;
        case 6:
          enc.WriteKey(dec.ReadKey());
          enc.WriteJson(dec.ReadJson());
          break;
        case 7: {
          uint8_t ref = dec.ReadTypeRef();
          enc.WriteTypeRef(ref);
          if (ref == 3 || ref == 5) enc.WriteKey(dec.ReadKey());  // XmlElement / XmlHook name
          break;
        }
        case 8: {
          uint64_t len = dec.ReadLen();
          enc.WriteLen(len);
          for (uint64_t i = 0; i < len; ++i) enc.WriteAny(dec.ReadAny());
          break;
        }
        case 9:
          enc.WriteString(dec.ReadString());
          enc.WriteAny(dec.ReadAny());
          break;
        default:
          throw DecodeError("unknown content ref");
      }
    }
  }
  WriteDeleteSet(enc, ReadDeleteSet(dec));
}

std::vector<uint8_t> TranscodeBytes(std::span<const uint8_t> update, bool from_v2, bool to_v2) {
  auto dec = from_v2 ? NewUpdateDecoderV2(update) : NewUpdateDecoderV1(update);
  auto enc = to_v2 ? NewUpdateEncoderV2() : NewUpdateEncoderV1();
  Transcode(*dec, *enc);
  if (!dec->RestEmpty()) throw DecodeError("trailing bytes");
  return enc->ToBytes();
}

const AnyArray& Updates() {
  static const Any* golden = new Any(LoadGolden("updates.json"));
  return golden->as_array();
}

TEST(UpdateCoderGoldenTest, DecodesAndReencodesYjsUpdatesByteForByte) {
  ASSERT_GE(Updates().size(), 10u);
  for (const Any& c : Updates()) {
    const std::string& name = c.Find("name")->as_string();
    std::vector<uint8_t> v1 = FromHex(c.Find("v1")->as_string());
    std::vector<uint8_t> v2 = FromHex(c.Find("v2")->as_string());
    EXPECT_EQ(ToHex(TranscodeBytes(v1, false, false)), ToHex(v1)) << name;
    EXPECT_EQ(ToHex(TranscodeBytes(v2, true, true)), ToHex(v2)) << name;
    // The same document in the other format: Yjs writes the same struct sequence for both.
    EXPECT_EQ(ToHex(TranscodeBytes(v1, false, true)), ToHex(v2)) << name;
    EXPECT_EQ(ToHex(TranscodeBytes(v2, true, false)), ToHex(v1)) << name;
  }
}

TEST(UpdateCoderGoldenTest, EveryTruncationThrowsDecodeError) {
  for (const Any& c : Updates()) {
    for (const char* format : {"v1", "v2"}) {
      std::vector<uint8_t> bytes = FromHex(c.Find(format)->as_string());
      bool v2 = format[1] == '2';
      for (size_t n = 0; n < bytes.size(); ++n) {
        // A fresh copy of exactly n bytes, so ASan sees any read past the end.
        std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + n);
        EXPECT_THROW(TranscodeBytes(prefix, v2, v2), DecodeError)
            << c.Find("name")->as_string() << " " << format << " cut at " << n;
      }
    }
  }
}

TEST(UpdateCoderTest, RandomCorruptionNeverCrashes) {
  std::mt19937 rng(1234);
  int errors = 0, total = 0;
  for (const Any& c : Updates()) {
    for (const char* format : {"v1", "v2"}) {
      std::vector<uint8_t> bytes = FromHex(c.Find(format)->as_string());
      bool v2 = format[1] == '2';
      for (int round = 0; round < 60; ++round) {
        std::vector<uint8_t> mutated = bytes;
        int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f)
          mutated[rng() % mutated.size()] = static_cast<uint8_t>(rng());
        ++total;
        try {
          TranscodeBytes(mutated, v2, v2);
        } catch (const DecodeError&) {
          ++errors;
        }
      }
    }
  }
  EXPECT_GT(errors, 0);
  EXPECT_GT(total, 0);
}

TEST(UpdateCoderTest, V1IdsRepeatingOrChangingClientsReadBack) {
  // The v1 encoder keeps the last id client's bytes; switching clients must not reuse them.
  const std::vector<Id> ids = {
      {0x9e3779b9, 7}, {0x9e3779b9, 300},        {1, 0}, {0x9e3779b9, 1}, {UINT64_MAX, 2},
      {0, 5},          {uint64_t{1} << 53, 128}, {0, 6}, {0x9e3779b9, 9}};
  auto encoder = NewUpdateEncoderV1();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i % 2 == 0) {
      encoder->WriteLeftId(ids[i]);
    } else {
      encoder->WriteRightId(ids[i]);
    }
  }
  const std::vector<uint8_t> bytes = encoder->ToBytes();
  auto decoder = NewUpdateDecoderV1(bytes);
  for (size_t i = 0; i < ids.size(); ++i) {
    const Id got = i % 2 == 0 ? decoder->ReadLeftId() : decoder->ReadRightId();
    EXPECT_EQ(got.client, ids[i].client) << i;
    EXPECT_EQ(got.clock, ids[i].clock) << i;
  }
}

TEST(UpdateCoderTest, V1WriteItemFieldsWritesWhatTheFieldWritersWrite) {
  // The fused writer of encoding.cc's hot path against the one-field-at-a-time calls, over every
  // combination of present fields, clients that repeat or change (the cached client bytes), and
  // enough structs to cross many chunk boundaries.
  const std::vector<Id> ids = {{0x9e3779b9, 7}, {0x9e3779b9, 300},       {1, 0}, {UINT64_MAX, 2},
                               {0, 5},          {uint64_t{1} << 53, 128}};
  UpdateEncoderV1 fused;
  UpdateEncoderV1 plain;
  for (size_t i = 0; i < 40000; ++i) {
    const uint8_t info = static_cast<uint8_t>(i * 37);
    const Id& left = ids[i % ids.size()];
    const Id& right = ids[(i / 3) % ids.size()];
    const uint64_t len = (i * 2654435761u) >> (i % 40);
    const bool has_left = i % 2 == 0;
    const bool has_right = (i / 2) % 2 == 0;
    const bool has_len = (i / 4) % 2 == 0;
    fused.WriteItemFields(info, has_left ? &left : nullptr, has_right ? &right : nullptr,
                          has_len ? &len : nullptr);
    plain.WriteInfo(info);
    if (has_left) plain.WriteLeftId(left);
    if (has_right) plain.WriteRightId(right);
    if (has_len) plain.WriteLen(len);
    // Interleaved plain writes must see the fused writer's cached client correctly, too.
    if (i % 7 == 0) {
      fused.WriteLeftId(ids[(i / 7) % ids.size()]);
      plain.WriteLeftId(ids[(i / 7) % ids.size()]);
    }
  }
  EXPECT_TRUE(fused.ToBytes() == plain.ToBytes());
}

TEST(UpdateCoderTest, V2KeysAreNeverCachedAsInYjs) {
  auto enc = NewUpdateEncoderV2();
  enc->WriteKey("bold");
  enc->WriteKey("bold");
  std::vector<uint8_t> bytes = enc->ToBytes();
  auto dec = NewUpdateDecoderV2(bytes);
  EXPECT_EQ(dec->ReadKey(), "bold");
  EXPECT_EQ(dec->ReadKey(), "bold");
}

TEST(UpdateCoderTest, V2DecoderNeedsColumnHeaders) {
  std::vector<uint8_t> empty;
  EXPECT_THROW(NewUpdateDecoderV2(empty), DecodeError);
  std::vector<uint8_t> flag_only = {0};
  EXPECT_THROW(NewUpdateDecoderV2(flag_only), DecodeError);
}

TEST(UpdateCoderTest, V1JsonRoundTripsThroughJsonText) {
  auto enc = NewUpdateEncoderV1();
  Any value = Any::Object({{"image", "x.png"}, {"w", 1.5}});
  enc->WriteJson(value);
  std::vector<uint8_t> bytes = enc->ToBytes();
  auto dec = NewUpdateDecoderV1(bytes);
  EXPECT_EQ(dec->ReadJson(), value);
  std::vector<uint8_t> bad = {3, '{', 'x', '}'};
  EXPECT_THROW(NewUpdateDecoderV1(bad)->ReadJson(), DecodeError);
}

TEST(UpdateCoderTest, TypeRefMustFitAByte) {
  std::vector<uint8_t> bytes = {0x80, 0x02};  // 256
  EXPECT_THROW(NewUpdateDecoderV1(bytes)->ReadTypeRef(), DecodeError);
}

// v2 stores a delete range's length minus one; the largest varuint would wrap to an empty range,
// which no encoder can write back (found by crdt/fuzz/delete_set_fuzzer).
TEST(UpdateCoderTest, V2DeleteRangeLengthMayNotWrap) {
  std::vector<uint8_t> max_len = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  auto ds_decoder = NewDsDecoderV2(max_len);
  EXPECT_THROW(ds_decoder->ReadDsLen(), DecodeError);
  std::vector<uint8_t> update = NewUpdateEncoderV2()->ToBytes();  // empty columns, empty rest
  update.insert(update.end(), max_len.begin(), max_len.end());
  auto update_decoder = NewUpdateDecoderV2(update);
  EXPECT_THROW(update_decoder->ReadDsLen(), DecodeError);
  std::vector<uint8_t> below_max = {0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  EXPECT_EQ(NewDsDecoderV2(below_max)->ReadDsLen(), UINT64_MAX);
}

}  // namespace
}  // namespace accord::crdt
