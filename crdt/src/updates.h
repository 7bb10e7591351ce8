// updates.h (private): the update-level operations of accord/crdt/updates.h on the coder
// interface, throwing DecodeError, for use inside crdt/ (e.g. by the document when it keeps
// pending structs as an update, as Yjs does).
#ifndef ACCORD_CRDT_SRC_UPDATES_H_
#define ACCORD_CRDT_SRC_UPDATES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "accord/crdt/updates.h"
#include "accord/crdt/version.h"
#include "update_coder.h"

namespace accord::crdt {

// How many structs an update may hold. Untrusted bytes get MaxStructsFor(size): v2's run-length
// columns can declare any number of structs in a few bytes. The document's own pending state gets
// no bound: its structs were counted when the update that brought them was read, and once
// re-encoded as v2 they can take far fewer bytes than that update did (found by the fuzzers: a
// 90 KB v1 update whose structs park in 300 bytes of v2).
enum class StructLimit : uint8_t { kByInputSize, kNone };

std::vector<uint8_t> MergeUpdatesOrThrow(std::span<const std::vector<uint8_t>> updates,
                                         UpdateFormat format,
                                         StructLimit limit = StructLimit::kByInputSize);
std::vector<uint8_t> DiffUpdateOrThrow(std::span<const uint8_t> update, const StateVector& sv,
                                       UpdateFormat format,
                                       StructLimit limit = StructLimit::kByInputSize);
std::vector<uint8_t> ConvertUpdateFormatOrThrow(std::span<const uint8_t> update, UpdateFormat from,
                                                UpdateFormat to,
                                                StructLimit limit = StructLimit::kByInputSize);

// The bound on the number of structs the lazy reader accepts from `input_size` bytes.
uint64_t MaxStructsFor(size_t input_size);
inline uint64_t MaxStructsFor(size_t input_size, StructLimit limit) {
  return limit == StructLimit::kNone ? UINT64_MAX : MaxStructsFor(input_size);
}

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_UPDATES_H_
