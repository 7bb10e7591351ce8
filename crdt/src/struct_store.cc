#include "struct_store.h"

#include <new>
#include <type_traits>

#include "transaction.h"

namespace accord::crdt {

// ---- ItemPool ----

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kHeapItems = true;
#else
constexpr bool kHeapItems = false;
#endif

ItemPool::ItemPool() { dead_.kind = ItemKind::kGc; }

ItemPool::~ItemPool() {
  // Live items are released by their owners first; only free ones are left.
  if (kHeapItems) {
    while (free_ != nullptr) {
      Item* next = free_->left;
      delete free_;
      free_ = next;
    }
  }
  for (Item* block : blocks_) delete[] block;
}

Item* ItemPool::New() {
  ++live_;
  if (free_ != nullptr) {
    Item* item = free_;
    free_ = item->left;
    --free_count_;
    *item = Item();
    return item;
  }
  if (kHeapItems) {
    ++capacity_;
    return new Item();
  }
  if (block_used_ == kBlockItems) {
    blocks_.push_back(new Item[kBlockItems]);
    block_used_ = 0;
    capacity_ += kBlockItems;
  }
  return &blocks_.back()[block_used_++];
}

void ItemPool::Free(Item* item) {
  --live_;
  if (kHeapItems && free_count_ >= 64) {
    delete item;  // capacity_ keeps counting it: slack() is the churn since the last compaction
    return;
  }
  item->content.reset();
  item->left = free_;
  free_ = item;
  ++free_count_;
}

// ---- StructStore ----

StructStore::~StructStore() {
  for (auto& [client, structs] : clients_) {
    for (Item* s : structs) pool_->Free(s);
  }
}

uint64_t StructStore::GetState(uint64_t client) const {
  const Structs* structs = Find(client);
  if (structs == nullptr) return 0;
  const Item* last = structs->back();
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
  Structs* structs = Find(s->id.client);
  if (structs == nullptr) structs = &clients_[s->id.client];
  // Callers only add at the state (integration checks clocks before it gets here).
  structs->push_back(s);
}

namespace {

bool Contains(const Item* s, uint64_t clock) {
  return s->id.clock <= clock && clock < s->id.clock + s->length;
}

template <typename List>
size_t Bisect(const List& structs, uint64_t clock) {
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

template <typename List>
size_t FindIndexIn(const List& structs, uint64_t clock) {
  const size_t n = structs.size();
  // Integrating in clock order (loading an update, typing) mostly looks up the struct just
  // added, the client's last one. The hint is left alone: it serves the other lookups.
  if (n > 0 && Contains(structs[n - 1], clock)) return n - 1;
  if constexpr (std::is_same_v<List, StructList>) {
    // Lookups cluster (a split, then the merges around it): try the last hit and its neighbours
    // before bisecting.
    const size_t h = structs.hint();
    for (size_t i = h > 0 ? h - 1 : 0; i < n && i <= h + 1; ++i) {
      if (Contains(structs[i], clock)) {
        structs.set_hint(i);
        return i;
      }
    }
    const size_t found = Bisect(structs, clock);
    structs.set_hint(found);
    return found;
  } else {
    return Bisect(structs, clock);
  }
}

}  // namespace

size_t FindIndexSS(const StructStore::Structs& structs, uint64_t clock) {
  return FindIndexIn(structs, clock);
}

size_t FindIndexSS(const std::vector<Item*>& structs, uint64_t clock) {
  return FindIndexIn(structs, clock);
}

size_t FindIndexFrom(const StructStore::Structs& structs, size_t guess, uint64_t clock) {
  const size_t n = structs.size();
  if (guess >= n) return FindIndexSS(structs, clock);
  // [lo, hi]: lo's struct starts at or before `clock`, hi's struct starts after it (hi may be
  // n, past the end; the caller guarantees clock < state).
  size_t lo;
  size_t hi;
  if (structs[guess]->id.clock <= clock) {
    lo = guess;
    size_t step = 1;
    hi = guess + 1;
    while (hi < n && structs[hi]->id.clock <= clock) {
      lo = hi;
      step *= 2;
      hi = lo + step;
    }
    if (hi > n) hi = n;
  } else {
    hi = guess;
    size_t step = 1;
    while (true) {
      if (hi < step) {
        lo = 0;
        break;
      }
      lo = hi - step;
      if (structs[lo]->id.clock <= clock) break;
      hi = lo;
      step *= 2;
    }
  }
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    if (structs[mid]->id.clock <= clock) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  if (!Contains(structs[lo], clock)) throw DecodeError("struct not found");
  return lo;
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
    structs.Insert(index + 1, right);
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
    structs->Insert(index + 1, right);
  }
  return s;
}

}  // namespace accord::crdt
