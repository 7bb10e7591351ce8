// delete_set.h (private): DeleteSet serialisation through the update coder interface, as Yjs's
// writeDeleteSet / readDeleteSet do it. Both update formats share this code; the coder decides
// whether clocks and lengths are plain (v1) or delta-coded (v2).
#ifndef ACCORD_CRDT_SRC_DELETE_SET_H_
#define ACCORD_CRDT_SRC_DELETE_SET_H_

#include "accord/crdt/delete_set.h"
#include "update_coder.h"

namespace accord::crdt {

// Clients in descending id order, each with its ranges in stored order.
void WriteDeleteSet(UpdateEncoder& encoder, const DeleteSet& ds);
// Throws DecodeError on malformed input. Clients with no ranges are skipped and a repeated
// client gets its ranges appended, as in Yjs; the result is not sorted or merged.
DeleteSet ReadDeleteSet(UpdateDecoder& decoder);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_DELETE_SET_H_
