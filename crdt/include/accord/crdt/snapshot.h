// accord/crdt/snapshot.h: a document snapshot (Yjs Snapshot): the delete set and the state
// vector at one moment, and its v1 / v2 wire forms (Yjs encodeSnapshot / encodeSnapshotV2).
//
// A value type; TakeSnapshot and CreateDocFromSnapshot read the documents and must run on
// their thread. The codec functions and SnapshotContainsUpdate are thread-safe.
#ifndef ACCORD_CRDT_SNAPSHOT_H_
#define ACCORD_CRDT_SNAPSHOT_H_

#include <cstdint>
#include <span>
#include <vector>

#include "accord/crdt/delete_set.h"
#include "accord/crdt/state_vector.h"
#include "accord/crdt/version.h"
#include "accord/status.h"

namespace accord::crdt {

class Doc;

struct Snapshot {
  DeleteSet ds;
  StateVector sv;
};

// The snapshot with no deletions and an empty state vector (Yjs emptySnapshot).
Snapshot EmptySnapshot();
// The delete set and state vector of `doc` now (Yjs snapshot(doc)).
Snapshot TakeSnapshot(Doc& doc);
// Same state vector and the same delete ranges in the same order (Yjs equalSnapshots).
bool EqualSnapshots(const Snapshot& a, const Snapshot& b);

std::vector<uint8_t> EncodeSnapshot(const Snapshot& s);
std::vector<uint8_t> EncodeSnapshotV2(const Snapshot& s);
// Corruption on malformed bytes. The delete set is returned as read (not sorted or merged).
Result<Snapshot> DecodeSnapshot(std::span<const uint8_t> data);
Result<Snapshot> DecodeSnapshotV2(std::span<const uint8_t> data);

// Fills the empty document `out` with the state of `origin` at `snapshot` (Yjs
// createDocFromSnapshot): the structs below the snapshot's state vector, with the snapshot's
// deletions. `origin` must keep deleted content (gc off), else FailedPrecondition, as Yjs
// throws; InvalidArgument if the snapshot names clocks `origin` does not have (Yjs throws).
// `origin` is split at the snapshot clocks inside a transaction, which merges them back.
Status CreateDocFromSnapshot(Doc& origin, const Snapshot& snapshot, Doc& out);

// Whether every struct and deletion of `update` is already in `snapshot` (Yjs
// snapshotContainsUpdate / snapshotContainsUpdateV2). Corruption on malformed bytes.
Result<bool> SnapshotContainsUpdate(const Snapshot& snapshot, std::span<const uint8_t> update,
                                    UpdateFormat format = UpdateFormat::kV1);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SNAPSHOT_H_
