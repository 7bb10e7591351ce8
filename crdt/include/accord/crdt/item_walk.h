// accord/crdt/item_walk.h: every item of a shared type and of the types nested in it, in
// document order, with its id, origins and deletion state.
//
// For tools that reason about which CRDT items an edit touched (Accord's amendment collisions
// and obsolete checks), not for editing. Yjs has no public equivalent: this reads the same item
// lists that Yjs's toString/toDelta walk, including deleted items still in them (deleted
// content is there with its length unless the whole parent was collected). Read-only; call on
// the thread that owns the document, and do not keep the result across edits.
#ifndef ACCORD_CRDT_ITEM_WALK_H_
#define ACCORD_CRDT_ITEM_WALK_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/relative_position.h"

namespace accord::crdt {

struct WalkedItem {
  enum class Kind : uint8_t {
    kContent,    // text, embeds, formatting marks, JSON/any values in a list
    kType,       // a nested type (its own items follow, one level deeper)
    kAttribute,  // a map entry (XmlElement attribute, Map key); overwritten values included
  };
  Kind kind = Kind::kContent;
  ItemId id;            // the first unit; the item covers id.clock .. id.clock + length - 1
  uint64_t length = 0;  // in Yjs units: UTF-16 code units of text, 1 per value, 1 per type
  bool deleted = false;
  bool countable = false;  // false for formatting marks and deleted content
  std::optional<ItemId> origin;
  std::optional<ItemId> right_origin;
  std::optional<ItemId> parent;  // the item holding the parent type; none for the root's children
  uint32_t depth = 0;            // 0 for the root's own items
};

// The items of `root` (any kind of shared type handle) and everything under it: for each type,
// its map entries first (keys in first-insertion order, each key's values oldest first), then
// its list from left to right; a nested type's items come right after the item holding it.
std::vector<WalkedItem> WalkItems(const SharedType& root);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_ITEM_WALK_H_
