#include "state_vector.h"

namespace accord::crdt {

void WriteStateVector(Lib0Encoder& encoder, const StateVector& sv) {
  encoder.WriteVarUint(sv.size());
  for (auto it = sv.rbegin(); it != sv.rend(); ++it) {  // descending client ids, as Yjs
    encoder.WriteVarUint(it->first);
    encoder.WriteVarUint(it->second);
  }
}

StateVector ReadStateVector(Lib0Decoder& decoder) {
  StateVector sv;
  uint64_t n = decoder.ReadVarUint();
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t client = decoder.ReadVarUint();
    sv[client] = decoder.ReadVarUint();
  }
  return sv;
}

void WriteStateVector(UpdateEncoder& encoder, const StateVector& sv) {
  encoder.WriteRestVarUint(sv.size());
  for (auto it = sv.rbegin(); it != sv.rend(); ++it) {
    encoder.WriteRestVarUint(it->first);
    encoder.WriteRestVarUint(it->second);
  }
}

StateVector ReadStateVector(UpdateDecoder& decoder) {
  StateVector sv;
  uint64_t n = decoder.ReadRestVarUint();
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t client = decoder.ReadRestVarUint();
    sv[client] = decoder.ReadRestVarUint();
  }
  return sv;
}

std::vector<uint8_t> EncodeStateVector(const StateVector& sv) {
  Lib0Encoder encoder;
  WriteStateVector(encoder, sv);
  return encoder.TakeBytes();
}

Result<StateVector> DecodeStateVector(std::span<const uint8_t> data) {
  try {
    Lib0Decoder decoder(data);
    return ReadStateVector(decoder);
  } catch (const DecodeError& e) {
    return Status::Corruption(std::string("state vector: ") + e.what());
  }
}

}  // namespace accord::crdt
