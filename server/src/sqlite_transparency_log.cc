// TransparencyLog on the instance's SQLite file (migration 9 of database.cc).
#include "sqlite_transparency_log.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <span>
#include <vector>

#include "accord/signon/canonical_json.h"
#include "accord/signon/checkpoint.h"
#include "database.h"

namespace accord::server {
namespace {

using sqlite::ColumnBlob;
using sqlite::ColumnInt;
using sqlite::ColumnText;
using sqlite::Query;
using sqlite::Transaction;

constexpr char kNextIndex[] = "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries";
constexpr char kInsertEntry[] =
    "INSERT INTO log_entries (idx, kind, body, leaf_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kEntriesFrom[] =
    "SELECT idx, kind, body, leaf_hash, created_at FROM log_entries WHERE idx >= ?1 ORDER BY idx";
constexpr char kEntryRange[] =
    "SELECT idx, kind, body, leaf_hash, created_at FROM log_entries"
    " WHERE idx >= ?1 AND idx < ?2 ORDER BY idx";

Result<LogEntry> ReadEntry(sqlite3_stmt* st) {
  LogEntry e;
  e.index = static_cast<uint64_t>(ColumnInt(st, 0));
  e.kind = ColumnText(st, 1);
  e.body = ColumnText(st, 2);
  std::vector<uint8_t> hash = ColumnBlob(st, 3);
  if (hash.size() != e.leaf_hash.size()) {
    return Status::Corruption("log entry " + std::to_string(e.index) + " has a leaf hash of " +
                              std::to_string(hash.size()) + " bytes");
  }
  std::copy(hash.begin(), hash.end(), e.leaf_hash.begin());
  e.created_at = ColumnInt(st, 4);
  return e;
}

Result<int64_t> ReadCount(sqlite3_stmt* st) { return ColumnInt(st, 0); }

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class SqliteTransparencyLog final : public TransparencyLog {
 public:
  SqliteTransparencyLog(std::unique_ptr<Database> db, signon::NoteSigner signer,
                        std::function<int64_t()> now)
      : db_(std::move(db)),
        statements_(db_->handle()),
        signer_(std::move(signer)),
        verifier_(signer_.Verifier()),
        now_(std::move(now)) {}

  Result<uint64_t> Append(std::string_view kind, std::string_view body) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto index = AppendLogEntry(statements_, kind, body, now_());
    if (!index.ok()) return index.status();
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return index;
  }

  Result<uint64_t> Size() override {
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    return leaves_.size();
  }

  Result<LogEntry> Entry(uint64_t index) override {
    auto entries = Entries(index, index + 1);
    if (!entries.ok()) return entries.status();
    if (entries->empty()) return Status::NotFound("no log entry " + std::to_string(index));
    return std::move(entries->front());
  }

  Result<std::vector<LogEntry>> Entries(uint64_t start, uint64_t end) override {
    if (start > end) return Status::InvalidArgument("the range's start is after its end");
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    end = std::min<uint64_t>(end, leaves_.size());
    if (start >= end) return std::vector<LogEntry>();
    auto rows = Query(statements_, kEntryRange)
                    .Int(1, static_cast<int64_t>(start))
                    .Int(2, static_cast<int64_t>(end))
                    .All(&ReadEntry, "cannot read log entries");
    if (!rows.ok()) return rows.status();
    // The cache checked these rows against their bodies; a row changed since (behind the
    // triggers' back) must not be served as if it were the one in the tree.
    for (const LogEntry& e : *rows) {
      if (e.index >= leaves_.size() || e.leaf_hash != leaves_[e.index] ||
          signon::HashLeaf(e.body) != e.leaf_hash) {
        return Status::Corruption("log entry " + std::to_string(e.index) + " has changed");
      }
    }
    return rows;
  }

  Result<signon::Hash> LeafHash(uint64_t index) override {
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    if (index >= leaves_.size()) return Status::NotFound("no log entry " + std::to_string(index));
    return leaves_[index];
  }

  Result<signon::Hash> Root(uint64_t size) override {
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    ACCORD_RETURN_IF_ERROR(CheckSize(size, "size"));
    return Subtree(0, size);
  }

  Result<std::vector<signon::Hash>> InclusionProof(uint64_t index, uint64_t size) override {
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    ACCORD_RETURN_IF_ERROR(CheckSize(size, "size"));
    if (index >= size) {
      return Status::InvalidArgument("index " + std::to_string(index) +
                                     " is not in a tree of size " + std::to_string(size));
    }
    return signon::InclusionProof(index, size, SubtreeFn());
  }

  Result<std::vector<signon::Hash>> ConsistencyProof(uint64_t from, uint64_t to) override {
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    ACCORD_RETURN_IF_ERROR(CheckSize(to, "to"));
    if (from > to) {
      return Status::InvalidArgument("from (" + std::to_string(from) + ") is larger than to (" +
                                     std::to_string(to) + ")");
    }
    return signon::ConsistencyProof(from, to, SubtreeFn());
  }

  Result<std::string> Checkpoint() override {
    std::lock_guard lock(mu_);
    ACCORD_RETURN_IF_ERROR(Refresh());
    signon::Checkpoint checkpoint;
    checkpoint.origin = signer_.name();
    checkpoint.tree_size = leaves_.size();
    checkpoint.root_hash = Subtree(0, leaves_.size());
    checkpoint.extensions.push_back("Timestamp: " + std::to_string(now_()));
    return signon::SignCheckpoint(checkpoint, signer_);
  }

  const signon::NoteVerifier& verifier() const override { return verifier_; }

 private:
  // Reads the rows committed since the last call (by any connection) into leaves_, checking
  // each against its body and that indices follow on without a gap.
  Status Refresh() {
    auto rows = Query(statements_, kEntriesFrom)
                    .Int(1, static_cast<int64_t>(leaves_.size()))
                    .All(&ReadEntry, "cannot read the log");
    if (!rows.ok()) return rows.status();
    for (const LogEntry& e : *rows) {
      if (e.index != leaves_.size()) {
        return Status::Corruption("the log skips from entry " + std::to_string(leaves_.size()) +
                                  " to " + std::to_string(e.index));
      }
      if (signon::HashLeaf(e.body) != e.leaf_hash) {
        return Status::Corruption("log entry " + std::to_string(e.index) +
                                  " does not match its leaf hash");
      }
      leaves_.push_back(e.leaf_hash);
    }
    return Status::Ok();
  }

  Status CheckSize(uint64_t size, std::string_view what) const {
    if (size > leaves_.size()) {
      return Status::InvalidArgument(std::string(what) + " " + std::to_string(size) +
                                     " is larger than the log (" + std::to_string(leaves_.size()) +
                                     " entries)");
    }
    return Status::Ok();
  }

  // MTH of leaves [begin, end) from the cached leaf hashes: where stored subtree hashes will be
  // looked up instead.
  signon::Hash Subtree(uint64_t begin, uint64_t end) const {
    return signon::RootFromLeafHashes(std::span<const signon::Hash>(leaves_).subspan(
        static_cast<size_t>(begin), static_cast<size_t>(end - begin)));
  }
  signon::SubtreeHashFn SubtreeFn() const {
    return [this](uint64_t begin, uint64_t end) { return Subtree(begin, end); };
  }

  std::mutex mu_;
  std::unique_ptr<Database> db_;
  sqlite::StatementCache statements_;  // destroyed before db_ closes
  const signon::NoteSigner signer_;
  const signon::NoteVerifier verifier_;
  std::function<int64_t()> now_;
  std::vector<signon::Hash> leaves_;  // every committed entry's leaf hash, in order
};

}  // namespace

bool IsValidLogKind(std::string_view kind) {
  if (kind.empty() || kind.size() > 64 || kind.front() < 'a' || kind.front() > 'z') return false;
  for (char c : kind) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Status CheckLogEntry(std::string_view kind, std::string_view body) {
  if (!IsValidLogKind(kind)) {
    return Status::InvalidArgument("a log entry's kind is 1 to 64 of a-z, 0-9 and '-'");
  }
  auto canonical = signon::CanonicalizeJson(body);
  if (!canonical.ok()) {
    return Status::InvalidArgument("a log entry must be JSON: " + canonical.status().message());
  }
  if (*canonical != body) {
    return Status::InvalidArgument("a log entry must be canonical JSON (RFC 8785)");
  }
  // Canonical, so the parser below accepts it and "kind" appears at most once.
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return Status::InvalidArgument("a log entry must be an object");
  const boost::json::value* named = value.as_object().if_contains("kind");
  if (named == nullptr || !named->is_string() || named->as_string() != kind) {
    return Status::InvalidArgument("a log entry's \"kind\" member must be \"" + std::string(kind) +
                                   "\"");
  }
  return Status::Ok();
}

Result<uint64_t> AppendLogEntry(sqlite::StatementCache& statements, std::string_view kind,
                                std::string_view body, int64_t now) {
  if (sqlite3_get_autocommit(statements.db()) != 0) {
    return Status::FailedPrecondition("a log entry is appended inside a write transaction");
  }
  ACCORD_RETURN_IF_ERROR(CheckLogEntry(kind, body));
  // The write lock of BEGIN IMMEDIATE keeps the next index ours until commit.
  auto next = Query(statements, kNextIndex)
                  .One(&ReadCount, "cannot read the log's size", Status::Internal("no size"));
  if (!next.ok()) return next.status();
  signon::Hash leaf = signon::HashLeaf(body);
  auto inserted = Query(statements, kInsertEntry)
                      .Int(1, *next)
                      .Text(2, kind)
                      .Text(3, body)
                      .Blob(4, std::span<const uint8_t>(leaf.data(), leaf.size()))
                      .Int(5, now)
                      .Run("cannot append to the log");
  if (!inserted.ok()) return inserted.status();
  return static_cast<uint64_t>(*next);
}

Result<std::unique_ptr<TransparencyLog>> OpenSqliteTransparencyLog(const std::string& data_dir,
                                                                   const signon::NoteSigner& signer,
                                                                   std::function<int64_t()> now) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  if (!now) now = SystemNow;
  auto log = std::make_unique<SqliteTransparencyLog>(std::move(*db), signer, std::move(now));
  // Reads and checks every stored entry now, so a damaged log stops the start.
  auto size = log->Size();
  if (!size.ok()) return size.status();
  return std::unique_ptr<TransparencyLog>(std::move(log));
}

}  // namespace accord::server
