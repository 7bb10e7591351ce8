// AdherenceStore on the instance's SQLite file (migration 11 of database.cc). One connection
// behind one mutex, as the other stores: requests come a few a day. The approval reads and
// writes the account tables with the account store's column lists and row readers
// (sqlite_account_store_rows.h), so both stores see the same rows the same way.
#include <mutex>

#include "adherence_store.h"
#include "database.h"
#include "sqlite_account_store_rows.h"
#include "sqlite_query.h"

namespace accord::server {
namespace {

using sqlite::ColumnInt;
using sqlite::ColumnText;
using sqlite::Query;
using sqlite::ReadInt;
using sqlite::Transaction;

#define ACCORD_ADHERENCE_COLUMNS                                                             \
  "id, statement_id, org_name, org_short_name, org_country, org_kind, org_website,"          \
  " signatory_name, signatory_title, signatory_email, message, ip, challenge_sha256, state," \
  " created_at, COALESCE(decided_by, 0), COALESCE(decided_at, 0), reason,"                   \
  " COALESCE(organization_id, 0), COALESCE(invitation_id, 0)"

constexpr char kGetOpen[] = "SELECT open_for_signature FROM statements WHERE id = ?1";
constexpr char kSetOpen[] = "UPDATE statements SET open_for_signature = ?2 WHERE id = ?1";
constexpr char kCountPending[] =
    "SELECT COUNT(*) FROM adherence_requests WHERE statement_id = ?1 AND state = 'pending'";
constexpr char kChallengeSpent[] =
    "SELECT COUNT(*) FROM adherence_requests WHERE challenge_sha256 = ?1";
constexpr char kEmailPending[] =
    "SELECT COUNT(*) FROM adherence_requests WHERE statement_id = ?1 AND signatory_email = ?2"
    " AND state = 'pending'";
constexpr char kInsert[] =
    "INSERT INTO adherence_requests (statement_id, org_name, org_short_name, org_country,"
    " org_kind, org_website, signatory_name, signatory_title, signatory_email, message, ip,"
    " challenge_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
    " ?13) RETURNING " ACCORD_ADHERENCE_COLUMNS;
constexpr char kGet[] = "SELECT " ACCORD_ADHERENCE_COLUMNS
                        " FROM adherence_requests WHERE statement_id = ?1 AND id = ?2";
constexpr char kList[] = "SELECT " ACCORD_ADHERENCE_COLUMNS
                         " FROM adherence_requests WHERE statement_id = ?1 ORDER BY id";
constexpr char kListInState[] = "SELECT " ACCORD_ADHERENCE_COLUMNS
                                " FROM adherence_requests WHERE statement_id = ?1 AND state = ?2"
                                " ORDER BY id";
constexpr char kReject[] =
    "UPDATE adherence_requests SET state = 'rejected', decided_by = ?3, decided_at = ?4,"
    " reason = ?5 WHERE statement_id = ?1 AND id = ?2 AND state = 'pending'"
    " RETURNING " ACCORD_ADHERENCE_COLUMNS;
constexpr char kApprove[] =
    "UPDATE adherence_requests SET state = 'approved', decided_by = ?3, decided_at = ?4,"
    " organization_id = ?5, invitation_id = ?6"
    " WHERE statement_id = ?1 AND id = ?2 AND state = 'pending'"
    " RETURNING " ACCORD_ADHERENCE_COLUMNS;
constexpr char kInsertOrg[] =
    "INSERT INTO organizations (name, short_name, country, kind, website, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING " ACCORD_ORG_COLUMNS;
constexpr char kGetOrg[] = "SELECT " ACCORD_ORG_COLUMNS " FROM organizations WHERE id = ?1";
// A new participant may sign and nothing else; one that takes part already keeps its rights
// and gains signing.
constexpr char kAddSigner[] =
    "INSERT INTO statement_participants (statement_id, organization_id, convener, can_edit,"
    " can_amend, can_sign) VALUES (?1, ?2, 0, 0, 0, 1)"
    " ON CONFLICT (statement_id, organization_id) DO UPDATE SET can_sign = 1";
constexpr char kInsertInvitation[] =
    "INSERT INTO invitations (kind, token_hash, email, display_name, organization_id, role,"
    " invited_by, created_at, expires_at) VALUES ('invitation', ?1, ?2, ?3, ?4, 'signatory', ?5,"
    " ?6, ?7) RETURNING " ACCORD_INVITATION_COLUMNS;

Result<AdherenceRequest> ReadRequest(sqlite3_stmt* st) {
  AdherenceRequest r;
  r.id = ColumnInt(st, 0);
  r.statement_id = ColumnInt(st, 1);
  r.org_name = ColumnText(st, 2);
  r.org_short_name = ColumnText(st, 3);
  r.org_country = ColumnText(st, 4);
  auto kind = auth::ParseOrgKind(ColumnText(st, 5));
  if (!kind) return Status::Corruption("an adherence request has an unknown organization kind");
  r.org_kind = *kind;
  r.org_website = ColumnText(st, 6);
  r.signatory_name = ColumnText(st, 7);
  r.signatory_title = ColumnText(st, 8);
  r.signatory_email = ColumnText(st, 9);
  r.message = ColumnText(st, 10);
  r.ip = ColumnText(st, 11);
  r.challenge_sha256 = ColumnText(st, 12);
  auto state = ParseAdherenceState(ColumnText(st, 13));
  if (!state) return Status::Corruption("an adherence request has an unknown state");
  r.state = *state;
  r.created_at = ColumnInt(st, 14);
  r.decided_by = ColumnInt(st, 15);
  r.decided_at = ColumnInt(st, 16);
  r.reason = ColumnText(st, 17);
  r.organization_id = ColumnInt(st, 18);
  r.invitation_id = ColumnInt(st, 19);
  return r;
}

Result<bool> ReadBool(sqlite3_stmt* st) { return ColumnInt(st, 0) != 0; }

Status NoRequest(auth::Id id) {
  return Status::NotFound("no adherence request " + std::to_string(id) + " for this statement");
}

class SqliteAdherenceStore final : public AdherenceStore {
 public:
  explicit SqliteAdherenceStore(std::unique_ptr<Database> db)
      : db_(std::move(db)), statements_(db_->handle()) {}

  Result<bool> OpenForSignature(auth::Id statement_id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kGetOpen)
        .Bind(statement_id)
        .One(&ReadBool, "cannot read the statement",
             Status::NotFound("no statement " + std::to_string(statement_id)));
  }

  Status SetOpenForSignature(auth::Id statement_id, bool open) override {
    std::lock_guard lock(mu_);
    auto n = Query(statements_, kSetOpen).Bind(statement_id, open).Run("cannot update it");
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no statement " + std::to_string(statement_id));
    return Status::Ok();
  }

  Result<AdherenceRequest> AddRequest(const AdherenceRequest& r, int64_t max_pending) override {
    std::lock_guard lock(mu_);
    // The checks and the insert in one write transaction, so that concurrent posts can neither
    // spend one challenge twice nor together pass the cap.
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto spent = Count(kChallengeSpent, r.challenge_sha256);
    if (!spent.ok()) return spent.status();
    if (*spent > 0) return Status::AlreadyExists("this challenge has been used already");
    auto pending = Query(statements_, kCountPending)
                       .Bind(r.statement_id)
                       .One(&ReadInt, "cannot count requests", Status::Internal("no count"));
    if (!pending.ok()) return pending.status();
    if (*pending >= max_pending) {
      return Status::ResourceExhausted("the statement has " + std::to_string(*pending) +
                                       " requests awaiting review, the most it may have");
    }
    auto same = Query(statements_, kEmailPending)
                    .Bind(r.statement_id, r.signatory_email)
                    .One(&ReadInt, "cannot check requests", Status::Internal("no count"));
    if (!same.ok()) return same.status();
    if (*same > 0) {
      return Status::FailedPrecondition("a request from this address awaits review already");
    }
    auto stored =
        Query(statements_, kInsert)
            .Bind(r.statement_id, r.org_name, r.org_short_name, r.org_country,
                  auth::OrgKindName(r.org_kind), r.org_website, r.signatory_name, r.signatory_title,
                  r.signatory_email, r.message, r.ip, r.challenge_sha256, r.created_at)
            .One(&ReadRequest, "cannot store the request",
                 Status::Internal("INSERT RETURNING gave no row"));
    if (!stored.ok()) return stored;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return stored;
  }

  Result<AdherenceRequest> GetRequest(auth::Id statement_id, auth::Id id) override {
    std::lock_guard lock(mu_);
    return Query(statements_, kGet)
        .Bind(statement_id, id)
        .One(&ReadRequest, "cannot read the request", NoRequest(id));
  }

  Result<std::vector<AdherenceRequest>> ListRequests(auth::Id statement_id,
                                                     std::optional<AdherenceState> state) override {
    std::lock_guard lock(mu_);
    if (state) {
      return Query(statements_, kListInState)
          .Bind(statement_id, AdherenceStateName(*state))
          .All(&ReadRequest, "cannot list requests");
    }
    return Query(statements_, kList).Bind(statement_id).All(&ReadRequest, "cannot list requests");
  }

  Result<AdherenceApproved> Approve(const AdherenceApproval& a) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto request = Query(statements_, kGet)
                       .Bind(a.statement_id, a.request_id)
                       .One(&ReadRequest, "cannot read the request", NoRequest(a.request_id));
    if (!request.ok()) return request.status();
    if (request->state != AdherenceState::kPending) {
      return Status::FailedPrecondition(
          "the request was " + std::string(AdherenceStateName(request->state)) + " already");
    }
    AdherenceApproved out;
    if (a.existing_organization_id != 0) {
      auto org = Query(statements_, kGetOrg)
                     .Bind(a.existing_organization_id)
                     .One(&account_sql::ReadOrganization, "cannot read the organization",
                          Status::NotFound("no organization " +
                                           std::to_string(a.existing_organization_id)));
      if (!org.ok()) return org.status();
      out.organization = std::move(*org);
    } else {
      auto org = Query(statements_, kInsertOrg)
                     .Bind(request->org_name, request->org_short_name, request->org_country,
                           auth::OrgKindName(request->org_kind), request->org_website, a.now)
                     .OnClash("organizations.short_name", "an organization with the short name \"" +
                                                              request->org_short_name +
                                                              "\" exists already")
                     .One(&account_sql::ReadOrganization, "cannot create the organization",
                          Status::Internal("INSERT RETURNING gave no row"));
      if (!org.ok()) return org.status();
      out.organization = std::move(*org);
      out.organization_created = true;
    }
    auto joined = Query(statements_, kAddSigner)
                      .Bind(a.statement_id, out.organization.id)
                      .Run("cannot add the participant");
    if (!joined.ok()) return joined.status();
    auto invitation =
        Query(statements_, kInsertInvitation)
            .Bind(a.invitation_token_hash, request->signatory_email, request->signatory_name,
                  out.organization.id, a.decided_by, a.now, a.invitation_expires_at)
            .One(&account_sql::ReadInvitation, "cannot store the invitation",
                 Status::Internal("INSERT RETURNING gave no row"));
    if (!invitation.ok()) return invitation.status();
    out.invitation = std::move(*invitation);
    auto decided = Query(statements_, kApprove)
                       .Bind(a.statement_id, a.request_id, a.decided_by, a.now, out.organization.id,
                             out.invitation.id)
                       .One(&ReadRequest, "cannot record the approval",
                            Status::Internal("the pending request vanished"));
    if (!decided.ok()) return decided.status();
    out.request = std::move(*decided);
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return out;
  }

  Result<AdherenceRequest> Reject(auth::Id statement_id, auth::Id id, auth::Id decided_by,
                                  std::string_view reason, auth::UnixTime now) override {
    std::lock_guard lock(mu_);
    Transaction txn(db_->handle());
    ACCORD_RETURN_IF_ERROR(txn.Begin());
    auto request = Query(statements_, kGet)
                       .Bind(statement_id, id)
                       .One(&ReadRequest, "cannot read the request", NoRequest(id));
    if (!request.ok()) return request.status();
    if (request->state != AdherenceState::kPending) {
      return Status::FailedPrecondition(
          "the request was " + std::string(AdherenceStateName(request->state)) + " already");
    }
    auto decided = Query(statements_, kReject)
                       .Bind(statement_id, id, decided_by, now, reason)
                       .One(&ReadRequest, "cannot record the rejection",
                            Status::Internal("the pending request vanished"));
    if (!decided.ok()) return decided;
    ACCORD_RETURN_IF_ERROR(txn.Commit());
    return decided;
  }

 private:
  Result<int64_t> Count(const char* sql, std::string_view value) {
    return Query(statements_, sql)
        .Bind(value)
        .One(&ReadInt, "cannot count requests", Status::Internal("no count"));
  }

  std::mutex mu_;
  std::unique_ptr<Database> db_;
  sqlite::StatementCache statements_;  // destroyed before db_ closes
};

}  // namespace

std::string_view AdherenceStateName(AdherenceState state) {
  switch (state) {
    case AdherenceState::kPending:
      return "pending";
    case AdherenceState::kApproved:
      return "approved";
    case AdherenceState::kRejected:
      return "rejected";
  }
  return "pending";
}

std::optional<AdherenceState> ParseAdherenceState(std::string_view name) {
  for (AdherenceState s :
       {AdherenceState::kPending, AdherenceState::kApproved, AdherenceState::kRejected}) {
    if (AdherenceStateName(s) == name) return s;
  }
  return std::nullopt;
}

Result<std::unique_ptr<AdherenceStore>> OpenSqliteAdherenceStore(const std::string& data_dir) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  return std::unique_ptr<AdherenceStore>(new SqliteAdherenceStore(std::move(*db)));
}

}  // namespace accord::server
