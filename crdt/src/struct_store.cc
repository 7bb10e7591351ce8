#include "struct_store.h"

#include <new>

#include "transaction.h"

namespace accord::crdt {

// ---- ItemPool ----

ItemPool::~ItemPool() = default;  // live items are destroyed by their owners first

Item* ItemPool::New() {
  ++live_;
  if (free_ != nullptr) {
    Item* item = free_;
    free_ = item->left;
    return new (item) Item();
  }
  if (used_in_block_ == kBlock) {
    blocks_.emplace_back(new unsigned char[sizeof(Item) * kBlock]);
    used_in_block_ = 0;
  }
  void* slot = blocks_.back().get() + sizeof(Item) * used_in_block_++;
  return new (slot) Item();
}

void ItemPool::Free(Item* item) {
  --live_;
  item->~Item();
  // The slot's storage is reused as a free-list link; an Item is trivially re-constructed.
  Item* slot = new (item) Item();
  slot->left = free_;
  free_ = slot;
}

// ---- StructStore ----

StructStore::~StructStore() {
  for (auto& [client, structs] : clients_) {
    for (Item* s : structs) pool_->Free(s);
  }
}

uint64_t StructStore::GetState(uint64_t client) const {
  auto it = clients_.find(client);
  if (it == clients_.end()) return 0;
  const Item* last = it->second.back();
  return last->id.clock + last->length;
}

StateVector StructStore::GetStateVector() const {
  StateVector sv;
  for (const auto& [client, structs] : clients_) {
    const Item* last = structs.back();
    sv[client] = last->id.clock + last->length;
  }
  return sv;
}

void StructStore::Add(Item* s) {
  s->flags |= Item::kIntegrated;
  Structs& structs = clients_[s->id.client];
  // Callers only add at the state (integration checks clocks before it gets here).
  structs.push_back(s);
}

size_t FindIndexSS(const StructStore::Structs& structs, uint64_t clock) {
  size_t left = 0;
  size_t right = structs.size() - 1;
  const Item* mid = structs[right];
  if (mid->id.clock == clock) return right;
  // Pivot on the expected position (clocks are roughly evenly spread), then bisect.
  const uint64_t span = mid->id.clock + mid->length - 1;
  size_t midindex =
      span == 0 ? 0 : static_cast<size_t>((static_cast<double>(clock) / span) * right);
  if (midindex > right) midindex = right;
  while (left <= right) {
    mid = structs[midindex];
    if (mid->id.clock <= clock) {
      if (clock < mid->id.clock + mid->length) return midindex;
      left = midindex + 1;
    } else {
      if (midindex == 0) break;
      right = midindex - 1;
    }
    midindex = (left + right) / 2;
  }
  // Callers check the state first; reaching this means the store is corrupt.
  throw DecodeError("struct not found");
}

Item* FindStruct(StructStore& store, Id id) {
  StructStore::Structs* structs = store.Get(id.client);
  if (structs == nullptr) throw DecodeError("struct not found");
  return (*structs)[FindIndexSS(*structs, id.clock)];
}

size_t FindIndexCleanStart(Transaction& txn, StructStore::Structs& structs, uint64_t clock) {
  size_t index = FindIndexSS(structs, clock);
  Item* s = structs[index];
  if (s->id.clock < clock && s->is_item()) {
    Item* right = SplitItem(txn, s, clock - s->id.clock);
    structs.insert(structs.begin() + static_cast<ptrdiff_t>(index) + 1, right);
    return index + 1;
  }
  return index;
}

Item* GetItemCleanStart(Transaction& txn, Id id) {
  StructStore::Structs* structs = txn.store().Get(id.client);
  if (structs == nullptr) throw DecodeError("struct not found");
  return (*structs)[FindIndexCleanStart(txn, *structs, id.clock)];
}

Item* GetItemCleanEnd(Transaction& txn, StructStore& store, Id id) {
  StructStore::Structs* structs = store.Get(id.client);
  if (structs == nullptr) throw DecodeError("struct not found");
  size_t index = FindIndexSS(*structs, id.clock);
  Item* s = (*structs)[index];
  if (id.clock != s->id.clock + s->length - 1 && !s->is_gc()) {
    Item* right = SplitItem(txn, s, id.clock - s->id.clock + 1);
    structs->insert(structs->begin() + static_cast<ptrdiff_t>(index) + 1, right);
  }
  return s;
}

}  // namespace accord::crdt
