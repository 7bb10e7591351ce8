#include "transaction.h"

#include <algorithm>

#include "abstract_type.h"
#include "delete_set.h"
#include "doc_impl.h"
#include "encoding.h"
#include "struct_store.h"

namespace accord::crdt {
namespace {

// Merges structs[pos] into its left neighbours as far as possible, freeing the absorbed structs;
// returns how many were absorbed (Yjs tryToMergeWithLefts).
size_t TryMergeWithLefts(StructStore& store, StructStore::Structs& structs, size_t pos) {
  size_t i = pos;
  while (i > 0) {
    Item* left = structs[i - 1];
    Item* right = structs[i];
    if (left->deleted() != right->deleted() || left->kind != right->kind) break;
    if (!MergeStructs(left, right)) break;
    if (right->is_item() && right->parent_sub != nullptr) {
      AbstractType* parent = right->parent_type();
      if (parent->MapGet(right->parent_sub) == right) parent->MapSet(right->parent_sub, left);
    }
    --i;
  }
  const size_t merged = pos - i;
  if (merged > 0) {
    auto first = structs.begin() + static_cast<ptrdiff_t>(pos + 1 - merged);
    for (auto it = first; it != first + static_cast<ptrdiff_t>(merged); ++it) {
      store.pool().Free(*it);
    }
    structs.erase(first, first + static_cast<ptrdiff_t>(merged));
  }
  return merged;
}

void TryGcDeleteSet(const DeleteSet& ds, StructStore& store) {
  for (const auto& [client, ranges] : ds.clients()) {
    StructStore::Structs* structs = store.Get(client);
    if (structs == nullptr) continue;
    for (size_t di = ranges.size(); di-- > 0;) {
      const DeleteItem& del = ranges[di];
      const uint64_t end = del.clock + del.len;
      for (size_t si = FindIndexSS(*structs, del.clock);
           si < structs->size() && (*structs)[si]->id.clock < end; ++si) {
        Item* s = (*structs)[si];
        if (s->is_item() && s->deleted() && !s->keep()) GcItem(store, s, false);
      }
    }
  }
}

void TryMergeDeleteSet(const DeleteSet& ds, StructStore& store) {
  for (const auto& [client, ranges] : ds.clients()) {
    StructStore::Structs* structs = store.Get(client);
    if (structs == nullptr) continue;
    for (size_t di = ranges.size(); di-- > 0;) {
      const DeleteItem& del = ranges[di];
      size_t si = std::min(structs->size() - 1, 1 + FindIndexSS(*structs, del.clock + del.len - 1));
      while (si > 0 && (*structs)[si]->id.clock >= del.clock) {
        const size_t step = 1 + TryMergeWithLefts(store, *structs, si);
        if (step > si) break;
        si -= step;
      }
    }
  }
}

}  // namespace

Transaction::Transaction(DocImpl* doc, const void* origin, bool local)
    : before_state(doc->store().GetStateVector()), doc_(doc), origin_(origin), local_(local) {}

StructStore& Transaction::store() const { return doc_->store(); }

void AddChangedType(Transaction& txn, AbstractType* type, const std::string* parent_sub) {
  Item* item = type->item();
  if (item == nullptr || (item->id.clock < txn.BeforeClock(item->id.client) && !item->deleted())) {
    txn.changed[type].insert(parent_sub);
  }
}

bool WriteUpdateFromTransaction(UpdateEncoder& encoder, Transaction& txn) {
  bool changed_state = false;
  for (const auto& [client, clock] : txn.after_state) {
    if (txn.BeforeClock(client) != clock || txn.before_state.count(client) == 0) {
      changed_state = true;
      break;
    }
  }
  if (txn.delete_set.empty() && !changed_state) return false;
  txn.delete_set.SortAndMerge();
  WriteClientsStructs(encoder, txn.store(), txn.before_state);
  WriteDeleteSet(encoder, txn.delete_set);
  return true;
}

void CleanupTransaction(Transaction& txn) {
  DocImpl* doc = txn.doc();
  StructStore& store = doc->store();
  const DeleteSet& ds = txn.delete_set;
  if (doc->gc()) TryGcDeleteSet(ds, store);
  TryMergeDeleteSet(ds, store);

  // Merge the structs created in this transaction, right to left.
  for (const auto& [client, clock] : txn.after_state) {
    const uint64_t before = txn.BeforeClock(client);
    if (before == clock) continue;
    StructStore::Structs* structs = store.Get(client);
    const size_t first = std::max<size_t>(FindIndexSS(*structs, before), 1);
    for (size_t i = structs->size() - 1; i >= first;) {
      const size_t step = 1 + TryMergeWithLefts(store, *structs, i);
      if (i < step) break;
      i -= step;
    }
  }
  // Merge around the splits made during the transaction.
  for (size_t k = txn.merge_structs.size(); k-- > 0;) {
    const Id id = txn.merge_structs[k];
    StructStore::Structs* structs = store.Get(id.client);
    const size_t pos = FindIndexSS(*structs, id.clock);
    if (pos + 1 < structs->size()) {
      if (TryMergeWithLefts(store, *structs, pos + 1) > 1) continue;
    }
    if (pos > 0) TryMergeWithLefts(store, *structs, pos);
  }
}

}  // namespace accord::crdt
