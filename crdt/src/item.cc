#include "item.h"

#include <unordered_set>

#include "abstract_type.h"
#include "doc_impl.h"
#include "struct_store.h"
#include "transaction.h"

namespace accord::crdt {
namespace {

// Yjs compareIDs for optional ids: both absent, or both present and equal.
inline bool SameOptId(bool has_a, const Id& a, bool has_b, const Id& b) {
  if (has_a != has_b) return false;
  return !has_a || a == b;
}

}  // namespace

Item* Item::Next() const {
  Item* n = right;
  while (n != nullptr && n->deleted()) n = n->right;
  return n;
}

Item* Item::Prev() const {
  Item* n = left;
  while (n != nullptr && n->deleted()) n = n->left;
  return n;
}

void InitItem(Item* item, Id id, Item* left, const Id* origin, Item* right, const Id* right_origin,
              AbstractType* parent, const std::string* parent_sub,
              std::unique_ptr<Content> content) {
  item->id = id;
  item->kind = ItemKind::kItem;
  item->left = left;
  item->right = right;
  item->flags = 0;
  item->SetOrigin(origin);
  item->SetRightOrigin(right_origin);
  item->parent.type = parent;
  item->parent_kind = parent ? ItemParentKind::kType : ItemParentKind::kNone;
  item->parent_sub = parent_sub;
  item->length = content->Length();
  item->info = content->Countable() ? Item::kCountable : 0;
  item->content = std::move(content);
}

Item* SplitItem(Transaction& txn, Item* left, uint64_t diff) {
  const Id id = left->id;
  Item* right = txn.store().pool().New();
  const Id origin{id.client, id.clock + diff - 1};
  InitItem(right, Id{id.client, id.clock + diff}, left, &origin, left->right,
           left->has_right_origin() ? &left->right_origin : nullptr, left->parent_type(),
           left->parent_sub, SpliceContent(left->content, diff));
  if (left->deleted()) right->MarkDeleted();
  if (left->keep()) right->set_keep(true);
  left->right = right;
  if (right->right != nullptr) right->right->left = right;
  txn.merge_structs.push_back(right->id);
  if (right->parent_sub != nullptr && right->right == nullptr) {
    right->parent_type()->MapSet(right->parent_sub, right);
  }
  left->length = diff;
  return right;
}

int64_t ItemGetMissing(Item* item, Transaction& txn) {
  StructStore& store = txn.store();
  const uint64_t client = item->id.client;
  if (item->has_origin() && item->origin.client != client &&
      item->origin.clock >= store.GetState(item->origin.client)) {
    return static_cast<int64_t>(item->origin.client);
  }
  if (item->has_right_origin() && item->right_origin.client != client &&
      item->right_origin.clock >= store.GetState(item->right_origin.client)) {
    return static_cast<int64_t>(item->right_origin.client);
  }
  if (item->parent_kind == ItemParentKind::kItemId && item->parent.id_ref->client != client &&
      item->parent.id_ref->clock >= store.GetState(item->parent.id_ref->client)) {
    return static_cast<int64_t>(item->parent.id_ref->client);
  }
  // Every dependency is present: resolve the ids to items.
  if (item->has_origin()) {
    item->left = GetItemCleanEnd(txn, store, item->origin);
    item->origin = item->left->last_id();
  }
  if (item->has_right_origin()) {
    // Mostly the right origin is the left item's right neighbour (the item was inserted
    // between the two, often into a run GetItemCleanEnd has just split): a struct starting at
    // exactly that id is what GetItemCleanStart would return, without a lookup or a split.
    Item* next = item->left != nullptr ? item->left->right : nullptr;
    if (next != nullptr && next->id == item->right_origin) {
      item->right = next;
    } else {
      item->right = GetItemCleanStart(txn, item->right_origin);
      item->right_origin = item->right->id;
    }
  }
  if ((item->left != nullptr && item->left->is_gc()) ||
      (item->right != nullptr && item->right->is_gc())) {
    item->parent_kind = ItemParentKind::kNone;
    item->parent.type = nullptr;
  } else if (item->parent_kind == ItemParentKind::kNone) {
    Item* from = nullptr;
    if (item->left != nullptr && item->left->is_item()) {
      from = item->left;
    } else if (item->right != nullptr && item->right->is_item()) {
      from = item->right;
    }
    if (from != nullptr) {
      item->parent.type = from->parent_type();
      item->parent_kind = from->parent_kind == ItemParentKind::kType ? ItemParentKind::kType
                                                                     : ItemParentKind::kNone;
      item->parent_sub = from->parent_sub;
    }
  } else if (item->parent_kind == ItemParentKind::kItemId) {
    Item* parent_item = FindStruct(store, *item->parent.id_ref);
    if (parent_item->is_item() && parent_item->content->ref() == kRefType) {
      item->parent.type = static_cast<ContentType*>(parent_item->content.get())->type();
      item->parent_kind = ItemParentKind::kType;
    } else {
      // A GC'd parent, or one that is not a type: the item can only become a GC struct.
      item->parent.type = nullptr;
      item->parent_kind = ItemParentKind::kNone;
    }
  } else if (item->parent_kind == ItemParentKind::kRoot) {
    item->parent.type = txn.doc()->GetRoot(*item->parent.root_name, TypeKind::kUntyped);
    item->parent_kind = ItemParentKind::kType;
  }
  return -1;
}

void ConvertToGc(StructStore&, Item* item) {
  item->kind = ItemKind::kGc;
  item->content.reset();
  item->parent.type = nullptr;
  item->parent_kind = ItemParentKind::kNone;
  item->parent_sub = nullptr;
  item->left = nullptr;
  item->right = nullptr;
  item->flags &= Item::kIntegrated;
  item->info = 0;
}

void IntegrateItem(Item* item, Transaction& txn, uint64_t offset) {
  StructStore& store = txn.store();
  if (item->is_gc()) {
    if (offset > 0) {
      item->id.clock += offset;
      item->length -= offset;
    }
    txn.NoteStateChange(item->id.client);
    store.Add(item);
    return;
  }
  if (offset > 0) {
    item->id.clock += offset;
    item->left = GetItemCleanEnd(txn, store, Id{item->id.client, item->id.clock - 1});
    const Id o = item->left->last_id();
    item->SetOrigin(&o);
    item->content = item->content->Splice(offset);
    item->length -= offset;
  }
  AbstractType* parent = item->parent_type();
  if (parent == nullptr) {
    // No parent can be found: keep only the clock range, as a GC struct.
    ConvertToGc(store, item);
    txn.NoteStateChange(item->id.client);
    store.Add(item);
    return;
  }
  Item* right = item->right;
  if ((item->left == nullptr && (right == nullptr || right->left != nullptr)) ||
      (item->left != nullptr && item->left->right != right)) {
    // Conflict resolution (YATA): find where among the concurrent inserts this one goes.
    Item* left = item->left;
    Item* o;
    if (left != nullptr) {
      o = left->right;
    } else if (item->parent_sub != nullptr) {
      o = parent->MapGet(item->parent_sub);
      while (o != nullptr && o->left != nullptr) o = o->left;
    } else {
      o = parent->start();
    }
    std::unordered_set<Item*> conflicting;
    std::unordered_set<Item*> before_origin;
    while (o != nullptr && o != right) {
      before_origin.insert(o);
      conflicting.insert(o);
      if (SameOptId(item->has_origin(), item->origin, o->has_origin(), o->origin)) {
        if (o->id.client < item->id.client) {
          left = o;
          conflicting.clear();
        } else if (SameOptId(item->has_right_origin(), item->right_origin, o->has_right_origin(),
                             o->right_origin)) {
          break;
        }
      } else if (o->has_origin() && before_origin.count(FindStruct(store, o->origin)) > 0) {
        if (conflicting.count(FindStruct(store, o->origin)) == 0) {
          left = o;
          conflicting.clear();
        }
      } else {
        break;
      }
      o = o->right;
    }
    item->left = left;
  }
  if (item->left != nullptr) {
    item->right = item->left->right;
    item->left->right = item;
  } else {
    Item* r;
    if (item->parent_sub != nullptr) {
      r = parent->MapGet(item->parent_sub);
      while (r != nullptr && r->left != nullptr) r = r->left;
    } else {
      r = parent->start();
      parent->set_start(item);
    }
    item->right = r;
  }
  if (item->left != nullptr && item->right != nullptr && item->left->deleted() &&
      item->right->deleted()) {
    txn.ForgetDeletedRuns();  // the item may split a remembered run of deleted items
  }
  if (item->right != nullptr) {
    item->right->left = item;
  } else if (item->parent_sub != nullptr) {
    // The new right-most entry is the key's current value; the previous one is overwritten.
    parent->MapSet(item->parent_sub, item);
    if (item->left != nullptr) ItemDelete(txn, item->left);
  }
  if (item->parent_sub == nullptr && item->countable() && !item->deleted()) {
    parent->AddLength(static_cast<int64_t>(item->length));
  }
  txn.NoteStateChange(item->id.client);
  store.Add(item);
  item->content->Integrate(txn, item);
  AddChangedType(txn, parent, item->parent_sub);
  if ((parent->item() != nullptr && parent->item()->deleted()) ||
      (item->parent_sub != nullptr && item->right != nullptr)) {
    ItemDelete(txn, item);
  }
}

bool MergeStructs(Item* left, Item* right) {
  if (left->kind != right->kind) return false;
  if (left->is_gc() || left->is_skip()) {
    left->length += right->length;
    return true;
  }
  if (!right->has_origin() || !(right->origin == left->last_id()) || left->right != right ||
      !SameOptId(left->has_right_origin(), left->right_origin, right->has_right_origin(),
                 right->right_origin) ||
      left->id.client != right->id.client || left->id.clock + left->length != right->id.clock ||
      left->deleted() != right->deleted() || left->content->ref() != right->content->ref() ||
      !MergeContent(left->content, *right->content)) {
    return false;
  }
  AbstractType* parent = left->parent_type();
  // With settled markers, only an item with its marker bit set can have a marker on it.
  if (parent != nullptr && (right->marker() || !parent->markers_settled())) {
    for (SearchMarker& m : parent->markers()) {
      if (m.p == right) {
        m.p = left;
        parent->set_markers_may_share();
        parent->set_marker_order_valid(false);
        if (!left->marker() || left->deleted() || !left->countable()) {
          parent->set_markers_settled(false);
        }
        if (!left->deleted() && left->countable()) m.index -= left->length;
      }
    }
  }
  if (right->keep()) left->set_keep(true);
  left->right = right->right;
  if (left->right != nullptr) left->right->left = left;
  left->length += right->length;
  return true;
}

void ItemDelete(Transaction& txn, Item* item) {
  if (item->deleted()) return;
  AbstractType* parent = item->parent_type();
  if (item->countable() && item->parent_sub == nullptr) {
    parent->AddLength(-static_cast<int64_t>(item->length));
  }
  item->MarkDeleted();
  if (item->marker() && parent != nullptr) parent->set_markers_settled(false);
  txn.AddDeleted(item->id.client, item->id.clock, item->length);
  AddChangedType(txn, parent, item->parent_sub);
  item->content->Delete(txn);
}

void GcItem(StructStore& store, Item* item, bool parent_gcd) {
  if (!item->is_item() || !item->deleted()) return;
  item->content->Gc(store);
  if (parent_gcd) {
    ConvertToGc(store, item);
  } else if (item->content->ref() != kRefDeleted) {  // deleted content stays as it is
    item->content = std::make_unique<ContentDeleted>(item->length);
  }
}

void WriteStruct(UpdateEncoder& encoder, const Item* s, uint64_t offset) {
  if (s->is_gc()) {
    encoder.WriteInfo(kRefGc);
    encoder.WriteLen(s->length - offset);
    return;
  }
  if (s->is_skip()) {
    encoder.WriteInfo(kRefSkip);
    encoder.WriteRestVarUint(s->length - offset);
    return;
  }
  Id origin;
  bool has_origin = false;
  if (offset > 0) {
    origin = Id{s->id.client, s->id.clock + offset - 1};
    has_origin = true;
  } else if (s->has_origin()) {
    origin = s->origin;
    has_origin = true;
  }
  const uint8_t info = static_cast<uint8_t>((s->content->ref() & 0x1F) | (has_origin ? 0x80 : 0) |
                                            (s->has_right_origin() ? 0x40 : 0) |
                                            (s->parent_sub != nullptr ? 0x20 : 0));
  encoder.WriteInfo(info);
  if (has_origin) encoder.WriteLeftId(origin);
  if (s->has_right_origin()) encoder.WriteRightId(s->right_origin);
  if (!has_origin && !s->has_right_origin()) {
    switch (s->parent_kind) {
      case ItemParentKind::kType: {
        const AbstractType* t = s->parent.type;
        if (t->item() == nullptr) {
          encoder.WriteParentInfo(true);
          encoder.WriteString(t->name());
        } else {
          encoder.WriteParentInfo(false);
          encoder.WriteLeftId(t->item()->id);
        }
        break;
      }
      case ItemParentKind::kRoot:
        encoder.WriteParentInfo(true);
        encoder.WriteString(*s->parent.root_name);
        break;
      case ItemParentKind::kItemId:
        encoder.WriteParentInfo(false);
        encoder.WriteLeftId(*s->parent.id_ref);
        break;
      case ItemParentKind::kNone:
        throw DecodeError("item without parent cannot be encoded");
    }
    if (s->parent_sub != nullptr) encoder.WriteString(*s->parent_sub);
  }
  s->content->Write(encoder, offset);
}

}  // namespace accord::crdt
