// item.h: the structs of a document (Yjs's Item, GC and Skip) and the operations on one Item:
// splitting, YATA integration, merging with its right neighbour, deletion, garbage collection
// and encoding.
//
// One C++ struct serves all three struct kinds (kind()), so the store and the linked lists hold
// plain Item pointers and garbage collection can turn an Item into a GC struct in place, without
// invalidating pointers. Items are allocated from the document's ItemPool. Single-threaded.
#ifndef ACCORD_CRDT_SRC_ITEM_H_
#define ACCORD_CRDT_SRC_ITEM_H_

#include <cstdint>
#include <memory>
#include <string>

#include "content.h"
#include "update_coder.h"

namespace accord::crdt {

class AbstractType;
class StructStore;
class Transaction;

enum class ItemKind : uint8_t { kItem, kGc, kSkip };

// How an Item that is not yet integrated names its parent (only decoded Items use the last two).
enum class ItemParentKind : uint8_t {
  kNone,    // parent to be copied from the left or right neighbour, or none (becomes GC)
  kType,    // parent.type is the parent
  kRoot,    // parent.root_name names a root type, resolved at integration
  kItemId,  // parent.id_ref points at the Id of the parent type's Item
};

struct Item {
  // Yjs's info bits.
  static constexpr uint8_t kKeep = 1;
  static constexpr uint8_t kCountable = 2;
  static constexpr uint8_t kDeleted = 4;
  static constexpr uint8_t kMarker = 8;
  // Our own flags.
  static constexpr uint8_t kHasOrigin = 1;
  static constexpr uint8_t kHasRightOrigin = 2;
  static constexpr uint8_t kIntegrated = 4;  // in the struct store
  static constexpr uint8_t kRelocated = 8;   // moved by compaction; `right` is the new address

  Id id;
  uint64_t length = 0;
  Item* left = nullptr;
  Item* right = nullptr;
  Id origin;        // valid iff flags & kHasOrigin
  Id right_origin;  // valid iff flags & kHasRightOrigin
  union {
    AbstractType* type;
    const std::string* root_name;
    const Id* id_ref;
  } parent{nullptr};
  // The map key for items of a map (interned by the document), or nullptr for list items.
  const std::string* parent_sub = nullptr;
  std::unique_ptr<Content> content;
  ItemKind kind = ItemKind::kItem;
  ItemParentKind parent_kind = ItemParentKind::kNone;
  uint8_t info = 0;
  uint8_t flags = 0;

  bool is_item() const { return kind == ItemKind::kItem; }
  bool is_gc() const { return kind == ItemKind::kGc; }
  bool is_skip() const { return kind == ItemKind::kSkip; }
  // GC structs count as deleted, as in Yjs.
  bool deleted() const { return kind == ItemKind::kGc || (info & kDeleted) != 0; }
  bool countable() const { return (info & kCountable) != 0; }
  bool keep() const { return (info & kKeep) != 0; }
  // !deleted() && countable() as one test of the info bits: a GC struct never has kCountable
  // (decoded GC structs start from a fresh Item, ConvertToGc clears info).
  bool counted() const { return (info & (kDeleted | kCountable)) == kCountable; }
  bool marker() const { return (info & kMarker) != 0; }
  void set_marker(bool m) { info = m ? (info | kMarker) : (info & ~kMarker); }
  void set_keep(bool k) { info = k ? (info | kKeep) : (info & ~kKeep); }
  void MarkDeleted() { info |= kDeleted; }
  bool has_origin() const { return (flags & kHasOrigin) != 0; }
  bool has_right_origin() const { return (flags & kHasRightOrigin) != 0; }
  void SetOrigin(const Id* o) {
    if (o) {
      origin = *o;
      flags |= kHasOrigin;
    } else {
      flags &= ~kHasOrigin;
    }
  }
  void SetRightOrigin(const Id* o) {
    if (o) {
      right_origin = *o;
      flags |= kHasRightOrigin;
    } else {
      flags &= ~kHasRightOrigin;
    }
  }
  AbstractType* parent_type() const {
    return parent_kind == ItemParentKind::kType ? parent.type : nullptr;
  }
  Id last_id() const { return Id{id.client, id.clock + length - 1}; }
  // The next / previous non-deleted item.
  Item* Next() const;
  Item* Prev() const;
};

// Initialises `item` as a content Item (Yjs's Item constructor).
void InitItem(Item* item, Id id, Item* left, const Id* origin, Item* right, const Id* right_origin,
              AbstractType* parent, const std::string* parent_sub,
              std::unique_ptr<Content> content);

// Splits `left` at `diff` (0 < diff < length); the new right part is linked after it and
// returned. The caller inserts it into the store (Yjs splitItem).
Item* SplitItem(Transaction& txn, Item* left, uint64_t diff);

// Resolves origin / right origin / parent of a decoded item against the store, returning the
// client whose structs are still missing, or -1 if none (Yjs getMissing).
int64_t ItemGetMissing(Item* item, Transaction& txn);

// YATA integration of a decoded or local item (Yjs Item.integrate / GC.integrate).
void IntegrateItem(Item* item, Transaction& txn, uint64_t offset);

// Appends `right` to `left` if they are compatible neighbours (Yjs mergeWith for Item and GC).
// On success the caller must release `right`.
bool MergeStructs(Item* left, Item* right);

// Marks `item` deleted (Yjs Item.delete).
void ItemDelete(Transaction& txn, Item* item);

// Garbage-collects a deleted item: its content becomes ContentDeleted, or, if the parent is
// collected too, the item becomes a GC struct (Yjs Item.gc).
void GcItem(StructStore& store, Item* item, bool parent_gcd);

// Turns `item` into a GC struct in place (content dropped without hooks).
void ConvertToGc(StructStore& store, Item* item);

// Writes `s` from `offset` on (Yjs write of Item, GC and Skip).
void WriteStruct(UpdateEncoder& encoder, const Item* s, uint64_t offset);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_ITEM_H_
