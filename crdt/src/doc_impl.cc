#include "doc_impl.h"

#include <cstdio>
#include <random>

#include "delete_set.h"
#include "encoding.h"
#include "item_compaction.h"
#include "text_internal.h"

namespace accord::crdt {
namespace {

uint64_t RandomClientId() {
  std::random_device rd;
  return rd();  // 32 random bits, as Yjs's random.uint32()
}

std::string RandomUuid() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx";
  for (char& c : s) {
    if (c == 'x') {
      c = kHex[gen() & 15];
    } else if (c == 'y') {
      c = kHex[8 | (gen() & 3)];
    }
  }
  return s;
}

// A finished transaction whose buffers hold more entries than this is not kept for reuse (a
// large transaction would otherwise pin megabytes of delete ranges and split points).
constexpr size_t kMaxSpareEntries = 4096;

bool HoldsLargeBuffers(const Transaction& txn) {
  size_t entries = txn.merge_structs.capacity();
  for (const auto& [client, ranges] : txn.delete_set.clients()) entries += ranges.capacity();
  return entries > kMaxSpareEntries;
}

}  // namespace

DocImpl::DocImpl(const DocOptions& options)
    : client_id_(options.client_id ? *options.client_id : RandomClientId()),
      gc_(options.gc),
      guid_(options.guid.empty() ? RandomUuid() : options.guid),
      store_(&pool_) {}

DocImpl::~DocImpl() = default;

AbstractType* DocImpl::NewType(TypeKind kind) {
  types_.push_back(std::make_unique<AbstractType>(kind, this));
  return types_.back().get();
}

void DocImpl::AdoptTypes(std::vector<std::unique_ptr<AbstractType>> types) {
  for (auto& t : types) types_.push_back(std::move(t));
}

AbstractType* DocImpl::GetRoot(std::string_view name, TypeKind kind) {
  if (AbstractType* t = FindRoot(name)) {
    if (kind == TypeKind::kUntyped || t->kind() == kind) return t;
    if (t->kind() != TypeKind::kUntyped) return nullptr;
    t->SetKind(kind);
    return t;
  }
  AbstractType* t = NewType(kind);
  t->set_name(std::string(name));
  share_.emplace(t->name(), t);
  root_order_.push_back(t);
  return t;
}

AbstractType* DocImpl::FindRoot(std::string_view name) const {
  auto it = share_.find(name);
  return it == share_.end() ? nullptr : it->second;
}

const std::string* DocImpl::Intern(std::string_view key) { return &*keys_.emplace(key).first; }

const std::string* DocImpl::FindInterned(std::string_view key) const {
  auto it = keys_.find(std::string(key));
  return it == keys_.end() ? nullptr : &*it;
}

std::unique_ptr<Transaction> DocImpl::NewTransaction(const void* origin, bool local) {
  if (spare_txn_ == nullptr) return std::make_unique<Transaction>(this, origin, local);
  std::unique_ptr<Transaction> txn = std::move(spare_txn_);
  txn->Reset(origin, local);
  return txn;
}

void DocImpl::FinishTransaction(std::unique_ptr<Transaction> txn) {
  struct Depth {
    int& n;
    explicit Depth(int& d) : n(d) { ++n; }
    ~Depth() { --n; }
  };
  {
    Depth depth(finishing_);
    FinishTransactionSteps(std::move(txn));
  }
  // Only once the outermost transaction is done does nothing else hold item pointers.
  if (finishing_ == 0 && txn_ == nullptr && ShouldCompactItems(pool_)) {
    CompactItems(pool_, store_, types_);
  }
}

void DocImpl::FinishTransactionSteps(std::unique_ptr<Transaction> txn) {
  // A single range per client (one edit) is sorted already; stable_sort would still allocate.
  bool sorted = true;
  for (const auto& [client, ranges] : txn->delete_set.clients()) sorted &= ranges.size() <= 1;
  if (!sorted) txn->delete_set.SortAndMerge();
  for (AbstractType* type : txn->changed()) {
    // Remote changes invalidate the position cache (Yjs AbstractType._callObserver).
    if ((type->item() == nullptr || !type->item()->deleted()) && !txn->local()) {
      type->ClearMarkers();
    }
    // Yjs YText._callObserver: remote changes to formatted text get a formatting cleanup.
    if ((type->item() == nullptr || !type->item()->deleted()) && !txn->local() &&
        type->has_formatting() &&
        (type->kind() == TypeKind::kText || type->kind() == TypeKind::kXmlText)) {
      txn->need_formatting_cleanup = true;
    }
  }
  if (!txn_observers.empty()) {
    TransactionInfo info;
    info.origin = txn->origin();
    info.local = txn->local();
    info.before_state = txn->BeforeState();
    info.after_state = txn->AfterState();
    for (AbstractType* type : txn->changed()) info.changed.emplace_back(type);
    auto observers = txn_observers;
    for (auto& [id, fn] : observers) fn(info);
  }
  // The formatting cleanup runs in its own local transaction, opened now but finished after
  // this one, as Yjs queues it (so this transaction's update still holds the formats).
  std::unique_ptr<Transaction> format_cleanup;
  if (txn->need_formatting_cleanup) {
    format_cleanup = std::make_unique<Transaction>(this, nullptr, /*local=*/true);
    txn_ = format_cleanup.get();
    CleanupTextAfterTransaction(*txn, *format_cleanup);
    txn_ = nullptr;
  }
  CleanupTransaction(*txn);
  if (!txn->local()) {
    // Another replica uses our client id (the remote transaction added structs of our client):
    // pick a new one, as Yjs does.
    for (const Transaction::ClientChange& c : txn->changed_clients()) {
      if (c.client == client_id_) {
        client_id_ = RandomClientId();
        break;
      }
    }
  }
  if (!update_v1_observers.empty()) {
    auto encoder = NewUpdateEncoderV1();
    if (WriteUpdateFromTransaction(*encoder, *txn)) {
      std::vector<uint8_t> bytes = encoder->ToBytes();
      auto observers = update_v1_observers;
      for (auto& [id, fn] : observers) fn(bytes, txn->origin());
    }
  }
  if (!update_v2_observers.empty()) {
    auto encoder = NewUpdateEncoderV2();
    if (WriteUpdateFromTransaction(*encoder, *txn)) {
      std::vector<uint8_t> bytes = encoder->ToBytes();
      auto observers = update_v2_observers;
      for (auto& [id, fn] : observers) fn(bytes, txn->origin());
    }
  }
  // Keep the object (and its buffers) for the next transaction, unless a large transaction left
  // it holding large buffers.
  if (txn_ == nullptr && !HoldsLargeBuffers(*txn)) spare_txn_ = std::move(txn);
  if (format_cleanup) FinishTransaction(std::move(format_cleanup));
}

uint32_t DocImpl::Depth(const AbstractType* type) {
  uint32_t depth = 0;
  while (type->item() != nullptr && type->item()->parent_type() != nullptr) {
    type = type->item()->parent_type();
    ++depth;
  }
  return depth;
}

}  // namespace accord::crdt
