// sqlite_query.h: the SQLite plumbing the stores share — statements prepared once and kept,
// one query's binding and stepping with SQLite errors turned into Status codes, and write
// transactions. Internal to server/src.
//
// Not thread-safe: each store guards its connection and StatementCache with its own mutex.
#ifndef ACCORD_SERVER_SQLITE_QUERY_H_
#define ACCORD_SERVER_SQLITE_QUERY_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "accord/status.h"

namespace accord::server::sqlite {

// IOError (Corruption for a damaged file) naming `what` and SQLite's message.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

// Statements prepared once per SQL text and kept until the cache is destroyed. The SQL must be
// a string literal (it is the key and is not copied). Not thread-safe: the store's mutex
// guards it.
class StatementCache {
 public:
  explicit StatementCache(sqlite3* db) : db_(db) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  Result<sqlite3_stmt*> Get(const char* sql);
  sqlite3* db() const { return db_; }

 private:
  sqlite3* db_;
  std::unordered_map<std::string_view, sqlite3_stmt*> statements_;
};

// One use of a cached statement: bind, then Run/One/All once. The statement is reset and its
// bindings cleared when the Query goes out of scope, so it holds no lock between uses.
class Query {
 public:
  Query(StatementCache& cache, const char* sql);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& Text(int i, std::string_view value);
  Query& Int(int i, int64_t value);
  Query& Blob(int i, std::span<const uint8_t> value);
  Query& Bool(int i, bool value) { return Int(i, value ? 1 : 0); }
  Query& OptInt(int i, std::optional<int64_t> value);
  Query& Null(int i);
  Query& IdOrNull(int i, int64_t id) { return id == 0 ? Null(i) : Int(i, id); }
  // Binds ?1, ?2, ... in order: strings as text, bools as 0/1, integers, optional integers
  // (nullopt as NULL), byte vectors as blobs.
  template <typename... Args>
  Query& Bind(const Args&... args) {
    int i = 0;
    (BindOne(++i, args), ...);
    return *this;
  }
  // A UNIQUE or PRIMARY KEY failure whose SQLite message mentions `column` ("table.column")
  // becomes AlreadyExists(`message`). Other unique failures become AlreadyExists with SQLite's
  // message; CHECK, NOT NULL, FOREIGN KEY and trigger failures become InvalidArgument.
  Query& OnClash(std::string_view column, std::string message);

  // Runs a statement that returns no rows; how many rows it changed.
  Result<int> Run(std::string_view what);

  // The one row the statement returns, read by `read`; `not_found` when there is none.
  template <typename T>
  Result<T> One(Result<T> (*read)(sqlite3_stmt*), std::string_view what, Status not_found) {
    if (!prepared_.ok()) return prepared_;
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_DONE) return not_found;
    if (rc != SQLITE_ROW) return Fail(rc, what);
    Result<T> row = read(stmt_);
    // Step to the end so that an INSERT ... RETURNING has finished before the next statement.
    rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Fail(rc, what);
    return row;
  }

  // Every row the statement returns, in its order.
  template <typename T>
  Result<std::vector<T>> All(Result<T> (*read)(sqlite3_stmt*), std::string_view what) {
    if (!prepared_.ok()) return prepared_;
    std::vector<T> rows;
    int rc;
    while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
      Result<T> row = read(stmt_);
      if (!row.ok()) return row.status();
      rows.push_back(std::move(*row));
    }
    if (rc != SQLITE_DONE) return Fail(rc, what);
    return rows;
  }

 private:
  template <typename T>
  void BindOne(int i, const T& value) {
    if constexpr (std::is_same_v<T, bool>) {
      Bool(i, value);
    } else if constexpr (std::is_integral_v<T>) {
      Int(i, value);
    } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
      OptInt(i, value);
    } else if constexpr (std::is_same_v<T, std::vector<uint8_t>>) {
      Blob(i, value);
    } else {
      static_assert(std::is_convertible_v<const T&, std::string_view>, "bind text");
      Text(i, value);
    }
  }
  Status Fail(int rc, std::string_view what) const;

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  Status prepared_;
  std::vector<std::pair<std::string_view, std::string>> clashes_;
};

// Rolls a BEGIN IMMEDIATE transaction back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  Status Exec(const char* sql);

  sqlite3* db_;
  bool open_ = false;
};

// Column readers.
std::string ColumnText(sqlite3_stmt* st, int i);
std::vector<uint8_t> ColumnBlob(sqlite3_stmt* st, int i);
int64_t ColumnInt(sqlite3_stmt* st, int i);
bool ColumnBool(sqlite3_stmt* st, int i);
std::optional<int64_t> ColumnOptInt(sqlite3_stmt* st, int i);

// Row readers for one-column queries.
Result<std::string> ReadText(sqlite3_stmt* st);  // column 0
Result<int64_t> ReadInt(sqlite3_stmt* st);       // column 0

}  // namespace accord::server::sqlite

#endif  // ACCORD_SERVER_SQLITE_QUERY_H_
