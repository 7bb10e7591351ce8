// encoding.h: a document's structs to and from updates (Yjs utils/encoding.js): writing the
// structs a state vector lacks, decoding an update completely and validating it before anything
// is integrated, integrating decoded structs with the pending-structs logic, and applying delete
// sets with the pending-deletes logic. Single-threaded; decoding throws DecodeError.
#ifndef ACCORD_CRDT_SRC_ENCODING_H_
#define ACCORD_CRDT_SRC_ENCODING_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "abstract_type.h"
#include "accord/crdt/delete_set.h"
#include "accord/crdt/state_vector.h"
#include "struct_store.h"
#include "update_coder.h"

namespace accord::crdt {

class DocImpl;
class Transaction;

// Writes, per client in descending id order, the structs from `sv`'s clock on (Yjs
// writeClientsStructs).
void WriteClientsStructs(UpdateEncoder& encoder, StructStore& store, const StateVector& sv);

// A fully decoded, validated, not yet integrated update. Owns its structs until they are
// integrated; the rest are released when it is destroyed.
class DecodedUpdate : public TypeFactory {
 public:
  explicit DecodedUpdate(DocImpl* doc);
  ~DecodedUpdate() override;

  AbstractType* NewType(TypeRef ref, std::string name) override;
  // Frees the structs that were not integrated and forgets all of them.
  void ReleaseUnintegrated();

  struct Refs {
    size_t i = 0;
    std::vector<Item*> refs;
  };
  std::map<uint64_t, Refs> clients;
  DeleteSet ds;
  // Storage the decoded structs point into.
  std::deque<Id> parent_ids;
  std::deque<std::string> names;
  std::vector<std::unique_ptr<AbstractType>> types;

 private:
  DocImpl* doc_;
};

// Decodes a whole update (structs and delete set). Throws DecodeError on malformed input,
// including clocks or lengths beyond 2^53, zero-length structs, references from a struct to a
// later clock of its own client, and more structs than the input size allows.
std::unique_ptr<DecodedUpdate> DecodeUpdate(std::span<const uint8_t> data, bool v2, DocImpl* doc);

// The number of bytes the update would leave pending (structs whose dependencies are missing),
// computed without changing anything.
size_t PredictPendingBytes(const DecodedUpdate& update, const StructStore& store);

// Integrates `update` into the document inside `txn` (Yjs readUpdateV2 after decoding).
void ApplyDecodedUpdate(Transaction& txn, DecodedUpdate& update);

// Yjs encodeStateAsUpdate(V2): the structs `sv` lacks, the whole delete set, and any pending
// structs and deletes merged in.
std::vector<uint8_t> EncodeStateAsUpdateImpl(DocImpl* doc, const StateVector& sv, bool v2);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_ENCODING_H_
