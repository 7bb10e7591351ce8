#include "content.h"

#include <cmath>
#include <cstring>
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

void* ContentDeleted::operator new(size_t size) { return TakeBlock(deleted_blocks, size); }
void ContentDeleted::operator delete(void* p, size_t size) { GiveBlock(deleted_blocks, p, size); }

// ---- String ----

namespace {

// Blocks of up to this many bytes (every ASCII keystroke) are served from the block cache;
// glibc's smallest chunk holds 24 bytes anyway, so rounding such requests up costs nothing.
constexpr size_t kSmallStringBlock = 24;

void* AllocStringBlock(size_t size) {
  if (size <= kSmallStringBlock) return TakeBlock(string_blocks, kSmallStringBlock);
  return ::operator new(size);
}

void FreeStringBlock(void* p, size_t size) {
  if (size <= kSmallStringBlock) {
    GiveBlock(string_blocks, p, kSmallStringBlock);
  } else {
    ::operator delete(p);  // unsized: clang (the fuzz build) has no sized delete by default
  }
}

}  // namespace

#if defined(__x86_64__) || defined(__aarch64__)
// The members share the base's tail padding; the text starts right after.
static_assert(sizeof(ContentString) == 16);
#endif

std::unique_ptr<ContentString> ContentString::Make(std::string_view utf8) {
  return Make(utf8, Utf16Length(utf8));
}

std::unique_ptr<ContentString> ContentString::Make(std::string_view utf8, uint64_t utf16_len) {
  if (utf8.size() > UINT32_MAX) return MakeGrowable(utf8, utf16_len, utf8.size());
  const bool ascii = utf16_len == utf8.size();
  const size_t block = sizeof(ContentString) + (ascii ? 0 : kUtf16Field) + utf8.size();
  void* p = AllocStringBlock(block);
  auto* c = ::new (p) ContentString(ascii ? kAscii : kInline, static_cast<uint32_t>(utf8.size()));
  c->SetInline(utf8, utf16_len);
  return std::unique_ptr<ContentString>(c);
}

std::unique_ptr<ContentString> ContentString::MakeGrowable(std::string_view utf8,
                                                           uint64_t utf16_len, size_t reserve) {
  void* p = AllocStringBlock(sizeof(ContentString) + sizeof(Growable));
  auto* c = ::new (p) ContentString(kGrowable, 0);
  Growable* g = ::new (c->tail()) Growable{std::string(), utf16_len};
  std::unique_ptr<ContentString> owned(c);
  g->text.reserve(reserve);
  g->text.assign(utf8);
  return owned;
}

void ContentString::SetInline(std::string_view utf8, uint64_t utf16_len) {
  // Only shrinks (or fills a fresh block): the block was sized for at least this much.
  size_ = static_cast<uint32_t>(utf8.size());
  char* data = tail();
  if (mode_ == kInline) {
    const auto units = static_cast<uint32_t>(utf16_len);
    std::memcpy(data, &units, kUtf16Field);
    data += kUtf16Field;
  }
  if (!utf8.empty()) std::memmove(data, utf8.data(), utf8.size());
}

size_t ContentString::BlockSize() const {
  switch (mode_) {
    case kAscii:
      return sizeof(ContentString) + size_;
    case kInline:
      return sizeof(ContentString) + kUtf16Field + size_;
    case kGrowable:
      break;
  }
  return sizeof(ContentString) + sizeof(Growable);
}

ContentString::~ContentString() {
  if (mode_ == kGrowable) growable().~Growable();
}

void ContentString::operator delete(ContentString* p, std::destroying_delete_t) {
  // An inline string that was split keeps its original block, which may be larger than
  // BlockSize() now says; a small-block answer is still at least kSmallStringBlock, so the cache
  // only ever hands out blocks that are large enough.
  const size_t size = p->BlockSize();
  p->~ContentString();
  FreeStringBlock(p, size);
}

std::unique_ptr<Content> ContentString::Copy() const { return Make(str(), Length()); }

void ContentString::AppendRange(uint64_t from, uint64_t to, std::string* out) const {
  const std::string_view s = str();
  if (Length() == s.size()) {  // ASCII: units are bytes
    out->append(s.substr(from, to - from));
    return;
  }
  uint64_t unit = 0;
  size_t i = 0;
  while (i < s.size() && unit < to) {
    size_t n = SeqLen(static_cast<unsigned char>(s[i]));
    uint64_t units = n == 4 ? 2 : 1;
    if (unit >= from && unit + units <= to) {
      out->append(s.substr(i, n));
    } else if (unit + units > from && unit < to) {
      // Only part of a surrogate pair is in range: that half alone becomes U+FFFD.
      out->append(kReplacement);
    }
    unit += units;
    i += n;
  }
}

std::unique_ptr<Content> ContentString::Splice(uint64_t offset) {
  const uint64_t len = Length();
  const std::string_view s = str();
  std::unique_ptr<ContentString> right;
  std::string left;
  const bool ascii = len == s.size();
  if (ascii) {
    right = Make(s.substr(offset), len - offset);
  } else {
    std::string rest;
    AppendRange(0, offset, &left);
    AppendRange(offset, len, &rest);
    right = Make(rest, len - offset);
  }
  if (mode_ == kGrowable) {
    Growable& g = growable();
    if (ascii) {
      g.text.resize(offset);
    } else {
      g.text = std::move(left);
    }
    // The left part would keep the whole run's buffer: give back what it cannot use soon.
    if (g.text.capacity() > g.text.size() + g.text.size() / 4 + 16) g.text.shrink_to_fit();
    g.utf16_len = offset;
  } else if (ascii) {
    SetInline(s.substr(0, offset), offset);
  } else {
    // The left part is never longer than the whole: a cut pair's 4 bytes become 3.
    SetInline(left, offset);
  }
  return right;
}

void ContentString::Write(UpdateEncoder& encoder, uint64_t offset) const {
  if (offset == 0) {
    encoder.WriteString(str());
    return;
  }
  std::string s;
  AppendRange(offset, Length(), &s);
  encoder.WriteString(s);
}

bool MergeContent(std::unique_ptr<Content>& left, Content& right) {
  if (left->ref() != kRefString) return left->MergeWith(right);
  auto* l = static_cast<ContentString*>(left.get());
  const auto& r = static_cast<const ContentString&>(right);
  const std::string_view more = r.str();
  const size_t need = l->str().size() + more.size();
  if (l->mode_ != ContentString::kGrowable) {
    // Typing appends a character at a time: grow by a quarter rather than double, so long runs
    // keep less idle capacity (growth stays geometric).
    left = ContentString::MakeGrowable(l->str(), l->Length(), need + need / 4 + 8);
    l = static_cast<ContentString*>(left.get());
  }
  ContentString::Growable& g = l->growable();
  if (need > g.text.capacity()) g.text.reserve(need + need / 4 + 8);
  g.text.append(more);
  g.utf16_len += r.Length();
  return true;
}

std::unique_ptr<Content> SpliceContent(std::unique_ptr<Content>& left, uint64_t offset) {
  std::unique_ptr<Content> right = left->Splice(offset);
  if (left->ref() == kRefString) {
    auto* l = static_cast<ContentString*>(left.get());
    // BlockSize() describes the text as it now is; the block still has the size it had before
    // the split, which is at least that of the whole (left plus right) text.
    const size_t held = l->BlockSize() + static_cast<ContentString&>(*right).str().size();
    if (l->mode_ != ContentString::kGrowable && held >= l->BlockSize() + l->BlockSize() / 4 + 16) {
      left = ContentString::Make(l->str(), l->Length());
    }
  }
  return right;
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
      auto c = ContentString::Make(decoder.ReadString());
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
