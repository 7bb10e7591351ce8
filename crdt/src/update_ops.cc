#include "update_ops.h"

#include "updates.h"

namespace accord::crdt {

std::vector<uint8_t> MergeV2Updates(std::span<const std::vector<uint8_t>> updates) {
  return MergeUpdatesOrThrow(updates, UpdateFormat::kV2, StructLimit::kNone);
}
std::vector<uint8_t> MergeV1Updates(std::span<const std::vector<uint8_t>> updates) {
  return MergeUpdatesOrThrow(updates, UpdateFormat::kV1, StructLimit::kNone);
}
std::vector<uint8_t> DiffV2Update(std::span<const uint8_t> update, const StateVector& sv) {
  return DiffUpdateOrThrow(update, sv, UpdateFormat::kV2, StructLimit::kNone);
}
std::vector<uint8_t> ConvertV2ToV1(std::span<const uint8_t> update) {
  return ConvertUpdateFormatOrThrow(update, UpdateFormat::kV2, UpdateFormat::kV1,
                                    StructLimit::kNone);
}

}  // namespace accord::crdt
