#include "values.h"

#include "doc_impl.h"
#include "text_internal.h"
#include "xml_internal.h"

namespace accord::crdt {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF are not UTF-8.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += len;
  }
  return true;
}

Value ItemValue(const Item* item, uint64_t i) {
  Value v;
  if (!item->is_item() || !item->content) return v;
  const Content& c = *item->content;
  switch (c.ref()) {
    case kRefAny:
      v.kind = Value::Kind::kAny;
      v.any = static_cast<const ContentAny&>(c).values()[i];
      break;
    case kRefJson:
      v.kind = Value::Kind::kAny;
      v.any = static_cast<const ContentJson&>(c).values()[i];
      break;
    case kRefBinary:
      v.kind = Value::Kind::kAny;
      v.any = Any(static_cast<const ContentBinary&>(c).bytes());
      break;
    case kRefString: {
      std::string unit;
      static_cast<const ContentString&>(c).AppendRange(i, i + 1, &unit);
      v.kind = Value::Kind::kAny;
      v.any = Any(std::move(unit));
      break;
    }
    case kRefEmbed:
      v.kind = Value::Kind::kAny;
      v.any = static_cast<const ContentEmbed&>(c).value();
      break;
    case kRefType:
      v.kind = Value::Kind::kType;
      v.type = SharedType(static_cast<const ContentType&>(c).type());
      break;
    case kRefDoc: {
      const auto& d = static_cast<const ContentDoc&>(c);
      v.kind = Value::Kind::kDoc;
      v.doc = SubDoc{d.guid(), d.opts()};
      break;
    }
    default:
      break;  // Deleted and Format content has no values
  }
  if (v.kind == Value::Kind::kAny && v.any.is_undefined()) v.kind = Value::Kind::kUndefined;
  return v;
}

Result<Any> ValueToJson(const Value& v, int depth) {
  switch (v.kind) {
    case Value::Kind::kUndefined:
      return Any();
    case Value::Kind::kAny:
      return v.any;
    case Value::Kind::kType:
      return TypeToJson(v.type.internal(), depth + 1);
    case Value::Kind::kDoc:
      return Any::Object({});  // an unloaded subdocument has no shared types
  }
  return Any();
}

Result<Any> TypeToJson(const AbstractType* type, int depth) {
  if (depth > kMaxJsonDepth) return Status::ResourceExhausted("document nested too deeply");
  switch (type->kind()) {
    case TypeKind::kText:
      return Any(TextToString(type));
    case TypeKind::kArray: {
      AnyArray out;
      for (const Item* n = type->start(); n != nullptr; n = n->right) {
        if (!n->countable() || n->deleted()) continue;
        for (uint64_t i = 0; i < n->length; ++i) {
          Result<Any> j = ValueToJson(ItemValue(n, i), depth);
          if (!j.ok()) return j.status();
          out.push_back(std::move(*j));
        }
      }
      return Any(std::move(out));
    }
    case TypeKind::kMap:
    case TypeKind::kXmlHook: {
      AnyObject out;
      for (const auto& [key, item] : type->map_entries()) {
        if (item->deleted()) continue;
        Result<Any> j = ValueToJson(ItemValue(item, item->length - 1), depth);
        if (!j.ok()) return j.status();
        out.emplace_back(*key, std::move(*j));
      }
      return Any::Object(std::move(out));
    }
    case TypeKind::kXmlFragment:
    case TypeKind::kXmlElement:
    case TypeKind::kXmlText: {
      // Yjs's XML types give their XML string as JSON.
      Result<std::string> s = TypeToJsString(type, /*strict=*/true, depth);
      if (!s.ok()) return s.status();
      return Any(std::move(*s));
    }
    default:
      return Any();  // untyped roots have no JSON form
  }
}

InsertValue ToInsertValue(DocImpl* doc, NewValue v) {
  InsertValue out;
  switch (v.kind) {
    case Value::Kind::kType:
      out.kind = InsertValue::Kind::kType;
      out.type = doc->NewType(InternalKind(v.type_kind));
      break;
    case Value::Kind::kDoc: {
      out.kind = InsertValue::Kind::kDoc;
      std::unique_ptr<ContentDoc> c;
      if (ContentDoc::FromWire(v.doc.guid, v.doc.options, &c)) {
        out.guid = c->guid();
        out.doc_opts = c->opts();
      } else {
        out.guid = v.doc.guid;
        out.doc_opts = Any::Object({});
      }
      break;
    }
    default:
      out.kind = v.any.is_bytes() ? InsertValue::Kind::kBinary : InsertValue::Kind::kAny;
      out.any = std::move(v.any);
      break;
  }
  return out;
}

SharedKind PublicKind(TypeKind k) { return static_cast<SharedKind>(static_cast<uint8_t>(k)); }
TypeKind InternalKind(SharedKind k) { return static_cast<TypeKind>(static_cast<uint8_t>(k)); }

Status DeleteListRange(AbstractType* t, uint64_t index, uint64_t length, std::string_view what) {
  if (t == nullptr) return Status::FailedPrecondition("invalid " + std::string(what) + " handle");
  if (index > t->length() || length > t->length() - index) {
    return Status::InvalidArgument("range out of bounds");
  }
  if (length == 0) return Status::Ok();
  t->doc()->Transact([&](Transaction& txn) { ListDelete(txn, t, index, length); });
  return Status::Ok();
}

}  // namespace accord::crdt
