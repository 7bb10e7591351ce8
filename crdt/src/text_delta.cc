// Text::ToDelta: a walk over a text's items that tracks the formatting in effect (Yjs
// YText.toDelta, without the snapshot and ychange parts).
#include "text_delta.h"

#include <string>
#include <utility>

#include "text_internal.h"

namespace accord::crdt {
namespace {

// The attributes as Yjs copies them into a plain object: Map order, then JavaScript's object
// key order (array-index keys first), which Any::Object applies.
TextAttributes AsObjectOrder(const Attributes& current) {
  if (current.empty()) return {};
  Any obj = Any::Object(AnyObject(current.begin(), current.end()));
  return TextAttributes(obj.as_object().begin(), obj.as_object().end());
}

}  // namespace

std::vector<DeltaInsert> TextToDelta(const AbstractType* type) {
  std::vector<DeltaInsert> ops;
  if (type == nullptr) return ops;
  Attributes current;
  std::string pending;  // the string run not yet emitted
  auto pack = [&] {
    if (pending.empty()) return;
    DeltaInsert op;
    op.kind = DeltaInsert::Kind::kString;
    op.text = std::move(pending);
    op.attributes = AsObjectOrder(current);
    ops.push_back(std::move(op));
    pending.clear();
  };
  for (const Item* n = type->start(); n != nullptr; n = n->right) {
    if (n->deleted() || !n->is_item() || !n->content) continue;
    switch (n->content->ref()) {
      case kRefString:
        pending += static_cast<const ContentString&>(*n->content).str();
        break;
      case kRefEmbed: {
        pack();
        DeltaInsert op;
        op.kind = DeltaInsert::Kind::kEmbed;
        op.embed = static_cast<const ContentEmbed&>(*n->content).value();
        op.attributes = AsObjectOrder(current);
        ops.push_back(std::move(op));
        break;
      }
      case kRefType: {
        pack();
        DeltaInsert op;
        op.kind = DeltaInsert::Kind::kType;
        op.type = SharedType(static_cast<const ContentType&>(*n->content).type());
        op.attributes = AsObjectOrder(current);
        ops.push_back(std::move(op));
        break;
      }
      case kRefFormat:
        // Yjs closes the current run at every live format, even one that changes nothing.
        pack();
        ApplyFormatToCurrent(current, static_cast<const ContentFormat&>(*n->content));
        break;
      default:
        break;  // other content (Any, Binary, JSON, Doc, Deleted) has no place in a delta
    }
  }
  pack();
  return ops;
}

std::vector<DeltaInsert> Text::ToDelta() const { return TextToDelta(t_); }

}  // namespace accord::crdt
