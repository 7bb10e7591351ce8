// database.h: the SQLite file that holds an instance's data, opened and migrated.
//
// Open() creates `<data_dir>/accord.db` if needed, sets WAL mode with synchronous=FULL (what
// was acknowledged survives a power cut), a busy timeout, foreign keys, and applies every
// pending schema migration in order inside one transaction, recording each in
// `schema_migrations`. A Database is used by one thread at a time; open another handle for
// another thread (WAL lets readers and one writer share the file).
#ifndef ACCORD_SERVER_DATABASE_H_
#define ACCORD_SERVER_DATABASE_H_

#include <memory>
#include <string>
#include <string_view>

#include "accord/status.h"

struct sqlite3;

namespace accord::server {

class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& data_dir);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // The highest migration applied.
  int schema_version() const { return schema_version_; }
  // Runs statements that return no rows.
  Status Exec(std::string_view sql);
  // The first column of the first row of `sql` as text ("" if no row).
  Result<std::string> QueryText(std::string_view sql);
  sqlite3* handle() { return db_; }

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  Status Migrate();

  sqlite3* db_;
  int schema_version_ = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_DATABASE_H_
