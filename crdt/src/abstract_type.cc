#include "abstract_type.h"

#include <algorithm>
#include <cstdlib>

#include "doc_impl.h"
#include "struct_store.h"
#include "transaction.h"

namespace accord::crdt {
namespace {

constexpr size_t kMaxSearchMarkers = 80;

// Whether a marker on `p` stays put in Yjs's updateMarkerChanges walk.
bool MarkerStaysPut(const Item* p) { return p->counted(); }

// The position in `order` at which marker `k` (already in markers()) belongs.
size_t OrderSlot(AbstractType* type, uint64_t index) {
  const auto& markers = type->markers();
  const auto& order = type->marker_order();
  size_t lo = 0;
  size_t hi = order.size();
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (markers[order[mid]].index < index) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

void RebuildMarkerOrder(AbstractType* type) {
  const auto& markers = type->markers();
  auto& order = type->marker_order();
  order.resize(markers.size());
  for (size_t k = 0; k < markers.size(); ++k) order[k] = static_cast<uint8_t>(k);
  std::sort(order.begin(), order.end(),
            [&](uint8_t a, uint8_t b) { return markers[a].index < markers[b].index; });
  type->set_marker_order_valid(true);
}

// Marker `k` got a new index: move it to its place in the order.
void ReorderMarker(AbstractType* type, size_t k) {
  if (!type->marker_order_valid()) return;
  auto& order = type->marker_order();
  auto it = std::find(order.begin(), order.end(), static_cast<uint8_t>(k));
  if (it != order.end()) order.erase(it);
  const size_t slot = OrderSlot(type, type->markers()[k].index);
  order.insert(order.begin() + static_cast<ptrdiff_t>(slot), static_cast<uint8_t>(k));
}

// The marker nearest to `index`, ties to the later one in markers() (Yjs's reduce with a strict
// <), found by bisecting the order and then looking at the equal-index runs on both sides.
SearchMarker* NearestMarker(AbstractType* type, uint64_t index) {
  auto& markers = type->markers();
  if (markers.empty()) return nullptr;
  if (!type->marker_order_valid()) RebuildMarkerOrder(type);
  const auto& order = type->marker_order();
  const size_t n = order.size();
  const size_t lo = OrderSlot(type, index);
  uint64_t best = UINT64_MAX;
  if (lo < n) best = markers[order[lo]].index - index;
  if (lo > 0) best = std::min(best, index - markers[order[lo - 1]].index);
  int best_k = -1;
  if (lo > 0 && index - markers[order[lo - 1]].index == best) {
    const uint64_t value = markers[order[lo - 1]].index;
    for (size_t j = lo; j > 0 && markers[order[j - 1]].index == value; --j) {
      best_k = std::max<int>(best_k, order[j - 1]);
    }
  }
  if (lo < n && markers[order[lo]].index - index == best) {
    const uint64_t value = markers[order[lo]].index;
    for (size_t j = lo; j < n && markers[order[j]].index == value; ++j) {
      best_k = std::max<int>(best_k, order[j]);
    }
  }
#ifndef NDEBUG
  // The plain scan Yjs does must agree.
  uint64_t scan_best = UINT64_MAX;
  size_t scan_k = 0;
  for (size_t k = 0; k < markers.size(); ++k) {
    const uint64_t i = markers[k].index;
    const uint64_t d = i > index ? i - index : index - i;
    if (d <= scan_best) {
      scan_best = d;
      scan_k = k;
    }
  }
  if (static_cast<int>(scan_k) != best_k) std::abort();
#endif
  return &markers[static_cast<size_t>(best_k)];
}

void OverwriteMarker(AbstractType* type, SearchMarker* m, Item* p, uint64_t index) {
  Item* old = m->p;
  old->set_marker(false);
  if (p != old && p->marker()) type->set_markers_may_share();
  m->p = p;
  p->set_marker(true);
  const bool moved = m->index != index;
  m->index = index;
  m->timestamp = type->NextMarkerTimestamp();
  if (moved) ReorderMarker(type, static_cast<size_t>(m - type->markers().data()));
  if (!type->markers_settled()) return;
  if (!MarkerStaysPut(p)) {
    type->set_markers_settled(false);
  } else if (old != p && type->markers_may_share()) {
    // Another marker on `old` has just lost its item's marker bit.
    for (const SearchMarker& other : type->markers()) {
      if (other.p == old) {
        type->set_markers_settled(false);
        break;
      }
    }
  }
}

SearchMarker* MarkPosition(AbstractType* type, Item* p, uint64_t index) {
  auto& markers = type->markers();
  if (markers.size() >= kMaxSearchMarkers) {
    SearchMarker* oldest = &markers[0];
    for (SearchMarker& m : markers) {
      if (!(oldest->timestamp < m.timestamp)) oldest = &m;
    }
    OverwriteMarker(type, oldest, p, index);
    return oldest;
  }
  if (markers.capacity() < kMaxSearchMarkers) markers.reserve(kMaxSearchMarkers);
  if (p->marker()) type->set_markers_may_share();
  p->set_marker(true);
  if (!MarkerStaysPut(p)) type->set_markers_settled(false);
  markers.push_back(SearchMarker{p, index, type->NextMarkerTimestamp()});
  if (type->marker_order_valid()) {
    auto& order = type->marker_order();
    const size_t slot = OrderSlot(type, index);
    order.insert(order.begin() + static_cast<ptrdiff_t>(slot),
                 static_cast<uint8_t>(markers.size() - 1));
  }
  return &markers.back();
}

std::unique_ptr<Content> ContentFor(DocImpl* doc, InsertValue& v) {
  switch (v.kind) {
    case InsertValue::Kind::kBinary:
      return std::make_unique<ContentBinary>(v.any.as_bytes());
    case InsertValue::Kind::kType:
      return std::make_unique<ContentType>(v.type);
    case InsertValue::Kind::kDoc:
      return std::make_unique<ContentDoc>(v.guid, v.doc_opts);
    case InsertValue::Kind::kAny:
      break;
  }
  (void)doc;
  return std::make_unique<ContentAny>(std::vector<Any>{std::move(v.any)});
}

Item* NewLocalItem(Transaction& txn, Item* left, Item* right, AbstractType* parent,
                   const std::string* parent_sub, std::unique_ptr<Content> content) {
  DocImpl* doc = txn.doc();
  Item* item = doc->pool().New();
  const Id id{doc->client_id(), doc->NextClock()};
  Id origin, right_origin;
  if (left != nullptr) origin = left->last_id();
  if (right != nullptr) right_origin = right->id;
  InitItem(item, id, left, left ? &origin : nullptr, right, right ? &right_origin : nullptr, parent,
           parent_sub, std::move(content));
  IntegrateItem(item, txn, 0);
  return item;
}

}  // namespace

TypeKind KindFromRef(TypeRef ref) {
  switch (ref) {
    case TypeRef::kArray:
      return TypeKind::kArray;
    case TypeRef::kMap:
      return TypeKind::kMap;
    case TypeRef::kText:
      return TypeKind::kText;
    case TypeRef::kXmlElement:
      return TypeKind::kXmlElement;
    case TypeRef::kXmlFragment:
      return TypeKind::kXmlFragment;
    case TypeRef::kXmlHook:
      return TypeKind::kXmlHook;
    case TypeRef::kXmlText:
      return TypeKind::kXmlText;
  }
  return TypeKind::kUntyped;
}

TypeRef RefFromKind(TypeKind kind) {
  switch (kind) {
    case TypeKind::kArray:
      return TypeRef::kArray;
    case TypeKind::kMap:
      return TypeRef::kMap;
    case TypeKind::kText:
      return TypeRef::kText;
    case TypeKind::kXmlElement:
      return TypeRef::kXmlElement;
    case TypeKind::kXmlFragment:
      return TypeRef::kXmlFragment;
    case TypeKind::kXmlHook:
      return TypeRef::kXmlHook;
    case TypeKind::kXmlText:
      return TypeRef::kXmlText;
    case TypeKind::kUntyped:
      break;
  }
  return TypeRef::kArray;  // never written: untyped types are roots, which have no item
}

void AbstractType::SetKind(TypeKind kind) {
  kind_ = kind;
  use_markers_ =
      (kind == TypeKind::kArray || kind == TypeKind::kText || kind == TypeKind::kXmlText) &&
      !has_formatting_;
}

Item* AbstractType::MapGet(const std::string* key) const {
  auto it = map_index_.find(key);
  return it == map_index_.end() ? nullptr : map_[it->second].second;
}

void AbstractType::MapSet(const std::string* key, Item* item) {
  auto [it, inserted] = map_index_.try_emplace(key, map_.size());
  if (inserted) {
    map_.emplace_back(key, item);
  } else {
    map_[it->second].second = item;
  }
}

Item* AbstractType::First() const {
  Item* n = start_;
  while (n != nullptr && n->deleted()) n = n->right;
  return n;
}

SearchMarker* FindMarker(AbstractType* type, uint64_t index) {
  if (type->start() == nullptr || index == 0 || !type->has_markers()) return nullptr;
  SearchMarker* marker = NearestMarker(type, index);
  Item* p = type->start();
  int64_t pindex = 0;
  const int64_t target = static_cast<int64_t>(index);
  if (marker != nullptr) {
    p = marker->p;
    pindex = static_cast<int64_t>(marker->index);
    marker->timestamp = type->NextMarkerTimestamp();
  }
  while (p->right != nullptr && pindex < target) {
    if (p->counted()) {
      if (target < pindex + static_cast<int64_t>(p->length)) break;
      pindex += static_cast<int64_t>(p->length);
    }
    p = p->right;
  }
  while (p->left != nullptr && pindex > target) {
    p = p->left;
    if (p->counted()) pindex -= static_cast<int64_t>(p->length);
  }
  // Step left past items p could merge with, so that a merge cannot invalidate the marker.
  while (p->left != nullptr && p->left->id.client == p->id.client &&
         p->left->id.clock + p->left->length == p->id.clock) {
    p = p->left;
    if (p->counted()) pindex -= static_cast<int64_t>(p->length);
  }
  const uint64_t found = static_cast<uint64_t>(pindex);
  if (marker != nullptr) {
    const uint64_t d = marker->index > found ? marker->index - found : found - marker->index;
    // Yjs: |d| < length / 80. For integers that is exactly d * 80 < length (no division, no
    // floating point; d is at most the type's length, far from overflowing).
    if (d * kMaxSearchMarkers < type->length()) {
      OverwriteMarker(type, marker, p, found);
      return marker;
    }
  }
  return MarkPosition(type, p, found);
}

void UpdateMarkerChanges(AbstractType* type, uint64_t index, int64_t len) {
  auto& markers = type->markers();
  // Only the indices move (see AbstractType::markers_settled): by Yjs's rule, markers at or
  // after an insertion move right; markers after a deletion move left, but not before it.
  // With the order at hand only the markers from the first one affected on need a look.
  if (len > 0 && type->markers_settled()) {
    const uint64_t n = static_cast<uint64_t>(len);
    if (type->marker_order_valid()) {
      const auto& order = type->marker_order();
      for (size_t j = OrderSlot(type, index); j < order.size(); ++j) markers[order[j]].index += n;
    } else {
      for (SearchMarker& m : markers) m.index += m.index >= index ? n : 0;
    }
    return;
  }
  if (len <= 0) {
    const uint64_t n = static_cast<uint64_t>(-len);
    size_t j = 0;
    const auto& order = type->marker_order();
    const bool ordered = type->marker_order_valid();
    if (ordered) j = OrderSlot(type, index + 1);
    for (; j < markers.size(); ++j) {
      SearchMarker& m = markers[ordered ? order[j] : j];
      if (m.index > index) m.index = m.index - index > n ? m.index - n : index;
    }
    return;
  }
  type->set_markers_settled(true);
  type->set_marker_order_valid(false);  // markers move and go: rebuilt on next use
  for (size_t k = markers.size(); k-- > 0;) {
    SearchMarker& m = markers[k];
    if (len > 0) {
      Item* p = m.p;
      p->set_marker(false);
      // Move the marker to the previous live countable item, so comparisons work.
      while (p != nullptr && (p->deleted() || !p->countable())) {
        p = p->left;
        if (p != nullptr && !p->deleted() && p->countable()) m.index -= p->length;
      }
      if (p == nullptr || p->marker()) {
        markers.erase(markers.begin() + static_cast<ptrdiff_t>(k));
        continue;
      }
      m.p = p;
      p->set_marker(true);
    }
    if (index < m.index || (len > 0 && index == m.index)) {
      const int64_t moved = static_cast<int64_t>(m.index) + len;
      m.index = std::max<int64_t>(static_cast<int64_t>(index), moved);
    }
  }
}

void ListInsertAfter(Transaction& txn, AbstractType* parent, Item* ref,
                     std::vector<InsertValue> values) {
  Item* left = ref;
  Item* const right = ref == nullptr ? parent->start() : ref->right;
  std::vector<Any> json;
  auto pack = [&]() {
    if (json.empty()) return;
    left = NewLocalItem(txn, left, right, parent, nullptr,
                        std::make_unique<ContentAny>(std::move(json)));
    json.clear();
  };
  for (InsertValue& v : values) {
    if (v.kind == InsertValue::Kind::kAny) {
      json.push_back(std::move(v.any));
      continue;
    }
    pack();
    left = NewLocalItem(txn, left, right, parent, nullptr, ContentFor(txn.doc(), v));
  }
  pack();
}

void ListInsert(Transaction& txn, AbstractType* parent, uint64_t index,
                std::vector<InsertValue> values) {
  const int64_t count = static_cast<int64_t>(values.size());
  if (index == 0) {
    if (parent->has_markers()) UpdateMarkerChanges(parent, 0, count);
    ListInsertAfter(txn, parent, nullptr, std::move(values));
    return;
  }
  const uint64_t start_index = index;
  SearchMarker* marker = FindMarker(parent, index);
  Item* n = parent->start();
  if (marker != nullptr) {
    n = marker->p;
    index -= marker->index;
    if (index == 0) {
      // Step to the previous live item so the loop below can count it.
      n = n->Prev();
      index += (n != nullptr && n->countable() && !n->deleted()) ? n->length : 0;
    }
  }
  for (; n != nullptr; n = n->right) {
    if (!n->deleted() && n->countable()) {
      if (index <= n->length) {
        if (index < n->length) GetItemCleanStart(txn, Id{n->id.client, n->id.clock + index});
        break;
      }
      index -= n->length;
    }
  }
  if (parent->has_markers()) UpdateMarkerChanges(parent, start_index, count);
  ListInsertAfter(txn, parent, n, std::move(values));
}

void ListPush(Transaction& txn, AbstractType* parent, std::vector<InsertValue> values) {
  Item* n = parent->start();
  uint64_t best = 0;
  for (const SearchMarker& m : parent->markers()) {
    if (m.index > best) {
      best = m.index;
      n = m.p;
    }
  }
  if (n != nullptr) {
    while (n->right != nullptr) n = n->right;
  }
  ListInsertAfter(txn, parent, n, std::move(values));
}

uint64_t ListDelete(Transaction& txn, AbstractType* parent, uint64_t index, uint64_t length) {
  if (length == 0) return 0;
  const uint64_t start_index = index;
  const uint64_t start_length = length;
  SearchMarker* marker = FindMarker(parent, index);
  Item* n = parent->start();
  if (marker != nullptr) {
    n = marker->p;
    index -= marker->index;
  }
  for (; n != nullptr && index > 0; n = n->right) {
    if (!n->deleted() && n->countable()) {
      if (index < n->length) GetItemCleanStart(txn, Id{n->id.client, n->id.clock + index});
      index -= std::min(index, n->length);
    }
  }
  while (length > 0 && n != nullptr) {
    if (!n->deleted()) {
      if (length < n->length) GetItemCleanStart(txn, Id{n->id.client, n->id.clock + length});
      ItemDelete(txn, n);
      length -= std::min(length, n->length);
    }
    n = n->right;
  }
  if (parent->has_markers()) {
    UpdateMarkerChanges(parent, start_index,
                        -static_cast<int64_t>(start_length) + static_cast<int64_t>(length));
  }
  return length;
}

void MapSetValue(Transaction& txn, AbstractType* parent, std::string_view key, InsertValue value) {
  const std::string* k = txn.doc()->Intern(key);
  Item* left = parent->MapGet(k);
  NewLocalItem(txn, left, nullptr, parent, k, ContentFor(txn.doc(), value));
}

void MapDeleteKey(Transaction& txn, AbstractType* parent, std::string_view key) {
  const std::string* k = txn.doc()->FindInterned(key);
  if (k == nullptr) return;
  if (Item* item = parent->MapGet(k)) ItemDelete(txn, item);
}

Item* MapLiveItem(const AbstractType* parent, std::string_view key) {
  const std::string* k = parent->doc()->FindInterned(key);
  if (k == nullptr) return nullptr;
  Item* item = parent->MapGet(k);
  return item != nullptr && !item->deleted() ? item : nullptr;
}

}  // namespace accord::crdt
