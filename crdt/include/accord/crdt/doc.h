// accord/crdt/doc.h: a Yjs-compatible shared document (Y.Doc) and its shared types.
//
// A Doc holds named root types (Text, Array, Map, and the XML types of xml.h), applies updates from
// other replicas and encodes its state, byte-identical to Yjs 13.6. Edits made through the type
// handles run in a transaction: the one opened by Doc::Transact if any, otherwise their own.
// When the outermost transaction ends, observers get the update it produced (v1 and/or v2 bytes,
// computed only if someone listens).
//
// Thread contract: a Doc and every handle obtained from it are used by one thread at a time.
// Handles (Text, Array, Map, SharedType) are cheap pointers, valid while their Doc lives; a
// handle to a deleted nested type stays safe to call but the type reads as empty.
//
// Errors: nothing throws. Malformed updates give Status::Corruption (and leave the Doc exactly as
// it was); out-of-range indices give Status::InvalidArgument.
#ifndef ACCORD_CRDT_DOC_H_
#define ACCORD_CRDT_DOC_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accord/crdt/any.h"
#include "accord/crdt/function_ref.h"
#include "accord/crdt/state_vector.h"
#include "accord/crdt/version.h"
#include "accord/status.h"

namespace accord::crdt {

class AbstractType;
class DocImpl;
class Doc;

struct DocOptions {
  // The local client id; a random 32-bit id when unset (as Yjs picks one).
  std::optional<uint64_t> client_id;
  // Garbage-collect deleted content (Yjs's default). Off keeps it, for version history.
  bool gc = true;
  // The document's guid; a random UUID when empty.
  std::string guid;
};

// Limits applied to incoming updates (see crdt/INTERNALS.md, "Hostile input").
struct UpdateLimits {
  // Updates whose structs cannot be integrated yet are parked; the parked bytes may not exceed
  // this. An update that would exceed it is rejected (ResourceExhausted) and not applied.
  size_t max_pending_bytes = 64u << 20;
};

enum class SharedKind : uint8_t {
  kUntyped,  // a root known only from remote updates, not yet asked for
  kArray,
  kMap,
  kText,
  kXmlElement,
  kXmlFragment,
  kXmlHook,
  kXmlText,
};

// An untyped handle to any shared type.
class SharedType {
 public:
  SharedType() = default;
  explicit SharedType(AbstractType* t) : t_(t) {}
  bool valid() const { return t_ != nullptr; }
  SharedKind kind() const;
  // The value as Yjs's toJSON gives it (Text: its string; binary as bytes).
  Any ToJson() const;
  AbstractType* internal() const { return t_; }
  bool operator==(const SharedType&) const = default;

 protected:
  AbstractType* t_ = nullptr;
};

// A subdocument reference stored in a list or map.
struct SubDoc {
  std::string guid;
  Any options;  // as Yjs re-encodes them: {gc:false}, {autoLoad:true}, {meta:...}
};

// A value read from an Array or Map.
struct Value {
  enum class Kind : uint8_t { kUndefined, kAny, kType, kDoc } kind = Kind::kUndefined;
  Any any;          // kAny (bytes for binary content)
  SharedType type;  // kType
  SubDoc doc;       // kDoc
};

class Text;
class Array;
class Map;

// What to put into an Array or Map: a plain value, binary data, a new nested type (created
// empty; fill it through the handle the insert returns) or a subdocument.
struct NewValue {
  static NewValue Of(Any v) { return NewValue{Value::Kind::kAny, std::move(v), {}, {}}; }
  static NewValue NestedType(SharedKind kind) { return NewValue{Value::Kind::kType, {}, kind, {}}; }
  static NewValue Doc(SubDoc d) { return NewValue{Value::Kind::kDoc, {}, {}, std::move(d)}; }
  Value::Kind kind = Value::Kind::kAny;
  Any any;
  SharedKind type_kind = SharedKind::kUntyped;
  SubDoc doc;
};

// Formatting attributes of rich text, in insertion order (as a JavaScript object keeps them).
// In Format, a null value removes the attribute.
using TextAttributes = std::vector<std::pair<std::string, Any>>;

// One insert of a Text's delta (Yjs YText.toDelta): a run of text, an embed or a nested type,
// with the attributes that apply to it (empty when none).
struct DeltaInsert {
  enum class Kind : uint8_t { kString, kEmbed, kType } kind = Kind::kString;
  std::string text;  // kString, UTF-8
  Any embed;         // kEmbed
  SharedType type;   // kType
  TextAttributes attributes;
};

class Text : public SharedType {
 public:
  using SharedType::SharedType;
  // Length in UTF-16 code units, as Yjs counts.
  uint64_t Length() const;
  std::string ToString() const;
  // Inserts UTF-8 `text` at UTF-16 offset `index` (InvalidArgument if index > Length() or the
  // text is not valid UTF-8). Without attributes the text takes the formatting in effect at
  // `index`; with them (even none) it gets exactly those (Yjs YText.insert).
  Status Insert(uint64_t index, std::string_view text);
  Status Insert(uint64_t index, std::string_view text, const TextAttributes& attributes);
  // Inserts an embed (a JSON object such as {"image": url}) of length 1.
  Status InsertEmbed(uint64_t index, Any embed, const TextAttributes& attributes = {});
  // Inserts a new, empty nested type of length 1 and returns it (Yjs insertEmbed with a type).
  Result<SharedType> InsertType(uint64_t index, SharedKind kind,
                                const TextAttributes& attributes = {});
  Status Delete(uint64_t index, uint64_t length);
  // Sets (or with a null value removes) `attributes` on `length` units from `index`.
  Status Format(uint64_t index, uint64_t length, const TextAttributes& attributes);
  std::vector<DeltaInsert> ToDelta() const;
};

class Array : public SharedType {
 public:
  using SharedType::SharedType;
  uint64_t Length() const;
  Result<Value> Get(uint64_t index) const;
  std::vector<Value> ToVector() const;
  // Consecutive plain values are stored together (one ContentAny), as Yjs does.
  Status Insert(uint64_t index, std::vector<NewValue> values);
  Status Push(std::vector<NewValue> values);
  Status Delete(uint64_t index, uint64_t length);
  // Inserts one new nested type and returns it.
  Result<SharedType> InsertType(uint64_t index, SharedKind kind);
};

class Map : public SharedType {
 public:
  using SharedType::SharedType;
  uint64_t Size() const;
  std::optional<Value> Get(std::string_view key) const;
  bool Has(std::string_view key) const;
  // Live keys in first-insertion order.
  std::vector<std::string> Keys() const;
  Status Set(std::string_view key, NewValue value);
  Result<SharedType> SetType(std::string_view key, SharedKind kind);
  Status Delete(std::string_view key);
};

// Called with the update a transaction produced and its origin.
using UpdateObserver = std::function<void(std::span<const uint8_t> update, const void* origin)>;

struct TransactionInfo {
  const void* origin = nullptr;
  bool local = true;
  StateVector before_state;
  StateVector after_state;
  std::vector<SharedType> changed;  // types changed by the transaction
};
using TransactionObserver = std::function<void(const TransactionInfo&)>;

class Doc {
 public:
  explicit Doc(const DocOptions& options = {});
  ~Doc();
  Doc(const Doc&) = delete;
  Doc& operator=(const Doc&) = delete;

  uint64_t client_id() const;
  void set_client_id(uint64_t id);
  const std::string& guid() const;

  // Root types. The kind of a root is fixed by its first use; asking for another kind later is
  // FailedPrecondition. A root first seen in a remote update takes the kind first asked for.
  Result<Text> GetText(std::string_view name);
  Result<Array> GetArray(std::string_view name);
  Result<Map> GetMap(std::string_view name);
  Result<SharedType> GetRoot(std::string_view name, SharedKind kind);
  std::vector<std::string> RootNames() const;

  // Runs `fn` in one transaction; edits inside it join it. `origin` is passed to observers.
  // `fn` is only referenced (any lambda converts): no std::function is made per transaction.
  void Transact(FunctionRef<void()> fn, const void* origin = nullptr);

  // Applies a Yjs update atomically: on error nothing changes.
  Status ApplyUpdate(std::span<const uint8_t> update, UpdateFormat format = UpdateFormat::kV1,
                     const void* origin = nullptr);
  // The whole state, or what a peer with encoded state vector `state_vector` lacks
  // (Y.encodeStateAsUpdate). Corruption if the state vector does not decode.
  Result<std::vector<uint8_t>> EncodeStateAsUpdate(std::span<const uint8_t> state_vector = {},
                                                   UpdateFormat format = UpdateFormat::kV1);
  std::vector<uint8_t> EncodeStateVector() const;
  StateVector GetStateVector() const;
  // Whether structs or deletes wait for missing dependencies.
  bool HasPending() const;

  void set_update_limits(const UpdateLimits& limits) { limits_ = limits; }

  // Observers; the returned id unsubscribes.
  uint64_t OnUpdate(UpdateObserver observer, UpdateFormat format = UpdateFormat::kV1);
  uint64_t OnAfterTransaction(TransactionObserver observer);
  void Unobserve(uint64_t id);

  DocImpl* internal() { return impl_.get(); }

 private:
  std::unique_ptr<DocImpl> impl_;
  UpdateLimits limits_;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_DOC_H_
