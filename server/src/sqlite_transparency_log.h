// sqlite_transparency_log.h: the TransparencyLog (transparency_log.h) on the instance's SQLite
// file — table log_entries of migration 9 (database.cc, server/STORAGE.md), which triggers keep
// append-only and gap-free.
//
// The log keeps every leaf hash in memory (32 bytes an entry), read once from the table and
// checked against the stored bodies (a row whose hash does not match its body is kCorruption),
// then topped up with the rows committed since, so entries appended through other connections
// (AppendLogEntry in another store's transaction) are seen at the next call. Roots and proofs
// are computed from those hashes through merkle.h's SubtreeHashFn: O(n) hashing per proof and
// per checkpoint, fine for the thousands of entries a statement brings. The planned
// optimisation is a table of stored aligned subtree hashes, written with each append, that the
// same SubtreeHashFn reads in O(log n) lookups; nothing else changes.
//
// Thread-safe: one connection and the cache behind one mutex. Appends are committed with
// synchronous=FULL before Append returns.
#ifndef ACCORD_SERVER_SQLITE_TRANSPARENCY_LOG_H_
#define ACCORD_SERVER_SQLITE_TRANSPARENCY_LOG_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "accord/signon/signed_note.h"
#include "accord/status.h"
#include "sqlite_query.h"
#include "transparency_log.h"

namespace accord::server {

// Opens the log in `data_dir`/accord.db (migrating it). `signer` signs checkpoints; its name is
// the log's origin. `now` gives unix seconds for entries' created_at and checkpoints'
// timestamps (default: the system clock).
Result<std::unique_ptr<TransparencyLog>> OpenSqliteTransparencyLog(
    const std::string& data_dir, const signon::NoteSigner& signer,
    std::function<int64_t()> now = {});

// Appends an entry inside the write transaction (BEGIN IMMEDIATE) the caller has open on its
// own connection to the instance's database, so that the entry and the caller's rows commit or
// roll back together; durable once the caller commits. Returns the entry's index.
// FailedPrecondition if no transaction is open; InvalidArgument if CheckLogEntry refuses it.
Result<uint64_t> AppendLogEntry(sqlite::StatementCache& statements, std::string_view kind,
                                std::string_view body, int64_t now);

}  // namespace accord::server

#endif  // ACCORD_SERVER_SQLITE_TRANSPARENCY_LOG_H_
