// update_ops.h: the few document-less update operations the document needs for its pending
// state (merging parked v2 updates, diffing them against a state vector, converting v2 to v1).
// Thin wrappers over updates.cc, kept in their own translation unit. Throw DecodeError.
#ifndef ACCORD_CRDT_SRC_UPDATE_OPS_H_
#define ACCORD_CRDT_SRC_UPDATE_OPS_H_

#include <cstdint>
#include <span>
#include <vector>

#include "accord/crdt/state_vector.h"

namespace accord::crdt {

std::vector<uint8_t> MergeV2Updates(std::span<const std::vector<uint8_t>> updates);
std::vector<uint8_t> MergeV1Updates(std::span<const std::vector<uint8_t>> updates);
std::vector<uint8_t> DiffV2Update(std::span<const uint8_t> update, const StateVector& sv);
std::vector<uint8_t> ConvertV2ToV1(std::span<const uint8_t> update);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_UPDATE_OPS_H_
