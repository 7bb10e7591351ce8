// The v1 and v2 implementations of UpdateEncoder / UpdateDecoder (see update_coder.h), mirroring
// Yjs's UpdateEncoderV1/V2 and UpdateDecoderV1/V2 call for call.
#include "update_coder.h"

#include <optional>
#include <utility>

#include "lib0_decoder.h"
#include "update_coder_impl.h"

namespace accord::crdt {
namespace {

// DSDecoderV2: the v2 delete-set coding over a bare rest stream.
class DsDecoderV2 final : public DsDecoderV2Base {
 public:
  using DsDecoderV2Base::DsDecoderV2Base;

  Id ReadLeftId() override { Unsupported(); }
  Id ReadRightId() override { Unsupported(); }
  uint64_t ReadClient() override { Unsupported(); }
  uint8_t ReadInfo() override { Unsupported(); }
  std::string ReadString() override { Unsupported(); }
  bool ReadParentInfo() override { Unsupported(); }
  uint8_t ReadTypeRef() override { Unsupported(); }
  uint64_t ReadLen() override { Unsupported(); }
  Any ReadAny() override { Unsupported(); }
  std::vector<uint8_t> ReadBuf() override { Unsupported(); }
  Any ReadJson() override { Unsupported(); }
  std::string ReadKey() override { Unsupported(); }

 private:
  [[noreturn]] static void Unsupported() {
    throw DecodeError("struct fields cannot be read from a delete-set decoder");
  }
};

}  // namespace

void UpdateEncoder::WriteStringUnits(std::string_view s, uint64_t) { WriteString(s); }

std::string UpdateDecoder::ReadStringUnits(uint64_t* utf16_units) {
  std::string s = ReadString();
  *utf16_units = Utf16Length(s);
  return s;
}

std::unique_ptr<UpdateEncoder> NewUpdateEncoderV1() { return std::make_unique<UpdateEncoderV1>(); }
std::unique_ptr<UpdateEncoder> NewUpdateEncoderV2() {
  return std::make_unique<UpdateEncoderV2>(/*ds_only=*/false);
}
std::unique_ptr<UpdateEncoder> NewDsEncoderV2() {
  return std::make_unique<UpdateEncoderV2>(/*ds_only=*/true);
}
std::unique_ptr<UpdateDecoder> NewDsDecoderV2(std::span<const uint8_t> data) {
  return std::make_unique<DsDecoderV2>(data);
}
std::unique_ptr<UpdateDecoder> NewUpdateDecoderV1(std::span<const uint8_t> data) {
  return std::make_unique<UpdateDecoderV1>(data);
}
std::unique_ptr<UpdateDecoder> NewUpdateDecoderV2(std::span<const uint8_t> data) {
  return std::make_unique<UpdateDecoderV2>(data);
}

}  // namespace accord::crdt
