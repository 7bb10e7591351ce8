// Rich text: the formatting parts of the public Text handle (insert with attributes, embeds,
// nested types, Format) and the formatting cleanup Yjs runs after remote transactions
// (cleanupYTextFormatting, cleanupContextlessFormattingGap, cleanupYTextAfterTransaction).
#include <algorithm>
#include <unordered_set>

#include "accord/crdt/doc.h"
#include "doc_impl.h"
#include "struct_store.h"
#include "text_internal.h"
#include "values.h"

namespace accord::crdt {
namespace {

bool IsFormatItem(const Item* item) {
  return item->is_item() && item->content && item->content->ref() == kRefFormat;
}

// A JavaScript object built from `attrs`: repeated keys collapse (first place, last value) and
// array-index keys move to the front, because Yjs walks attributes with `for ... in`.
Attributes JsObjectOrder(const TextAttributes& attrs) {
  Any obj = Any::Object(AnyObject(attrs.begin(), attrs.end()));
  return Attributes(obj.as_object().begin(), obj.as_object().end());
}

// Formatting values travel as JSON, which has no `undefined` (Yjs cannot encode one either).
bool HasUndefined(const TextAttributes& attrs) {
  return std::any_of(attrs.begin(), attrs.end(),
                     [](const auto& a) { return a.second.is_undefined(); });
}

// Yjs insertText through the public API: the position, then the content with `attributes`
// (or, when `attributes` is null, the formatting in effect at `index`).
void InsertContentAt(AbstractType* t, uint64_t index, std::unique_ptr<Content> content,
                     const TextAttributes* attributes) {
  t->doc()->Transact([&](Transaction& txn) {
    TextPosition pos = FindTextPosition(txn, t, index, /*use_search_marker=*/attributes == nullptr);
    Attributes attrs = attributes ? JsObjectOrder(*attributes) : pos.current_attributes;
    InsertTextContent(txn, t, pos, std::move(content), std::move(attrs));
  });
}

// Yjs cleanupContextlessFormattingGap: in the run of deleted and formatting items around `item`,
// keeps only the last live format of each key.
void CleanupContextlessFormattingGap(Transaction& txn, Item* item) {
  while (item != nullptr && item->right != nullptr &&
         (item->right->deleted() || !item->right->countable())) {
    item = item->right;
  }
  std::unordered_set<std::string> keys;
  while (item != nullptr && (item->deleted() || !item->countable())) {
    if (!item->deleted() && IsFormatItem(item)) {
      const auto& f = static_cast<const ContentFormat&>(*item->content);
      if (!keys.insert(f.key()).second) ItemDelete(txn, item);
    }
    item = item->left;
  }
}

// Yjs iterateStructs: calls `fn` on every struct of `client` overlapping [clock, clock + len).
template <typename Fn>
void IterateStructs(Transaction& txn, uint64_t client, uint64_t clock, uint64_t len, Fn fn) {
  if (len == 0) return;
  StructStore::Structs* structs = txn.store().Get(client);
  if (structs == nullptr || structs->empty()) return;
  const uint64_t end = clock + len;
  size_t i = FindIndexCleanStart(txn, *structs, clock);
  do {
    Item* s = (*structs)[i++];
    if (end < s->id.clock + s->length) FindIndexCleanStart(txn, *structs, end);
    fn(s);
  } while (i < structs->size() && (*structs)[i]->id.clock < end);
}

}  // namespace

void CleanupTextFormatting(Transaction& txn, AbstractType* type) {
  Item* start = type->start();
  Attributes start_attributes;
  Attributes current_attributes;
  for (Item* end = type->start(); end != nullptr; end = end->right) {
    if (end->deleted()) continue;
    if (IsFormatItem(end)) {
      ApplyFormatToCurrent(current_attributes, static_cast<const ContentFormat&>(*end->content));
    } else {
      CleanupFormattingGap(txn, start, end, start_attributes, current_attributes);
      start_attributes = current_attributes;
      start = end;
    }
  }
}

void CleanupTextAfterTransaction(Transaction& done, Transaction& cleanup) {
  // Types that got a new live formatting item in `done` are cleaned whole.
  std::vector<AbstractType*> full;
  std::unordered_set<AbstractType*> full_set;
  auto add_full = [&](AbstractType* t) {
    if (full_set.insert(t).second) full.push_back(t);
  };
  // Clients by id, as the state vector was iterated before it was recorded lazily.
  std::vector<Transaction::ClientChange> changes = done.changed_clients();
  std::sort(changes.begin(), changes.end(),
            [](const auto& a, const auto& b) { return a.client < b.client; });
  for (const auto& [client, clock] : changes) {
    const uint64_t after_clock = done.store().GetState(client);
    // Yjs passes the end clock as the length here; the walk stops at the last struct anyway.
    IterateStructs(done, client, clock, after_clock, [&](Item* item) {
      if (!item->deleted() && IsFormatItem(item) && item->parent_type() != nullptr) {
        add_full(item->parent_type());
      }
    });
  }
  // Deleted items, by client in the order the clients entered the delete set (as Yjs's Map).
  std::vector<uint64_t> order = done.delete_order;
  const DeleteSet::Clients& clients = done.delete_set.clients();
  if (order.size() != clients.size()) {  // ranges added directly: put them last
    for (auto it = clients.rbegin(); it != clients.rend(); ++it) {
      if (std::find(order.begin(), order.end(), it->first) == order.end()) {
        order.push_back(it->first);
      }
    }
  }
  for (const uint64_t client : order) {
    auto ranges = clients.find(client);
    StructStore::Structs* structs = done.store().Get(client);
    if (ranges == clients.end() || structs == nullptr || structs->empty()) continue;
    const uint64_t state = structs->back()->id.clock + structs->back()->length;
    for (const DeleteItem& del : ranges->second) {
      if (del.clock >= state) break;
      IterateStructs(done, client, del.clock, del.len, [&](Item* item) {
        if (!item->is_item()) return;
        AbstractType* parent = item->parent_type();
        if (parent == nullptr || !parent->has_formatting() || full_set.count(parent) != 0) return;
        if (IsFormatItem(item)) {
          add_full(parent);
        } else {
          CleanupContextlessFormattingGap(cleanup, item);
        }
      });
    }
  }
  for (AbstractType* t : full) CleanupTextFormatting(cleanup, t);
}

// ---- Public handle ----

Status Text::Insert(uint64_t index, std::string_view text, const TextAttributes& attributes) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Text handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  if (!IsValidUtf8(text)) return Status::InvalidArgument("text is not valid UTF-8");
  if (HasUndefined(attributes)) return Status::InvalidArgument("undefined attribute value");
  if (text.empty()) return Status::Ok();
  InsertContentAt(t_, index, ContentString::Make(text), &attributes);
  return Status::Ok();
}

Status Text::InsertEmbed(uint64_t index, Any embed, const TextAttributes& attributes) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Text handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  if (embed.is_undefined() || embed.is_null()) {
    return Status::InvalidArgument("an embed needs a value");
  }
  if (HasUndefined(attributes)) return Status::InvalidArgument("undefined attribute value");
  std::unique_ptr<Content> content;
  if (embed.is_string()) {
    // Yjs inserts a string "embed" as text.
    if (embed.as_string().empty() || !IsValidUtf8(embed.as_string())) {
      return Status::InvalidArgument("a string embed must be non-empty UTF-8");
    }
    content = ContentString::Make(embed.as_string());
  } else {
    content = std::make_unique<ContentEmbed>(std::move(embed));
  }
  InsertContentAt(t_, index, std::move(content), &attributes);
  return Status::Ok();
}

Result<SharedType> Text::InsertType(uint64_t index, SharedKind kind,
                                    const TextAttributes& attributes) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Text handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  if (kind == SharedKind::kUntyped) return Status::InvalidArgument("a nested type needs a kind");
  if (HasUndefined(attributes)) return Status::InvalidArgument("undefined attribute value");
  AbstractType* created = t_->doc()->NewType(InternalKind(kind));
  InsertContentAt(t_, index, std::make_unique<ContentType>(created), &attributes);
  return SharedType(created);
}

Status Text::Format(uint64_t index, uint64_t length, const TextAttributes& attributes) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Text handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  // Yjs appends newlines for a range past the end; bound that growth.
  if (length > t_->length() - index + (uint64_t{1} << 24)) {
    return Status::InvalidArgument("length reaches too far past the end");
  }
  if (HasUndefined(attributes)) return Status::InvalidArgument("undefined attribute value");
  if (length == 0) return Status::Ok();
  AbstractType* t = t_;
  const Attributes attrs = JsObjectOrder(attributes);
  t->doc()->Transact([&](Transaction& txn) {
    TextPosition pos = FindTextPosition(txn, t, index, /*use_search_marker=*/false);
    if (pos.right == nullptr) return;
    FormatText(txn, t, pos, length, attrs);
  });
  return Status::Ok();
}

}  // namespace accord::crdt
