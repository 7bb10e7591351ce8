// transaction.h: one batch of changes to a document (Yjs Transaction) and the work done when it
// ends: delete-set normalisation, garbage collection, merging of adjacent structs, and delivery
// of the update to observers (Yjs transact / cleanupTransactions).
//
// A transaction is opened by DocImpl::Transact; nested calls join the open one. Single-threaded.
#ifndef ACCORD_CRDT_SRC_TRANSACTION_H_
#define ACCORD_CRDT_SRC_TRANSACTION_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "accord/crdt/delete_set.h"
#include "accord/crdt/state_vector.h"
#include "item.h"
#include "update_coder.h"

namespace accord::crdt {

class AbstractType;
class DocImpl;
class StructStore;

class Transaction {
 public:
  Transaction(DocImpl* doc, const void* origin, bool local);

  DocImpl* doc() const { return doc_; }
  StructStore& store() const;
  const void* origin() const { return origin_; }
  bool local() const { return local_; }
  void set_local(bool l) { local_ = l; }

  // Makes a finished transaction a fresh one (keeping its buffers' capacity), so a document
  // can reuse one Transaction object for a stream of small transactions.
  void Reset(const void* origin, bool local);

  // Deleted ranges of this transaction.
  DeleteSet delete_set;
  // Ids of structs that may merge with their neighbours after the transaction.
  std::vector<Id> merge_structs;
  // Subdocument changes (by guid).
  std::vector<std::string> subdocs_added;
  std::vector<std::string> subdocs_removed;

  // Worklist that turns the recursive deletion of nested types into a loop.
  std::vector<AbstractType*> type_deletes;
  bool draining_type_deletes = false;
  // Set when a remote change reached a text with formatting (Yjs _needFormattingCleanup).
  bool need_formatting_cleanup = false;
  // Clients in the order they first entered delete_set (Yjs keeps its delete set in insertion
  // order, and the formatting cleanup depends on it).
  std::vector<uint64_t> delete_order;

  // Adds a deleted range to delete_set, noting the client's order.
  //
  // A range that overlaps or adjoins the client's last recorded range is fused into it instead
  // of being appended: deletions mostly come in clock order (a loaded delete set, a run of
  // deleted items) or in reverse (backspacing), and a large transaction would otherwise collect
  // one range per item and sort them all at the end. The encoded delete set does not change:
  // SortAndMerge, which runs before anything reads the set, fuses exactly such ranges (closed
  // intervals that touch), and fusing two of them early leaves the union the same.
  void AddDeleted(uint64_t client, uint64_t clock, uint64_t len) {
    DeleteSet::Clients& clients = delete_set.mutable_clients();
    auto it = clients.find(client);
    if (it == clients.end()) {
      delete_order.push_back(client);
      if (!spare_delete_node_.empty()) {
        // Reuse the map node (and range buffer) of an earlier transaction.
        spare_delete_node_.key() = client;
        spare_delete_node_.mapped().clear();
        it = clients.insert(std::move(spare_delete_node_)).position;
      } else {
        it = clients.try_emplace(client).first;
      }
    }
    std::vector<DeleteItem>& ranges = it->second;
    if (!ranges.empty()) {
      DeleteItem& last = ranges.back();
      const uint64_t end = clock + len;
      const uint64_t last_end = last.clock + last.len;
      if (clock <= last_end && last.clock <= end) {
        const uint64_t start = std::min(last.clock, clock);
        last.len = std::max(last_end, end) - start;
        last.clock = start;
        return;
      }
    }
    ranges.push_back(DeleteItem{clock, len});
  }

  // Runs of deleted items that text edits walked over, first item -> last item, so that the
  // next edit starting there jumps over the run. Repeated deletion at one place within one
  // transaction would otherwise walk the whole growing run every time (merging shrinks such
  // runs only when the transaction ends), which made a trace replayed as one transaction many
  // times slower than one transaction per edit. An entry stays valid while nothing is inserted
  // between two deleted items (IntegrateItem calls ForgetDeletedRuns then): items are never
  // undeleted, a split of a deleted item adds a deleted item, and items are freed or moved only
  // after the transaction (Reset clears the entries).
  Item* DeletedRunEnd(Item* first) const {
    if (deleted_runs_.empty()) return first;
    auto it = deleted_runs_.find(first);
    return it == deleted_runs_.end() ? first : it->second;
  }
  void NoteDeletedRun(Item* first, Item* last) { deleted_runs_[first] = last; }
  void ForgetDeletedRuns() {
    if (!deleted_runs_.empty()) deleted_runs_.clear();
  }

  // The state before the transaction is recorded lazily (Yjs takes the whole state vector up
  // front): a client's clock is noted when the transaction first adds a struct of that client
  // (NoteStateChange, called before every StructStore::Add); any other client still has its
  // state from before.
  struct ClientChange {
    uint64_t client;
    uint64_t before;  // 0 if the client had no structs
  };
  void NoteStateChange(uint64_t client);
  // Clients this transaction added structs to, in the order of their first struct.
  const std::vector<ClientChange>& changed_clients() const { return changed_clients_; }
  uint64_t BeforeClock(uint64_t client) const;
  // Whole state vectors before and after (for observers and update encoding).
  StateVector BeforeState() const;
  StateVector AfterState() const;

  // Types changed by the transaction, in the order of their first change (Yjs
  // transaction.changed; the changed map keys are not recorded, nothing reads them).
  const std::vector<AbstractType*>& changed() const { return changed_; }
  void AddChanged(AbstractType* type);
  void EraseChanged(AbstractType* type);

 private:
  DocImpl* doc_;
  const void* origin_;
  bool local_;
  DeleteSet::Clients::node_type spare_delete_node_;
  std::vector<ClientChange> changed_clients_;
  std::vector<AbstractType*> changed_;
  // Indexes for transactions touching many clients / types (remote updates), else empty.
  std::unordered_map<uint64_t, uint64_t> before_index_;
  std::unordered_set<AbstractType*> changed_index_;
  std::unordered_map<Item*, Item*> deleted_runs_;
};

// Records that `type` changed (under map key `parent_sub`, or as a list when nullptr), unless
// it was created in this transaction or is deleted (Yjs addChangedTypeToTransaction).
void AddChangedType(Transaction& txn, AbstractType* type, const std::string* parent_sub);

// Writes the update of a finished transaction; false if it changed nothing
// (Yjs writeUpdateMessageFromTransaction).
bool WriteUpdateFromTransaction(UpdateEncoder& encoder, Transaction& txn);

// The garbage collection and merging steps of the end of a transaction.
void CleanupTransaction(Transaction& txn);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_TRANSACTION_H_
