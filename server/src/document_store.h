// document_store.h: where documents are stored, behind one interface.
//
// A document is stored as an optional snapshot (a Yjs v1 update holding its whole state at
// some point) followed by the updates accepted since, in order. Loading applies the snapshot,
// then the updates. Appends from the CommitQueue go in batches, one transaction per batch, so
// many small edits cost one fsync. Compaction replaces the snapshot and the updates it covers
// with a new snapshot in the same transaction, so a crash leaves either the old rows or the
// new one, never neither. SqliteDocumentStore is the embedded default; a PostgreSQL store can
// implement the same interface later.
//
// Thread-safe: every method may be called from any thread (implementations serialise
// internally). Names are opaque strings validated by the caller (document_name.h).
#ifndef ACCORD_SERVER_DOCUMENT_STORE_H_
#define ACCORD_SERVER_DOCUMENT_STORE_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accord/status.h"

namespace accord::server {

// Who wrote under a Yjs client id: the first user whose update brought structs of that client.
struct ClientAuthor {
  uint64_t client_id = 0;
  int64_t user_id = 0;
  int64_t first_seen = 0;  // Unix seconds

  bool operator==(const ClientAuthor&) const = default;
};

struct StoredDocument {
  bool exists = false;                        // false: nothing stored yet (a new document)
  std::vector<uint8_t> snapshot;              // v1 update; empty when never compacted
  std::vector<std::vector<uint8_t>> updates;  // v1 updates after the snapshot, in order
  int64_t last_seq = 0;                       // sequence number of the last update (0: none)
  size_t stored_bytes = 0;                    // snapshot + updates, for size accounting
  std::vector<ClientAuthor> authors;          // by client id
};

// One update to append: the document's name and a v1 update, and the authors of the client
// ids whose first structs it brings (recorded in the same transaction unless the client id
// has an author already; their first_seen is the time of writing).
struct PendingUpdate {
  PendingUpdate() = default;
  PendingUpdate(std::string name, std::vector<uint8_t> update,
                std::vector<ClientAuthor> new_authors = {})
      : name(std::move(name)), update(std::move(update)), new_authors(std::move(new_authors)) {}

  std::string name;
  std::vector<uint8_t> update;
  std::vector<ClientAuthor> new_authors;
};

struct DocumentInfo {
  std::string name;
  size_t snapshot_bytes = 0;
  size_t update_count = 0;  // updates since the snapshot
  size_t update_bytes = 0;
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;

  // Everything stored for `name` (exists=false when nothing is).
  virtual Result<StoredDocument> Load(std::string_view name) = 0;
  // Appends every update of `batch` in one transaction; OK means all are durable, an error
  // means none is stored.
  virtual Status AppendBatch(std::span<const PendingUpdate> batch) = 0;
  // Replaces the snapshot and the updates with seq <= `up_to_seq` by `snapshot`, in one
  // transaction. Updates appended later (seq > up_to_seq) stay.
  virtual Status Compact(std::string_view name, std::span<const uint8_t> snapshot,
                         int64_t up_to_seq) = 0;
  // The recorded authors of `name`'s client ids, by client id (empty if none).
  virtual Result<std::vector<ClientAuthor>> Authors(std::string_view name) = 0;
  // What is stored for `name` (NotFound if nothing).
  virtual Result<DocumentInfo> Info(std::string_view name) = 0;
  // Every stored document, by name.
  virtual Result<std::vector<DocumentInfo>> List() = 0;
  // The storage engine's own consistency check (SQLite: PRAGMA integrity_check); OK or
  // Corruption with the engine's report.
  virtual Status CheckIntegrity() = 0;
};

// The embedded default: `<data_dir>/accord.db` (database.h), tables documented in
// server/STORAGE.md.
Result<std::unique_ptr<DocumentStore>> OpenSqliteDocumentStore(const std::string& data_dir);

}  // namespace accord::server

#endif  // ACCORD_SERVER_DOCUMENT_STORE_H_
