// SignonStore on the instance's SQLite file (migration 10 of database.cc): one writer
// connection behind a mutex for every write, a few read connections (ReadPool) for the reads.
#include "sqlite_signon_store.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "database.h"
#include "sqlite_query.h"
#include "sqlite_transparency_log.h"

namespace accord::server {
namespace {

using sqlite::ColumnInt;
using sqlite::ColumnOptInt;
using sqlite::ColumnText;
using sqlite::Query;
using sqlite::Transaction;

#define ACCORD_KEY_COLUMNS                                                                    \
  "k.id, k.organization_id, k.user_id, k.public_key, k.label, k.state, k.created_at,"         \
  " k.decided_by, k.decided_at, k.revoked_at, k.reason, COALESCE(k.replaces, 0),"             \
  " COALESCE((SELECT n.id FROM signing_keys n WHERE n.replaces = k.id AND n.state IN"         \
  " ('approved', 'revoked') AND n.approval_log_index IS NOT NULL), 0), k.approval_log_index," \
  " k.revocation_log_index"

constexpr char kInsertKey[] =
    "INSERT INTO signing_keys (organization_id, user_id, public_key, label, created_at, replaces)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
constexpr char kGetKey[] = "SELECT " ACCORD_KEY_COLUMNS " FROM signing_keys k WHERE k.id = ?1";
constexpr char kListKeys[] =
    "SELECT " ACCORD_KEY_COLUMNS
    " FROM signing_keys k WHERE (?1 = 0 OR k.user_id = ?1) AND (?2 = 0 OR k.organization_id = ?2)"
    " AND (?3 IS NULL OR k.state = ?3) ORDER BY k.id";
constexpr char kApprove[] =
    "UPDATE signing_keys SET state = 'approved', decided_by = ?2, decided_at = ?3,"
    " approval_log_index = ?4 WHERE id = ?1 AND state = 'pending'";
constexpr char kReject[] =
    "UPDATE signing_keys SET state = 'rejected', decided_by = ?2, decided_at = ?3, reason = ?4"
    " WHERE id = ?1 AND state = 'pending'";
constexpr char kRevoke[] =
    "UPDATE signing_keys SET state = 'revoked', revoked_at = ?2, reason = ?3,"
    " revocation_log_index = ?4 WHERE id = ?1 AND state = 'approved'";

#define ACCORD_MANIFEST_COLUMNS \
  "id, statement_id, version_id, canonical, sha256, log_index, created_at"
constexpr char kInsertManifest[] =
    "INSERT INTO final_manifests (statement_id, version_id, canonical, sha256, log_index,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
constexpr char kCurrentManifest[] =
    "SELECT " ACCORD_MANIFEST_COLUMNS
    " FROM final_manifests WHERE statement_id = ?1 ORDER BY id DESC LIMIT 1";

#define ACCORD_ENDORSEMENT_COLUMNS                                                     \
  "e.id, e.manifest_id, e.organization_id, e.user_id, e.key_id, e.kind, e.canonical,"  \
  " e.sha256, e.signature, e.nonce, e.signed_at, e.received_at, e.log_index,"          \
  " (SELECT public_key FROM signing_keys k WHERE k.id = e.key_id),"                    \
  " w.id, w.user_id, w.key_id, w.reason, w.canonical, w.sha256, w.signature, w.nonce," \
  " w.signed_at, w.received_at, w.log_index"
constexpr char kGetEndorsement[] =
    "SELECT " ACCORD_ENDORSEMENT_COLUMNS
    " FROM endorsements e JOIN final_manifests m ON m.id = e.manifest_id"
    " LEFT JOIN withdrawals w ON w.endorsement_id = e.id"
    " WHERE m.statement_id = ?1 AND e.id = ?2";
constexpr char kListEndorsements[] =
    "SELECT " ACCORD_ENDORSEMENT_COLUMNS
    " FROM endorsements e LEFT JOIN withdrawals w ON w.endorsement_id = e.id"
    " WHERE e.manifest_id = ?1 ORDER BY e.id";
constexpr char kSeen[] =
    "SELECT EXISTS (SELECT 1 FROM endorsements WHERE sha256 = ?1 OR nonce = ?2)"
    " OR EXISTS (SELECT 1 FROM withdrawals WHERE sha256 = ?1 OR nonce = ?2)";
constexpr char kActive[] =
    "SELECT COUNT(*) FROM endorsements e WHERE e.manifest_id = ?1 AND e.organization_id = ?2"
    " AND NOT EXISTS (SELECT 1 FROM withdrawals w WHERE w.endorsement_id = e.id)";
constexpr char kInsertEndorsement[] =
    "INSERT INTO endorsements (manifest_id, organization_id, user_id, key_id, kind, canonical,"
    " sha256, signature, nonce, signed_at, received_at, log_index)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id";
constexpr char kInsertWithdrawal[] =
    "INSERT INTO withdrawals (endorsement_id, user_id, key_id, reason, canonical, sha256,"
    " signature, nonce, signed_at, received_at, log_index)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";
constexpr char kCountRows[] =
    "SELECT (SELECT COUNT(*) FROM endorsements) + (SELECT COUNT(*) FROM withdrawals)"
    " + (SELECT COUNT(*) FROM signing_keys) + (SELECT COUNT(*) FROM final_manifests)";

Result<SigningKey> ReadKey(sqlite3_stmt* st) {
  SigningKey k;
  k.id = ColumnInt(st, 0);
  k.organization_id = ColumnInt(st, 1);
  k.user_id = ColumnInt(st, 2);
  k.public_key = ColumnText(st, 3);
  k.label = ColumnText(st, 4);
  auto state = ParseKeyState(ColumnText(st, 5));
  if (!state) return Status::Corruption("a signing key has an unknown state");
  k.state = *state;
  k.created_at = ColumnInt(st, 6);
  k.decided_by = ColumnInt(st, 7);
  k.decided_at = ColumnOptInt(st, 8);
  k.revoked_at = ColumnOptInt(st, 9);
  k.reason = ColumnText(st, 10);
  k.replaces = ColumnInt(st, 11);
  k.replaced_by = ColumnInt(st, 12);
  k.approval_log_index = ColumnOptInt(st, 13);
  k.revocation_log_index = ColumnOptInt(st, 14);
  return k;
}

Result<FinalManifest> ReadManifest(sqlite3_stmt* st) {
  FinalManifest m;
  m.id = ColumnInt(st, 0);
  m.statement_id = ColumnInt(st, 1);
  m.version_id = ColumnInt(st, 2);
  m.canonical = ColumnText(st, 3);
  m.sha256 = ColumnText(st, 4);
  m.log_index = ColumnInt(st, 5);
  m.created_at = ColumnInt(st, 6);
  return m;
}

Result<Endorsement> ReadEndorsement(sqlite3_stmt* st) {
  Endorsement e;
  e.id = ColumnInt(st, 0);
  e.manifest_id = ColumnInt(st, 1);
  e.organization_id = ColumnInt(st, 2);
  e.user_id = ColumnInt(st, 3);
  e.key_id = ColumnInt(st, 4);
  e.kind = ColumnText(st, 5);
  e.canonical = ColumnText(st, 6);
  e.sha256 = ColumnText(st, 7);
  e.signature = ColumnText(st, 8);
  e.nonce = ColumnText(st, 9);
  e.signed_at = ColumnInt(st, 10);
  e.received_at = ColumnInt(st, 11);
  e.log_index = ColumnInt(st, 12);
  e.public_key = ColumnText(st, 13);
  if (sqlite3_column_type(st, 14) != SQLITE_NULL) {
    Withdrawal w;
    w.id = ColumnInt(st, 14);
    w.endorsement_id = e.id;
    w.user_id = ColumnInt(st, 15);
    w.key_id = ColumnInt(st, 16);
    w.reason = ColumnText(st, 17);
    w.canonical = ColumnText(st, 18);
    w.sha256 = ColumnText(st, 19);
    w.signature = ColumnText(st, 20);
    w.nonce = ColumnText(st, 21);
    w.signed_at = ColumnInt(st, 22);
    w.received_at = ColumnInt(st, 23);
    w.log_index = ColumnInt(st, 24);
    e.withdrawal = std::move(w);
  }
  return e;
}

Result<int64_t> ReadCount(sqlite3_stmt* st) { return ColumnInt(st, 0); }

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The reads both kinds of connection make: the writer inside its transactions, a reader alone.
Result<SigningKey> GetKeyOn(sqlite::StatementCache& statements, auth::Id id) {
  return Query(statements, kGetKey)
      .Bind(id)
      .One(&ReadKey, "cannot read the key",
           Status::NotFound("no signing key " + std::to_string(id)));
}

Result<FinalManifest> CurrentManifestOn(sqlite::StatementCache& statements, auth::Id statement_id) {
  return Query(statements, kCurrentManifest)
      .Bind(statement_id)
      .One(&ReadManifest, "cannot read the manifest",
           Status::NotFound("the statement has no final manifest"));
}

Result<Endorsement> GetEndorsementOn(sqlite::StatementCache& statements, auth::Id statement_id,
                                     auth::Id id) {
  return Query(statements, kGetEndorsement)
      .Bind(statement_id, id)
      .One(&ReadEndorsement, "cannot read the endorsement",
           Status::NotFound("no endorsement " + std::to_string(id) + " of this statement"));
}

// The store's read connections. Reads never take the writer's mutex: while a batch commits
// (its fsync is the slow part) the handlers' checks (key, current manifest) and the public GETs
// run on these. In WAL mode each read statement, run outside any transaction, is its own read
// transaction on the last committed state: it never waits for the writer, sees everything
// committed before it started (a 201's row is visible to the next GET), and holds no snapshot
// once its Query is reset. A few connections, each lent to one read at a time; a read that
// finds them all lent waits for one (reads take microseconds).
class ReadPool {
 public:
  // Opens `size` connections (all at once: opening one later could meet the writer's lock).
  Status Open(const std::string& data_dir, size_t size) {
    for (size_t i = 0; i < size; ++i) {
      auto db = Database::Open(data_dir);
      if (!db.ok()) return db.status();
      // A guard: nothing on a read connection may write.
      ACCORD_RETURN_IF_ERROR((*db)->Exec("PRAGMA query_only = ON;"));
      auto reader = std::make_unique<Reader>();
      reader->db = std::move(*db);
      reader->statements = std::make_unique<sqlite::StatementCache>(reader->db->handle());
      free_.push_back(reader.get());
      readers_.push_back(std::move(reader));
    }
    return Status::Ok();
  }

  struct Reader {
    std::unique_ptr<Database> db;
    std::unique_ptr<sqlite::StatementCache> statements;  // destroyed before db closes
  };

  // One connection, lent until the Lease ends.
  class Lease {
   public:
    Lease(ReadPool& pool, Reader* reader) : pool_(pool), reader_(reader) {}
    ~Lease() { pool_.Release(reader_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    sqlite::StatementCache& statements() { return *reader_->statements; }

   private:
    ReadPool& pool_;
    Reader* reader_;
  };

  Lease Acquire() {
    std::unique_lock lock(mu_);
    available_.wait(lock, [&] { return !free_.empty(); });
    Reader* reader = free_.back();
    free_.pop_back();
    return Lease(*this, reader);
  }

 private:
  void Release(Reader* reader) {
    {
      std::lock_guard lock(mu_);
      free_.push_back(reader);
    }
    available_.notify_one();
  }

  std::mutex mu_;
  std::condition_variable available_;
  std::vector<Reader*> free_;                     // guarded by mu_
  std::vector<std::unique_ptr<Reader>> readers_;  // fixed once opened
};

// How many read connections: the server runs at most eight API handlers at once (server.cc)
// and a read holds its connection for microseconds, so a few cover them without keeping eight
// page caches warm.
constexpr size_t kReadConnections = 4;

SignonOutcome Failed(Status status) {
  SignonOutcome out;
  out.status = std::move(status);
  return out;
}

SignonOutcome Refused(SignonRefusal why, std::string message) {
  SignonOutcome out;
  out.refusal = why;
  out.status = Status::FailedPrecondition(message);
  return out;
}

class SqliteSignonStore final : public SignonStore {
 public:
  SqliteSignonStore(std::unique_ptr<Database> db, std::unique_ptr<ReadPool> readers,
                    std::function<int64_t()> now)
      : db_(std::move(db)),
        statements_(db_->handle()),
        readers_(std::move(readers)),
        now_(std::move(now)) {}

  Result<SigningKey> CreateKey(const SigningKey& key) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto id = Query(statements_, kInsertKey)
                  .Bind(key.organization_id, key.user_id, key.public_key, key.label, key.created_at)
                  .IdOrNull(6, key.replaces)
                  .OnClash("signing_keys.public_key", "this public key is registered already")
                  .One(&ReadCount, "cannot store the key", Status::Internal("no id"));
    if (!id.ok()) return id.status();
    auto stored = LockedGetKey(*id);
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<SigningKey> GetKey(auth::Id id) override {
    auto reader = readers_->Acquire();
    return GetKeyOn(reader.statements(), id);
  }

  Result<std::vector<SigningKey>> ListKeys(const KeyFilter& filter) override {
    auto reader = readers_->Acquire();
    Query query(reader.statements(), kListKeys);
    query.Bind(filter.user_id, filter.organization_id);
    if (filter.state) {
      query.Text(3, KeyStateName(*filter.state));
    } else {
      query.Null(3);  // any state
    }
    return query.All(&ReadKey, "cannot list signing keys");
  }

  Result<SigningKey> ApproveKey(auth::Id id, auth::Id decided_by, auth::UnixTime at,
                                std::string_view approval_body,
                                std::string_view rotation_body) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto key = LockedGetKey(id);
    if (!key.ok()) return key;
    if (key->state != KeyState::kPending) {
      return Status::FailedPrecondition("the key is " + std::string(KeyStateName(key->state)) +
                                        ", not pending");
    }
    auto index = AppendLogEntry(statements_, "key-approval", approval_body, now_());
    if (!index.ok()) return index.status();
    auto n = Query(statements_, kApprove)
                 .Bind(id, decided_by, at, static_cast<int64_t>(*index))
                 .Run("cannot approve the key");
    if (!n.ok()) return n.status();
    if (key->replaces != 0) {
      auto old = LockedGetKey(key->replaces);
      if (!old.ok()) return old.status();
      if (old->state == KeyState::kApproved) {
        auto revoked = AppendLogEntry(statements_, "key-revocation", rotation_body, now_());
        if (!revoked.ok()) return revoked.status();
        auto m = Query(statements_, kRevoke)
                     .Bind(old->id, at, std::string_view("rotated"), static_cast<int64_t>(*revoked))
                     .Run("cannot revoke the replaced key");
        if (!m.ok()) return m.status();
      }
    }
    auto stored = LockedGetKey(id);
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<SigningKey> RejectKey(auth::Id id, auth::Id decided_by, auth::UnixTime at,
                               std::string_view reason) override {
    std::lock_guard lock(mu_);
    auto n = Query(statements_, kReject).Bind(id, decided_by, at, reason).Run("cannot reject");
    if (!n.ok()) return n.status();
    auto key = LockedGetKey(id);
    if (!key.ok() || *n == 1) return key;
    return Status::FailedPrecondition("the key is " + std::string(KeyStateName(key->state)) +
                                      ", not pending");
  }

  Result<SigningKey> RevokeKey(auth::Id id, auth::UnixTime at, std::string_view reason,
                               std::string_view revocation_body) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto key = LockedGetKey(id);
    if (!key.ok()) return key;
    if (key->state != KeyState::kApproved) {
      return Status::FailedPrecondition("the key is " + std::string(KeyStateName(key->state)) +
                                        ", not approved");
    }
    auto index = AppendLogEntry(statements_, "key-revocation", revocation_body, now_());
    if (!index.ok()) return index.status();
    auto n = Query(statements_, kRevoke)
                 .Bind(id, at, reason, static_cast<int64_t>(*index))
                 .Run("cannot revoke the key");
    if (!n.ok()) return n.status();
    auto stored = LockedGetKey(id);
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<FinalManifest> PublishManifest(const FinalManifest& m,
                                        std::string_view log_body) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto index = AppendLogEntry(statements_, "final-version", log_body, now_());
    if (!index.ok()) return index.status();
    auto id = Query(statements_, kInsertManifest)
                  .Bind(m.statement_id, m.version_id, m.canonical, m.sha256,
                        static_cast<int64_t>(*index), m.created_at)
                  .One(&ReadCount, "cannot store the manifest", Status::Internal("no id"));
    if (!id.ok()) return id.status();
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    FinalManifest stored = m;
    stored.id = *id;
    stored.log_index = static_cast<int64_t>(*index);
    return stored;
  }

  Result<FinalManifest> CurrentManifest(auth::Id statement_id) override {
    auto reader = readers_->Acquire();
    return CurrentManifestOn(reader.statements(), statement_id);
  }

  std::vector<SignonOutcome> CommitBatch(std::span<const SignonWrite> writes) override {
    std::lock_guard lock(mu_);
    std::vector<SignonOutcome> outcomes(writes.size());
    auto fail_all = [&](const Status& s) {
      for (auto& o : outcomes) {
        o = SignonOutcome();
        o.status = s;
      }
      return outcomes;
    };
    Transaction txn(db_->handle());
    if (Status s = txn.Begin(); !s.ok()) return fail_all(s);
    for (size_t i = 0; i < writes.size(); ++i) {
      // Each write in its own savepoint: a failure part-way undoes only that write's rows.
      if (Status s = db_->Exec("SAVEPOINT signon_write;"); !s.ok()) return fail_all(s);
      outcomes[i] = ApplyOne(writes[i]);
      Status end = outcomes[i].status.ok()
                       ? db_->Exec("RELEASE signon_write;")
                       : db_->Exec("ROLLBACK TO signon_write; RELEASE signon_write;");
      if (!end.ok()) return fail_all(end);
    }
    if (Status s = txn.Commit(); !s.ok()) return fail_all(s);
    return outcomes;
  }

  Result<Endorsement> GetEndorsement(auth::Id statement_id, auth::Id id) override {
    auto reader = readers_->Acquire();
    return GetEndorsementOn(reader.statements(), statement_id, id);
  }

  Result<std::vector<Endorsement>> ListEndorsements(auth::Id manifest_id) override {
    auto reader = readers_->Acquire();
    return Query(reader.statements(), kListEndorsements)
        .Bind(manifest_id)
        .All(&ReadEndorsement, "cannot list endorsements");
  }

  Result<int64_t> CountRows() override {
    auto reader = readers_->Acquire();
    return Query(reader.statements(), kCountRows)
        .One(&ReadCount, "cannot count rows", Status::Internal("no count"));
  }

 private:
  // Reads on the writer connection, inside its transactions (mu_ held).
  Result<SigningKey> LockedGetKey(auth::Id id) { return GetKeyOn(statements_, id); }
  Result<FinalManifest> LockedCurrentManifest(auth::Id statement_id) {
    return CurrentManifestOn(statements_, statement_id);
  }
  Result<Endorsement> LockedGetEndorsement(auth::Id statement_id, auth::Id id) {
    return GetEndorsementOn(statements_, statement_id, id);
  }

  // The stored checks and the inserts of one write, inside CommitBatch's transaction.
  SignonOutcome ApplyOne(const SignonWrite& w) {
    auto manifest = LockedCurrentManifest(w.statement_id);
    if (!manifest.ok() || manifest->sha256 != w.manifest_sha256) {
      if (manifest.ok() || manifest.status().code() == Status::Code::kNotFound) {
        return Refused(SignonRefusal::kStaleManifest,
                       "the signed object names a manifest that is not the statement's current "
                       "one; fetch the manifest again and sign that");
      }
      return Failed(manifest.status());
    }
    const auth::Id key_id = w.is_withdrawal ? w.withdrawal.key_id : w.endorsement.key_id;
    auto key = LockedGetKey(key_id);
    if (!key.ok()) return Failed(key.status());
    if (key->state == KeyState::kRevoked) {
      return Refused(SignonRefusal::kKeyRevoked, "the signing key was revoked");
    }
    if (key->state != KeyState::kApproved) {
      return Refused(SignonRefusal::kKeyNotApproved, "the signing key is not approved");
    }
    const std::string& sha = w.is_withdrawal ? w.withdrawal.sha256 : w.endorsement.sha256;
    const std::string& nonce = w.is_withdrawal ? w.withdrawal.nonce : w.endorsement.nonce;
    auto seen = Query(statements_, kSeen)
                    .Bind(sha, nonce)
                    .One(&ReadCount, "cannot look for replays", Status::Internal("no row"));
    if (!seen.ok()) return Failed(seen.status());
    if (*seen != 0) {
      return Refused(SignonRefusal::kReplayed,
                     "this signed object, or its nonce, was received before");
    }
    SignonOutcome out;
    if (!w.is_withdrawal) {
      const Endorsement& e = w.endorsement;
      auto active = Query(statements_, kActive)
                        .Bind(manifest->id, e.organization_id)
                        .One(&ReadCount, "cannot count endorsements", Status::Internal("no row"));
      if (!active.ok()) return Failed(active.status());
      if (*active != 0) {
        return Refused(SignonRefusal::kAlreadyEndorsed,
                       "the organization has endorsed this manifest already; withdraw that "
                       "endorsement first");
      }
      auto index = AppendLogEntry(statements_, "endorsement", w.log_body, now_());
      if (!index.ok()) return Failed(index.status());
      auto id = Query(statements_, kInsertEndorsement)
                    .Bind(manifest->id, e.organization_id, e.user_id, e.key_id, e.kind, e.canonical,
                          e.sha256, e.signature, e.nonce, e.signed_at, e.received_at,
                          static_cast<int64_t>(*index))
                    .One(&ReadCount, "cannot store the endorsement", Status::Internal("no id"));
      if (!id.ok()) return Failed(id.status());
      auto stored = LockedGetEndorsement(w.statement_id, *id);
      if (!stored.ok()) return Failed(stored.status());
      out.endorsement = std::move(*stored);
      return out;
    }
    const Withdrawal& wd = w.withdrawal;
    auto endorsement = LockedGetEndorsement(w.statement_id, wd.endorsement_id);
    if (!endorsement.ok() || endorsement->withdrawal || endorsement->manifest_id != manifest->id) {
      if (endorsement.ok() || endorsement.status().code() == Status::Code::kNotFound) {
        return Refused(SignonRefusal::kNotActive,
                       "the endorsement is not an active endorsement of the current manifest");
      }
      return Failed(endorsement.status());
    }
    auto index = AppendLogEntry(statements_, "withdrawal", w.log_body, now_());
    if (!index.ok()) return Failed(index.status());
    auto id = Query(statements_, kInsertWithdrawal)
                  .Bind(wd.endorsement_id, wd.user_id, wd.key_id, wd.reason, wd.canonical,
                        wd.sha256, wd.signature, wd.nonce, wd.signed_at, wd.received_at,
                        static_cast<int64_t>(*index))
                  .One(&ReadCount, "cannot store the withdrawal", Status::Internal("no id"));
    if (!id.ok()) return Failed(id.status());
    auto stored = LockedGetEndorsement(w.statement_id, wd.endorsement_id);
    if (!stored.ok()) return Failed(stored.status());
    out.endorsement = std::move(*stored);
    return out;
  }

  std::mutex mu_;  // the writer connection's: held by writes only
  std::unique_ptr<Database> db_;
  sqlite::StatementCache statements_;  // destroyed before db_ closes
  std::unique_ptr<ReadPool> readers_;
  std::function<int64_t()> now_;
};

}  // namespace

std::string_view KeyStateName(KeyState state) {
  switch (state) {
    case KeyState::kPending:
      return "pending";
    case KeyState::kApproved:
      return "approved";
    case KeyState::kRejected:
      return "rejected";
    case KeyState::kRevoked:
      return "revoked";
  }
  return "pending";
}

std::optional<KeyState> ParseKeyState(std::string_view name) {
  for (KeyState s :
       {KeyState::kPending, KeyState::kApproved, KeyState::kRejected, KeyState::kRevoked}) {
    if (KeyStateName(s) == name) return s;
  }
  return std::nullopt;
}

Result<std::unique_ptr<SignonStore>> OpenSqliteSignonStore(const std::string& data_dir,
                                                           std::function<int64_t()> now) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  auto readers = std::make_unique<ReadPool>();
  ACCORD_RETURN_IF_ERROR(readers->Open(data_dir, kReadConnections));
  if (!now) now = SystemNow;
  return std::unique_ptr<SignonStore>(
      std::make_unique<SqliteSignonStore>(std::move(*db), std::move(readers), std::move(now)));
}

}  // namespace accord::server
