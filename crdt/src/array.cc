// Array: the public handle over the generic list operations (Yjs YArray).
#include "accord/crdt/doc.h"
#include "doc_impl.h"
#include "values.h"

namespace accord::crdt {
namespace {

std::vector<InsertValue> Convert(DocImpl* doc, std::vector<NewValue>& values) {
  std::vector<InsertValue> out;
  out.reserve(values.size());
  for (NewValue& v : values) out.push_back(ToInsertValue(doc, std::move(v)));
  return out;
}

}  // namespace

uint64_t Array::Length() const { return t_ ? t_->length() : 0; }

Result<Value> Array::Get(uint64_t index) const {
  if (t_ == nullptr || index >= t_->length()) return Status::InvalidArgument("index out of range");
  // As Yjs typeListGet: start from the nearest search marker.
  SearchMarker* marker = FindMarker(t_, index);
  const Item* n = t_->start();
  if (marker != nullptr) {
    n = marker->p;
    index -= marker->index;
  }
  for (; n != nullptr; n = n->right) {
    if (!n->deleted() && n->countable()) {
      if (index < n->length) return ItemValue(n, index);
      index -= n->length;
    }
  }
  return Status::Internal("array length out of sync");
}

std::vector<Value> Array::ToVector() const {
  std::vector<Value> out;
  if (t_ == nullptr) return out;
  for (const Item* n = t_->start(); n != nullptr; n = n->right) {
    if (!n->countable() || n->deleted()) continue;
    for (uint64_t i = 0; i < n->length; ++i) out.push_back(ItemValue(n, i));
  }
  return out;
}

Status Array::Insert(uint64_t index, std::vector<NewValue> values) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Array handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  if (values.empty()) return Status::Ok();
  AbstractType* t = t_;
  t->doc()->Transact(
      [&](Transaction& txn) { ListInsert(txn, t, index, Convert(t->doc(), values)); });
  return Status::Ok();
}

Status Array::Push(std::vector<NewValue> values) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Array handle");
  if (values.empty()) return Status::Ok();
  AbstractType* t = t_;
  t->doc()->Transact([&](Transaction& txn) { ListPush(txn, t, Convert(t->doc(), values)); });
  return Status::Ok();
}

Status Array::Delete(uint64_t index, uint64_t length) {
  return DeleteListRange(t_, index, length, "Array");
}

Result<SharedType> Array::InsertType(uint64_t index, SharedKind kind) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Array handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  if (kind == SharedKind::kUntyped) return Status::InvalidArgument("a nested type needs a kind");
  AbstractType* t = t_;
  InsertValue v;
  v.kind = InsertValue::Kind::kType;
  v.type = t->doc()->NewType(InternalKind(kind));
  AbstractType* created = v.type;
  std::vector<InsertValue> values;
  values.push_back(std::move(v));
  t->doc()->Transact([&](Transaction& txn) { ListInsert(txn, t, index, std::move(values)); });
  return SharedType(created);
}

}  // namespace accord::crdt
