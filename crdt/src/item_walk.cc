// item_walk.cc: the document-order walk of item_walk.h. Iterative (an explicit stack of
// frames), so that a deeply nested document cannot exhaust the thread's stack.
#include "accord/crdt/item_walk.h"

#include <algorithm>

#include "abstract_type.h"
#include "content.h"
#include "item.h"

namespace accord::crdt {
namespace {

ItemId ToItemId(const Id& id) { return ItemId{id.client, id.clock}; }

WalkedItem Describe(const Item& item, WalkedItem::Kind kind, uint32_t depth) {
  WalkedItem w;
  w.kind = kind;
  w.id = ToItemId(item.id);
  w.length = item.length;
  w.depth = depth;
  w.deleted = item.deleted();
  w.countable = item.countable() && !item.deleted();
  if (item.has_origin()) w.origin = ToItemId(item.origin);
  if (item.has_right_origin()) w.right_origin = ToItemId(item.right_origin);
  const AbstractType* parent = item.parent_type();
  if (parent != nullptr && parent->item() != nullptr) w.parent = ToItemId(parent->item()->id);
  return w;
}

// The type an item holds, if it holds one that is still there to walk.
const AbstractType* NestedType(const Item& item) {
  if (item.content == nullptr || item.content->ref() != kRefType) return nullptr;
  return static_cast<const ContentType&>(*item.content).type();
}

// One type being walked: first its map entries (flattened, oldest value of each key first),
// then its list.
struct Frame {
  std::vector<const Item*> attributes;
  size_t next_attribute = 0;
  const Item* next_in_list = nullptr;
  uint32_t depth = 0;
};

Frame Open(const AbstractType& type, uint32_t depth) {
  Frame f;
  f.depth = depth;
  for (const auto& [key, newest] : type.map_entries()) {
    size_t first = f.attributes.size();
    for (const Item* i = newest; i != nullptr; i = i->left) f.attributes.push_back(i);
    std::reverse(f.attributes.begin() + static_cast<std::ptrdiff_t>(first), f.attributes.end());
  }
  f.next_in_list = type.start();
  return f;
}

}  // namespace

std::vector<WalkedItem> WalkItems(const SharedType& root) {
  std::vector<WalkedItem> out;
  if (!root.valid()) return out;
  std::vector<Frame> stack;
  stack.push_back(Open(*root.internal(), 0));
  while (!stack.empty()) {
    Frame& top = stack.back();
    const Item* item = nullptr;
    WalkedItem::Kind kind = WalkedItem::Kind::kContent;
    if (top.next_attribute < top.attributes.size()) {
      item = top.attributes[top.next_attribute++];
      kind = WalkedItem::Kind::kAttribute;
    } else if (top.next_in_list != nullptr) {
      item = top.next_in_list;
      top.next_in_list = item->right;
    } else {
      stack.pop_back();
      continue;
    }
    if (!item->is_item()) continue;
    const AbstractType* nested = NestedType(*item);
    if (nested != nullptr && kind == WalkedItem::Kind::kContent) kind = WalkedItem::Kind::kType;
    uint32_t depth = top.depth;
    out.push_back(Describe(*item, kind, depth));
    // `top` may dangle after the push below; nothing uses it again in this round.
    if (nested != nullptr) stack.push_back(Open(*nested, depth + 1));
  }
  return out;
}

}  // namespace accord::crdt
