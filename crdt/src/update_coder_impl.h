// update_coder_impl.h: the concrete v1 and v2 update coders behind update_coder.h, visible so
// that hot loops (encoding.cc) can call them through their final types, which lets the compiler
// inline the per-field calls instead of dispatching each through the vtable. Everything else
// should use the UpdateEncoder / UpdateDecoder interfaces and the New* factories.
#ifndef ACCORD_CRDT_UPDATE_CODER_IMPL_H_
#define ACCORD_CRDT_UPDATE_CODER_IMPL_H_

#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib0_decoder.h"
#include "lib0_encoder.h"
#include "prefault.h"
#include "rle_coders.h"
#include "update_coder.h"

namespace accord::crdt {

inline uint8_t CheckedTypeRef(uint64_t v) {
  if (v > 0xff) throw DecodeError("type reference out of range");
  return static_cast<uint8_t>(v);
}

// v1: every field goes to one stream as a varuint / varString / Any.
class UpdateEncoderV1 final : public UpdateEncoder {
 public:
  std::vector<uint8_t> ToBytes() override { return rest_.TakeBytes(); }
  void WriteRestVarUint(uint64_t v) override { rest_.WriteVarUint(v); }
  std::vector<uint8_t> TakeRest() override { return rest_.TakeBytes(); }
  void WriteRestBytes(std::span<const uint8_t> bytes) override { rest_.WriteUint8Array(bytes); }
  bool IsV2() const override { return false; }

  void ResetDsCurVal() override {}
  void WriteDsClock(uint64_t clock) override { rest_.WriteVarUint(clock); }
  void WriteDsLen(uint64_t len) override { rest_.WriteVarUint(len); }

  void WriteLeftId(const Id& id) override {
    WriteIdClient(id.client);
    rest_.WriteVarUint(id.clock);
  }
  void WriteRightId(const Id& id) override {
    WriteIdClient(id.client);
    rest_.WriteVarUint(id.clock);
  }
  void WriteClient(uint64_t client) override { rest_.WriteVarUint(client); }
  void WriteInfo(uint8_t info) override { rest_.WriteUint8(info); }
  void WriteString(std::string_view s) override { rest_.WriteVarString(s); }
  void WriteStringUnits(std::string_view s, uint64_t) override { rest_.WriteVarString(s); }
  void WriteParentInfo(bool is_ykey) override { rest_.WriteVarUint(is_ykey ? 1 : 0); }
  void WriteTypeRef(uint8_t type_ref) override { rest_.WriteVarUint(type_ref); }
  void WriteLen(uint64_t len) override { rest_.WriteVarUint(len); }
  void WriteAny(const Any& any) override { rest_.WriteAny(any); }
  void WriteBuf(std::span<const uint8_t> buf) override { rest_.WriteVarUint8Array(buf); }
  void WriteJson(const Any& value) override { rest_.WriteVarString(value.ToJsonLikeJs()); }
  void WriteKey(std::string_view key) override { rest_.WriteVarString(key); }

  // The fields an Item with an origin or right origin writes before its content, in one go:
  // WriteInfo(info), then WriteLeftId(*left) if `left`, then WriteRightId(*right) if `right`,
  // then WriteLen(*len) if `len` (the same bytes as those calls). One room check instead of one
  // per field: the struct writer's hot path (encoding.cc), run for nearly every struct.
  [[gnu::always_inline]] void WriteItemFields(uint8_t info, const Id* left, const Id* right,
                                              const uint64_t* len) {
    // An id: its client as WriteUpTo16 copies it (16 bytes of room), then a varUint clock.
    constexpr size_t kIdRoom = 16 + Lib0Encoder::kMaxVarUintBytes;
    uint8_t* p = rest_.Reserve(1 + 2 * kIdRoom + Lib0Encoder::kMaxVarUintBytes);
    *p++ = info;
    if (left != nullptr) p = Lib0Encoder::PutVarUint(PutIdClient(p, left->client), left->clock);
    if (right != nullptr) p = Lib0Encoder::PutVarUint(PutIdClient(p, right->client), right->clock);
    if (len != nullptr) p = Lib0Encoder::PutVarUint(p, *len);
    rest_.Commit(p);
  }

 private:
  // Nearly every struct names its origin's and right origin's client, usually the same one, and
  // random 32-bit ids take five varUint bytes: keep the last one's bytes at hand.
  [[gnu::always_inline]] void CacheIdClient(uint64_t client) {
    if (client != id_client_ || id_client_len_ == 0) {
      id_client_ = client;
      id_client_len_ = 0;
      uint64_t v = client;
      while (v > 0x7f) {
        id_client_bytes_[id_client_len_++] = static_cast<uint8_t>(0x80 | (v & 0x7f));
        v >>= 7;
      }
      id_client_bytes_[id_client_len_++] = static_cast<uint8_t>(v);
    }
  }
  [[gnu::always_inline]] void WriteIdClient(uint64_t client) {
    CacheIdClient(client);
    rest_.WriteUpTo16(id_client_bytes_, id_client_len_);
  }
  // WriteIdClient's bytes at `p`, which must have 16 bytes of room (two fixed-size copies, as
  // in WriteUpTo16); returns the end.
  [[gnu::always_inline]] uint8_t* PutIdClient(uint8_t* p, uint64_t client) {
    CacheIdClient(client);
    std::memcpy(p, id_client_bytes_, 16);
    return p + id_client_len_;
  }

  Lib0Encoder rest_;
  uint64_t id_client_ = 0;
  uint8_t id_client_bytes_[16] = {};
  uint8_t id_client_len_ = 0;  // 0: nothing cached yet
};

// v2: struct fields go to RLE columns, the rest (Any values, buffers, counts, the delete set)
// to the rest stream, which is appended after the columns without a length.
class UpdateEncoderV2 final : public UpdateEncoder {
 public:
  explicit UpdateEncoderV2(bool ds_only) : ds_only_(ds_only) {}

  std::vector<uint8_t> ToBytes() override {
    if (ds_only_) return rest_.TakeBytes();
    // Every column straight into one buffer of (nearly) the final size.
    std::vector<uint8_t> out;
    out.reserve(key_clock_.size_hint() + client_.size_hint() + left_clock_.size_hint() +
                right_clock_.size_hint() + info_.size_hint() + string_.size_hint() +
                parent_info_.size_hint() + type_ref_.size_hint() + len_.size_hint() + rest_.size() +
                256);
    PrefaultForWrite(out.data(), out.capacity());
    out.push_back(0);  // feature flag, reserved by Yjs
    key_clock_.AppendColumnTo(&out);
    client_.AppendColumnTo(&out);
    left_clock_.AppendColumnTo(&out);
    right_clock_.AppendColumnTo(&out);
    info_.AppendColumnTo(&out);
    string_.AppendColumnTo(&out);
    parent_info_.AppendColumnTo(&out);
    type_ref_.AppendColumnTo(&out);
    len_.AppendColumnTo(&out);
    rest_.AppendTo(&out);
    rest_.Clear();
    return out;
  }
  void WriteRestVarUint(uint64_t v) override { rest_.WriteVarUint(v); }
  std::vector<uint8_t> TakeRest() override { return rest_.TakeBytes(); }
  void WriteRestBytes(std::span<const uint8_t> bytes) override { rest_.WriteUint8Array(bytes); }
  bool IsV2() const override { return true; }

  void ResetDsCurVal() override { ds_cur_val_ = 0; }
  void WriteDsClock(uint64_t clock) override {
    rest_.WriteVarUint(clock - ds_cur_val_);
    ds_cur_val_ = clock;
  }
  void WriteDsLen(uint64_t len) override {
    // Yjs fails here too; an empty range can only come from malformed input.
    if (len == 0) throw DecodeError("delete range of length 0 cannot be written as v2");
    rest_.WriteVarUint(len - 1);
    ds_cur_val_ += len;
  }

  void WriteLeftId(const Id& id) override {
    client_.Write(id.client);
    left_clock_.Write(id.clock);
  }
  void WriteRightId(const Id& id) override {
    client_.Write(id.client);
    right_clock_.Write(id.clock);
  }
  void WriteClient(uint64_t client) override { client_.Write(client); }
  void WriteInfo(uint8_t info) override { info_.Write(info); }
  void WriteString(std::string_view s) override { string_.Write(s); }
  void WriteStringUnits(std::string_view s, uint64_t utf16_units) override {
    string_.Write(s, utf16_units);
  }
  void WriteParentInfo(bool is_ykey) override { parent_info_.Write(is_ykey ? 1 : 0); }
  void WriteTypeRef(uint8_t type_ref) override { type_ref_.Write(type_ref); }
  void WriteLen(uint64_t len) override { len_.Write(len); }
  void WriteAny(const Any& any) override { rest_.WriteAny(any); }
  void WriteBuf(std::span<const uint8_t> buf) override { rest_.WriteVarUint8Array(buf); }
  void WriteJson(const Any& value) override { rest_.WriteAny(value); }
  void WriteKey(std::string_view key) override {
    // Yjs 13.6 never fills its key cache (the insertion is commented out there), so every key
    // gets a fresh key clock and is written again. Byte identity requires the same.
    key_clock_.Write(key_clock_next_++);
    string_.Write(key);
  }

 private:
  const bool ds_only_;  // DSEncoderV2: the rest stream alone
  Lib0Encoder rest_;
  uint64_t ds_cur_val_ = 0;
  uint64_t key_clock_next_ = 0;
  IntDiffOptRleEncoder key_clock_;
  UintOptRleEncoder client_;
  IntDiffOptRleEncoder left_clock_;
  IntDiffOptRleEncoder right_clock_;
  RleEncoder info_;
  StringEncoder string_;
  RleEncoder parent_info_;
  UintOptRleEncoder type_ref_;
  UintOptRleEncoder len_;
};

class UpdateDecoderV1 final : public UpdateDecoder {
 public:
  explicit UpdateDecoderV1(std::span<const uint8_t> data) : rest_(data) {}

  uint64_t ReadRestVarUint() override { return rest_.ReadVarUint(); }
  bool IsV2() const override { return false; }
  bool RestEmpty() const override { return !rest_.HasContent(); }

  void ResetDsCurVal() override {}
  uint64_t ReadDsClock() override { return rest_.ReadVarUint(); }
  uint64_t ReadDsLen() override { return rest_.ReadVarUint(); }

  Id ReadLeftId() override {
    uint64_t client = rest_.ReadVarUint();
    return Id{client, rest_.ReadVarUint()};
  }
  Id ReadRightId() override { return ReadLeftId(); }
  uint64_t ReadClient() override { return rest_.ReadVarUint(); }
  uint8_t ReadInfo() override { return rest_.ReadUint8(); }
  std::string ReadString() override { return rest_.ReadVarString(); }
  std::string ReadStringUnits(uint64_t* utf16_units) override {
    return rest_.ReadVarStringUtf16(utf16_units);
  }
  bool ReadParentInfo() override { return rest_.ReadVarUint() == 1; }
  uint8_t ReadTypeRef() override { return CheckedTypeRef(rest_.ReadVarUint()); }
  uint64_t ReadLen() override { return rest_.ReadVarUint(); }
  Any ReadAny() override { return rest_.ReadAny(); }
  std::vector<uint8_t> ReadBuf() override {
    std::span<const uint8_t> b = rest_.ReadVarUint8Array();
    return std::vector<uint8_t>(b.begin(), b.end());
  }
  Any ReadJson() override {
    std::optional<Any> v = Any::FromJson(rest_.ReadVarString());
    if (!v) throw DecodeError("embedded JSON does not parse");
    return std::move(*v);
  }
  std::string ReadKey() override { return rest_.ReadVarString(); }

 private:
  Lib0Decoder rest_;
};

// The v2 rest stream and its delete-set fields (Yjs's DSDecoderV2): clocks are deltas from a
// running value, lengths are stored minus one. The bare delete-set decoder and the update
// decoder both build on it; the rest stream comes first on the wire, so it is the base.
class DsDecoderV2Base : public UpdateDecoder {
 public:
  explicit DsDecoderV2Base(std::span<const uint8_t> data) : rest_(data) {}

  uint64_t ReadRestVarUint() override { return rest_.ReadVarUint(); }
  bool IsV2() const override { return true; }
  bool RestEmpty() const override { return !rest_.HasContent(); }

  void ResetDsCurVal() override { ds_cur_val_ = 0; }
  uint64_t ReadDsClock() override {
    ds_cur_val_ += rest_.ReadVarUint();
    return ds_cur_val_;
  }
  uint64_t ReadDsLen() override {
    // The maximum stored value would wrap to an empty range, which no encoder can write back
    // (found by delete_set_fuzzer).
    uint64_t stored = rest_.ReadVarUint();
    if (stored == UINT64_MAX) throw DecodeError("delete range length overflows");
    uint64_t len = stored + 1;
    ds_cur_val_ += len;
    return len;
  }

 protected:
  Lib0Decoder rest_;

 private:
  uint64_t ds_cur_val_ = 0;
};

class UpdateDecoderV2 final : public DsDecoderV2Base {
 public:
  // Member initialisers run in declaration order, which is the column order on the wire.
  explicit UpdateDecoderV2(std::span<const uint8_t> data)
      : DsDecoderV2Base(data),
        feature_flag_(rest_.ReadVarUint()),
        key_clock_(rest_.ReadVarUint8Array()),
        client_(rest_.ReadVarUint8Array()),
        left_clock_(rest_.ReadVarUint8Array()),
        right_clock_(rest_.ReadVarUint8Array()),
        info_(rest_.ReadVarUint8Array()),
        string_(rest_.ReadVarUint8Array()),
        parent_info_(rest_.ReadVarUint8Array()),
        type_ref_(rest_.ReadVarUint8Array()),
        len_(rest_.ReadVarUint8Array()) {}

  Id ReadLeftId() override {
    uint64_t client = client_.Read();
    return Id{client, left_clock_.Read()};
  }
  Id ReadRightId() override {
    uint64_t client = client_.Read();
    return Id{client, right_clock_.Read()};
  }
  uint64_t ReadClient() override { return client_.Read(); }
  uint8_t ReadInfo() override { return info_.Read(); }
  std::string ReadString() override { return string_.Read(); }
  std::string ReadStringUnits(uint64_t* utf16_units) override { return string_.Read(utf16_units); }
  bool ReadParentInfo() override { return parent_info_.Read() == 1; }
  uint8_t ReadTypeRef() override { return CheckedTypeRef(type_ref_.Read()); }
  uint64_t ReadLen() override { return len_.Read(); }
  Any ReadAny() override { return rest_.ReadAny(); }
  std::vector<uint8_t> ReadBuf() override {
    std::span<const uint8_t> b = rest_.ReadVarUint8Array();
    return std::vector<uint8_t>(b.begin(), b.end());
  }
  Any ReadJson() override { return rest_.ReadAny(); }
  std::string ReadKey() override {
    uint64_t key_clock = key_clock_.Read();
    if (key_clock < keys_.size()) return keys_[key_clock];
    keys_.push_back(string_.Read());
    return keys_.back();
  }

 private:
  uint64_t feature_flag_;  // unused by Yjs 13.6; read to skip it
  IntDiffOptRleDecoder key_clock_;
  UintOptRleDecoder client_;
  IntDiffOptRleDecoder left_clock_;
  IntDiffOptRleDecoder right_clock_;
  RleDecoder info_;
  StringDecoder string_;
  RleDecoder parent_info_;
  UintOptRleDecoder type_ref_;
  UintOptRleDecoder len_;
  std::vector<std::string> keys_;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_UPDATE_CODER_IMPL_H_
