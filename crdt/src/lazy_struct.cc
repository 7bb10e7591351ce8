#include "lazy_struct.h"

#include <cmath>

#include "rle_coders.h"

namespace accord::crdt {
namespace {

constexpr uint64_t kMaxClock = uint64_t{1} << 53;  // Yjs clocks are JavaScript numbers
constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  return 4;
}

// JavaScript truthiness.
bool Truthy(const Any& v) {
  if (v.is_undefined() || v.is_null()) return false;
  if (v.is_bool()) return v.as_bool();
  if (v.is_number()) return v.as_number() != 0 && !std::isnan(v.as_number());
  if (v.is_bigint()) return v.as_bigint() != 0;
  if (v.is_string()) return !v.as_string().empty();
  return true;
}

// Yjs does not keep a sub-document's options as read: it builds a Doc from them and writes back
// only what that Doc reports (gc: false, autoLoad: true, meta), and a "guid" option overrides
// the guid. Reproduce that normalisation so that re-encoding gives Yjs's bytes.
void NormalizeDocContent(LazyContent& c) {
  const Any* gc = c.value.Find("gc");
  const Any* auto_load = c.value.Find("autoLoad");
  const Any* meta = c.value.Find("meta");
  const Any* guid = c.value.Find("guid");
  if (guid != nullptr && guid->is_string()) c.str = guid->as_string();
  AnyObject opts;
  if (gc != nullptr && !gc->is_undefined() && !Truthy(*gc)) opts.emplace_back("gc", false);
  if (auto_load != nullptr && Truthy(*auto_load)) opts.emplace_back("autoLoad", true);
  if (meta != nullptr && !meta->is_undefined() && !meta->is_null()) {
    opts.emplace_back("meta", *meta);
  }
  c.value = Any::Object(std::move(opts));
}

}  // namespace

std::string Utf16Suffix(const std::string& s, uint64_t units) {
  size_t pos = 0;
  while (units > 0 && pos < s.size()) {
    size_t len = Utf8SequenceLength(static_cast<unsigned char>(s[pos]));
    if (len == 4) {
      if (units == 1) {
        std::string out(kReplacementChar);
        out.append(s, std::min(pos + len, s.size()), std::string::npos);
        return out;
      }
      units -= 2;
    } else {
      units -= 1;
    }
    pos += len;
  }
  return s.substr(std::min(pos, s.size()));
}

LazyContent ReadLazyContent(UpdateDecoder& decoder, uint8_t ref) {
  LazyContent c;
  c.ref = ref;
  switch (ref) {
    case kContentDeleted:
      c.deleted_len = decoder.ReadLen();
      break;
    case kContentJson: {
      // No reserve: the count is untrusted, and each entry consumes input (a JSON text or
      // "undefined" is never empty).
      uint64_t len = decoder.ReadLen();
      for (uint64_t i = 0; i < len; ++i) {
        std::string text = decoder.ReadString();
        if (text == "undefined") {
          c.items.emplace_back();
          continue;
        }
        std::optional<Any> v = Any::FromJson(text);
        if (!v) throw DecodeError("ContentJSON entry is not JSON");
        c.items.push_back(std::move(*v));
      }
      break;
    }
    case kContentBinary:
      c.binary = decoder.ReadBuf();
      break;
    case kContentString:
      c.str = decoder.ReadString();
      c.str_units = Utf16Length(c.str);
      break;
    case kContentEmbed:
      c.value = decoder.ReadJson();
      break;
    case kContentFormat:
      c.key = decoder.ReadKey();
      c.value = decoder.ReadJson();
      break;
    case kContentType:
      c.type_ref = decoder.ReadTypeRef();
      if (c.type_ref > 6) throw DecodeError("unknown type reference");
      if (c.type_ref == 3 || c.type_ref == 5) c.key = decoder.ReadKey();  // XmlElement, XmlHook
      break;
    case kContentAny: {
      uint64_t len = decoder.ReadLen();
      for (uint64_t i = 0; i < len; ++i) c.items.push_back(decoder.ReadAny());
      break;
    }
    case kContentDoc:
      c.str = decoder.ReadString();
      c.value = decoder.ReadAny();
      NormalizeDocContent(c);
      break;
    default:
      throw DecodeError("unknown content type");
  }
  return c;
}

uint64_t LazyContentLength(const LazyContent& c) {
  switch (c.ref) {
    case kContentDeleted:
      return c.deleted_len;
    case kContentJson:
    case kContentAny:
      return c.items.size();
    case kContentString:
      return c.str_units;
    default:
      return 1;
  }
}

void WriteLazyContent(UpdateEncoder& encoder, const LazyContent& c, uint64_t offset) {
  switch (c.ref) {
    case kContentDeleted:
      encoder.WriteLen(c.deleted_len - offset);
      break;
    case kContentJson:
      encoder.WriteLen(c.items.size() - offset);
      for (size_t i = offset; i < c.items.size(); ++i) {
        encoder.WriteString(c.items[i].is_undefined() ? "undefined" : c.items[i].ToJsonLikeJs());
      }
      break;
    case kContentBinary:
      encoder.WriteBuf(c.binary);
      break;
    case kContentString:
      encoder.WriteString(offset == 0 ? c.str : Utf16Suffix(c.str, offset));
      break;
    case kContentEmbed:
      encoder.WriteJson(c.value);
      break;
    case kContentFormat:
      encoder.WriteKey(c.key);
      encoder.WriteJson(c.value);
      break;
    case kContentType:
      encoder.WriteTypeRef(c.type_ref);
      if (c.type_ref == 3 || c.type_ref == 5) encoder.WriteKey(c.key);
      break;
    case kContentAny:
      encoder.WriteLen(c.items.size() - offset);
      for (size_t i = offset; i < c.items.size(); ++i) encoder.WriteAny(c.items[i]);
      break;
    case kContentDoc:
      encoder.WriteString(c.str);
      encoder.WriteAny(c.value);
      break;
  }
}

LazyContent SliceLazyContent(const LazyContent& c, uint64_t offset) {
  LazyContent right;
  right.ref = c.ref;
  switch (c.ref) {
    case kContentDeleted:
      right.deleted_len = c.deleted_len - offset;
      break;
    case kContentJson:
    case kContentAny:
      right.items.assign(c.items.begin() + static_cast<ptrdiff_t>(offset), c.items.end());
      break;
    case kContentString:
      right.str = Utf16Suffix(c.str, offset);
      right.str_units = c.str_units - offset;
      break;
    default:
      // Single-unit content is never split (0 < offset < length); Yjs throws here too.
      throw DecodeError("content cannot be split");
  }
  return right;
}

void WriteLazyStruct(UpdateEncoder& encoder, const LazyStruct& s, uint64_t offset) {
  switch (s.kind) {
    case StructKind::kGc:
      encoder.WriteInfo(0);
      encoder.WriteLen(s.length - offset);
      return;
    case StructKind::kSkip:
      encoder.WriteInfo(10);
      encoder.WriteRestVarUint(s.length - offset);
      return;
    case StructKind::kItem:
      break;
  }
  std::optional<Id> origin =
      offset > 0 ? std::optional<Id>(Id{s.id.client, s.id.clock + offset - 1}) : s.origin;
  uint8_t info = static_cast<uint8_t>((s.content.ref & 0x1f) | (origin ? 0x80 : 0) |
                                      (s.right_origin ? 0x40 : 0) | (s.parent_sub ? 0x20 : 0));
  encoder.WriteInfo(info);
  if (origin) encoder.WriteLeftId(*origin);
  if (s.right_origin) encoder.WriteRightId(*s.right_origin);
  if (!origin && !s.right_origin) {
    switch (s.parent_kind) {
      case ParentKind::kYKey:
        encoder.WriteParentInfo(true);
        encoder.WriteString(s.parent_ykey);
        break;
      case ParentKind::kId:
        encoder.WriteParentInfo(false);
        encoder.WriteLeftId(s.parent_id);
        break;
      case ParentKind::kNone:
        throw DecodeError("item without origin or parent");
    }
    if (s.parent_sub) encoder.WriteString(*s.parent_sub);
  }
  WriteLazyContent(encoder, s.content, offset);
}

LazyStruct SliceLazyStruct(const LazyStruct& s, uint64_t diff) {
  if (s.kind != StructKind::kItem) {
    LazyStruct right;
    right.kind = s.kind;
    right.id = Id{s.id.client, s.id.clock + diff};
    right.length = s.length - diff;
    return right;
  }
  LazyStruct right;
  right.kind = StructKind::kItem;
  right.id = Id{s.id.client, s.id.clock + diff};
  right.origin = Id{s.id.client, s.id.clock + diff - 1};
  right.right_origin = s.right_origin;
  right.parent_kind = s.parent_kind;
  right.parent_ykey = s.parent_ykey;
  right.parent_id = s.parent_id;
  right.parent_sub = s.parent_sub;
  right.content = SliceLazyContent(s.content, diff);
  right.length = LazyContentLength(right.content);
  return right;
}

bool MergeLazyStructs(LazyStruct& left, const LazyStruct& right) {
  if (left.kind == StructKind::kItem || left.kind != right.kind) return false;
  left.length += right.length;
  return true;
}

LazyStructReader::LazyStructReader(UpdateDecoder& decoder, bool filter_skips, uint64_t max_structs)
    : decoder_(decoder), filter_skips_(filter_skips), max_structs_(max_structs) {
  clients_left_ = decoder_.ReadRestVarUint();
  Next();
}

LazyStruct* LazyStructReader::Next() {
  do {
    has_curr_ = ReadOne();
  } while (filter_skips_ && has_curr_ && curr_.kind == StructKind::kSkip);
  return curr();
}

bool LazyStructReader::ReadOne() {
  while (structs_left_ == 0) {
    if (clients_left_ == 0) return false;
    --clients_left_;
    structs_left_ = decoder_.ReadRestVarUint();
    client_ = decoder_.ReadClient();
    clock_ = decoder_.ReadRestVarUint();
    if (structs_left_ > max_structs_ - structs_read_) {
      throw DecodeError("update declares implausibly many structs");
    }
  }
  --structs_left_;
  if (++structs_read_ > max_structs_) throw DecodeError("update has implausibly many structs");
  uint8_t info = decoder_.ReadInfo();
  LazyStruct& s = curr_;
  s = LazyStruct();
  s.id = Id{client_, clock_};
  if (info == 10) {
    s.kind = StructKind::kSkip;
    s.length = decoder_.ReadRestVarUint();
  } else if ((info & 0x1f) != 0) {
    s.kind = StructKind::kItem;
    if (info & 0x80) s.origin = decoder_.ReadLeftId();
    if (info & 0x40) s.right_origin = decoder_.ReadRightId();
    if ((info & 0xc0) == 0) {
      if (decoder_.ReadParentInfo()) {
        s.parent_kind = ParentKind::kYKey;
        s.parent_ykey = decoder_.ReadString();
      } else {
        s.parent_kind = ParentKind::kId;
        s.parent_id = decoder_.ReadLeftId();
      }
      if (info & 0x20) s.parent_sub = decoder_.ReadString();
    }
    s.content = ReadLazyContent(decoder_, info & 0x1f);
    s.length = LazyContentLength(s.content);
  } else {
    s.kind = StructKind::kGc;
    s.length = decoder_.ReadLen();
  }
  if (clock_ > kMaxClock || s.length > kMaxClock - clock_) {
    throw DecodeError("struct clock beyond 2^53");
  }
  clock_ += s.length;
  return true;
}

void LazyStructWriter::Write(const LazyStruct& s, uint64_t offset) {
  if (written_ > 0 && curr_client_ != s.id.client) Flush();
  if (written_ == 0) {
    curr_client_ = s.id.client;
    encoder_.WriteClient(s.id.client);
    encoder_.WriteRestVarUint(s.id.clock + offset);
  }
  WriteLazyStruct(encoder_, s, offset);
  ++written_;
}

void LazyStructWriter::Flush() {
  if (written_ == 0) return;
  sections_.emplace_back(written_, encoder_.TakeRest());
  written_ = 0;
}

void LazyStructWriter::Finish() {
  Flush();
  encoder_.WriteRestVarUint(sections_.size());
  for (const auto& [count, rest] : sections_) {
    encoder_.WriteRestVarUint(count);
    encoder_.WriteRestBytes(rest);
  }
  sections_.clear();
}

}  // namespace accord::crdt
