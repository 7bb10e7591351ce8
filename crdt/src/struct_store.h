// struct_store.h: every struct of a document, per client in clock order (Yjs StructStore), the
// pool the Items live in, and the lookups that split items at clean boundaries.
//
// Invariant: each client's vector covers clocks [0, state) without gaps or overlaps. Lookups of
// a clock below the state always succeed; callers check the state first (ids coming from the
// wire are validated before they are looked up). Single-threaded.
#ifndef ACCORD_CRDT_SRC_STRUCT_STORE_H_
#define ACCORD_CRDT_SRC_STRUCT_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "accord/crdt/state_vector.h"
#include "item.h"
#include "struct_list.h"

namespace accord::crdt {

class AbstractType;
class StructStore;

// Items are carved from blocks of kBlockItems (one allocation per block instead of one per item:
// loading a document creates hundreds of thousands at once), and freed items go to a free list
// for the next New (typing creates an item per keystroke and merging frees it again at the end
// of the transaction). A large transaction (or load) leaves its peak item count in the blocks,
// most of it free once merging is done, and the live items scattered among the free ones; the
// document then compacts the pool (item_compaction.h), which moves the live items into one
// block and releases the others. Under AddressSanitizer every item is a heap block of its own,
// so that uses after free are caught. Single-threaded, like the document.
class ItemPool {
 public:
  ItemPool();
  ~ItemPool();
  ItemPool(const ItemPool&) = delete;
  ItemPool& operator=(const ItemPool&) = delete;

  Item* New();
  void Free(Item* item);
  size_t live() const { return live_; }
  // Items the pool holds beyond the live ones (free, or not handed out yet). Under
  // AddressSanitizer: the items freed since the last compaction, as if they were kept.
  size_t slack() const { return capacity_ - live_; }
  // A GC struct of length 0 that belongs to no list, which compaction gives the dead types
  // whose item pointers name structs merged away long ago (item_compaction.cc).
  Item* dead() { return &dead_; }

 private:
  friend void CompactItems(ItemPool& pool, StructStore& store,
                           const std::vector<std::unique_ptr<AbstractType>>& types);
  static constexpr size_t kBlockItems = 256;
  Item* free_ = nullptr;  // linked through Item::left; constructed, content released
  size_t free_count_ = 0;
  size_t live_ = 0;
  size_t capacity_ = 0;
  std::vector<Item*> blocks_;        // each holds constructed items (kBlockItems but the first)
  size_t block_used_ = kBlockItems;  // items handed out from blocks_.back()
  Item dead_;
};

// Structs whose dependencies are missing, kept as a v2 update as Yjs does.
struct PendingStructs {
  StateVector missing;  // client -> lowest clock needed
  std::vector<uint8_t> update;
};

class StructStore {
 public:
  using Structs = StructList;

  explicit StructStore(ItemPool* pool) : pool_(pool) {}
  ~StructStore();

  // The structs of `client`, or nullptr.
  Structs* Get(uint64_t client) { return Find(client); }
  const std::unordered_map<uint64_t, Structs>& clients() const { return clients_; }
  uint64_t GetState(uint64_t client) const;
  StateVector GetStateVector() const;
  // Appends `s`, which must start at the client's state.
  void Add(Item* s);

  ItemPool& pool() { return *pool_; }

  std::optional<PendingStructs> pending_structs;
  std::optional<std::vector<uint8_t>> pending_ds;  // a v2 update with no structs

 private:
  // The client's structs, or nullptr. The last client looked up is cached (editing touches one
  // client over and over; the map's nodes never move, and clients are never removed).
  Structs* Find(uint64_t client) const {
    if (cached_ != nullptr && cached_client_ == client) return cached_;
    auto it = clients_.find(client);
    if (it == clients_.end()) return nullptr;
    cached_client_ = client;
    cached_ = const_cast<Structs*>(&it->second);
    return cached_;
  }

  ItemPool* pool_;
  std::unordered_map<uint64_t, Structs> clients_;
  mutable uint64_t cached_client_ = 0;
  mutable Structs* cached_ = nullptr;
};

// Index of the struct containing `clock` (Yjs findIndexSS). `clock` must be below the state.
size_t FindIndexSS(const StructStore::Structs& structs, uint64_t clock);
size_t FindIndexSS(const std::vector<Item*>& structs, uint64_t clock);
// The same, starting from index `guess` and galloping towards `clock` (O(log distance)): for
// callers that visit clocks in order (delete sets), where a lookup lands near the previous one.
size_t FindIndexFrom(const StructStore::Structs& structs, size_t guess, uint64_t clock);
// The struct containing `id`.
Item* FindStruct(StructStore& store, Id id);
// Splits so that a struct starts at `clock`; returns its index (Yjs findIndexCleanStart).
size_t FindIndexCleanStart(Transaction& txn, StructStore::Structs& structs, uint64_t clock);
// The item starting at `id`, splitting if needed (Yjs getItemCleanStart).
Item* GetItemCleanStart(Transaction& txn, Id id);
// The item ending at `id`, splitting if needed; GC structs are returned whole.
Item* GetItemCleanEnd(Transaction& txn, StructStore& store, Id id);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_STRUCT_STORE_H_
