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
    const size_t first = pos + 1 - merged;
    for (size_t k = first; k <= pos; ++k) store.pool().Free(structs[k]);
    structs.Erase(first, pos + 1);
  }
  return merged;
}

void TryGcDeleteSet(const DeleteSet& ds, StructStore& store) {
  for (const auto& [client, ranges] : ds.clients()) {
    StructStore::Structs* structs = store.Get(client);
    if (structs == nullptr) continue;
    // Ranges are sorted: each lookup starts at the previous one.
    size_t prev = SIZE_MAX;
    for (size_t di = ranges.size(); di-- > 0;) {
      const DeleteItem& del = ranges[di];
      const uint64_t end = del.clock + del.len;
      prev = prev == SIZE_MAX ? FindIndexSS(*structs, del.clock)
                              : FindIndexFrom(*structs, prev, del.clock);
      for (size_t si = prev; si < structs->size() && (*structs)[si]->id.clock < end; ++si) {
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
    size_t prev = SIZE_MAX;  // as in TryGcDeleteSet
    for (size_t di = ranges.size(); di-- > 0;) {
      const DeleteItem& del = ranges[di];
      const uint64_t last = del.clock + del.len - 1;
      prev = prev == SIZE_MAX ? FindIndexSS(*structs, last) : FindIndexFrom(*structs, prev, last);
      size_t si = std::min(structs->size() - 1, 1 + prev);
      while (si > 0 && (*structs)[si]->id.clock >= del.clock) {
        const size_t step = 1 + TryMergeWithLefts(store, *structs, si);
        if (step > si) break;
        si -= step;
      }
    }
  }
}

}  // namespace

// Up to this many clients / types the transaction's lists are searched linearly.
constexpr size_t kLinearLimit = 8;

Transaction::Transaction(DocImpl* doc, const void* origin, bool local)
    : doc_(doc), origin_(origin), local_(local) {}

void Transaction::Reset(const void* origin, bool local) {
  origin_ = origin;
  local_ = local;
  DeleteSet::Clients& deleted = delete_set.mutable_clients();
  if (!deleted.empty() && spare_delete_node_.empty()) {
    spare_delete_node_ = deleted.extract(deleted.begin());
  }
  deleted.clear();
  merge_structs.clear();
  subdocs_added.clear();
  subdocs_removed.clear();
  type_deletes.clear();
  draining_type_deletes = false;
  need_formatting_cleanup = false;
  delete_order.clear();
  changed_clients_.clear();
  changed_.clear();
  if (!before_index_.empty()) before_index_.clear();
  if (!changed_index_.empty()) changed_index_.clear();
  ForgetDeletedRuns();
}

StructStore& Transaction::store() const { return doc_->store(); }

void Transaction::NoteStateChange(uint64_t client) {
  if (!changed_clients_.empty() && changed_clients_.back().client == client) return;
  if (changed_clients_.size() < kLinearLimit) {
    for (const ClientChange& c : changed_clients_) {
      if (c.client == client) return;
    }
  } else if (before_index_.count(client) > 0) {
    return;
  }
  const uint64_t before = doc_->store().GetState(client);
  changed_clients_.push_back(ClientChange{client, before});
  if (changed_clients_.size() == kLinearLimit) {
    for (const ClientChange& c : changed_clients_) before_index_.emplace(c.client, c.before);
  } else if (changed_clients_.size() > kLinearLimit) {
    before_index_.emplace(client, before);
  }
}

uint64_t Transaction::BeforeClock(uint64_t client) const {
  if (changed_clients_.size() < kLinearLimit) {
    for (const ClientChange& c : changed_clients_) {
      if (c.client == client) return c.before;
    }
  } else if (auto it = before_index_.find(client); it != before_index_.end()) {
    return it->second;
  }
  return doc_->store().GetState(client);
}

StateVector Transaction::BeforeState() const {
  StateVector sv = doc_->store().GetStateVector();
  for (const ClientChange& c : changed_clients_) {
    if (c.before == 0) {
      sv.erase(c.client);
    } else {
      sv[c.client] = c.before;
    }
  }
  return sv;
}

StateVector Transaction::AfterState() const { return doc_->store().GetStateVector(); }

void Transaction::AddChanged(AbstractType* type) {
  if (!changed_.empty() && changed_.back() == type) return;
  if (changed_.size() < kLinearLimit) {
    if (std::find(changed_.begin(), changed_.end(), type) != changed_.end()) return;
  } else if (changed_index_.count(type) > 0) {
    return;
  }
  changed_.push_back(type);
  if (changed_.size() == kLinearLimit) {
    changed_index_.insert(changed_.begin(), changed_.end());
  } else if (changed_.size() > kLinearLimit) {
    changed_index_.insert(type);
  }
}

void Transaction::EraseChanged(AbstractType* type) {
  auto it = std::find(changed_.begin(), changed_.end(), type);
  if (it == changed_.end()) return;
  changed_.erase(it);
  changed_index_.erase(type);
}

void AddChangedType(Transaction& txn, AbstractType* type, const std::string* /*parent_sub*/) {
  Item* item = type->item();
  if (item == nullptr || (item->id.clock < txn.BeforeClock(item->id.client) && !item->deleted())) {
    txn.AddChanged(type);
  }
}

bool WriteUpdateFromTransaction(UpdateEncoder& encoder, Transaction& txn) {
  // A client in changed_clients() gained structs, so the state changed.
  if (txn.delete_set.empty() && txn.changed_clients().empty()) return false;
  txn.delete_set.SortAndMerge();
  WriteClientsStructs(encoder, txn.store(), txn.BeforeState());
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
  for (const Transaction::ClientChange& change : txn.changed_clients()) {
    const uint64_t before = change.before;
    StructStore::Structs* structs = store.Get(change.client);
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
