// relative_position.cc: Yjs relative positions (utils/RelativePosition.js): creation,
// resolution, binary and JSON forms.
#include "accord/crdt/relative_position.h"

#include <cmath>
#include "abstract_type.h"

#include "accord/crdt/doc.h"
#include "content.h"
#include "doc_impl.h"
#include "item.h"
#include "lib0_decoder.h"
#include "lib0_encoder.h"
#include "struct_store.h"
#include "update_coder.h"

namespace accord::crdt {
namespace {

// A root type is named by its root name, a nested one by the id of the item holding it.
RelativePosition PositionIn(const AbstractType& type, std::optional<ItemId> item, int64_t assoc) {
  RelativePosition rpos;
  if (type.item() == nullptr) {
    rpos.tname = type.name();
  } else {
    rpos.type = ItemId{type.item()->id.client, type.item()->id.clock};
  }
  rpos.item = item;
  rpos.assoc = assoc;
  return rpos;
}

// The integrated item covering `id`, or nullptr if the id is beyond the store or a GC struct.
Item* FindContentItem(StructStore& store, const ItemId& id) {
  if (store.GetState(id.client) <= id.clock) return nullptr;
  Item* s = FindStruct(store, Id{id.client, id.clock});
  return s != nullptr && s->kind == ItemKind::kItem ? s : nullptr;
}

Any IdToJson(const ItemId& id) {
  return Any::Object({{"client", Any(static_cast<double>(id.client))},
                      {"clock", Any(static_cast<double>(id.clock))}});
}

constexpr double kMaxSafeInteger = 9007199254740992.0;  // 2^53

bool IsInteger(const Any& v) {
  return v.is_number() && std::isfinite(v.as_number()) &&
         std::trunc(v.as_number()) == v.as_number();
}

Result<std::optional<ItemId>> IdFromJson(const Any* v) {
  if (v == nullptr || v->is_null() || v->is_undefined()) return std::optional<ItemId>();
  if (!v->is_object()) return Status::InvalidArgument("relative position id is not an object");
  const Any* client = v->Find("client");
  const Any* clock = v->Find("clock");
  for (const Any* n : {client, clock}) {
    if (n == nullptr || !IsInteger(*n) || n->as_number() < 0 || n->as_number() > kMaxSafeInteger)
      return Status::InvalidArgument("relative position id needs integer client and clock");
  }
  return std::optional<ItemId>(ItemId{static_cast<uint64_t>(client->as_number()),
                                      static_cast<uint64_t>(clock->as_number())});
}

}  // namespace

std::optional<AbsolutePosition> CreateAbsolutePositionFromRelativePosition(
    const RelativePosition& rpos, Doc& doc) {
  DocImpl* impl = doc.internal();
  StructStore& store = impl->store();
  AbstractType* type = nullptr;
  uint64_t index = 0;
  if (rpos.item) {
    Item* right = FindContentItem(store, *rpos.item);
    if (right == nullptr) return std::nullopt;
    type = right->parent_type();
    if (type == nullptr) return std::nullopt;
    if (type->item() == nullptr || !type->item()->deleted()) {
      // Inside the item the position counts from the item's start; sticking left moves it past
      // the character it sticks to.
      const uint64_t diff = rpos.item->clock - right->id.clock;
      index = (right->deleted() || !right->countable()) ? 0 : diff + (rpos.assoc >= 0 ? 0 : 1);
      for (const Item* n = right->left; n != nullptr; n = n->left) {
        if (!n->deleted() && n->countable()) index += n->length;
      }
    }
  } else {
    if (rpos.tname) {
      type = impl->GetRoot(*rpos.tname, TypeKind::kUntyped);
    } else if (rpos.type) {
      Item* item = FindContentItem(store, *rpos.type);
      if (item == nullptr || item->content == nullptr || item->content->ref() != kRefType) {
        return std::nullopt;
      }
      type = static_cast<const ContentType*>(item->content.get())->type();
    }
    if (type == nullptr) return std::nullopt;
    index = rpos.assoc >= 0 ? type->length() : 0;
  }
  return AbsolutePosition{SharedType(type), index, rpos.assoc};
}

Any RelativePositionToJson(const RelativePosition& rpos) {
  AnyObject json;
  if (rpos.type) json.emplace_back("type", IdToJson(*rpos.type));
  if (rpos.tname && !rpos.tname->empty()) json.emplace_back("tname", Any(*rpos.tname));
  if (rpos.item) json.emplace_back("item", IdToJson(*rpos.item));
  json.emplace_back("assoc", Any(rpos.assoc));
  return Any::Object(std::move(json));
}

Result<RelativePosition> RelativePositionFromJson(const Any& json) {
  if (!json.is_object()) return Status::InvalidArgument("relative position JSON is not an object");
  RelativePosition rpos;
  Result<std::optional<ItemId>> type = IdFromJson(json.Find("type"));
  if (!type.ok()) return type.status();
  Result<std::optional<ItemId>> item = IdFromJson(json.Find("item"));
  if (!item.ok()) return item.status();
  rpos.type = *type;
  rpos.item = *item;
  if (const Any* tname = json.Find("tname");
      tname != nullptr && !tname->is_null() && !tname->is_undefined()) {
    if (!tname->is_string()) return Status::InvalidArgument("relative position tname");
    rpos.tname = tname->as_string();
  }
  if (const Any* assoc = json.Find("assoc");
      assoc != nullptr && !assoc->is_null() && !assoc->is_undefined()) {
    if (!IsInteger(*assoc) || std::fabs(assoc->as_number()) > kMaxSafeInteger) {
      return Status::InvalidArgument("relative position assoc is not an integer");
    }
    rpos.assoc = static_cast<int64_t>(assoc->as_number());
  }
  return rpos;
}

RelativePosition CreateRelativePositionFromTypeIndex(const SharedType& shared, uint64_t index,
                                                     int64_t assoc) {
  const AbstractType& type = *shared.internal();
  if (assoc < 0) {
    if (index == 0) return PositionIn(type, std::nullopt, assoc);
    --index;
  }
  for (const Item* t = type.start(); t != nullptr; t = t->right) {
    if (!t->deleted() && t->countable()) {
      if (t->length > index)
        return PositionIn(type, ItemId{t->id.client, t->id.clock + index}, assoc);
      index -= t->length;
    }
    if (t->right == nullptr && assoc < 0) {
      return PositionIn(type, ItemId{t->id.client, t->id.clock + t->length - 1}, assoc);
    }
  }
  return PositionIn(type, std::nullopt, assoc);
}

Result<std::vector<uint8_t>> EncodeRelativePosition(const RelativePosition& rpos) {
  Lib0Encoder encoder;
  if (rpos.item) {
    encoder.WriteVarUint(0);
    encoder.WriteVarUint(rpos.item->client);
    encoder.WriteVarUint(rpos.item->clock);
  } else if (rpos.tname) {
    encoder.WriteUint8(1);
    encoder.WriteVarString(*rpos.tname);
  } else if (rpos.type) {
    encoder.WriteUint8(2);
    encoder.WriteVarUint(rpos.type->client);
    encoder.WriteVarUint(rpos.type->clock);
  } else {
    return Status::InvalidArgument("relative position names no item, root or type");
  }
  encoder.WriteVarInt(rpos.assoc);
  return encoder.TakeBytes();
}

Result<RelativePosition> DecodeRelativePosition(std::span<const uint8_t> data) {
  try {
    Lib0Decoder decoder(data);
    RelativePosition rpos;
    switch (decoder.ReadVarUint()) {
      case 0: {
        uint64_t client = decoder.ReadVarUint();
        rpos.item = ItemId{client, decoder.ReadVarUint()};
        break;
      }
      case 1:
        rpos.tname = decoder.ReadVarString();
        break;
      case 2: {
        uint64_t client = decoder.ReadVarUint();
        rpos.type = ItemId{client, decoder.ReadVarUint()};
        break;
      }
      default:
        return Status::Corruption("unknown relative position kind");
    }
    // Old encoders left out a zero assoc; Yjs reads it only when bytes remain.
    rpos.assoc = decoder.HasContent() ? decoder.ReadVarInt() : 0;
    return rpos;
  } catch (const DecodeError& e) {
    return Status::Corruption(e.what());
  }
}

}  // namespace accord::crdt
