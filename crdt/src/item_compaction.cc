#include "item_compaction.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <unordered_map>
#include <utility>

#include "abstract_type.h"

namespace accord::crdt {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kHeapItems = true;
#else
constexpr bool kHeapItems = false;
#endif

// Below this many idle items a compaction is not worth its walk over the whole document.
constexpr size_t kMinSlack = 4096;

// Where each moved item went. In block mode the old copy records it (flag and `right`): the old
// blocks are still allocated while pointers are fixed up, so even a stale pointer (a dead type's
// item merged away long ago) can be read. Under AddressSanitizer items are separate heap blocks
// and a stale pointer may name freed memory, so a map is used instead.
class Forwarding {
 public:
  explicit Forwarding(Item* dead) : dead_(dead) {}

  void Record(Item* old_item, Item* new_item) {
    if (kHeapItems) {
      map_.emplace(old_item, new_item);
    } else {
      old_item->flags |= Item::kRelocated;
      old_item->right = new_item;
    }
  }
  // The new address of `p`; nullptr stays nullptr, and a pointer to no live struct becomes the
  // dead placeholder (see ItemPool::dead).
  Item* operator()(Item* p) const {
    if (p == nullptr || p == dead_) return p;
    if (kHeapItems) {
      auto it = map_.find(p);
      return it == map_.end() ? dead_ : it->second;
    }
    return (p->flags & Item::kRelocated) != 0 ? p->right : dead_;
  }
  // Under AddressSanitizer: frees the moved-from items.
  void DeleteOldItems() {
    for (auto& [old_item, new_item] : map_) delete old_item;
    map_.clear();
  }
  bool live(Item* p) const { return p == nullptr || (*this)(p) != dead_; }

 private:
  Item* dead_;
  std::unordered_map<const Item*, Item*> map_;
};

}  // namespace

bool ShouldCompactItems(const ItemPool& pool) {
  const size_t slack = pool.slack();
  return slack >= kMinSlack && slack >= pool.live() / 4;
}

void CompactItems(ItemPool& pool, StructStore& store,
                  const std::vector<std::unique_ptr<AbstractType>>& types) {
  std::vector<uint64_t> clients;
  size_t count = 0;
  for (const auto& [client, structs] : store.clients()) {
    clients.push_back(client);
    count += structs.size();
  }
  // An item outside the store (none should be live between transactions) would dangle.
  if (count != pool.live()) return;
  // Encoding writes clients by descending id.
  std::sort(clients.begin(), clients.end(), std::greater<>());

  Forwarding forward(pool.dead());
  Item* block = nullptr;
  if (!kHeapItems && count > 0) block = new Item[count];
  std::vector<Item*> moved;
  moved.reserve(count);
  for (uint64_t client : clients) {
    StructStore::Structs& structs = *store.Get(client);
    for (size_t i = 0; i < structs.size(); ++i) {
      Item* old_item = structs[i];
      Item* new_item = kHeapItems ? new Item() : &block[moved.size()];
      *new_item = std::move(*old_item);
      forward.Record(old_item, new_item);
      structs[i] = new_item;
      moved.push_back(new_item);
    }
    structs.ShrinkToFit();
  }
  for (Item* item : moved) {
    // Neighbours are integrated structs, so they moved too.
    if (!forward.live(item->left) || !forward.live(item->right)) std::abort();
    item->left = forward(item->left);
    item->right = forward(item->right);
  }
  for (const auto& type : types) {
    AbstractType* t = type.get();
    t->set_item(forward(t->item()));
    t->set_start(forward(t->start()));
    for (auto& entry : t->mutable_map_entries()) entry.second = forward(entry.second);
    bool stale_marker = false;
    for (SearchMarker& m : t->markers()) {
      stale_marker |= !forward.live(m.p);
      m.p = forward(m.p);
    }
    if (stale_marker) t->ClearMarkers();
  }

  // Release the old storage; every live item has moved out of it.
  if (kHeapItems) {
    forward.DeleteOldItems();
    while (pool.free_ != nullptr) {
      Item* next = pool.free_->left;
      delete pool.free_;
      pool.free_ = next;
    }
  } else {
    for (Item* b : pool.blocks_) delete[] b;
    pool.blocks_.clear();
    pool.free_ = nullptr;
    if (block != nullptr) pool.blocks_.push_back(block);
  }
  pool.free_count_ = 0;
  pool.block_used_ = ItemPool::kBlockItems;  // the next New starts a block of its own
  pool.capacity_ = pool.live_;
}

}  // namespace accord::crdt
