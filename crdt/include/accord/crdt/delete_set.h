// accord/crdt/delete_set.h: which clock ranges of which clients are deleted (Yjs DeleteSet).
//
// A DeleteSet maps a client id to its deleted ranges. Ranges are appended in any order with
// Add(); SortAndMerge() sorts them by clock and fuses overlapping or adjacent ranges, after
// which IsDeleted() answers by binary search. Clients iterate in ascending id order (Yjs keeps
// insertion order, but every place where order reaches the wire sorts the clients first).
// A value type: not synchronised; share between threads only for reading.
#ifndef ACCORD_CRDT_DELETE_SET_H_
#define ACCORD_CRDT_DELETE_SET_H_

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace accord::crdt {

struct DeleteItem {
  uint64_t clock = 0;
  uint64_t len = 0;
  bool operator==(const DeleteItem&) const = default;
};

class DeleteSet {
 public:
  using Clients = std::map<uint64_t, std::vector<DeleteItem>>;

  // Appends the range [clock, clock + len) of `client`; call SortAndMerge() before lookups.
  void Add(uint64_t client, uint64_t clock, uint64_t len) {
    clients_[client].push_back(DeleteItem{clock, len});
  }
  // Sorts every client's ranges by clock and merges overlapping and adjacent ones.
  void SortAndMerge();
  // The union of `sets`, sorted and merged (Yjs mergeDeleteSets).
  static DeleteSet Merge(std::span<const DeleteSet> sets);
  // Whether (client, clock) lies in a range. Requires a sorted and merged set.
  bool IsDeleted(uint64_t client, uint64_t clock) const;

  bool empty() const { return clients_.empty(); }
  const Clients& clients() const { return clients_; }
  Clients& mutable_clients() { return clients_; }
  bool operator==(const DeleteSet&) const = default;

 private:
  Clients clients_;
};

// Index of the range containing `clock` in the sorted, merged `items`, or -1 (Yjs findIndexDS).
int64_t FindDeleteItemIndex(std::span<const DeleteItem> items, uint64_t clock);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_DELETE_SET_H_
