// accord/crdt/updates.h: operations on encoded Yjs updates that need no document, byte-identical
// to Yjs 13.6's utils/updates.js (mergeUpdates, diffUpdate, encodeStateVectorFromUpdate,
// parseUpdateMeta, convertUpdateFormatV1ToV2 / V2ToV1).
//
// Each function exists for the v1 format and, with the suffix V2, for the v2 format. Inputs are
// untrusted: malformed bytes yield Status::Corruption, never a crash; work and memory are
// bounded by the input size. Like Yjs, the functions ignore bytes after the delete set, and
// MergeUpdates of a single update returns it unchanged without looking at it. Free functions;
// thread-safe.
#ifndef ACCORD_CRDT_UPDATES_H_
#define ACCORD_CRDT_UPDATES_H_

#include <cstdint>
#include <span>
#include <vector>

#include "accord/crdt/state_vector.h"
#include "accord/status.h"

namespace accord::crdt {

// One update holding everything in `updates` (Y.mergeUpdates / Y.mergeUpdatesV2).
Result<std::vector<uint8_t>> MergeUpdates(std::span<const std::vector<uint8_t>> updates);
Result<std::vector<uint8_t>> MergeUpdatesV2(std::span<const std::vector<uint8_t>> updates);

// The part of `update` that a peer with the encoded `state_vector` (v1 state-vector encoding,
// as EncodeStateVector writes it) is missing; the delete set is kept whole (Y.diffUpdate).
Result<std::vector<uint8_t>> DiffUpdate(std::span<const uint8_t> update,
                                        std::span<const uint8_t> state_vector);
Result<std::vector<uint8_t>> DiffUpdateV2(std::span<const uint8_t> update,
                                          std::span<const uint8_t> state_vector);

// The encoded state vector of the contiguous structs in `update` from clock 0
// (Y.encodeStateVectorFromUpdate); the result is in the ordinary state-vector encoding.
Result<std::vector<uint8_t>> EncodeStateVectorFromUpdate(std::span<const uint8_t> update);
Result<std::vector<uint8_t>> EncodeStateVectorFromUpdateV2(std::span<const uint8_t> update);

// Per client, the first and the end clock of the structs in `update` (Y.parseUpdateMeta).
struct UpdateMeta {
  StateVector from;
  StateVector to;
};
Result<UpdateMeta> ParseUpdateMeta(std::span<const uint8_t> update);
Result<UpdateMeta> ParseUpdateMetaV2(std::span<const uint8_t> update);

// ParseUpdateMeta, checking that the whole of `update` decodes: every struct with its content,
// then the delete set. Nothing is applied anywhere, so this is several times cheaper than
// loading the update into a document (a server uses it to vouch for stored bytes, and to know
// their state vector, before it builds the document). Corruption names what is wrong. It checks
// the encoding only: a well-formed update can still wait on structs it does not carry.
Result<UpdateMeta> ValidateUpdate(std::span<const uint8_t> update);
Result<UpdateMeta> ValidateUpdateV2(std::span<const uint8_t> update);

Result<std::vector<uint8_t>> ConvertUpdateFormatV1ToV2(std::span<const uint8_t> update);
Result<std::vector<uint8_t>> ConvertUpdateFormatV2ToV1(std::span<const uint8_t> update);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_UPDATES_H_
