// abstract_type.h: the state every shared type has (Yjs AbstractType) and the generic list and
// map operations the concrete types are built from (typeList* / typeMap* and the search-marker
// position cache).
//
// One C++ class serves every kind: a root type read from a remote update before anyone asked for
// it stays kUntyped and becomes a concrete kind, in place, on first use. The kind-specific
// operations live in one file per type (array.cc, map.cc, text.cc). Types are owned by their
// document and live as long as it does. Single-threaded.
#ifndef ACCORD_CRDT_SRC_ABSTRACT_TYPE_H_
#define ACCORD_CRDT_SRC_ABSTRACT_TYPE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "accord/crdt/any.h"
#include "content.h"
#include "item.h"

namespace accord::crdt {

class DocImpl;

enum class TypeKind : uint8_t {
  kUntyped,  // a root type known only from remote updates
  kArray,
  kMap,
  kText,
  kXmlElement,
  kXmlFragment,
  kXmlHook,
  kXmlText,
};

TypeKind KindFromRef(TypeRef ref);
// The wire ref of a concrete kind (kUntyped has none and is never written).
TypeRef RefFromKind(TypeKind kind);

// A cached (item, index) pair for fast index lookups (Yjs ArraySearchMarker).
struct SearchMarker {
  Item* p;
  uint64_t index;
  uint64_t timestamp;
};

class AbstractType {
 public:
  AbstractType(TypeKind kind, DocImpl* doc) : kind_(kind), doc_(doc) {
    if (kind == TypeKind::kArray || kind == TypeKind::kText || kind == TypeKind::kXmlText) {
      use_markers_ = true;
    }
  }

  TypeKind kind() const { return kind_; }
  // Makes an untyped root a concrete kind (Yjs replaces the object; we change it in place).
  void SetKind(TypeKind kind);
  DocImpl* doc() const { return doc_; }
  // The item holding this type, or nullptr for a root type.
  Item* item() const { return item_; }
  void set_item(Item* item) { item_ = item; }
  // The root name of a root type.
  const std::string& name() const { return name_; }
  void set_name(std::string name) { name_ = std::move(name); }
  // XmlElement node name / XmlHook hook name.
  const std::string& node_name() const { return node_name_; }
  void set_node_name(std::string n) { node_name_ = std::move(n); }

  Item* start() const { return start_; }
  void set_start(Item* s) { start_ = s; }
  uint64_t length() const { return length_; }
  void AddLength(int64_t delta) { length_ += static_cast<uint64_t>(delta); }

  // The map part: key -> current (right-most) item, in first-insertion order.
  Item* MapGet(const std::string* key) const;
  void MapSet(const std::string* key, Item* item);
  const std::vector<std::pair<const std::string*, Item*>>& map_entries() const { return map_; }
  // For the relocation of items (item_compaction.cc) only: keys and order must not change.
  std::vector<std::pair<const std::string*, Item*>>& mutable_map_entries() { return map_; }
  void MapClear() {
    map_.clear();
    map_index_.clear();
  }

  // Search markers (Array and Text only; formatting turns them off for a Text).
  bool has_markers() const { return use_markers_; }
  void DisableMarkers() {
    use_markers_ = false;
    ClearMarkers();
  }
  std::vector<SearchMarker>& markers() { return markers_; }
  void ClearMarkers() {
    markers_.clear();
    marker_order_.clear();
    marker_order_valid_ = true;
    markers_settled_ = true;
    markers_may_share_ = false;
  }
  // "Settled" means every marker points at a live countable item whose marker bit is set. Then
  // the item walk Yjs's updateMarkerChanges does on an insertion changes nothing and is skipped;
  // whatever may break the condition (deleting a marked item, moving or overwriting a marker)
  // unsettles, and the next insertion runs the full walk, which settles again.
  bool markers_settled() const { return markers_settled_; }
  void set_markers_settled(bool settled) { markers_settled_ = settled; }
  // Positions in markers(), sorted by index (ties in any order), so that FindMarker finds the
  // nearest marker by bisection. Index shifts keep the order; code that moves a marker
  // otherwise either repositions it (abstract_type.cc) or invalidates the order, which is then
  // rebuilt on next use.
  std::vector<uint8_t>& marker_order() { return marker_order_; }
  bool marker_order_valid() const { return marker_order_valid_; }
  // False while no two markers can point at the same item (a marker was only ever put on items
  // whose marker bit was clear), so overwriting one needs no search for another on its item.
  bool markers_may_share() const { return markers_may_share_; }
  void set_markers_may_share() { markers_may_share_ = true; }
  void set_marker_order_valid(bool valid) { marker_order_valid_ = valid; }
  uint64_t NextMarkerTimestamp() { return marker_clock_++; }

  // The first non-deleted item.
  Item* First() const;

  // Set once a formatting attribute was integrated into this Text (Yjs _hasFormatting).
  bool has_formatting() const { return has_formatting_; }
  void set_has_formatting() { has_formatting_ = true; }

 private:
  TypeKind kind_;
  DocImpl* doc_;
  Item* item_ = nullptr;
  Item* start_ = nullptr;
  uint64_t length_ = 0;
  std::string name_;
  std::string node_name_;
  std::vector<std::pair<const std::string*, Item*>> map_;
  std::unordered_map<const std::string*, size_t> map_index_;
  bool use_markers_ = false;
  bool has_formatting_ = false;
  bool markers_settled_ = true;
  uint64_t marker_clock_ = 0;
  std::vector<SearchMarker> markers_;
  std::vector<uint8_t> marker_order_;
  bool marker_order_valid_ = true;
  bool markers_may_share_ = false;
};

// Search markers (Yjs findMarker / updateMarkerChanges). FindMarker returns nullptr when the
// type keeps no markers or the index is 0.
SearchMarker* FindMarker(AbstractType* type, uint64_t index);
void UpdateMarkerChanges(AbstractType* type, uint64_t index, int64_t len);

// A value to insert into a list or map (Yjs's accepted insert values).
struct InsertValue {
  enum class Kind : uint8_t { kAny, kBinary, kType, kDoc } kind = Kind::kAny;
  Any any;                       // kAny, kBinary (bytes)
  AbstractType* type = nullptr;  // kType: a new, unintegrated type
  std::string guid;              // kDoc
  Any doc_opts;                  // kDoc
};

// List operations. Indices are in the type's units; out-of-range indices are the caller's
// error to report (these functions assume they were checked).
void ListInsert(Transaction& txn, AbstractType* parent, uint64_t index,
                std::vector<InsertValue> values);
void ListInsertAfter(Transaction& txn, AbstractType* parent, Item* ref,
                     std::vector<InsertValue> values);
void ListPush(Transaction& txn, AbstractType* parent, std::vector<InsertValue> values);
// Deletes [index, index+len); returns the length that could not be deleted (0 on success).
uint64_t ListDelete(Transaction& txn, AbstractType* parent, uint64_t index, uint64_t len);

void MapSetValue(Transaction& txn, AbstractType* parent, std::string_view key, InsertValue value);
void MapDeleteKey(Transaction& txn, AbstractType* parent, std::string_view key);
// The current item of `key` if it is not deleted.
Item* MapLiveItem(const AbstractType* parent, std::string_view key);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_ABSTRACT_TYPE_H_
