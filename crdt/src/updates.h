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

std::vector<uint8_t> MergeUpdatesOrThrow(std::span<const std::vector<uint8_t>> updates,
                                         UpdateFormat format);
std::vector<uint8_t> DiffUpdateOrThrow(std::span<const uint8_t> update, const StateVector& sv,
                                       UpdateFormat format);
std::vector<uint8_t> ConvertUpdateFormatOrThrow(std::span<const uint8_t> update, UpdateFormat from,
                                                UpdateFormat to);

// The bound on the number of structs the lazy reader accepts from `input_size` bytes.
uint64_t MaxStructsFor(size_t input_size);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_UPDATES_H_
