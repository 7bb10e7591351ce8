// snapshot_internal.h: snapshot helpers for the type implementations.
#ifndef ACCORD_CRDT_SRC_SNAPSHOT_INTERNAL_H_
#define ACCORD_CRDT_SRC_SNAPSHOT_INTERNAL_H_

#include "accord/crdt/snapshot.h"
#include "item.h"

namespace accord::crdt {

// Whether `item` existed and was not deleted at `snapshot` (Yjs isVisible); without a
// snapshot, whether it is not deleted now. The snapshot's delete set must be sorted and merged
// (TakeSnapshot's is; call SortAndMerge on a decoded one).
bool IsVisible(const Item& item, const Snapshot* snapshot);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_SNAPSHOT_INTERNAL_H_
