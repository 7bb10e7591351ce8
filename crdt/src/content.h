// content.h: what an Item carries (Yjs's ItemContent classes ContentDeleted, ContentJSON,
// ContentBinary, ContentString, ContentEmbed, ContentFormat, ContentType, ContentAny, ContentDoc)
// behind one interface, and ReadItemContent, which decodes one from an update.
//
// Lengths are in Yjs units: UTF-16 code units for strings, elements for Any/JSON, 1 for the
// single-valued kinds, the deleted length for Deleted. Content objects are owned by exactly one
// Item (std::unique_ptr) and used by one thread at a time, like the document that holds them.
#ifndef ACCORD_CRDT_SRC_CONTENT_H_
#define ACCORD_CRDT_SRC_CONTENT_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "accord/crdt/any.h"
#include "update_coder.h"

namespace accord::crdt {

class AbstractType;
class StructStore;
class Transaction;
struct Item;

// Wire numbers of the content kinds (low five bits of an Item's info byte). 0 is a GC struct and
// 10 a Skip struct; neither is Item content.
inline constexpr uint8_t kRefGc = 0;
inline constexpr uint8_t kRefDeleted = 1;
inline constexpr uint8_t kRefJson = 2;
inline constexpr uint8_t kRefBinary = 3;
inline constexpr uint8_t kRefString = 4;
inline constexpr uint8_t kRefEmbed = 5;
inline constexpr uint8_t kRefFormat = 6;
inline constexpr uint8_t kRefType = 7;
inline constexpr uint8_t kRefAny = 8;
inline constexpr uint8_t kRefDoc = 9;
inline constexpr uint8_t kRefSkip = 10;

class Content {
 public:
  explicit Content(uint8_t ref) : ref_(ref) {}
  virtual ~Content() = default;
  Content(const Content&) = delete;
  Content& operator=(const Content&) = delete;

  uint8_t ref() const { return ref_; }
  virtual uint64_t Length() const = 0;
  // Countable content occupies index positions in its parent list (not Deleted, not Format).
  virtual bool Countable() const = 0;
  // A fresh copy that is not integrated anywhere (for redo; a type is copied empty, as in Yjs).
  virtual std::unique_ptr<Content> Copy() const = 0;
  // Keeps [0, offset) and returns the rest; 0 < offset < Length(). Only the kinds whose length
  // can exceed 1 (Deleted, JSON, String, Any) can be split; the others are never asked to.
  virtual std::unique_ptr<Content> Splice(uint64_t offset);
  // Appends `right` (same ref()) if this kind merges in place; returns whether it did. Strings
  // merge only through MergeContent (their object may have to be replaced).
  virtual bool MergeWith(Content& right);
  // Writes the content from `offset` on (in Length() units).
  virtual void Write(UpdateEncoder& encoder, uint64_t offset) const = 0;

  // Hooks the document calls (Yjs's integrate / delete / gc of content).
  virtual void Integrate(Transaction& txn, Item* item);
  virtual void Delete(Transaction& txn);
  virtual void Gc(StructStore& store);

 private:
  const uint8_t ref_;
};

class ContentDeleted final : public Content {
 public:
  explicit ContentDeleted(uint64_t len) : Content(kRefDeleted), len_(len) {}
  // Recycled through a small per-thread cache (see content.cc): every collected item gets one.
  static void* operator new(size_t size);
  static void operator delete(void* p, size_t size);
  uint64_t Length() const override { return len_; }
  bool Countable() const override { return false; }
  std::unique_ptr<Content> Copy() const override;
  std::unique_ptr<Content> Splice(uint64_t offset) override;
  bool MergeWith(Content& right) override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;
  void Integrate(Transaction& txn, Item* item) override;

 private:
  uint64_t len_;
};

// Legacy JSON content: each element is kept as a value; undefined is an element too.
class ContentJson final : public Content {
 public:
  explicit ContentJson(std::vector<Any> values) : Content(kRefJson), values_(std::move(values)) {}
  const std::vector<Any>& values() const { return values_; }
  uint64_t Length() const override { return values_.size(); }
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  std::unique_ptr<Content> Splice(uint64_t offset) override;
  bool MergeWith(Content& right) override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;

 private:
  std::vector<Any> values_;
};

class ContentBinary final : public Content {
 public:
  explicit ContentBinary(Bytes bytes) : Content(kRefBinary), bytes_(std::move(bytes)) {}
  const Bytes& bytes() const { return bytes_; }
  uint64_t Length() const override { return 1; }
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;

 private:
  Bytes bytes_;
};

// Text, stored as UTF-8 with its UTF-16 length cached. When the two lengths agree the text is
// ASCII and UTF-16 offsets are byte offsets, so splitting and appending are O(1) to locate;
// otherwise offsets are found by a scan of the (usually short) run.
//
// A loaded document holds tens of thousands of these, so the text lives in the same block as the
// object: Make allocates the 16-byte header plus the text (plus a 4-byte UTF-16 length unless the
// text is ASCII) exactly, where a std::string member cost a 56-byte object and, past 15 bytes, a
// second block. Only a run that merging appends to (typing) moves its text to a growable buffer,
// which keeps appending amortised O(1); that takes MergeContent, since the object is replaced.
class ContentString final : public Content {
 public:
  // `utf8` must be valid UTF-8.
  static std::unique_ptr<ContentString> Make(std::string_view utf8);
  // `utf16_len` must be Utf16Length(utf8).
  static std::unique_ptr<ContentString> Make(std::string_view utf8, uint64_t utf16_len);
  // The block is variable-sized: reads the layout to free it after destroying the object.
  static void operator delete(ContentString* p, std::destroying_delete_t);
  ~ContentString() override;

  std::string_view str() const;
  uint64_t Length() const override;
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  // Splitting inside a surrogate pair replaces both halves by U+FFFD, as Yjs does. The left part
  // stays in this block (SpliceContent re-packs it when that wastes much).
  std::unique_ptr<Content> Splice(uint64_t offset) override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;
  // Appends the UTF-8 text of UTF-16 units [from, to) to `out` (a cut surrogate pair gives
  // U+FFFD for each half).
  void AppendRange(uint64_t from, uint64_t to, std::string* out) const;

 private:
  friend bool MergeContent(std::unique_ptr<Content>& left, Content& right);
  friend std::unique_ptr<Content> SpliceContent(std::unique_ptr<Content>& left, uint64_t offset);

  // How the text is held (mode_). kAscii: the bytes follow the header (UTF-16 length = size_).
  // kInline: a uint32 UTF-16 length, then the bytes. kGrowable: a Growable follows the header.
  enum Mode : uint8_t { kAscii, kInline, kGrowable };
  struct Growable {
    std::string text;
    uint64_t utf16_len;
  };

  explicit ContentString(Mode mode, uint32_t size)
      : Content(kRefString), mode_(mode), size_(size) {}
  // A growable string holding `utf8` with room for `reserve` bytes.
  static std::unique_ptr<ContentString> MakeGrowable(std::string_view utf8, uint64_t utf16_len,
                                                     size_t reserve);
  // Bytes of the block this object was allocated in (for its current layout).
  size_t BlockSize() const;
  char* tail() { return reinterpret_cast<char*>(this) + sizeof(ContentString); }
  const char* tail() const { return reinterpret_cast<const char*>(this) + sizeof(ContentString); }
  Growable& growable() { return *reinterpret_cast<Growable*>(tail()); }
  const Growable& growable() const { return *reinterpret_cast<const Growable*>(tail()); }
  // Rewrites an inline string's text (no longer than what the block holds) in place.
  void SetInline(std::string_view utf8, uint64_t utf16_len);

  Mode mode_;
  uint32_t size_;  // bytes of text, unless kGrowable
  // kInline: the text's UTF-16 length, stored before the text.
  static constexpr size_t kUtf16Field = sizeof(uint32_t);
};

// Inline: encoding calls these for nearly every struct of a text document.
inline std::string_view ContentString::str() const {
  switch (mode_) {
    case kAscii:
      return std::string_view(tail(), size_);
    case kInline:
      return std::string_view(tail() + kUtf16Field, size_);
    case kGrowable:
      break;
  }
  return growable().text;
}

inline uint64_t ContentString::Length() const {
  switch (mode_) {
    case kAscii:
      return size_;
    case kInline: {
      uint32_t units;
      std::memcpy(&units, tail(), kUtf16Field);
      return units;
    }
    case kGrowable:
      break;
  }
  return growable().utf16_len;
}

class ContentEmbed final : public Content {
 public:
  explicit ContentEmbed(Any value) : Content(kRefEmbed), value_(std::move(value)) {}
  const Any& value() const { return value_; }
  uint64_t Length() const override { return 1; }
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;

 private:
  Any value_;
};

// A formatting attribute boundary in a Text (key = value from here on; null ends it).
class ContentFormat final : public Content {
 public:
  ContentFormat(std::string key, Any value)
      : Content(kRefFormat), key_(std::move(key)), value_(std::move(value)) {}
  const std::string& key() const { return key_; }
  const Any& value() const { return value_; }
  uint64_t Length() const override { return 1; }
  bool Countable() const override { return false; }
  std::unique_ptr<Content> Copy() const override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;
  void Integrate(Transaction& txn, Item* item) override;

 private:
  std::string key_;
  Any value_;
};

// A nested shared type. The type object is owned by the document (so that handles to it stay
// valid for the document's lifetime); the content only points at it.
class ContentType final : public Content {
 public:
  explicit ContentType(AbstractType* type) : Content(kRefType), type_(type) {}
  AbstractType* type() const { return type_; }
  uint64_t Length() const override { return 1; }
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;
  void Integrate(Transaction& txn, Item* item) override;
  void Delete(Transaction& txn) override;
  void Gc(StructStore& store) override;

 private:
  AbstractType* type_;
};

class ContentAny final : public Content {
 public:
  explicit ContentAny(std::vector<Any> values) : Content(kRefAny), values_(std::move(values)) {}
  const std::vector<Any>& values() const { return values_; }
  uint64_t Length() const override { return values_.size(); }
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  std::unique_ptr<Content> Splice(uint64_t offset) override;
  bool MergeWith(Content& right) override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;

 private:
  std::vector<Any> values_;
};

// A subdocument reference: its guid and the options Yjs re-encodes (gc:false, autoLoad:true,
// meta), normalised exactly as Yjs's ContentDoc does after building the Doc from the wire.
class ContentDoc final : public Content {
 public:
  ContentDoc(std::string guid, Any opts)
      : Content(kRefDoc), guid_(std::move(guid)), opts_(std::move(opts)) {}
  // What Yjs would keep of wire options `wire_opts` for a subdocument read with `guid`; false if
  // the options name a non-string guid (which Yjs cannot re-encode).
  static bool FromWire(std::string guid, const Any& wire_opts, std::unique_ptr<ContentDoc>* out);
  const std::string& guid() const { return guid_; }
  const Any& opts() const { return opts_; }
  uint64_t Length() const override { return 1; }
  bool Countable() const override { return true; }
  std::unique_ptr<Content> Copy() const override;
  void Write(UpdateEncoder& encoder, uint64_t offset) const override;

 private:
  std::string guid_;
  Any opts_;
};

// Appends `right` to `*left` (same ref()) if their kind merges; returns whether it did. May
// replace `*left` by an equivalent object (a string that needs room to grow).
bool MergeContent(std::unique_ptr<Content>& left, Content& right);
// `left->Splice(offset)`, after which a string whose block now wastes much is re-packed (which
// replaces `*left`).
std::unique_ptr<Content> SpliceContent(std::unique_ptr<Content>& left, uint64_t offset);

// JavaScript truthiness of a value (for option normalisation).
bool AnyTruthy(const Any& v);

// Kinds of shared types as the wire numbers them (ContentType's typeRef).
enum class TypeRef : uint8_t {
  kArray = 0,
  kMap = 1,
  kText = 2,
  kXmlElement = 3,
  kXmlFragment = 4,
  kXmlHook = 5,
  kXmlText = 6,
};

// Creates the (empty, unintegrated) type a ContentType read from the wire names. Implemented by
// the document layer; `doc_types` is the owner. Declared here so that content reading needs no
// knowledge of the type classes.
class TypeFactory {
 public:
  virtual ~TypeFactory() = default;
  virtual AbstractType* NewType(TypeRef ref, std::string name) = 0;
};

// Decodes the content of an Item whose info byte is `info` (Yjs readItemContent). Throws
// DecodeError for unknown refs, malformed values and zero-length content.
std::unique_ptr<Content> ReadItemContent(UpdateDecoder& decoder, uint8_t info, TypeFactory& types);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_CONTENT_H_
