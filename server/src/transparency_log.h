// transparency_log.h: the instance's public, append-only transparency log (issue 8) — an RFC
// 9162 Merkle tree over canonical JSON entries (final versions, endorsements, withdrawals, key
// approvals and revocations), with signed checkpoints and inclusion and consistency proofs
// that anyone can check offline (server/signon/LOG.md has the formats).
//
// An entry is the RFC 8785 canonical JSON of an object whose "kind" member is the entry's kind
// ({"kind":"endorsement",...}); its leaf hash is SHA-256(0x00 || those bytes), so the kind is
// committed to by the tree and the stored `kind` column is only an index. Entries are numbered
// from 0 and never changed or removed. Append returns once the entry is durable.
//
// SqliteTransparencyLog (sqlite_transparency_log.h, migration 9 of database.cc,
// server/STORAGE.md) is the embedded implementation.
//
// Thread-safe: every method may be called from any thread.
#ifndef ACCORD_SERVER_TRANSPARENCY_LOG_H_
#define ACCORD_SERVER_TRANSPARENCY_LOG_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "accord/signon/merkle.h"
#include "accord/signon/signed_note.h"
#include "accord/status.h"

namespace accord::server {

struct LogEntry {
  uint64_t index = 0;
  std::string kind;
  std::string body;  // canonical JSON, byte for byte what the leaf hash covers
  signon::Hash leaf_hash{};
  int64_t created_at = 0;  // unix seconds; informative, not part of the leaf
};

// Whether `kind` may name entries: 1 to 64 characters of a-z, 0-9 and '-', starting a-z.
bool IsValidLogKind(std::string_view kind);
// OK if `body` may be appended as an entry of `kind`: canonical JSON (CanonicalizeJson gives
// the same bytes) of an object whose "kind" member is the string `kind`. InvalidArgument,
// saying what is wrong, otherwise.
Status CheckLogEntry(std::string_view kind, std::string_view body);

class TransparencyLog {
 public:
  virtual ~TransparencyLog() = default;

  // Appends an entry; its index once durable. InvalidArgument if CheckLogEntry refuses it.
  virtual Result<uint64_t> Append(std::string_view kind, std::string_view body) = 0;
  // The number of entries (the current tree size).
  virtual Result<uint64_t> Size() = 0;
  // NotFound if index >= Size().
  virtual Result<LogEntry> Entry(uint64_t index) = 0;
  // Entries [start, end) in order, end clamped to Size(); InvalidArgument if start > end.
  virtual Result<std::vector<LogEntry>> Entries(uint64_t start, uint64_t end) = 0;
  virtual Result<signon::Hash> LeafHash(uint64_t index) = 0;
  // MTH of the first `size` entries; InvalidArgument if size > Size().
  virtual Result<signon::Hash> Root(uint64_t size) = 0;
  // PATH(index, D[size]); InvalidArgument unless index < size <= Size().
  virtual Result<std::vector<signon::Hash>> InclusionProof(uint64_t index, uint64_t size) = 0;
  // PROOF(from, D[to]); InvalidArgument unless from <= to <= Size().
  virtual Result<std::vector<signon::Hash>> ConsistencyProof(uint64_t from, uint64_t to) = 0;
  // The signed note of a checkpoint (signon/checkpoint.h) of the current tree: origin, size,
  // root and the extension line "Timestamp: <unix seconds>", signed by the instance's key.
  virtual Result<std::string> Checkpoint() = 0;
  // The key checkpoints verify with (its name is the log's origin).
  virtual const signon::NoteVerifier& verifier() const = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_TRANSPARENCY_LOG_H_
