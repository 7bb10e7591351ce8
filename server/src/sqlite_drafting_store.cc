// DraftingStore on the instance's SQLite file (migrations 5, 6 and 8 of database.cc). One
// connection behind one mutex, as SqliteAccountStore: drafting traffic is a few requests a minute.
#include <algorithm>
#include <mutex>
#include <utility>

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

constexpr char kInsertMerge[] =
    "INSERT INTO merges (statement_id, version_id, created_by, created_at)"
    " VALUES (?1, ?2, ?3, ?4) RETURNING id";
constexpr char kInsertMergeEntry[] =
    "INSERT INTO merge_amendments (merge_id, amendment_id, outcome, taken_number)"
    " VALUES (?1, ?2, ?3, ?4)";
constexpr char kListMerges[] =
    "SELECT m.id, m.statement_id, v.number, m.created_by, m.created_at FROM merges m"
    " JOIN statement_versions v ON v.id = m.version_id WHERE m.statement_id = ?1 ORDER BY m.id";
constexpr char kListMergeEntries[] =
    "SELECT e.merge_id, a.id, a.number, e.outcome, e.taken_number FROM merge_amendments e"
    " JOIN merges m ON m.id = e.merge_id JOIN amendments a ON a.id = e.amendment_id"
    " WHERE m.statement_id = ?1 ORDER BY e.merge_id, a.number";

constexpr std::pair<MergeOutcome, std::string_view> kMergeOutcomes[] = {
    {MergeOutcome::kMerged, "merged"},
    {MergeOutcome::kCollision, "collision"},
    {MergeOutcome::kCompromise, "compromise"},
    {MergeOutcome::kObsolete, "obsolete"},
};

Result<Merge> ReadMerge(sqlite3_stmt* st) {
  Merge m;
  m.id = ColumnInt(st, 0);
  m.statement_id = ColumnInt(st, 1);
  m.version_number = ColumnInt(st, 2);
  m.created_by = ColumnInt(st, 3);
  m.created_at = ColumnInt(st, 4);
  return m;
}

// A merge entry with its merge's id in front.
Result<std::pair<auth::Id, MergeEntry>> ReadMergeEntry(sqlite3_stmt* st) {
  MergeEntry e;
  e.amendment_id = ColumnInt(st, 1);
  e.amendment_number = ColumnInt(st, 2);
  std::string outcome = ColumnText(st, 3);
  auto known = std::find_if(std::begin(kMergeOutcomes), std::end(kMergeOutcomes),
                            [&](const auto& o) { return o.second == outcome; });
  if (known == std::end(kMergeOutcomes)) {
    return Status::Corruption("stored merge outcome '" + outcome + "' is not known");
  }
  e.outcome = known->first;
  e.taken = ColumnInt(st, 4);
  return std::make_pair(ColumnInt(st, 0), e);
}

#define ACCORD_AMENDMENT_COLUMNS                                                      \
  "a.id, a.statement_id, a.number, a.base_version, a.document, a.title, a.rationale," \
  " a.organization_id, a.state, a.created_by, a.created_at,"                          \
  " (SELECT COUNT(*) FROM amendment_supporters s WHERE s.amendment_id = a.id)"

constexpr char kInsertAmendment[] =
    "INSERT INTO amendments (statement_id, number, base_version, document, title, rationale,"
    " organization_id, state, created_by, created_at)"
    " SELECT ?1, n, ?2, ?3 || n, ?4, ?5, ?6, 'draft', ?7, ?8 FROM (SELECT COALESCE(MAX(number),"
    " 0) + 1 AS n FROM amendments WHERE statement_id = ?1) RETURNING id";
constexpr char kAmendmentById[] =
    "SELECT " ACCORD_AMENDMENT_COLUMNS " FROM amendments a WHERE a.id = ?1";
constexpr char kListAmendments[] = "SELECT " ACCORD_AMENDMENT_COLUMNS
                                   " FROM amendments a WHERE a.statement_id = ?1 ORDER BY number";
constexpr char kGetAmendment[] = "SELECT " ACCORD_AMENDMENT_COLUMNS
                                 " FROM amendments a WHERE a.statement_id = ?1 AND a.number = ?2";
constexpr char kAmendmentByDocument[] =
    "SELECT " ACCORD_AMENDMENT_COLUMNS " FROM amendments a WHERE a.document = ?1";
constexpr char kUpdateAmendmentText[] =
    "UPDATE amendments SET title = ?2, rationale = ?3 WHERE id = ?1";
constexpr char kMoveAmendment[] = "UPDATE amendments SET state = ?3 WHERE id = ?1 AND state = ?2";
constexpr char kInsertTransition[] =
    "INSERT INTO amendment_transitions (amendment_id, from_state, to_state, user_id, at, reason)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
constexpr char kListTransitions[] =
    "SELECT id, amendment_id, from_state, to_state, user_id, at, reason"
    " FROM amendment_transitions WHERE amendment_id = ?1 ORDER BY id";
constexpr char kInsertSupporter[] =
    "INSERT INTO amendment_supporters (amendment_id, organization_id, user_id, at)"
    " VALUES (?1, ?2, ?3, ?4)";
constexpr char kDeleteSupporter[] =
    "DELETE FROM amendment_supporters WHERE amendment_id = ?1 AND organization_id = ?2";
constexpr char kCountSupporters[] =
    "SELECT COUNT(*) FROM amendment_supporters WHERE amendment_id = ?1";
constexpr char kListSupporters[] =
    "SELECT amendment_id, organization_id, user_id, at FROM amendment_supporters"
    " WHERE amendment_id = ?1 ORDER BY at, organization_id";
constexpr char kGetSettings[] =
    "SELECT statement_id, support_threshold, support_deadline FROM amendment_settings"
    " WHERE statement_id = ?1";
constexpr char kSetSettings[] =
    "INSERT INTO amendment_settings (statement_id, support_threshold, support_deadline)"
    " VALUES (?1, ?2, ?3) ON CONFLICT (statement_id) DO UPDATE SET"
    " support_threshold = excluded.support_threshold,"
    " support_deadline = excluded.support_deadline";

Result<AmendmentState> StateColumn(sqlite3_stmt* st, int i) {
  std::string name = ColumnText(st, i);
  auto state = ParseAmendmentState(name);
  if (!state) return Status::Corruption("stored amendment state '" + name + "' is not known");
  return *state;
}

Result<Amendment> ReadAmendment(sqlite3_stmt* st) {
  Amendment a;
  a.id = ColumnInt(st, 0);
  a.statement_id = ColumnInt(st, 1);
  a.number = ColumnInt(st, 2);
  a.base_version = ColumnInt(st, 3);
  a.document = ColumnText(st, 4);
  a.title = ColumnText(st, 5);
  a.rationale = ColumnText(st, 6);
  a.organization_id = ColumnInt(st, 7);
  auto state = StateColumn(st, 8);
  if (!state.ok()) return state.status();
  a.state = *state;
  a.created_by = ColumnInt(st, 9);
  a.created_at = ColumnInt(st, 10);
  a.supporters = ColumnInt(st, 11);
  return a;
}

Result<AmendmentTransition> ReadTransition(sqlite3_stmt* st) {
  AmendmentTransition t;
  t.id = ColumnInt(st, 0);
  t.amendment_id = ColumnInt(st, 1);
  auto from = StateColumn(st, 2);
  if (!from.ok()) return from.status();
  auto to = StateColumn(st, 3);
  if (!to.ok()) return to.status();
  t.from = *from;
  t.to = *to;
  t.user_id = ColumnInt(st, 4);
  t.at = ColumnInt(st, 5);
  t.reason = ColumnText(st, 6);
  return t;
}

Result<AmendmentSupport> ReadSupport(sqlite3_stmt* st) {
  return AmendmentSupport{ColumnInt(st, 0), ColumnInt(st, 1), ColumnInt(st, 2), ColumnInt(st, 3)};
}

Result<AmendmentSettings> ReadSettings(sqlite3_stmt* st) {
  AmendmentSettings s;
  s.statement_id = ColumnInt(st, 0);
  s.support_threshold = ColumnInt(st, 1);
  s.support_deadline = ColumnOptInt(st, 2);
  return s;
}

constexpr struct {
  AmendmentState state;
  std::string_view name;
} kAmendmentStates[] = {
    {AmendmentState::kDraft, "draft"},
    {AmendmentState::kSubmitted, "submitted"},
    {AmendmentState::kSupported, "supported"},
    {AmendmentState::kAccepted, "accepted"},
    {AmendmentState::kAcceptedWithModification, "accepted-with-modification"},
    {AmendmentState::kRejected, "rejected"},
    {AmendmentState::kWithdrawn, "withdrawn"},
    {AmendmentState::kReferred, "referred"},
    {AmendmentState::kObsolete, "obsolete"},
};

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

  Result<Amendment> CreateAmendment(const Amendment& a, const std::string& prefix) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto id = Query(statements_, kInsertAmendment)
                  .Bind(a.statement_id, a.base_version, prefix, a.title, a.rationale,
                        a.organization_id, a.created_by, a.created_at)
                  .One(&ReadId, "cannot store the amendment",
                       Status::Internal("INSERT RETURNING gave no row"));
    if (!id.ok()) return id.status();
    auto stored = Query(statements_, kAmendmentById)
                      .Bind(*id)
                      .One(&ReadAmendment, "cannot read the amendment",
                           Status::Internal("the amendment just written is missing"));
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<std::vector<Amendment>> ListAmendments(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kListAmendments)
        .Bind(statement_id)
        .All(&ReadAmendment, "cannot list amendments");
  }

  Result<Amendment> GetAmendment(auth::Id statement_id, int64_t number) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kGetAmendment)
        .Bind(statement_id, number)
        .One(&ReadAmendment, "cannot read the amendment",
             Status::NotFound("no amendment " + std::to_string(number) + " of this statement"));
  }

  Result<Amendment> FindAmendmentByDocument(const std::string& document) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kAmendmentByDocument)
        .Bind(document)
        .One(&ReadAmendment, "cannot read the amendment",
             Status::NotFound("no amendment has the document '" + document + "'"));
  }

  Status UpdateAmendmentText(auth::Id id, const std::string& title,
                             const std::string& rationale) override {
    std::lock_guard lock(mu_);
    auto n =
        Query(statements_, kUpdateAmendmentText).Bind(id, title, rationale).Run("cannot rename");
    if (!n.ok()) return n.status();
    return *n == 1 ? Status::Ok() : Status::NotFound("no such amendment");
  }

  Result<AmendmentTransition> TransitionAmendment(const AmendmentTransition& t) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto moved = Query(statements_, kMoveAmendment)
                     .Bind(t.amendment_id, AmendmentStateName(t.from), AmendmentStateName(t.to))
                     .Run("cannot move the amendment");
    if (!moved.ok()) return moved.status();
    if (*moved != 1) {
      return Status::FailedPrecondition("the amendment is no longer " +
                                        std::string(AmendmentStateName(t.from)));
    }
    auto id = Query(statements_, kInsertTransition)
                  .Bind(t.amendment_id, AmendmentStateName(t.from), AmendmentStateName(t.to),
                        t.user_id, t.at, t.reason)
                  .One(&ReadId, "cannot record the transition",
                       Status::Internal("INSERT RETURNING gave no row"));
    if (!id.ok()) return id.status();
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    AmendmentTransition stored = t;
    stored.id = *id;
    return stored;
  }

  Result<std::vector<AmendmentTransition>> ListTransitions(auth::Id amendment_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kListTransitions)
        .Bind(amendment_id)
        .All(&ReadTransition, "cannot list transitions");
  }

  Result<int64_t> AddSupporter(const AmendmentSupport& s) override {
    std::lock_guard lock(mu_);
    auto n = Query(statements_, kInsertSupporter)
                 .Bind(s.amendment_id, s.organization_id, s.user_id, s.at)
                 .OnClash("amendment_supporters.organization_id",
                          "the organization supports this amendment already")
                 .Run("cannot record the support");
    if (!n.ok()) return n.status();
    return CountSupportersLocked(s.amendment_id);
  }

  Result<int64_t> RemoveSupporter(auth::Id amendment_id, auth::Id organization_id) override {
    std::lock_guard lock(mu_);
    auto n = Query(statements_, kDeleteSupporter)
                 .Bind(amendment_id, organization_id)
                 .Run("cannot withdraw the support");
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("the organization does not support this amendment");
    return CountSupportersLocked(amendment_id);
  }

  Result<std::vector<AmendmentSupport>> ListSupporters(auth::Id amendment_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kListSupporters)
        .Bind(amendment_id)
        .All(&ReadSupport, "cannot list supporters");
  }

  Result<AmendmentSettings> GetAmendmentSettings(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    AmendmentSettings defaults;
    defaults.statement_id = statement_id;
    auto s = Query(statements_, kGetSettings)
                 .Bind(statement_id)
                 .One(&ReadSettings, "cannot read the amendment settings", Status::NotFound(""));
    if (!s.ok() && s.status().code() == Status::Code::kNotFound) return defaults;
    return s;
  }

  Status SetAmendmentSettings(const AmendmentSettings& s) override {
    std::lock_guard lock(mu_);
    auto n = Query(statements_, kSetSettings)
                 .Bind(s.statement_id, s.support_threshold, s.support_deadline)
                 .Run("cannot store the amendment settings");
    return n.ok() ? Status::Ok() : n.status();
  }

  Result<Merge> RecordMerge(const Merge& merge, const Version& version) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto stored_version = InsertVersionLocked(version);
    if (!stored_version.ok()) return stored_version.status();
    auto id = Query(statements_, kInsertMerge)
                  .Bind(merge.statement_id, stored_version->id, merge.created_by, merge.created_at)
                  .One(&ReadId, "cannot store the merge",
                       Status::Internal("INSERT RETURNING gave no row"));
    if (!id.ok()) return id.status();
    Merge out = merge;
    out.id = *id;
    out.version_number = stored_version->number;
    for (const MergeEntry& e : merge.entries) {
      auto n =
          Query(statements_, kInsertMergeEntry)
              .Bind(*id, e.amendment_id, MergeOutcomeName(e.outcome), e.taken)
              .OnClash("merge_amendments.amendment_id",
                       "amendment " + std::to_string(e.amendment_number) + " was merged already")
              .Run("cannot store the merge");
      if (!n.ok()) {
        if (n.status().code() == Status::Code::kAlreadyExists) {
          return Status::FailedPrecondition(n.status().message());
        }
        return n.status();
      }
    }
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return out;
  }

  Result<std::vector<Merge>> ListMerges(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    auto merges =
        Query(statements_, kListMerges).Bind(statement_id).All(&ReadMerge, "cannot list merges");
    if (!merges.ok()) return merges;
    auto entries = Query(statements_, kListMergeEntries)
                       .Bind(statement_id)
                       .All(&ReadMergeEntry, "cannot list merges");
    if (!entries.ok()) return entries.status();
    for (auto& [merge_id, entry] : *entries) {
      for (Merge& m : *merges) {
        if (m.id == merge_id) m.entries.push_back(entry);
      }
    }
    return merges;
  }

 private:
  Result<int64_t> CountSupportersLocked(auth::Id amendment_id) {
    return Query(statements_, kCountSupporters)
        .Bind(amendment_id)
        .One(&ReadId, "cannot count supporters", Status::Internal("COUNT gave no row"));
  }

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

std::string_view MergeOutcomeName(MergeOutcome outcome) {
  for (const auto& [o, name] : kMergeOutcomes) {
    if (o == outcome) return name;
  }
  return "merged";
}

std::string_view AmendmentStateName(AmendmentState state) {
  for (const auto& s : kAmendmentStates) {
    if (s.state == state) return s.name;
  }
  return "draft";
}

std::optional<AmendmentState> ParseAmendmentState(std::string_view name) {
  for (const auto& s : kAmendmentStates) {
    if (s.name == name) return s.state;
  }
  return std::nullopt;
}

Result<std::unique_ptr<DraftingStore>> OpenSqliteDraftingStore(const std::string& data_dir) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  return std::unique_ptr<DraftingStore>(new SqliteDraftingStore(std::move(*db)));
}

}  // namespace accord::server
