#include "content.h"

#include <cmath>
#include <utility>

#include "abstract_type.h"
#include "doc_impl.h"
#include "item.h"
#include "rle_coders.h"
#include "struct_store.h"
#include "transaction.h"

namespace accord::crdt {
namespace {

// Largest clock / length we accept: JavaScript numbers are exact below 2^53.
constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Length of the UTF-8 sequence starting with `lead` (input is valid UTF-8).
inline size_t SeqLen(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

}  // namespace

// ---- Content defaults ----

std::unique_ptr<Content> Content::Splice(uint64_t) {
  // Length-1 kinds are never split; reaching this is a bug in the caller.
  throw DecodeError("content kind cannot be split");
}
bool Content::MergeWith(Content&) { return false; }
void Content::Integrate(Transaction&, Item*) {}
void Content::Delete(Transaction&) {}
void Content::Gc(StructStore&) {}

// ---- Deleted ----

std::unique_ptr<Content> ContentDeleted::Copy() const {
  return std::make_unique<ContentDeleted>(len_);
}
std::unique_ptr<Content> ContentDeleted::Splice(uint64_t offset) {
  auto right = std::make_unique<ContentDeleted>(len_ - offset);
  len_ = offset;
  return right;
}
bool ContentDeleted::MergeWith(Content& right) {
  len_ += static_cast<ContentDeleted&>(right).len_;
  return true;
}
void ContentDeleted::Write(UpdateEncoder& encoder, uint64_t offset) const {
  encoder.WriteLen(len_ - offset);
}
void ContentDeleted::Integrate(Transaction& txn, Item* item) {
  txn.AddDeleted(item->id.client, item->id.clock, len_);
  item->MarkDeleted();
}

// ---- JSON ----

std::unique_ptr<Content> ContentJson::Copy() const {
  return std::make_unique<ContentJson>(values_);
}
std::unique_ptr<Content> ContentJson::Splice(uint64_t offset) {
  std::vector<Any> rest(values_.begin() + static_cast<ptrdiff_t>(offset), values_.end());
  values_.resize(offset);
  return std::make_unique<ContentJson>(std::move(rest));
}
bool ContentJson::MergeWith(Content& right) {
  auto& r = static_cast<ContentJson&>(right).values_;
  values_.insert(values_.end(), std::make_move_iterator(r.begin()),
                 std::make_move_iterator(r.end()));
  return true;
}
void ContentJson::Write(UpdateEncoder& encoder, uint64_t offset) const {
  encoder.WriteLen(values_.size() - offset);
  for (size_t i = offset; i < values_.size(); ++i) {
    const Any& v = values_[i];
    encoder.WriteString(v.is_undefined() ? std::string("undefined") : v.ToJsonLikeJs());
  }
}

// ---- Binary ----

std::unique_ptr<Content> ContentBinary::Copy() const {
  return std::make_unique<ContentBinary>(bytes_);
}
void ContentBinary::Write(UpdateEncoder& encoder, uint64_t) const { encoder.WriteBuf(bytes_); }

// ---- Block cache ----
//
// A few recently freed blocks per content class and thread, so that a stream of small
// transactions does not go to the allocator twice per keystroke. Bounded, so it never holds more
// than a few KiB. Off under AddressSanitizer, which should see every use after free.
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr size_t kCachedBlocks = 0;
#else
constexpr size_t kCachedBlocks = 32;
#endif

struct BlockCache {
  void* head = nullptr;
  size_t count = 0;
  bool dead = false;
  ~BlockCache() {
    dead = true;
    while (head != nullptr) {
      void* next = *static_cast<void**>(head);
      ::operator delete(head);
      head = next;
    }
  }
};

thread_local BlockCache string_blocks;
thread_local BlockCache deleted_blocks;

void* TakeBlock(BlockCache& cache, size_t size) {
  if (cache.head == nullptr) return ::operator new(size);
  void* p = cache.head;
  cache.head = *static_cast<void**>(p);
  --cache.count;
  return p;
}

void GiveBlock(BlockCache& cache, void* p, size_t size) {
  if (p == nullptr) return;
  if (cache.dead || cache.count >= kCachedBlocks) {
    ::operator delete(p);  // unsized: clang (the fuzz build) has no sized delete by default
    return;
  }
  *static_cast<void**>(p) = cache.head;
  cache.head = p;
  ++cache.count;
}

}  // namespace

void* ContentString::operator new(size_t size) { return TakeBlock(string_blocks, size); }
void ContentString::operator delete(void* p, size_t size) { GiveBlock(string_blocks, p, size); }
void* ContentDeleted::operator new(size_t size) { return TakeBlock(deleted_blocks, size); }
void ContentDeleted::operator delete(void* p, size_t size) { GiveBlock(deleted_blocks, p, size); }

// ---- String ----

ContentString::ContentString(std::string utf8)
    : Content(kRefString), str_(std::move(utf8)), utf16_len_(Utf16Length(str_)) {}

std::unique_ptr<Content> ContentString::Copy() const {
  return std::make_unique<ContentString>(str_, utf16_len_);
}

void ContentString::AppendRange(uint64_t from, uint64_t to, std::string* out) const {
  if (utf16_len_ == str_.size()) {  // ASCII: units are bytes
    out->append(str_, from, to - from);
    return;
  }
  uint64_t unit = 0;
  size_t i = 0;
  while (i < str_.size() && unit < to) {
    size_t n = SeqLen(static_cast<unsigned char>(str_[i]));
    uint64_t units = n == 4 ? 2 : 1;
    if (unit >= from && unit + units <= to) {
      out->append(str_, i, n);
    } else if (unit + units > from && unit < to) {
      // Only part of a surrogate pair is in range: that half alone becomes U+FFFD.
      out->append(kReplacement);
    }
    unit += units;
    i += n;
  }
}

std::unique_ptr<Content> ContentString::Splice(uint64_t offset) {
  std::string left, right;
  if (utf16_len_ == str_.size()) {
    right = str_.substr(offset);
    str_.resize(offset);
    // The left part would keep the whole run's buffer: give back what it cannot use soon.
    if (str_.capacity() > str_.size() + str_.size() / 4 + 16) str_.shrink_to_fit();
  } else {
    AppendRange(0, offset, &left);
    AppendRange(offset, utf16_len_, &right);
    str_ = std::move(left);
  }
  auto r = std::make_unique<ContentString>(std::move(right), utf16_len_ - offset);
  utf16_len_ = offset;
  return r;
}

bool ContentString::MergeWith(Content& right) {
  auto& r = static_cast<ContentString&>(right);
  // Typing appends a character at a time: grow by a quarter rather than double, so long runs
  // keep less idle capacity (growth stays geometric).
  const size_t need = str_.size() + r.str_.size();
  if (need > str_.capacity()) str_.reserve(need + need / 4 + 8);
  str_ += r.str_;
  utf16_len_ += r.utf16_len_;
  return true;
}

void ContentString::Write(UpdateEncoder& encoder, uint64_t offset) const {
  if (offset == 0) {
    encoder.WriteString(str_);
    return;
  }
  std::string s;
  AppendRange(offset, utf16_len_, &s);
  encoder.WriteString(s);
}

// ---- Embed ----

std::unique_ptr<Content> ContentEmbed::Copy() const {
  return std::make_unique<ContentEmbed>(value_);
}
void ContentEmbed::Write(UpdateEncoder& encoder, uint64_t) const { encoder.WriteJson(value_); }

// ---- Format ----

std::unique_ptr<Content> ContentFormat::Copy() const {
  return std::make_unique<ContentFormat>(key_, value_);
}
void ContentFormat::Write(UpdateEncoder& encoder, uint64_t) const {
  encoder.WriteKey(key_);
  encoder.WriteJson(value_);
}
void ContentFormat::Integrate(Transaction&, Item* item) {
  // Search markers do not account for formatting; Yjs turns them off for good.
  if (AbstractType* p = item->parent_type()) {
    p->DisableMarkers();
    p->set_has_formatting();
  }
}

// ---- Type ----

std::unique_ptr<Content> ContentType::Copy() const {
  AbstractType* t = type_->doc()->NewType(type_->kind());
  t->set_node_name(type_->node_name());
  return std::make_unique<ContentType>(t);
}

void ContentType::Write(UpdateEncoder& encoder, uint64_t) const {
  encoder.WriteTypeRef(static_cast<uint8_t>(RefFromKind(type_->kind())));
  if (type_->kind() == TypeKind::kXmlElement || type_->kind() == TypeKind::kXmlHook) {
    encoder.WriteKey(type_->node_name());
  }
}

void ContentType::Integrate(Transaction&, Item* item) { type_->set_item(item); }

namespace {
// Deletes the children of `type` (and, through the worklist, of nested types) without recursion,
// so that deeply nested documents cannot exhaust the stack.
void DeleteTypeChildren(Transaction& txn, AbstractType* type) {
  auto visit = [&](Item* item) {
    if (!item->is_item()) return;
    if (!item->deleted()) {
      ItemDelete(txn, item);
    } else if (item->id.clock < txn.BeforeClock(item->id.client)) {
      // Deleted earlier: it will be collected, so give it a chance to merge afterwards.
      txn.merge_structs.push_back(item->id);
    }
  };
  for (Item* item = type->start(); item != nullptr; item = item->right) visit(item);
  for (const auto& [key, item] : type->map_entries()) visit(item);
  txn.EraseChanged(type);
}
}  // namespace

void ContentType::Delete(Transaction& txn) {
  // ItemDelete calls back into here for nested types; a transaction-owned worklist turns that
  // recursion into a loop run by the outermost call.
  txn.type_deletes.push_back(type_);
  if (txn.draining_type_deletes) return;
  txn.draining_type_deletes = true;
  while (!txn.type_deletes.empty()) {
    AbstractType* t = txn.type_deletes.back();
    txn.type_deletes.pop_back();
    DeleteTypeChildren(txn, t);
  }
  txn.draining_type_deletes = false;
}

void ContentType::Gc(StructStore& store) {
  // The items of this type (and of nested types) become GC structs in place; iterative for the
  // same reason as Delete.
  std::vector<AbstractType*> work{type_};
  while (!work.empty()) {
    AbstractType* t = work.back();
    work.pop_back();
    auto collect = [&](Item* item) {
      if (item->is_item() && item->content && item->content->ref() == kRefType) {
        work.push_back(static_cast<ContentType*>(item->content.get())->type());
      }
      ConvertToGc(store, item);
    };
    for (Item* item = t->start(); item != nullptr;) {
      Item* next = item->right;
      collect(item);
      item = next;
    }
    t->set_start(nullptr);
    for (const auto& [key, head] : t->map_entries()) {
      for (Item* item = head; item != nullptr;) {
        Item* prev = item->left;
        collect(item);
        item = prev;
      }
    }
    t->MapClear();
    t->ClearMarkers();
  }
}

// ---- Any ----

std::unique_ptr<Content> ContentAny::Copy() const { return std::make_unique<ContentAny>(values_); }
std::unique_ptr<Content> ContentAny::Splice(uint64_t offset) {
  std::vector<Any> rest(values_.begin() + static_cast<ptrdiff_t>(offset), values_.end());
  values_.resize(offset);
  return std::make_unique<ContentAny>(std::move(rest));
}
bool ContentAny::MergeWith(Content& right) {
  auto& r = static_cast<ContentAny&>(right).values_;
  values_.insert(values_.end(), std::make_move_iterator(r.begin()),
                 std::make_move_iterator(r.end()));
  return true;
}
void ContentAny::Write(UpdateEncoder& encoder, uint64_t offset) const {
  encoder.WriteLen(values_.size() - offset);
  for (size_t i = offset; i < values_.size(); ++i) encoder.WriteAny(values_[i]);
}

// ---- Doc ----

bool AnyTruthy(const Any& v) {
  if (v.is_undefined() || v.is_null()) return false;
  if (v.is_bool()) return v.as_bool();
  if (v.is_number()) {
    double d = v.as_number();
    return !(d == 0 || std::isnan(d));
  }
  if (v.is_bigint()) return v.as_bigint() != 0;
  if (v.is_string()) return !v.as_string().empty();
  return true;  // objects, arrays, byte arrays
}

bool ContentDoc::FromWire(std::string guid, const Any& wire_opts,
                          std::unique_ptr<ContentDoc>* out) {
  // Yjs builds `new Doc({guid, ...opts})` and re-derives the options it writes from that Doc.
  // Spreading only contributes gc / autoLoad / meta / guid when the options are an object.
  AnyObject kept;
  if (wire_opts.is_object()) {
    if (const Any* g = wire_opts.Find("guid")) {
      if (!g->is_string()) return false;
      guid = g->as_string();
    }
    const Any* gc = wire_opts.Find("gc");
    if (gc != nullptr && !gc->is_undefined() && !AnyTruthy(*gc)) kept.emplace_back("gc", false);
    const Any* auto_load = wire_opts.Find("autoLoad");
    if (auto_load != nullptr && AnyTruthy(*auto_load)) kept.emplace_back("autoLoad", true);
    const Any* meta = wire_opts.Find("meta");
    if (meta != nullptr && !meta->is_undefined() && !meta->is_null()) {
      kept.emplace_back("meta", *meta);
    }
  }
  *out = std::make_unique<ContentDoc>(std::move(guid), Any::Object(std::move(kept)));
  return true;
}

std::unique_ptr<Content> ContentDoc::Copy() const {
  return std::make_unique<ContentDoc>(guid_, opts_);
}
void ContentDoc::Write(UpdateEncoder& encoder, uint64_t) const {
  encoder.WriteString(guid_);
  encoder.WriteAny(opts_);
}

// ---- Reading ----

std::unique_ptr<Content> ReadItemContent(UpdateDecoder& decoder, uint8_t info, TypeFactory& types) {
  auto read_len = [&]() {
    uint64_t len = decoder.ReadLen();
    if (len == 0 || len > kMaxSafe) throw DecodeError("bad content length");
    return len;
  };
  switch (info & 0x1F) {
    case kRefDeleted:
      return std::make_unique<ContentDeleted>(read_len());
    case kRefJson: {
      uint64_t len = read_len();
      std::vector<Any> values;
      for (uint64_t i = 0; i < len; ++i) {
        std::string s = decoder.ReadString();
        if (s == "undefined") {
          values.emplace_back();
        } else {
          std::optional<Any> v = Any::FromJson(s);
          if (!v) throw DecodeError("bad JSON content");
          values.push_back(std::move(*v));
        }
      }
      return std::make_unique<ContentJson>(std::move(values));
    }
    case kRefBinary:
      return std::make_unique<ContentBinary>(decoder.ReadBuf());
    case kRefString: {
      auto c = std::make_unique<ContentString>(decoder.ReadString());
      if (c->Length() == 0) throw DecodeError("empty string content");
      return c;
    }
    case kRefEmbed:
      return std::make_unique<ContentEmbed>(decoder.ReadJson());
    case kRefFormat: {
      std::string key = decoder.ReadKey();
      return std::make_unique<ContentFormat>(std::move(key), decoder.ReadJson());
    }
    case kRefType: {
      uint8_t ref = decoder.ReadTypeRef();
      if (ref > static_cast<uint8_t>(TypeRef::kXmlText)) throw DecodeError("unknown type ref");
      std::string name;
      if (ref == static_cast<uint8_t>(TypeRef::kXmlElement) ||
          ref == static_cast<uint8_t>(TypeRef::kXmlHook)) {
        name = decoder.ReadKey();
      }
      return std::make_unique<ContentType>(types.NewType(static_cast<TypeRef>(ref), name));
    }
    case kRefAny: {
      uint64_t len = read_len();
      std::vector<Any> values;
      for (uint64_t i = 0; i < len; ++i) values.push_back(decoder.ReadAny());
      return std::make_unique<ContentAny>(std::move(values));
    }
    case kRefDoc: {
      std::string guid = decoder.ReadString();
      Any opts = decoder.ReadAny();
      std::unique_ptr<ContentDoc> c;
      if (!ContentDoc::FromWire(std::move(guid), opts, &c)) {
        throw DecodeError("subdocument guid is not a string");
      }
      return c;
    }
    default:
      throw DecodeError("unknown content ref");
  }
}

}  // namespace accord::crdt
