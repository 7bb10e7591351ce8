// Shared SQLite plumbing: see sqlite_query.h.
#include "sqlite_query.h"

#include <string>
#include <utility>

namespace accord::server::sqlite {

std::string ColumnText(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  int n = sqlite3_column_bytes(st, i);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string();
}

int64_t ColumnInt(sqlite3_stmt* st, int i) { return sqlite3_column_int64(st, i); }
bool ColumnBool(sqlite3_stmt* st, int i) { return sqlite3_column_int64(st, i) != 0; }

std::optional<int64_t> ColumnOptInt(sqlite3_stmt* st, int i) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(st, i);
}

std::vector<uint8_t> ColumnBlob(sqlite3_stmt* st, int i) {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(st, i));
  int n = sqlite3_column_bytes(st, i);
  return p ? std::vector<uint8_t>(p, p + n) : std::vector<uint8_t>();
}

Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db);
  int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(msg);
  return Status::IOError(msg);
}

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
}

Result<sqlite3_stmt*> StatementCache::Get(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "cannot prepare statement");
  statements_.emplace(sql, stmt);
  return stmt;
}

Query::Query(StatementCache& cache, const char* sql) : db_(cache.db()) {
  auto stmt = cache.Get(sql);
  if (stmt.ok()) {
    stmt_ = *stmt;
  } else {
    prepared_ = stmt.status();
  }
}

Query::~Query() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::Text(int i, std::string_view value) {
  if (stmt_)
    sqlite3_bind_text64(stmt_, i, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Query& Query::Int(int i, int64_t value) {
  if (stmt_) sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

Query& Query::Blob(int i, std::span<const uint8_t> value) {
  // An empty blob is bound as a zero-length blob, not NULL.
  static const uint8_t kEmpty = 0;
  if (prepared_.ok()) {
    sqlite3_bind_blob64(stmt_, i, value.empty() ? &kEmpty : value.data(), value.size(),
                        SQLITE_TRANSIENT);
  }
  return *this;
}

Query& Query::OptInt(int i, std::optional<int64_t> value) {
  return value ? Int(i, *value) : Null(i);
}

Query& Query::Null(int i) {
  if (stmt_) sqlite3_bind_null(stmt_, i);
  return *this;
}

Query& Query::OnClash(std::string_view column, std::string message) {
  clashes_.emplace_back(column, std::move(message));
  return *this;
}

Result<int> Query::Run(std::string_view what) {
  if (!prepared_.ok()) return prepared_;
  int rc;
  while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return Fail(rc, what);
  return sqlite3_changes(db_);
}

Status Query::Fail(int rc, std::string_view what) const {
  if ((rc & 0xff) != SQLITE_CONSTRAINT) return SqliteStatus(db_, rc, what);
  std::string sqlite_msg = sqlite3_errmsg(db_);
  switch (sqlite3_extended_errcode(db_)) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      for (const auto& [column, message] : clashes_) {
        if (sqlite_msg.find(column) != std::string::npos) return Status::AlreadyExists(message);
      }
      return Status::AlreadyExists(std::string(what) + ": " + sqlite_msg);
    default:
      // CHECK, NOT NULL, FOREIGN KEY, a trigger's RAISE: the schema refuses the values.
      return Status::InvalidArgument(std::string(what) + ": " + sqlite_msg);
  }
}

Transaction::~Transaction() {
  // A failed COMMIT may leave the transaction open (e.g. SQLITE_BUSY); ROLLBACK discards it.
  if (open_ && !sqlite3_get_autocommit(db_)) (void)Exec("ROLLBACK;");
}

Status Transaction::Begin() {
  Status s = Exec("BEGIN IMMEDIATE;");
  open_ = s.ok();
  return s;
}

Status Transaction::Commit() {
  Status s = Exec("COMMIT;");
  if (s.ok()) open_ = false;
  return s;
}

Status Transaction::Exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, std::string("cannot run ") + sql);
  return Status::Ok();
}

Result<std::string> ReadText(sqlite3_stmt* st) { return ColumnText(st, 0); }
Result<int64_t> ReadInt(sqlite3_stmt* st) { return ColumnInt(st, 0); }

}  // namespace accord::server::sqlite
