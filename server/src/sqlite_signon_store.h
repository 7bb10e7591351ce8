// sqlite_signon_store.h: the SignonStore (signon_store.h) on the instance's SQLite file —
// tables signing_keys, final_manifests, endorsements and withdrawals of migration 10
// (database.cc, server/STORAGE.md) — appending log entries with AppendLogEntry
// (sqlite_transparency_log.h) in the same transaction as the rows they record.
//
// Thread-safe. Writes (keys, manifests, CommitBatch) run on one writer connection behind one
// mutex, as BEGIN IMMEDIATE transactions committed with synchronous=FULL before the method
// returns; every check that must be atomic with a write is made in its transaction there.
// Reads (GetKey, ListKeys, CurrentManifest, GetEndorsement, ListEndorsements, CountRows) run on
// a few read-only connections of their own and never wait for the writer's mutex or fsync; in
// WAL mode each sees the state last committed when it started, so what a write returned is
// visible to every read made after it.
#ifndef ACCORD_SERVER_SQLITE_SIGNON_STORE_H_
#define ACCORD_SERVER_SQLITE_SIGNON_STORE_H_

#include <functional>
#include <memory>
#include <string>

#include "accord/status.h"
#include "signon_store.h"

namespace accord::server {

// On `<data_dir>/accord.db` (opened and migrated by Database::Open). `now` gives the unix
// seconds recorded as log entries' created_at (default: the system clock).
Result<std::unique_ptr<SignonStore>> OpenSqliteSignonStore(const std::string& data_dir,
                                                           std::function<int64_t()> now = {});

}  // namespace accord::server

#endif  // ACCORD_SERVER_SQLITE_SIGNON_STORE_H_
