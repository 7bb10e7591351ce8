// The XML handles (Yjs YXmlFragment, YXmlElement, YXmlText, YXmlHook) over the generic list and
// map operations; the string forms live in xml_string.cc.
#include "accord/crdt/xml.h"

#include "doc_impl.h"
#include "values.h"
#include "xml_internal.h"

namespace accord::crdt {
namespace {

AbstractType* IfKind(const SharedType& t, TypeKind a, TypeKind b) {
  AbstractType* p = t.internal();
  return p != nullptr && (p->kind() == a || p->kind() == b) ? p : nullptr;
}

std::string StringOrEmpty(const AbstractType* t) {
  Result<std::string> s = TypeToJsString(t, /*strict=*/false);
  return s.ok() ? std::move(*s) : std::string();
}

// Inserts one new child type of `kind` (named `name` for elements and hooks) into `parent`.
Result<AbstractType*> InsertChild(AbstractType* parent, uint64_t index, TypeKind kind,
                                  std::string_view name) {
  if (parent == nullptr) return Status::FailedPrecondition("invalid XML handle");
  if (index > parent->length()) return Status::InvalidArgument("index out of range");
  if (!IsValidUtf8(name)) return Status::InvalidArgument("name is not valid UTF-8");
  InsertValue v;
  v.kind = InsertValue::Kind::kType;
  v.type = parent->doc()->NewType(kind);
  v.type->set_node_name(std::string(name));
  AbstractType* created = v.type;
  std::vector<InsertValue> values;
  values.push_back(std::move(v));
  parent->doc()->Transact(
      [&](Transaction& txn) { ListInsert(txn, parent, index, std::move(values)); });
  return created;
}

}  // namespace

// ---- XmlFragment ----

XmlFragment::XmlFragment(SharedType t)
    : SharedType(IfKind(t, TypeKind::kXmlFragment, TypeKind::kXmlElement)) {}

uint64_t XmlFragment::Length() const { return t_ ? t_->length() : 0; }

std::vector<Value> XmlFragment::Children() const {
  std::vector<Value> out;
  if (t_ == nullptr) return out;
  for (const Item* n = t_->start(); n != nullptr; n = n->right) {
    if (!n->countable() || n->deleted()) continue;
    for (uint64_t i = 0; i < n->length; ++i) out.push_back(ItemValue(n, i));
  }
  return out;
}

Result<Value> XmlFragment::Get(uint64_t index) const {
  if (t_ == nullptr || index >= t_->length()) return Status::InvalidArgument("index out of range");
  for (const Item* n = t_->start(); n != nullptr; n = n->right) {
    if (!n->countable() || n->deleted()) continue;
    if (index < n->length) return ItemValue(n, index);
    index -= n->length;
  }
  return Status::Internal("fragment length out of sync");
}

Result<XmlElement> XmlFragment::InsertElement(uint64_t index, std::string_view node_name) {
  Result<AbstractType*> t = InsertChild(t_, index, TypeKind::kXmlElement, node_name);
  if (!t.ok()) return t.status();
  return XmlElement(SharedType(*t));
}

Result<XmlText> XmlFragment::InsertText(uint64_t index) {
  Result<AbstractType*> t = InsertChild(t_, index, TypeKind::kXmlText, "");
  if (!t.ok()) return t.status();
  return XmlText(SharedType(*t));
}

Result<XmlHook> XmlFragment::InsertHook(uint64_t index, std::string_view hook_name) {
  Result<AbstractType*> t = InsertChild(t_, index, TypeKind::kXmlHook, hook_name);
  if (!t.ok()) return t.status();
  return XmlHook(SharedType(*t));
}

Status XmlFragment::Delete(uint64_t index, uint64_t length) {
  return DeleteListRange(t_, index, length, "XML");
}

std::string XmlFragment::ToString() const { return StringOrEmpty(t_); }

// ---- XmlElement ----

XmlElement::XmlElement(SharedType t)
    : XmlFragment(SharedType(IfKind(t, TypeKind::kXmlElement, TypeKind::kXmlElement))) {}

std::string XmlElement::NodeName() const { return t_ ? t_->node_name() : std::string(); }

Status XmlElement::SetAttribute(std::string_view name, Any value) {
  return SetAttribute(name, NewValue::Of(std::move(value)));
}

Status XmlElement::SetAttribute(std::string_view name, NewValue value) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid XmlElement handle");
  if (!IsValidUtf8(name)) return Status::InvalidArgument("attribute name is not valid UTF-8");
  if (value.kind == Value::Kind::kUndefined ||
      (value.kind == Value::Kind::kAny && value.any.is_undefined())) {
    return Status::InvalidArgument("undefined is not a storable value");
  }
  if (value.kind == Value::Kind::kType && value.type_kind == SharedKind::kUntyped) {
    return Status::InvalidArgument("a nested type needs a kind");
  }
  AbstractType* t = t_;
  InsertValue v = ToInsertValue(t->doc(), std::move(value));
  t->doc()->Transact([&](Transaction& txn) { MapSetValue(txn, t, name, std::move(v)); });
  return Status::Ok();
}

Status XmlElement::RemoveAttribute(std::string_view name) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid XmlElement handle");
  AbstractType* t = t_;
  t->doc()->Transact([&](Transaction& txn) { MapDeleteKey(txn, t, name); });
  return Status::Ok();
}

std::optional<Value> XmlElement::GetAttribute(std::string_view name) const {
  if (t_ == nullptr) return std::nullopt;
  const Item* item = MapLiveItem(t_, name);
  if (item == nullptr) return std::nullopt;
  return ItemValue(item, item->length - 1);
}

bool XmlElement::HasAttribute(std::string_view name) const {
  return t_ != nullptr && MapLiveItem(t_, name) != nullptr;
}

std::vector<std::pair<std::string, Value>> XmlElement::GetAttributes() const {
  std::vector<std::pair<std::string, Value>> out;
  if (t_ == nullptr) return out;
  for (const auto& [key, item] : t_->map_entries()) {
    if (!item->deleted()) out.emplace_back(*key, ItemValue(item, item->length - 1));
  }
  return out;
}

std::string XmlElement::ToString() const { return StringOrEmpty(t_); }

// ---- XmlText / XmlHook ----

XmlText::XmlText(SharedType t) : Text(IfKind(t, TypeKind::kXmlText, TypeKind::kXmlText)) {}

std::string XmlText::ToString() const { return StringOrEmpty(t_); }

XmlHook::XmlHook(SharedType t) : Map(IfKind(t, TypeKind::kXmlHook, TypeKind::kXmlHook)) {}

std::string XmlHook::HookName() const { return t_ ? t_->node_name() : std::string(); }

Result<XmlFragment> GetXmlFragment(Doc& doc, std::string_view name) {
  Result<SharedType> t = doc.GetRoot(name, SharedKind::kXmlFragment);
  if (!t.ok()) return t.status();
  return XmlFragment(*t);
}

}  // namespace accord::crdt
