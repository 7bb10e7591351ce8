// DraftingStore on the instance's SQLite file (migration 5 of database.cc). One connection
// behind one mutex, as SqliteAccountStore: drafting traffic is a few requests a minute.
#include <mutex>

#include "database.h"
#include "drafting_store.h"
#include "sqlite_query.h"

namespace accord::server {
namespace {

using sqlite::ColumnBlob;
using sqlite::ColumnInt;
using sqlite::ColumnOptInt;
using sqlite::ColumnText;
using sqlite::Query;
using sqlite::Transaction;

#define ACCORD_VERSION_HEAD \
  "id, statement_id, number, label, reason, phase, author_user_id, created_at, sha256"
#define ACCORD_PHASE_CHANGE_COLUMNS                                              \
  "c.id, c.statement_id, c.from_phase, c.to_phase, c.deadline, c.user_id, c.at," \
  " COALESCE((SELECT number FROM statement_versions v WHERE v.id = c.version_id), 0)"

constexpr char kInsertVersion[] =
    "INSERT INTO statement_versions (statement_id, number, label, reason, phase,"
    " author_user_id, created_at, state, canonical_text, canonical_html, sha256)"
    " VALUES (?1, (SELECT COALESCE(MAX(number), 0) + 1 FROM statement_versions"
    " WHERE statement_id = ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " RETURNING " ACCORD_VERSION_HEAD;
constexpr char kListVersions[] = "SELECT " ACCORD_VERSION_HEAD
                                 " FROM statement_versions WHERE statement_id = ?1 ORDER BY number";
constexpr char kGetVersion[] = "SELECT " ACCORD_VERSION_HEAD
                               ", state, canonical_text, canonical_html"
                               " FROM statement_versions WHERE statement_id = ?1 AND number = ?2";
constexpr char kLatestVersion[] =
    "SELECT " ACCORD_VERSION_HEAD
    ", state, canonical_text, canonical_html"
    " FROM statement_versions WHERE statement_id = ?1 ORDER BY number DESC LIMIT 1";
constexpr char kInsertPhaseChange[] =
    "INSERT INTO statement_phase_changes (statement_id, from_phase, to_phase, deadline,"
    " user_id, at, version_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
constexpr char kGetPhaseChange[] =
    "SELECT " ACCORD_PHASE_CHANGE_COLUMNS " FROM statement_phase_changes c WHERE c.id = ?1";
constexpr char kListPhaseChanges[] = "SELECT " ACCORD_PHASE_CHANGE_COLUMNS
                                     " FROM statement_phase_changes c"
                                     " WHERE c.statement_id = ?1 ORDER BY c.id";

Result<auth::Phase> PhaseColumn(sqlite3_stmt* st, int i) {
  std::string name = ColumnText(st, i);
  auto phase = auth::ParsePhase(name);
  if (!phase) return Status::Corruption("stored phase '" + name + "' is not known");
  return *phase;
}

Result<Version> ReadVersionHead(sqlite3_stmt* st) {
  Version v;
  v.id = ColumnInt(st, 0);
  v.statement_id = ColumnInt(st, 1);
  v.number = ColumnInt(st, 2);
  v.label = ColumnText(st, 3);
  std::string reason = ColumnText(st, 4);
  if (reason == "manual") {
    v.reason = VersionReason::kManual;
  } else if (reason == "phase") {
    v.reason = VersionReason::kPhase;
  } else if (reason == "merge") {
    v.reason = VersionReason::kMerge;
  } else {
    return Status::Corruption("stored version reason '" + reason + "' is not known");
  }
  auto phase = PhaseColumn(st, 5);
  if (!phase.ok()) return phase.status();
  v.phase = *phase;
  v.author_user_id = ColumnInt(st, 6);
  v.created_at = ColumnInt(st, 7);
  v.sha256 = ColumnText(st, 8);
  return v;
}

Result<Version> ReadVersion(sqlite3_stmt* st) {
  auto v = ReadVersionHead(st);
  if (!v.ok()) return v;
  v->state = ColumnBlob(st, 9);
  v->canonical_text = ColumnText(st, 10);
  v->canonical_html = ColumnText(st, 11);
  return v;
}

Result<PhaseChange> ReadPhaseChange(sqlite3_stmt* st) {
  PhaseChange c;
  c.id = ColumnInt(st, 0);
  c.statement_id = ColumnInt(st, 1);
  auto from = PhaseColumn(st, 2);
  if (!from.ok()) return from.status();
  auto to = PhaseColumn(st, 3);
  if (!to.ok()) return to.status();
  c.from = *from;
  c.to = *to;
  c.deadline = ColumnOptInt(st, 4);
  c.user_id = ColumnInt(st, 5);
  c.at = ColumnInt(st, 6);
  c.version_number = ColumnInt(st, 7);
  return c;
}

Result<int64_t> ReadId(sqlite3_stmt* st) { return ColumnInt(st, 0); }

class SqliteDraftingStore final : public DraftingStore {
 public:
  explicit SqliteDraftingStore(std::unique_ptr<Database> db)
      : db_(std::move(db)), statements_(db_->handle()) {}

  Result<Version> AddVersion(const Version& version) override {
    std::lock_guard lock(mu_);
    return InsertVersionLocked(version);
  }

  Result<std::vector<Version>> ListVersions(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kListVersions)
        .Bind(statement_id)
        .All(&ReadVersionHead, "cannot list versions");
  }

  Result<Version> GetVersion(auth::Id statement_id, int64_t number) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kGetVersion)
        .Bind(statement_id, number)
        .One(&ReadVersion, "cannot read the version",
             Status::NotFound("no version " + std::to_string(number) + " of this statement"));
  }

  Result<Version> LatestVersion(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kLatestVersion)
        .Bind(statement_id)
        .One(&ReadVersion, "cannot read the version",
             Status::NotFound("the statement has no version yet"));
  }

  Result<PhaseChange> RecordPhaseChange(const PhaseChange& change,
                                        const Version* version) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    std::optional<int64_t> version_id;
    if (version != nullptr) {
      auto stored = InsertVersionLocked(*version);
      if (!stored.ok()) return stored.status();
      version_id = stored->id;
    }
    auto id =
        Query(statements_, kInsertPhaseChange)
            .Bind(change.statement_id, auth::PhaseName(change.from), auth::PhaseName(change.to),
                  change.deadline, change.user_id, change.at, version_id)
            .One(&ReadId, "cannot record the phase change",
                 Status::Internal("INSERT RETURNING gave no row"));
    if (!id.ok()) return id.status();
    auto stored = Query(statements_, kGetPhaseChange)
                      .Bind(*id)
                      .One(&ReadPhaseChange, "cannot read the phase change",
                           Status::Internal("the phase change just written is missing"));
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<std::vector<PhaseChange>> ListPhaseChanges(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kListPhaseChanges)
        .Bind(statement_id)
        .All(&ReadPhaseChange, "cannot list phase changes");
  }

 private:
  Result<Version> InsertVersionLocked(const Version& v) {
    auto head = Query(statements_, kInsertVersion)
                    .Bind(v.statement_id, v.label, VersionReasonName(v.reason),
                          auth::PhaseName(v.phase), v.author_user_id, v.created_at, v.state,
                          v.canonical_text, v.canonical_html, v.sha256)
                    .One(&ReadVersionHead, "cannot store the version",
                         Status::Internal("INSERT RETURNING gave no row"));
    if (!head.ok()) return head;
    head->state = v.state;
    head->canonical_text = v.canonical_text;
    head->canonical_html = v.canonical_html;
    return head;
  }

  std::mutex mu_;
  std::unique_ptr<Database> db_;
  sqlite::StatementCache statements_;  // destroyed before db_ closes
};

}  // namespace

std::string_view VersionReasonName(VersionReason reason) {
  switch (reason) {
    case VersionReason::kPhase:
      return "phase";
    case VersionReason::kMerge:
      return "merge";
    case VersionReason::kManual:
      break;
  }
  return "manual";
}

Result<std::unique_ptr<DraftingStore>> OpenSqliteDraftingStore(const std::string& data_dir) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  return std::unique_ptr<DraftingStore>(new SqliteDraftingStore(std::move(*db)));
}

}  // namespace accord::server
