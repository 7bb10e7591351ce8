// accord/crdt/state_vector.h: a state vector, the next expected clock of every client, and its
// Yjs wire form (encodeStateVector / decodeStateVector).
//
// The encoding is the same for the v1 and v2 protocols: a varuint count, then (client, clock)
// varuint pairs in descending client order. Free functions; thread-safe.
#ifndef ACCORD_CRDT_STATE_VECTOR_H_
#define ACCORD_CRDT_STATE_VECTOR_H_

#include <cstdint>
#include <map>
#include <span>
#include <vector>

#include "accord/status.h"

namespace accord::crdt {

// client -> clock: every struct of `client` with a clock below this value is known.
using StateVector = std::map<uint64_t, uint64_t>;

std::vector<uint8_t> EncodeStateVector(const StateVector& sv);
// As Yjs: a repeated client keeps its last clock, and bytes after the last pair are ignored.
// Returns Corruption if the bytes do not decode.
Result<StateVector> DecodeStateVector(std::span<const uint8_t> data);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_STATE_VECTOR_H_
