// Map: the public handle over the generic map operations (Yjs YMap).
#include "accord/crdt/doc.h"
#include "doc_impl.h"
#include "values.h"

namespace accord::crdt {

uint64_t Map::Size() const {
  if (t_ == nullptr) return 0;
  uint64_t n = 0;
  for (const auto& [key, item] : t_->map_entries()) n += item->deleted() ? 0 : 1;
  return n;
}

std::optional<Value> Map::Get(std::string_view key) const {
  if (t_ == nullptr) return std::nullopt;
  const Item* item = MapLiveItem(t_, key);
  if (item == nullptr) return std::nullopt;
  return ItemValue(item, item->length - 1);
}

bool Map::Has(std::string_view key) const { return t_ != nullptr && MapLiveItem(t_, key); }

std::vector<std::string> Map::Keys() const {
  std::vector<std::string> out;
  if (t_ == nullptr) return out;
  for (const auto& [key, item] : t_->map_entries()) {
    if (!item->deleted()) out.push_back(*key);
  }
  return out;
}

Status Map::Set(std::string_view key, NewValue value) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Map handle");
  if (!IsValidUtf8(key)) return Status::InvalidArgument("key is not valid UTF-8");
  if (value.kind == Value::Kind::kUndefined) {
    return Status::InvalidArgument("undefined is not a storable value");
  }
  AbstractType* t = t_;
  InsertValue v = ToInsertValue(t->doc(), std::move(value));
  t->doc()->Transact([&](Transaction& txn) { MapSetValue(txn, t, key, std::move(v)); });
  return Status::Ok();
}

Result<SharedType> Map::SetType(std::string_view key, SharedKind kind) {
  if (kind == SharedKind::kUntyped) return Status::InvalidArgument("a nested type needs a kind");
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Map handle");
  if (!IsValidUtf8(key)) return Status::InvalidArgument("key is not valid UTF-8");
  AbstractType* t = t_;
  InsertValue v = ToInsertValue(t->doc(), NewValue::NestedType(kind));
  AbstractType* created = v.type;
  t->doc()->Transact([&](Transaction& txn) { MapSetValue(txn, t, key, std::move(v)); });
  return SharedType(created);
}

Status Map::Delete(std::string_view key) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Map handle");
  AbstractType* t = t_;
  t->doc()->Transact([&](Transaction& txn) { MapDeleteKey(txn, t, key); });
  return Status::Ok();
}

}  // namespace accord::crdt
