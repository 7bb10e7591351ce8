// SqliteDocumentStore: DocumentStore on the instance's SQLite file (tables in server/STORAGE.md).
//
// Two connections: the writer (AppendBatch, Compact) and the reader (Load, Info, List,
// CheckIntegrity), each behind its own mutex. In WAL mode a reader sees the last committed state
// and never waits for the writer, so loading a document does not queue behind a commit's fsync.
// Statements are prepared once per connection and reset after each use.
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <string>
#include <utility>

#include "database.h"
#include "document_store.h"
#include "sqlite_query.h"

namespace accord::server {
namespace {

using sqlite::ColumnBlob;
using sqlite::ColumnText;
using sqlite::SqliteStatus;

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A statement prepared once and reused; Use() hands it out reset and unbound again afterwards.
class CachedStatement {
 public:
  CachedStatement() = default;
  ~CachedStatement() { sqlite3_finalize(stmt_); }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  Status Prepare(sqlite3* db, const char* sql) {
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(db, rc, "cannot prepare statement");
    return Status::Ok();
  }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a cached statement when the scope that used it ends, so that it holds no read lock and
// no bound blob between uses.
class StatementUse {
 public:
  explicit StatementUse(const CachedStatement& s) : stmt_(s.get()) {}
  ~StatementUse() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  sqlite3_stmt* operator*() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
};

void BindText(sqlite3_stmt* st, int i, std::string_view text) {
  sqlite3_bind_text64(st, i, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

// Binds bytes without copying; the caller keeps them alive until the statement is reset. An empty
// span binds a zero-length blob (sqlite3_bind_blob with a null pointer would bind NULL).
void BindBlob(sqlite3_stmt* st, int i, std::span<const uint8_t> bytes) {
  if (bytes.empty()) {
    sqlite3_bind_zeroblob(st, i, 0);
  } else {
    sqlite3_bind_blob64(st, i, bytes.data(), bytes.size(), SQLITE_STATIC);
  }
}

// One connection with its statements and its mutex.
struct Connection {
  std::mutex mu;
  std::unique_ptr<Database> db;
  sqlite3* handle() { return db->handle(); }

  // Runs SQL without results (BEGIN, COMMIT, ROLLBACK).
  Status Exec(const char* sql) {
    int rc = sqlite3_exec(handle(), sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqliteStatus(handle(), rc, std::string("cannot run ") + sql);
    return Status::Ok();
  }
};

// Ends a read transaction on scope exit (a failed read leaves no snapshot open).
class ReadTransaction {
 public:
  explicit ReadTransaction(Connection& c) : c_(c) {}
  Status Begin() {
    Status s = c_.Exec("BEGIN;");
    open_ = s.ok();
    return s;
  }
  ~ReadTransaction() {
    if (open_) (void)c_.Exec("COMMIT;");
  }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Connection& c_;
  bool open_ = false;
};

// Rolls a write transaction back unless Commit() succeeded.
class WriteTransaction {
 public:
  explicit WriteTransaction(Connection& c) : c_(c) {}
  Status Begin() {
    Status s = c_.Exec("BEGIN IMMEDIATE;");
    open_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = c_.Exec("COMMIT;");
    if (s.ok()) open_ = false;
    return s;
  }
  ~WriteTransaction() {
    // A failed COMMIT may leave the transaction open (e.g. SQLITE_BUSY); ROLLBACK discards it.
    if (open_ && !sqlite3_get_autocommit(c_.handle())) (void)c_.Exec("ROLLBACK;");
  }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

 private:
  Connection& c_;
  bool open_ = false;
};

class SqliteDocumentStore final : public DocumentStore {
 public:
  Status Init(const std::string& data_dir);

  Result<StoredDocument> Load(std::string_view name) override;
  Status AppendBatch(std::span<const PendingUpdate> batch) override;
  Status Compact(std::string_view name, std::span<const uint8_t> snapshot,
                 int64_t up_to_seq) override;
  Result<std::vector<ClientAuthor>> Authors(std::string_view name) override;
  Result<DocumentInfo> Info(std::string_view name) override;
  Result<std::vector<DocumentInfo>> List() override;
  Status CheckIntegrity() override;

 private:
  Status CheckInvariants(std::string& report);
  Result<std::vector<ClientAuthor>> ReadAuthorsLocked(std::string_view name);  // reader_.mu

  Connection writer_;
  Connection reader_;
  // Writer statements.
  CachedStatement bump_seq_;       // creates the document row or advances last_seq
  CachedStatement insert_update_;  // one update row
  CachedStatement insert_author_;  // a client id's author, unless it has one
  CachedStatement compact_read_;   // snapshot_seq, last_seq of one document
  CachedStatement compact_create_;
  CachedStatement compact_snapshot_;
  CachedStatement compact_delete_;
  // Reader statements.
  CachedStatement load_doc_;
  CachedStatement load_updates_;
  CachedStatement load_authors_;
  CachedStatement info_;
  CachedStatement list_;
};

// Every document with its sizes; `?1` NULL lists all, otherwise only that name.
constexpr const char* kInfoSql =
    "SELECT d.name, COALESCE(length(d.snapshot), 0),"
    " (SELECT COUNT(*) FROM document_updates u WHERE u.name = d.name),"
    " (SELECT COALESCE(SUM(length(u.data)), 0) FROM document_updates u WHERE u.name = d.name)"
    " FROM documents d";

Status SqliteDocumentStore::Init(const std::string& data_dir) {
  // Each Database::Open migrates if needed; the second finds nothing left to do.
  auto w = Database::Open(data_dir);
  if (!w.ok()) return w.status();
  writer_.db = std::move(*w);
  auto r = Database::Open(data_dir);
  if (!r.ok()) return r.status();
  reader_.db = std::move(*r);

  sqlite3* wh = writer_.handle();
  ACCORD_RETURN_IF_ERROR(bump_seq_.Prepare(
      wh,
      "INSERT INTO documents (name, last_seq, created_at, updated_at) VALUES (?1, 1, ?2, ?2)"
      " ON CONFLICT (name) DO UPDATE SET last_seq = last_seq + 1, updated_at = ?2"
      " RETURNING last_seq"));
  ACCORD_RETURN_IF_ERROR(insert_update_.Prepare(
      wh, "INSERT INTO document_updates (name, seq, data) VALUES (?1, ?2, ?3)"));
  ACCORD_RETURN_IF_ERROR(
      insert_author_.Prepare(wh,
                             "INSERT INTO document_clients (name, client_id, user_id, first_seen)"
                             " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name, client_id) DO NOTHING"));
  ACCORD_RETURN_IF_ERROR(
      compact_read_.Prepare(wh, "SELECT snapshot_seq, last_seq FROM documents WHERE name = ?1"));
  ACCORD_RETURN_IF_ERROR(compact_create_.Prepare(
      wh,
      "INSERT INTO documents (name, snapshot, snapshot_seq, last_seq, created_at, updated_at)"
      " VALUES (?1, ?2, 0, 0, ?3, ?3)"));
  ACCORD_RETURN_IF_ERROR(compact_snapshot_.Prepare(
      wh,
      "UPDATE documents SET snapshot = ?2, snapshot_seq = ?3, updated_at = ?4 WHERE name = ?1"));
  ACCORD_RETURN_IF_ERROR(
      compact_delete_.Prepare(wh, "DELETE FROM document_updates WHERE name = ?1 AND seq <= ?2"));

  sqlite3* rh = reader_.handle();
  ACCORD_RETURN_IF_ERROR(load_doc_.Prepare(
      rh, "SELECT snapshot, snapshot_seq, last_seq FROM documents WHERE name = ?1"));
  ACCORD_RETURN_IF_ERROR(load_updates_.Prepare(
      rh, "SELECT data FROM document_updates WHERE name = ?1 AND seq > ?2 ORDER BY seq"));
  ACCORD_RETURN_IF_ERROR(load_authors_.Prepare(
      rh,
      "SELECT client_id, user_id, first_seen FROM document_clients WHERE name = ?1"
      " ORDER BY client_id"));
  ACCORD_RETURN_IF_ERROR(info_.Prepare(rh, (std::string(kInfoSql) + " WHERE d.name = ?1").c_str()));
  ACCORD_RETURN_IF_ERROR(list_.Prepare(rh, (std::string(kInfoSql) + " ORDER BY d.name").c_str()));
  return Status::Ok();
}

Result<StoredDocument> SqliteDocumentStore::Load(std::string_view name) {
  std::lock_guard lock(reader_.mu);
  sqlite3* h = reader_.handle();
  // One read transaction: a compaction committed between the two queries cannot make the
  // snapshot and the update list disagree.
  ReadTransaction txn(reader_);
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  StoredDocument out;
  int64_t snapshot_seq = 0;
  {
    StatementUse st(load_doc_);
    BindText(*st, 1, name);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_DONE) return out;
    if (rc != SQLITE_ROW) return SqliteStatus(h, rc, "cannot load document");
    out.exists = true;
    out.snapshot = ColumnBlob(*st, 0);
    snapshot_seq = sqlite3_column_int64(*st, 1);
    out.last_seq = sqlite3_column_int64(*st, 2);
  }
  out.stored_bytes = out.snapshot.size();
  StatementUse st(load_updates_);
  BindText(*st, 1, name);
  sqlite3_bind_int64(*st, 2, snapshot_seq);
  int rc;
  while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
    out.updates.push_back(ColumnBlob(*st, 0));
    out.stored_bytes += out.updates.back().size();
  }
  if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot load document updates");
  auto authors = ReadAuthorsLocked(name);
  if (!authors.ok()) return authors.status();
  out.authors = std::move(*authors);
  return out;
}

Result<std::vector<ClientAuthor>> SqliteDocumentStore::ReadAuthorsLocked(std::string_view name) {
  StatementUse st(load_authors_);
  BindText(*st, 1, name);
  std::vector<ClientAuthor> authors;
  int rc;
  while ((rc = sqlite3_step(*st)) == SQLITE_ROW) {
    authors.push_back(ClientAuthor{static_cast<uint64_t>(sqlite3_column_int64(*st, 0)),
                                   sqlite3_column_int64(*st, 1), sqlite3_column_int64(*st, 2)});
  }
  if (rc != SQLITE_DONE) return SqliteStatus(reader_.handle(), rc, "cannot load authors");
  return authors;
}

Result<std::vector<ClientAuthor>> SqliteDocumentStore::Authors(std::string_view name) {
  std::lock_guard lock(reader_.mu);
  return ReadAuthorsLocked(name);
}

Status SqliteDocumentStore::AppendBatch(std::span<const PendingUpdate> batch) {
  if (batch.empty()) return Status::Ok();
  std::lock_guard lock(writer_.mu);
  sqlite3* h = writer_.handle();
  WriteTransaction txn(writer_);
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  const int64_t now = NowSeconds();
  for (const PendingUpdate& u : batch) {
    int64_t seq = 0;
    {
      StatementUse st(bump_seq_);
      BindText(*st, 1, u.name);
      sqlite3_bind_int64(*st, 2, now);
      int rc = sqlite3_step(*st);
      if (rc != SQLITE_ROW) return SqliteStatus(h, rc, "cannot store update");
      seq = sqlite3_column_int64(*st, 0);
      // Step to the end so that the upsert's statement is complete before the next one.
      rc = sqlite3_step(*st);
      if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot store update");
    }
    StatementUse st(insert_update_);
    BindText(*st, 1, u.name);
    sqlite3_bind_int64(*st, 2, seq);
    BindBlob(*st, 3, u.update);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot store update");
    for (const ClientAuthor& a : u.new_authors) {
      StatementUse author(insert_author_);
      BindText(*author, 1, u.name);
      sqlite3_bind_int64(*author, 2, static_cast<int64_t>(a.client_id));
      sqlite3_bind_int64(*author, 3, a.user_id);
      sqlite3_bind_int64(*author, 4, now);
      rc = sqlite3_step(*author);
      if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot record the update's author");
    }
  }
  return txn.Commit();
}

Status SqliteDocumentStore::Compact(std::string_view name, std::span<const uint8_t> snapshot,
                                    int64_t up_to_seq) {
  std::lock_guard lock(writer_.mu);
  sqlite3* h = writer_.handle();
  WriteTransaction txn(writer_);
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  const int64_t now = NowSeconds();
  bool exists = false;
  int64_t snapshot_seq = 0, last_seq = 0;
  {
    StatementUse st(compact_read_);
    BindText(*st, 1, name);
    int rc = sqlite3_step(*st);
    if (rc == SQLITE_ROW) {
      exists = true;
      snapshot_seq = sqlite3_column_int64(*st, 0);
      last_seq = sqlite3_column_int64(*st, 1);
    } else if (rc != SQLITE_DONE) {
      return SqliteStatus(h, rc, "cannot compact document");
    }
  }
  if (up_to_seq < 0 || up_to_seq > last_seq) {
    return Status::InvalidArgument("compaction up to update " + std::to_string(up_to_seq) +
                                   " but the document's last update is " +
                                   std::to_string(last_seq));
  }
  if (up_to_seq < snapshot_seq) {
    // Built from an older state than the stored snapshot: storing it would lose updates.
    return Status::FailedPrecondition(
        "stale compaction: the stored snapshot already covers update " +
        std::to_string(snapshot_seq));
  }
  if (!exists) {
    // A snapshot for a document with nothing stored yet (an import): create it.
    StatementUse st(compact_create_);
    BindText(*st, 1, name);
    BindBlob(*st, 2, snapshot);
    sqlite3_bind_int64(*st, 3, now);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot store snapshot");
    return txn.Commit();
  }
  {
    StatementUse st(compact_snapshot_);
    BindText(*st, 1, name);
    BindBlob(*st, 2, snapshot);
    sqlite3_bind_int64(*st, 3, up_to_seq);
    sqlite3_bind_int64(*st, 4, now);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot store snapshot");
  }
  {
    StatementUse st(compact_delete_);
    BindText(*st, 1, name);
    sqlite3_bind_int64(*st, 2, up_to_seq);
    int rc = sqlite3_step(*st);
    if (rc != SQLITE_DONE) return SqliteStatus(h, rc, "cannot delete compacted updates");
  }
  return txn.Commit();
}

DocumentInfo ReadInfo(sqlite3_stmt* st) {
  DocumentInfo info;
  info.name = ColumnText(st, 0);
  info.snapshot_bytes = static_cast<size_t>(sqlite3_column_int64(st, 1));
  info.update_count = static_cast<size_t>(sqlite3_column_int64(st, 2));
  info.update_bytes = static_cast<size_t>(sqlite3_column_int64(st, 3));
  return info;
}

Result<DocumentInfo> SqliteDocumentStore::Info(std::string_view name) {
  std::lock_guard lock(reader_.mu);
  StatementUse st(info_);
  BindText(*st, 1, name);
  int rc = sqlite3_step(*st);
  if (rc == SQLITE_DONE) return Status::NotFound("no stored document '" + std::string(name) + "'");
  if (rc != SQLITE_ROW) return SqliteStatus(reader_.handle(), rc, "cannot read document info");
  return ReadInfo(*st);
}

Result<std::vector<DocumentInfo>> SqliteDocumentStore::List() {
  std::lock_guard lock(reader_.mu);
  StatementUse st(list_);
  std::vector<DocumentInfo> out;
  int rc;
  while ((rc = sqlite3_step(*st)) == SQLITE_ROW) out.push_back(ReadInfo(*st));
  if (rc != SQLITE_DONE) return SqliteStatus(reader_.handle(), rc, "cannot list documents");
  return out;
}

// Appends one line per row of `sql` (its columns joined by spaces) to `report`.
Status CollectRows(sqlite3* db, const char* sql, std::string_view prefix, std::string& report) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db, rc, "cannot run check");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> st(raw, sqlite3_finalize);
  while ((rc = sqlite3_step(raw)) == SQLITE_ROW) {
    report += prefix;
    for (int i = 0; i < sqlite3_column_count(raw); ++i) {
      if (i) report += ' ';
      report += ColumnText(raw, i);
    }
    report += '\n';
  }
  if (rc != SQLITE_DONE) return SqliteStatus(db, rc, "check failed");
  return Status::Ok();
}

// The invariants of STORAGE.md that SQLite cannot enforce itself.
Status SqliteDocumentStore::CheckInvariants(std::string& report) {
  sqlite3* h = reader_.handle();
  ACCORD_RETURN_IF_ERROR(CollectRows(
      h,
      "SELECT printf('document %Q: update %d is outside (snapshot_seq %d, last_seq %d]',"
      " u.name, u.seq, d.snapshot_seq, d.last_seq)"
      " FROM document_updates u JOIN documents d ON d.name = u.name"
      " WHERE u.seq <= d.snapshot_seq OR u.seq > d.last_seq",
      "", report));
  ACCORD_RETURN_IF_ERROR(CollectRows(
      h,
      "SELECT printf('document %Q: snapshot_seq %d but no snapshot', name, snapshot_seq)"
      " FROM documents WHERE snapshot IS NULL AND snapshot_seq > 0",
      "", report));
  ACCORD_RETURN_IF_ERROR(
      CollectRows(h, "PRAGMA foreign_key_check;", "foreign key violation: ", report));
  return Status::Ok();
}

Status SqliteDocumentStore::CheckIntegrity() {
  std::lock_guard lock(reader_.mu);
  sqlite3* h = reader_.handle();
  std::string report;
  ACCORD_RETURN_IF_ERROR(CollectRows(h, "PRAGMA integrity_check;", "", report));
  if (report == "ok\n") {
    report.clear();
    // Only a structurally sound file is worth checking row by row.
    ACCORD_RETURN_IF_ERROR(CheckInvariants(report));
  }
  if (report.empty()) return Status::Ok();
  if (report.back() == '\n') report.pop_back();
  return Status::Corruption(report);
}

}  // namespace

Result<std::unique_ptr<DocumentStore>> OpenSqliteDocumentStore(const std::string& data_dir) {
  auto store = std::make_unique<SqliteDocumentStore>();
  ACCORD_RETURN_IF_ERROR(store->Init(data_dir));
  return std::unique_ptr<DocumentStore>(std::move(store));
}

}  // namespace accord::server
