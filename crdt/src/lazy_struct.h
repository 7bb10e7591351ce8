// lazy_struct.h: structs read one at a time straight from an encoded update, without a
// document, for the update-level operations in updates.cc (Yjs's LazyStructReader,
// LazyStructWriter, sliceStruct and the structs' write/mergeWith as utils/updates.js uses them).
//
// LazyContent is a deliberately small model of Item content: enough to re-encode it, measure
// it and split it. All of its knowledge sits in the four *LazyContent functions, so that it can
// be replaced by the document's content classes without touching the algorithms. Decoding
// throws DecodeError. Single-threaded.
#ifndef ACCORD_CRDT_LAZY_STRUCT_H_
#define ACCORD_CRDT_LAZY_STRUCT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accord/crdt/any.h"
#include "update_coder.h"

namespace accord::crdt {

// Content ref numbers as on the wire (the low five bits of a struct's info byte).
enum ContentRef : uint8_t {
  kContentDeleted = 1,
  kContentJson = 2,
  kContentBinary = 3,
  kContentString = 4,
  kContentEmbed = 5,
  kContentFormat = 6,
  kContentType = 7,
  kContentAny = 8,
  kContentDoc = 9,
};

struct LazyContent {
  uint8_t ref = 0;
  uint64_t deleted_len = 0;  // kContentDeleted
  std::vector<Any> items;    // kContentJson (undefined stands for "undefined"), kContentAny
  Bytes binary;              // kContentBinary
  std::string str;           // kContentString; the guid of kContentDoc
  uint64_t str_units = 0;    // kContentString: length in UTF-16 code units, as Yjs counts
  Any value;                 // kContentEmbed, kContentFormat value, kContentDoc options
  std::string key;           // kContentFormat key; kContentType XmlElement / XmlHook name
  uint8_t type_ref = 0;      // kContentType
};

LazyContent ReadLazyContent(UpdateDecoder& decoder, uint8_t ref);
uint64_t LazyContentLength(const LazyContent& content);
// Writes the content from `offset` (in units of LazyContentLength) on.
void WriteLazyContent(UpdateEncoder& encoder, const LazyContent& content, uint64_t offset);
// The part from `offset` on, as Yjs's content.splice(offset) returns it.
LazyContent SliceLazyContent(const LazyContent& content, uint64_t offset);

// The suffix of UTF-8 `s` after its first `units` UTF-16 code units. If that cuts a surrogate
// pair, the orphaned low half becomes U+FFFD (what TextEncoder makes of a lone surrogate).
std::string Utf16Suffix(const std::string& s, uint64_t units);

enum class StructKind : uint8_t { kGc, kSkip, kItem };
enum class ParentKind : uint8_t { kNone, kYKey, kId };

struct LazyStruct {
  StructKind kind = StructKind::kGc;
  Id id;
  uint64_t length = 0;
  // Items only. The parent and parent_sub are present only when the update carried them (no
  // origin and no right origin), exactly as Yjs's lazy reader keeps them.
  std::optional<Id> origin;
  std::optional<Id> right_origin;
  ParentKind parent_kind = ParentKind::kNone;
  std::string parent_ykey;
  Id parent_id;
  std::optional<std::string> parent_sub;
  LazyContent content;

  uint64_t end() const { return id.clock + length; }
};

// Writes `s` from `offset` on (Yjs GC/Skip/Item .write(encoder, offset)).
void WriteLazyStruct(UpdateEncoder& encoder, const LazyStruct& s, uint64_t offset);
// The part of `s` from `diff` on (Yjs sliceStruct); 0 < diff < s.length.
LazyStruct SliceLazyStruct(const LazyStruct& s, uint64_t diff);
// Yjs's mergeWith for lazily read structs: only GC+GC and Skip+Skip merge (an Item's merge
// requires a linked right neighbour, which lazily read items never have).
bool MergeLazyStructs(LazyStruct& left, const LazyStruct& right);

// Reads the struct part of an update one struct at a time; afterwards the decoder is
// positioned at the delete set.
class LazyStructReader {
 public:
  // `max_structs` bounds the total number of structs: v2 columns can repeat a value forever, so
  // a tiny hostile update could otherwise declare billions of empty structs.
  LazyStructReader(UpdateDecoder& decoder, bool filter_skips, uint64_t max_structs);
  LazyStruct* curr() { return has_curr_ ? &curr_ : nullptr; }
  LazyStruct* Next();

 private:
  bool ReadOne();  // false at the end of the struct part

  UpdateDecoder& decoder_;
  const bool filter_skips_;
  const uint64_t max_structs_;
  uint64_t structs_read_ = 0;
  uint64_t clients_left_ = 0;
  uint64_t structs_left_ = 0;
  uint64_t client_ = 0;
  uint64_t clock_ = 0;
  bool has_curr_ = false;
  LazyStruct curr_;
};

// Writes structs grouped into per-client sections whose struct counts are emitted at Finish()
// (Yjs LazyStructWriter / writeStructToLazyStructWriter / finishLazyStructWriting).
class LazyStructWriter {
 public:
  explicit LazyStructWriter(UpdateEncoder& encoder) : encoder_(encoder) {}
  void Write(const LazyStruct& s, uint64_t offset);
  // Writes the section table; the caller then writes the delete set.
  void Finish();

 private:
  void Flush();

  UpdateEncoder& encoder_;
  uint64_t curr_client_ = 0;
  uint64_t written_ = 0;
  std::vector<std::pair<uint64_t, std::vector<uint8_t>>> sections_;  // (count, rest bytes)
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_LAZY_STRUCT_H_
