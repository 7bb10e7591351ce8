// state_vector.h (private): state vector serialisation on a raw lib0 stream, for code that
// embeds one in a larger message (Yjs writeStateVector / readStateVector).
#ifndef ACCORD_CRDT_SRC_STATE_VECTOR_H_
#define ACCORD_CRDT_SRC_STATE_VECTOR_H_

#include "accord/crdt/state_vector.h"
#include "lib0_decoder.h"
#include "lib0_encoder.h"
#include "update_coder.h"

namespace accord::crdt {

void WriteStateVector(Lib0Encoder& encoder, const StateVector& sv);
// Throws DecodeError on malformed input.
StateVector ReadStateVector(Lib0Decoder& decoder);
// The same on an update coder's rest stream (snapshots append one after their delete set).
void WriteStateVector(UpdateEncoder& encoder, const StateVector& sv);
StateVector ReadStateVector(UpdateDecoder& decoder);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_STATE_VECTOR_H_
