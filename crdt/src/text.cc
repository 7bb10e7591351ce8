// Text: the Yjs YText position walk and plain-text edits, and the public Text handle.
#include <algorithm>
#include <cassert>

#include "accord/crdt/doc.h"
#include "doc_impl.h"
#include "struct_store.h"
#include "text_internal.h"
#include "values.h"

namespace accord::crdt {
namespace {

bool IsFormat(const Item* item) { return item->content && item->content->ref() == kRefFormat; }
const ContentFormat& AsFormat(const Item* item) {
  return static_cast<const ContentFormat&>(*item->content);
}

// JavaScript `===` on decoded values: primitives by value, containers by identity (copies of an
// Any share their container, as JavaScript references do).
bool JsStrictEq(const Any& a, const Any& b) {
  if (a.value().index() != b.value().index()) return false;
  if (a.is_undefined() || a.is_null()) return true;
  if (a.is_bool()) return a.as_bool() == b.as_bool();
  if (a.is_number()) return a.as_number() == b.as_number();
  if (a.is_bigint()) return a.as_bigint() == b.as_bigint();
  if (a.is_string()) return a.as_string() == b.as_string();
  if (a.is_array()) return &a.as_array() == &b.as_array();
  if (a.is_object()) return &a.as_object() == &b.as_object();
  return false;  // byte arrays are stored by value; distinct in JavaScript
}

bool IsJsObject(const Any& a) { return a.is_object() || a.is_array() || a.is_bytes(); }

void UpdateCurrentAttributes(Attributes& attrs, const ContentFormat& f) {
  if (f.value().is_null()) {
    EraseAttr(attrs, f.key());
  } else {
    SetAttr(attrs, f.key(), f.value());
  }
}

Any AttrOrNull(const Attributes& attrs, const std::string& key) {
  const Any* v = FindAttr(attrs, key);
  return (v == nullptr || v->is_undefined()) ? Any(Null{}) : *v;
}

// Runs of at least this many deleted items are remembered in the transaction.
constexpr int kMinRememberedRun = 8;

// Steps `pos` over the run of deleted items at pos.right, as repeated TextPosition::Forward
// would (over a deleted item it only moves left and right), jumping over the part of the run
// the transaction remembers.
bool remember_deleted_runs = true;

void SkipDeletedRun(Transaction& txn, TextPosition& pos) {
  Item* const first = pos.right;
  Item* last = remember_deleted_runs ? txn.DeletedRunEnd(first) : first;
#ifndef NDEBUG
  for (Item* i = first; i != last; i = i->right) assert(i->deleted() && i->right != nullptr);
#endif
  int walked = 0;
  while (last->right != nullptr && last->right->deleted()) {
    last = last->right;
    ++walked;
  }
  if (walked >= kMinRememberedRun && remember_deleted_runs) txn.NoteDeletedRun(first, last);
  pos.left = last;
  pos.right = last->right;
}

void FindNextPosition(Transaction& txn, TextPosition& pos, uint64_t count) {
  while (pos.right != nullptr && count > 0) {
    Item* r = pos.right;
    if (r->deleted()) {
      SkipDeletedRun(txn, pos);
      continue;
    }
    if (IsFormat(r)) {
      UpdateCurrentAttributes(pos.current_attributes, AsFormat(r));
    } else {
      if (count < r->length) GetItemCleanStart(txn, Id{r->id.client, r->id.clock + count});
      pos.index += r->length;
      count -= std::min(count, r->length);
    }
    pos.left = pos.right;
    pos.right = pos.right->right;
  }
}

Item* NewFormatItem(Transaction& txn, AbstractType* parent, TextPosition& pos,
                    const std::string& key, const Any& value) {
  DocImpl* doc = txn.doc();
  Item* item = doc->pool().New();
  Id origin, right_origin;
  if (pos.left) origin = pos.left->last_id();
  if (pos.right) right_origin = pos.right->id;
  InitItem(item, Id{doc->client_id(), doc->NextClock()}, pos.left, pos.left ? &origin : nullptr,
           pos.right, pos.right ? &right_origin : nullptr, parent, nullptr,
           std::make_unique<ContentFormat>(key, value));
  IntegrateItem(item, txn, 0);
  return item;
}

void MinimizeAttributeChanges(TextPosition& pos, const Attributes& attributes) {
  while (pos.right != nullptr) {
    if (!(pos.right->deleted() ||
          (IsFormat(pos.right) && EqualAttrs(AttrOrNull(attributes, AsFormat(pos.right).key()),
                                             AsFormat(pos.right).value())))) {
      break;
    }
    pos.Forward();
  }
}

Attributes InsertAttributes(Transaction& txn, AbstractType* parent, TextPosition& pos,
                            const Attributes& attributes) {
  Attributes negated;
  for (const auto& [key, val] : attributes) {
    Any current = AttrOrNull(pos.current_attributes, key);
    if (!EqualAttrs(current, val)) {
      SetAttr(negated, key, current);
      pos.right = NewFormatItem(txn, parent, pos, key, val);
      pos.Forward();
    }
  }
  return negated;
}

void InsertNegatedAttributes(Transaction& txn, AbstractType* parent, TextPosition& pos,
                             Attributes negated) {
  while (pos.right != nullptr) {
    const bool skip = pos.right->deleted();
    bool equal_format = false;
    if (!skip && IsFormat(pos.right)) {
      const Any* n = FindAttr(negated, AsFormat(pos.right).key());
      equal_format = n != nullptr && EqualAttrs(*n, AsFormat(pos.right).value());
    }
    if (!skip && !equal_format) break;
    if (!pos.right->deleted()) EraseAttr(negated, AsFormat(pos.right).key());
    pos.Forward();
  }
  for (const auto& [key, val] : negated) {
    pos.right = NewFormatItem(txn, parent, pos, key, val);
    pos.Forward();
  }
}

}  // namespace

void SetRememberDeletedRunsForTesting(bool on) { remember_deleted_runs = on; }

// Yjs cleanupFormattingGap: removes formatting items made redundant by a deletion.
void CleanupFormattingGap(Transaction& txn, Item* start, Item* curr,
                          const Attributes& start_attributes, Attributes& curr_attributes) {
  Item* end = start;
  std::vector<std::pair<std::string, const ContentFormat*>> end_formats;
  while (end != nullptr && (!end->countable() || end->deleted())) {
    if (!end->deleted() && IsFormat(end)) {
      const ContentFormat* cf = &AsFormat(end);
      auto it = std::find_if(end_formats.begin(), end_formats.end(),
                             [&](const auto& e) { return e.first == cf->key(); });
      if (it == end_formats.end()) {
        end_formats.emplace_back(cf->key(), cf);
      } else {
        it->second = cf;
      }
    }
    end = end->right;
  }
  bool reached_curr = false;
  while (start != end) {
    if (curr == start) reached_curr = true;
    if (!start->deleted() && IsFormat(start)) {
      const ContentFormat& f = AsFormat(start);
      const Any start_value = AttrOrNull(start_attributes, f.key());
      auto it = std::find_if(end_formats.begin(), end_formats.end(),
                             [&](const auto& e) { return e.first == f.key(); });
      const ContentFormat* end_format = it == end_formats.end() ? nullptr : it->second;
      if (end_format != &f || JsStrictEq(start_value, f.value())) {
        ItemDelete(txn, start);
        if (!reached_curr && JsStrictEq(AttrOrNull(curr_attributes, f.key()), f.value()) &&
            !JsStrictEq(start_value, f.value())) {
          if (start_value.is_null()) {
            EraseAttr(curr_attributes, f.key());
          } else {
            SetAttr(curr_attributes, f.key(), start_value);
          }
        }
      }
      if (!reached_curr && !start->deleted()) UpdateCurrentAttributes(curr_attributes, f);
    }
    start = start->right;
  }
}

const Any* FindAttr(const Attributes& attrs, const std::string& key) {
  for (const auto& [k, v] : attrs) {
    if (k == key) return &v;
  }
  return nullptr;
}

void SetAttr(Attributes& attrs, const std::string& key, Any value) {
  for (auto& [k, v] : attrs) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  attrs.emplace_back(key, std::move(value));
}

void EraseAttr(Attributes& attrs, const std::string& key) {
  attrs.erase(
      std::remove_if(attrs.begin(), attrs.end(), [&](const auto& e) { return e.first == key; }),
      attrs.end());
}

bool EqualAttrs(const Any& a, const Any& b) {
  if (JsStrictEq(a, b)) return true;
  if (!IsJsObject(a) || !IsJsObject(b)) return false;
  // lib0 equalFlat: same number of keys, every value strictly equal.
  if (a.is_object() && b.is_object()) {
    const AnyObject& x = a.as_object();
    const AnyObject& y = b.as_object();
    if (x.size() != y.size()) return false;
    for (const auto& [k, v] : x) {
      const Any* w = b.Find(k);
      if (w == nullptr || !JsStrictEq(v, *w)) return false;
    }
    return true;
  }
  if (a.is_array() && b.is_array()) {
    const AnyArray& x = a.as_array();
    const AnyArray& y = b.as_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!JsStrictEq(x[i], y[i])) return false;
    }
    return true;
  }
  if (a.is_bytes() && b.is_bytes()) return a.as_bytes() == b.as_bytes();
  return false;
}

void TextPosition::Forward() {
  if (IsFormat(right)) {
    if (!right->deleted()) UpdateCurrentAttributes(current_attributes, AsFormat(right));
  } else if (!right->deleted()) {
    index += right->length;
  }
  left = right;
  right = right->right;
}

TextPosition FindTextPosition(Transaction& txn, AbstractType* parent, uint64_t index,
                              bool use_search_marker) {
  TextPosition pos;
  SearchMarker* marker = use_search_marker ? FindMarker(parent, index) : nullptr;
  if (marker != nullptr) {
    pos.left = marker->p->left;
    pos.right = marker->p;
    pos.index = marker->index;
    FindNextPosition(txn, pos, index - marker->index);
  } else {
    pos.right = parent->start();
    FindNextPosition(txn, pos, index);
  }
  return pos;
}

namespace {

// Yjs gives every insert an item of its own and merges it into its left neighbour when the
// transaction ends, when that neighbour is the same client's previous struct with the same right
// origin. Typing a character at a time would create and free an item per keystroke (and a run
// typed inside one transaction an item per keystroke until its end): instead the text goes
// straight into the item typed just before, where that merge is certain. That item must be the
// local client's newest struct, live plain text of this parent, directly left of the insertion
// point and with the right origin the new item would get (MergeStructs' conditions). The update
// of the transaction, written from the clock before it, then holds the same struct Yjs writes
// for the new item (an offset into the run has the previous character as its origin), and a
// later split rebuilds the very items Yjs would have kept apart (same ids and origins).
bool AppendToOwnRun(Transaction& txn, AbstractType* parent, TextPosition& pos, Content& content) {
  Item* run = pos.left;
  if (run == nullptr || content.ref() != kRefString || !run->is_item() || run->deleted() ||
      run->content->ref() != kRefString || run->parent_sub != nullptr ||
      run->parent_type() != parent || run->right != pos.right) {
    return false;
  }
  DocImpl* doc = txn.doc();
  const uint64_t client = doc->client_id();
  if (run->id.client != client || run->id.clock + run->length != doc->NextClock()) return false;
  const bool same_right_origin =
      pos.right == nullptr ? !run->has_right_origin()
                           : run->has_right_origin() && run->right_origin == pos.right->id;
  if (!same_right_origin) return false;
  if (parent->item() != nullptr && parent->item()->deleted()) return false;
  const uint64_t length = content.Length();
  txn.NoteStateChange(client);  // before the clock moves, as IntegrateItem does before Add
  if (!MergeContent(run->content, content)) return false;
  run->length += length;
  parent->AddLength(static_cast<int64_t>(length));
  AddChangedType(txn, parent, nullptr);
  pos.index += length;  // pos.left stays the run, pos.right its right neighbour
  return true;
}

}  // namespace

void InsertTextContent(Transaction& txn, AbstractType* parent, TextPosition& pos,
                       std::unique_ptr<Content> content, Attributes attributes) {
  for (const auto& [key, val] : pos.current_attributes) {
    const Any* a = FindAttr(attributes, key);
    if (a == nullptr || a->is_undefined()) SetAttr(attributes, key, Any(Null{}));
  }
  // JavaScript iterates the attribute object in property order (one key is in order already).
  if (attributes.size() > 1) {
    Any ordered = Any::Object(attributes);
    attributes.assign(ordered.as_object().begin(), ordered.as_object().end());
  }
  MinimizeAttributeChanges(pos, attributes);
  Attributes negated = InsertAttributes(txn, parent, pos, attributes);
  if (parent->has_markers()) {
    UpdateMarkerChanges(parent, pos.index, static_cast<int64_t>(content->Length()));
  }
  if (AppendToOwnRun(txn, parent, pos, *content)) {
    InsertNegatedAttributes(txn, parent, pos, std::move(negated));
    return;
  }
  const uint64_t index = pos.index;
  DocImpl* doc = txn.doc();
  Item* item = doc->pool().New();
  Id origin, right_origin;
  if (pos.left) origin = pos.left->last_id();
  if (pos.right) right_origin = pos.right->id;
  InitItem(item, Id{doc->client_id(), doc->NextClock()}, pos.left, pos.left ? &origin : nullptr,
           pos.right, pos.right ? &right_origin : nullptr, parent, nullptr, std::move(content));
  IntegrateItem(item, txn, 0);
  pos.right = item;
  pos.index = index;
  pos.Forward();
  InsertNegatedAttributes(txn, parent, pos, std::move(negated));
}

void DeleteText(Transaction& txn, AbstractType* parent, TextPosition& pos, uint64_t length) {
  const uint64_t start_length = length;
  const Attributes start_attrs = pos.current_attributes;
  Item* start = pos.right;
  while (length > 0 && pos.right != nullptr) {
    Item* r = pos.right;
    if (r->deleted()) {
      SkipDeletedRun(txn, pos);
      continue;
    }
    {
      const uint8_t ref = r->content->ref();
      if (ref == kRefType || ref == kRefEmbed || ref == kRefString) {
        if (length < r->length) GetItemCleanStart(txn, Id{r->id.client, r->id.clock + length});
        length -= std::min(length, r->length);
        ItemDelete(txn, r);
      }
    }
    pos.Forward();
  }
  // Without formatting items in this text the gap cleanup finds nothing to remove; skipping it
  // keeps a long run of deleted items (a large transaction) from being walked once per delete.
  if (start != nullptr && parent->has_formatting()) {
    CleanupFormattingGap(txn, start, pos.right, start_attrs, pos.current_attributes);
  }
  if (parent->has_markers()) {
    UpdateMarkerChanges(parent, pos.index,
                        -static_cast<int64_t>(start_length) + static_cast<int64_t>(length));
  }
}

std::string TextToString(const AbstractType* type) {
  std::string out;
  for (const Item* n = type->start(); n != nullptr; n = n->right) {
    if (!n->deleted() && n->countable() && n->content->ref() == kRefString) {
      out += static_cast<const ContentString&>(*n->content).str();
    }
  }
  return out;
}

// Yjs formatText: applies `attributes` to `length` units from `pos`. Formats made redundant
// inside the range are deleted; a length beyond the end appends newlines, as Yjs does for Quill.
void FormatText(Transaction& txn, AbstractType* parent, TextPosition& pos, uint64_t length,
                const Attributes& attributes) {
  MinimizeAttributeChanges(pos, attributes);
  Attributes negated = InsertAttributes(txn, parent, pos, attributes);
  while (pos.right != nullptr) {
    Item* r = pos.right;
    if (length == 0 && !(!negated.empty() && (r->deleted() || IsFormat(r)))) break;
    if (!r->deleted()) {
      if (IsFormat(r)) {
        const ContentFormat& f = AsFormat(r);
        const Any* attr = FindAttr(attributes, f.key());
        if (attr != nullptr && !attr->is_undefined()) {
          if (EqualAttrs(*attr, f.value())) {
            EraseAttr(negated, f.key());
          } else {
            if (length == 0) break;
            SetAttr(negated, f.key(), f.value());
          }
          ItemDelete(txn, r);
        } else {
          SetAttr(pos.current_attributes, f.key(), f.value());
        }
      } else {
        if (length < r->length) GetItemCleanStart(txn, Id{r->id.client, r->id.clock + length});
        length -= std::min(length, r->length);
      }
    }
    pos.Forward();
  }
  if (length > 0) {
    DocImpl* doc = txn.doc();
    Item* item = doc->pool().New();
    Id origin, right_origin;
    if (pos.left) origin = pos.left->last_id();
    if (pos.right) right_origin = pos.right->id;
    InitItem(item, Id{doc->client_id(), doc->NextClock()}, pos.left, pos.left ? &origin : nullptr,
             pos.right, pos.right ? &right_origin : nullptr, parent, nullptr,
             ContentString::Make(std::string(length, '\n')));
    IntegrateItem(item, txn, 0);
    pos.right = item;
    pos.Forward();
  }
  InsertNegatedAttributes(txn, parent, pos, std::move(negated));
}

void ApplyFormatToCurrent(Attributes& attrs, const ContentFormat& f) {
  UpdateCurrentAttributes(attrs, f);
}

// ---- Public handle ----

uint64_t Text::Length() const { return t_ ? t_->length() : 0; }

std::string Text::ToString() const { return t_ ? TextToString(t_) : std::string(); }

Status Text::Insert(uint64_t index, std::string_view text) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Text handle");
  if (index > t_->length()) return Status::InvalidArgument("index out of range");
  if (!IsValidUtf8(text)) return Status::InvalidArgument("text is not valid UTF-8");
  if (text.empty()) return Status::Ok();
  AbstractType* t = t_;
  t->doc()->Transact([&](Transaction& txn) {
    TextPosition pos = FindTextPosition(txn, t, index, /*use_search_marker=*/true);
    Attributes attrs = pos.current_attributes;
    InsertTextContent(txn, t, pos, ContentString::Make(text), std::move(attrs));
  });
  return Status::Ok();
}

Status Text::Delete(uint64_t index, uint64_t length) {
  if (t_ == nullptr) return Status::FailedPrecondition("invalid Text handle");
  if (index > t_->length() || length > t_->length() - index) {
    return Status::InvalidArgument("range out of bounds");
  }
  if (length == 0) return Status::Ok();
  AbstractType* t = t_;
  t->doc()->Transact([&](Transaction& txn) {
    TextPosition pos = FindTextPosition(txn, t, index, /*use_search_marker=*/true);
    DeleteText(txn, t, pos, length);
  });
  return Status::Ok();
}

}  // namespace accord::crdt
