// doc_impl.h: the document behind accord::crdt::Doc (Yjs Doc): client id, struct store, root
// types, the open transaction and the observers. Single-threaded: one thread at a time.
#ifndef ACCORD_CRDT_SRC_DOC_IMPL_H_
#define ACCORD_CRDT_SRC_DOC_IMPL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "abstract_type.h"
#include "accord/crdt/doc.h"
#include "struct_store.h"
#include "transaction.h"

namespace accord::crdt {

class DocImpl {
 public:
  explicit DocImpl(const DocOptions& options);
  ~DocImpl();

  uint64_t client_id() const { return client_id_; }
  void set_client_id(uint64_t id) { client_id_ = id; }
  bool gc() const { return gc_; }
  const std::string& guid() const { return guid_; }
  StructStore& store() { return store_; }
  ItemPool& pool() { return pool_; }

  // A new, unintegrated type owned by this document.
  AbstractType* NewType(TypeKind kind);
  // Takes ownership of types created while decoding an update.
  void AdoptTypes(std::vector<std::unique_ptr<AbstractType>> types);
  // The root type `name`, created with `kind` if absent. An untyped root takes `kind`
  // (kUntyped leaves it as it is). Returns nullptr if the root has another kind already.
  AbstractType* GetRoot(std::string_view name, TypeKind kind);
  // The root type `name` if it exists.
  AbstractType* FindRoot(std::string_view name) const;
  const std::vector<AbstractType*>& roots() const { return root_order_; }
  // Every type of the document, roots and nested, live or deleted.
  const std::vector<std::unique_ptr<AbstractType>>& types() const { return types_; }

  // Interned map key / root name: stable for the document's lifetime.
  const std::string* Intern(std::string_view key);
  const std::string* FindInterned(std::string_view key) const;

  // Runs `fn` inside a transaction (joining the open one if any). Cleanup and observers run
  // when the outermost call returns.
  // A template rather than std::function: a lambda capturing a few references would not fit
  // std::function's inline buffer and cost an allocation per edit.
  template <typename Fn>
  void Transact(Fn&& fn, const void* origin = nullptr, bool local = true) {
    if (txn_ != nullptr) {
      fn(*txn_);
      return;
    }
    std::unique_ptr<Transaction> txn = NewTransaction(origin, local);
    txn_ = txn.get();
    try {
      fn(*txn);
    } catch (...) {
      txn_ = nullptr;
      FinishTransaction(std::move(txn));
      throw;
    }
    txn_ = nullptr;
    FinishTransaction(std::move(txn));
  }
  Transaction* current_transaction() { return txn_; }

  uint64_t NextClock() { return store_.GetState(client_id_); }

  // Observers.
  std::vector<std::pair<uint64_t, UpdateObserver>> update_v1_observers;
  std::vector<std::pair<uint64_t, UpdateObserver>> update_v2_observers;
  std::vector<std::pair<uint64_t, TransactionObserver>> txn_observers;
  uint64_t next_observer_id = 1;

  // Nesting-depth bookkeeping for hostile input: depth of a type (root = 0).
  static uint32_t Depth(const AbstractType* type);

 private:
  std::unique_ptr<Transaction> NewTransaction(const void* origin, bool local);
  // Ends a transaction (FinishTransactionSteps), then compacts the item pool if a large
  // transaction left it mostly idle.
  void FinishTransaction(std::unique_ptr<Transaction> txn);
  void FinishTransactionSteps(std::unique_ptr<Transaction> txn);

  uint64_t client_id_;
  bool gc_;
  std::string guid_;
  ItemPool pool_;
  StructStore store_;
  std::vector<std::unique_ptr<AbstractType>> types_;
  std::unordered_map<std::string_view, AbstractType*> share_;
  std::vector<AbstractType*> root_order_;
  std::unordered_set<std::string> keys_;
  Transaction* txn_ = nullptr;
  int finishing_ = 0;  // FinishTransaction calls running (observers may open transactions)
  std::unique_ptr<Transaction> spare_txn_;  // a finished transaction, reused by the next
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_DOC_IMPL_H_
