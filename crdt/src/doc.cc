// Doc: the public document API over DocImpl, and the untyped SharedType handle.
#include "accord/crdt/doc.h"

#include "doc_impl.h"
#include "encoding.h"
#include "values.h"

namespace accord::crdt {

SharedKind SharedType::kind() const { return t_ ? PublicKind(t_->kind()) : SharedKind::kUntyped; }

Any SharedType::ToJson() const {
  if (t_ == nullptr) return Any();
  Result<Any> j = TypeToJson(t_);
  return j.ok() ? std::move(*j) : Any();
}

Doc::Doc(const DocOptions& options) : impl_(std::make_unique<DocImpl>(options)) {}
Doc::~Doc() = default;

uint64_t Doc::client_id() const { return impl_->client_id(); }
void Doc::set_client_id(uint64_t id) { impl_->set_client_id(id); }
const std::string& Doc::guid() const { return impl_->guid(); }

Result<SharedType> Doc::GetRoot(std::string_view name, SharedKind kind) {
  AbstractType* t = impl_->GetRoot(name, InternalKind(kind));
  if (t == nullptr) {
    return Status::FailedPrecondition("root type '" + std::string(name) +
                                      "' was already defined with a different kind");
  }
  return SharedType(t);
}

Result<Text> Doc::GetText(std::string_view name) {
  Result<SharedType> t = GetRoot(name, SharedKind::kText);
  if (!t.ok()) return t.status();
  return Text(t->internal());
}

Result<Array> Doc::GetArray(std::string_view name) {
  Result<SharedType> t = GetRoot(name, SharedKind::kArray);
  if (!t.ok()) return t.status();
  return Array(t->internal());
}

Result<Map> Doc::GetMap(std::string_view name) {
  Result<SharedType> t = GetRoot(name, SharedKind::kMap);
  if (!t.ok()) return t.status();
  return Map(t->internal());
}

std::vector<std::string> Doc::RootNames() const {
  std::vector<std::string> out;
  for (const AbstractType* t : impl_->roots()) out.push_back(t->name());
  return out;
}

void Doc::Transact(FunctionRef<void()> fn, const void* origin) {
  impl_->Transact([&](Transaction&) { fn(); }, origin, /*local=*/true);
}

Status Doc::ApplyUpdate(std::span<const uint8_t> update, UpdateFormat format, const void* origin) {
  try {
    // Decode and validate everything before touching the document.
    std::unique_ptr<DecodedUpdate> decoded =
        DecodeUpdate(update, format == UpdateFormat::kV2, impl_.get());
    StructStore& store = impl_->store();
    size_t pending = 0;
    if (store.pending_structs) pending += store.pending_structs->update.size();
    if (store.pending_ds) pending += store.pending_ds->size();
    const size_t added = PredictPendingBytes(*decoded, store);
    if (added > 0 && pending + added > limits_.max_pending_bytes) {
      return Status::ResourceExhausted("update would exceed the pending-update limit");
    }
    impl_->Transact([&](Transaction& txn) { ApplyDecodedUpdate(txn, *decoded); }, origin,
                    /*local=*/false);
    return Status::Ok();
  } catch (const DecodeError& e) {
    return Status::Corruption(std::string("malformed update: ") + e.what());
  } catch (const std::bad_alloc&) {
    return Status::ResourceExhausted("out of memory while applying update");
  }
}

Result<std::vector<uint8_t>> Doc::EncodeStateAsUpdate(std::span<const uint8_t> state_vector,
                                                      UpdateFormat format) {
  StateVector sv;
  if (!state_vector.empty()) {
    Result<StateVector> decoded = DecodeStateVector(state_vector);
    if (!decoded.ok()) return decoded.status();
    sv = std::move(*decoded);
  }
  try {
    return EncodeStateAsUpdateImpl(impl_.get(), sv, format == UpdateFormat::kV2);
  } catch (const DecodeError& e) {
    return Status::Internal(std::string("cannot encode pending state: ") + e.what());
  }
}

std::vector<uint8_t> Doc::EncodeStateVector() const {
  return ::accord::crdt::EncodeStateVector(impl_->store().GetStateVector());
}

StateVector Doc::GetStateVector() const { return impl_->store().GetStateVector(); }

bool Doc::HasPending() const {
  return impl_->store().pending_structs.has_value() || impl_->store().pending_ds.has_value();
}

uint64_t Doc::OnUpdate(UpdateObserver observer, UpdateFormat format) {
  const uint64_t id = impl_->next_observer_id++;
  auto& list =
      format == UpdateFormat::kV2 ? impl_->update_v2_observers : impl_->update_v1_observers;
  list.emplace_back(id, std::move(observer));
  return id;
}

uint64_t Doc::OnAfterTransaction(TransactionObserver observer) {
  const uint64_t id = impl_->next_observer_id++;
  impl_->txn_observers.emplace_back(id, std::move(observer));
  return id;
}

void Doc::Unobserve(uint64_t id) {
  auto drop = [id](auto& list) {
    std::erase_if(list, [id](const auto& e) { return e.first == id; });
  };
  drop(impl_->update_v1_observers);
  drop(impl_->update_v2_observers);
  drop(impl_->txn_observers);
}

}  // namespace accord::crdt
