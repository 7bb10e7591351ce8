// item_compaction.h: re-lays out a document's items contiguously once a large transaction or
// load has left the item pool mostly free.
//
// A transaction that inserts a quarter of a million characters creates an item per keystroke;
// merging at its end folds them into a few thousand, but the pool keeps the blocks of the peak
// (three times what Yjs's heap holds afterwards), with the survivors scattered among free slots,
// which also slows every later walk over the store (encoding). Compaction moves every struct of
// the store into one new block, in the order encoding visits them (clients by descending id,
// clocks ascending), fixes up every pointer to an item (neighbour links, the store's lists,
// each type's item, start, map entries and search markers) and releases the old blocks.
//
// It may only run when no item pointer is held outside those places: the document calls it
// when its outermost transaction has finished. Single-threaded.
#ifndef ACCORD_CRDT_SRC_ITEM_COMPACTION_H_
#define ACCORD_CRDT_SRC_ITEM_COMPACTION_H_

#include <memory>
#include <vector>

#include "struct_store.h"

namespace accord::crdt {

class AbstractType;

// Whether the pool holds enough idle items for a compaction to pay off: at least a few blocks'
// worth and a quarter of the live count (so compactions cost O(1) amortised per item created).
bool ShouldCompactItems(const ItemPool& pool);

// Moves every item of `store` into fresh storage of `pool` and releases the old storage.
// `types` are all the document's types. Does nothing if some live item is not in the store
// (one could be referenced from elsewhere).
void CompactItems(ItemPool& pool, StructStore& store,
                  const std::vector<std::unique_ptr<AbstractType>>& types);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_ITEM_COMPACTION_H_
