// SqliteAccountStore: the AccountStore on the tables of migration 4 (server/STORAGE.md).
#include "sqlite_account_store.h"

#include <sqlite3.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "database.h"
#include "sqlite_account_store_rows.h"

namespace accord::server {

using account_sql::InvitationKindName;
using account_sql::LowerAscii;
using account_sql::Query;
using account_sql::ReadApiToken;
using account_sql::ReadAuditEvent;
using account_sql::ReadInt;
using account_sql::ReadInvitation;
using account_sql::ReadMembership;
using account_sql::ReadOrganization;
using account_sql::ReadParticipation;
using account_sql::ReadSession;
using account_sql::ReadStatement;
using account_sql::ReadText;
using account_sql::ReadUser;
using account_sql::Transaction;
using auth::Id;
using auth::UnixTime;
namespace sql = account_sql::sql;

namespace {

// --- Helpers ---

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

Status NoSuch(std::string_view what, Id id) {
  return Status::NotFound("no " + std::string(what) + " with id " + std::to_string(id));
}

// OK when the statement changed a row, `not_found` when it changed none.
Status ChangedARow(const Result<int>& changed, Status not_found) {
  if (!changed.ok()) return changed.status();
  return *changed > 0 ? Status::Ok() : not_found;
}

// Commits `txn` and returns `value`, or the commit's error.
template <typename T>
Result<T> CommitWith(Transaction& txn, Result<T> value) {
  if (!value.ok()) return value;
  ACCORD_RETURN_IF_ERROR(txn.Commit());
  return value;
}

}  // namespace

// --- Opening ---

Result<std::unique_ptr<SqliteAccountStore>> SqliteAccountStore::Open(const std::string& data_dir) {
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  return std::unique_ptr<SqliteAccountStore>(new SqliteAccountStore(std::move(*db)));
}

SqliteAccountStore::SqliteAccountStore(std::unique_ptr<Database> db)
    : db_(std::move(db)),
      statements_(std::make_unique<account_sql::StatementCache>(db_->handle())) {}

SqliteAccountStore::~SqliteAccountStore() {
  statements_.reset();  // finalize every statement before the connection closes
}

Result<std::string> SqliteAccountStore::LabelLocked(const char* sql, Id id, std::string_view what) {
  return Query(*statements_, sql)
      .Bind(id)
      .One(ReadText, "cannot read " + std::string(what), NoSuch(what, id));
}

// --- Users ---

Result<auth::User> SqliteAccountStore::InsertUserLocked(std::string_view lower_email,
                                                        std::string_view display_name,
                                                        std::string_view language,
                                                        std::string_view password_hash,
                                                        UnixTime now) {
  return Query(*statements_, sql::kInsertUser)
      .Bind(lower_email, display_name, language, password_hash, now)
      .OnClash("users.email", "a user with the e-mail " + Quoted(lower_email) + " already exists")
      .One(ReadUser, "cannot create the user", Status::Internal("INSERT returned no user"));
}

Result<auth::User> SqliteAccountStore::CreateUser(std::string_view email,
                                                  std::string_view display_name,
                                                  std::string_view language, UnixTime now) {
  std::lock_guard lock(mu_);
  return InsertUserLocked(LowerAscii(email), display_name, language, "", now);
}

Result<auth::User> SqliteAccountStore::GetUserLocked(Id id) {
  return Query(*statements_, sql::kGetUser)
      .Bind(id)
      .One(ReadUser, "cannot read the user", NoSuch("user", id));
}

Result<auth::User> SqliteAccountStore::GetUser(Id id) {
  std::lock_guard lock(mu_);
  return GetUserLocked(id);
}

Result<auth::User> SqliteAccountStore::FindUserByEmailLocked(std::string_view lower_email) {
  return Query(*statements_, sql::kFindUser)
      .Bind(lower_email)
      .One(ReadUser, "cannot read the user",
           Status::NotFound("no user with the e-mail " + Quoted(lower_email)));
}

Result<auth::User> SqliteAccountStore::FindUserByEmail(std::string_view email) {
  std::lock_guard lock(mu_);
  return FindUserByEmailLocked(LowerAscii(email));
}

Result<std::vector<auth::User>> SqliteAccountStore::ListUsers() {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kListUsers).All(ReadUser, "cannot list users");
}

Result<auth::User> SqliteAccountStore::UpdateUser(Id id, const auth::UserPatch& patch) {
  std::lock_guard lock(mu_);
  Query q(*statements_, sql::kUpdateUser);
  q.Bind(id);  // unbound parameters are NULL: COALESCE keeps the stored value
  if (patch.display_name) q.Text(2, *patch.display_name);
  if (patch.language) q.Text(3, *patch.language);
  if (patch.disabled) q.Bool(4, *patch.disabled);
  return q.One(ReadUser, "cannot update the user", NoSuch("user", id));
}

Result<std::string> SqliteAccountStore::GetPasswordHash(Id user_id) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kGetPassword)
      .Bind(user_id)
      .One(ReadText, "cannot read the password hash", NoSuch("user", user_id));
}

Status SqliteAccountStore::SetPasswordHash(Id user_id, std::string_view password_hash) {
  std::lock_guard lock(mu_);
  return ChangedARow(Query(*statements_, sql::kSetPassword)
                         .Bind(user_id, password_hash)
                         .Run("cannot set the password hash"),
                     NoSuch("user", user_id));
}

// --- Organizations ---

Result<auth::Organization> SqliteAccountStore::HostOrganizationLocked() {
  return Query(*statements_, sql::kHostOrg)
      .One(ReadOrganization, "cannot read the host organization",
           Status::NotFound("no organization hosts the instance yet (see `accord bootstrap`)"));
}

Result<auth::Organization> SqliteAccountStore::CreateOrganization(const auth::Organization& org,
                                                                  UnixTime now) {
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  if (org.hosts_instance) {
    auto host = HostOrganizationLocked();
    if (host.ok()) {
      return Status::AlreadyExists("the organization " + Quoted(host->short_name) +
                                   " already hosts the instance");
    }
    if (host.status().code() != Status::Code::kNotFound) return host.status();
  }
  return CommitWith(
      txn, Query(*statements_, sql::kInsertOrg)
               .Bind(org.name, org.short_name, org.country, auth::OrgKindName(org.kind),
                     org.website, org.hosts_instance, now)
               .OnClash("organizations.short_name", "an organization with short name " +
                                                        Quoted(org.short_name) + " already exists")
               .OnClash("organizations.hosts_instance",
                        "another organization already hosts the instance")
               .One(ReadOrganization, "cannot create the organization",
                    Status::Internal("INSERT returned no organization")));
}

Result<auth::Organization> SqliteAccountStore::GetOrganization(Id id) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kGetOrg)
      .Bind(id)
      .One(ReadOrganization, "cannot read the organization", NoSuch("organization", id));
}

Result<std::vector<auth::Organization>> SqliteAccountStore::ListOrganizations() {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kListOrgs).All(ReadOrganization, "cannot list organizations");
}

Result<auth::Organization> SqliteAccountStore::UpdateOrganization(
    Id id, const auth::OrganizationPatch& patch) {
  std::lock_guard lock(mu_);
  Query q(*statements_, sql::kUpdateOrg);
  q.Bind(id);
  if (patch.name) q.Text(2, *patch.name);
  if (patch.short_name) {
    q.Text(3, *patch.short_name);
    q.OnClash("organizations.short_name",
              "an organization with short name " + Quoted(*patch.short_name) + " already exists");
  }
  if (patch.country) q.Text(4, *patch.country);
  if (patch.kind) q.Text(5, auth::OrgKindName(*patch.kind));
  if (patch.website) q.Text(6, *patch.website);
  return q.One(ReadOrganization, "cannot update the organization", NoSuch("organization", id));
}

Result<auth::Organization> SqliteAccountStore::HostOrganization() {
  std::lock_guard lock(mu_);
  return HostOrganizationLocked();
}

// --- Memberships ---

Result<auth::Membership> SqliteAccountStore::AddMembership(Id user_id, Id organization_id,
                                                           auth::Role role, UnixTime now) {
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  auto email = LabelLocked(sql::kUserLabel, user_id, "user");
  if (!email.ok()) return email.status();
  auto org = LabelLocked(sql::kOrgLabel, organization_id, "organization");
  if (!org.ok()) return org.status();
  return CommitWith(
      txn, Query(*statements_, sql::kInsertMembership)
               .Bind(user_id, organization_id, auth::RoleName(role), now)
               .OnClash("memberships.user_id", *email + " already holds the role " +
                                                   Quoted(auth::RoleName(role)) + " in " + *org)
               .One(ReadMembership, "cannot add the membership",
                    Status::Internal("INSERT returned no membership")));
}

Result<auth::Membership> SqliteAccountStore::GetMembership(Id id) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kGetMembership)
      .Bind(id)
      .One(ReadMembership, "cannot read the membership", NoSuch("membership", id));
}

Status SqliteAccountStore::RemoveMembership(Id id) {
  std::lock_guard lock(mu_);
  return ChangedARow(
      Query(*statements_, sql::kRemoveMembership).Bind(id).Run("cannot remove the membership"),
      NoSuch("membership", id));
}

Result<std::vector<auth::Membership>> SqliteAccountStore::ListMembershipsOfUser(Id user_id) {
  std::lock_guard lock(mu_);
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, user_id, "user").status());
  return Query(*statements_, sql::kMembershipsOfUser)
      .Bind(user_id)
      .All(ReadMembership, "cannot list memberships");
}

Result<std::vector<auth::Membership>> SqliteAccountStore::ListMembershipsOfOrganization(
    Id organization_id) {
  std::lock_guard lock(mu_);
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kOrgLabel, organization_id, "organization").status());
  return Query(*statements_, sql::kMembershipsOfOrg)
      .Bind(organization_id)
      .All(ReadMembership, "cannot list memberships");
}

// --- Statements and participants ---

Result<auth::StatementRef> SqliteAccountStore::CreateStatement(std::string_view slug,
                                                               std::string_view title,
                                                               std::string_view language,
                                                               UnixTime now) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kInsertStatement)
      .Bind(slug, title, now, language)
      .OnClash("statements.slug", "a statement with the slug " + Quoted(slug) + " already exists")
      .One(ReadStatement, "cannot create the statement",
           Status::Internal("INSERT returned no statement"));
}

Result<auth::StatementRef> SqliteAccountStore::GetStatement(Id id) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kGetStatement)
      .Bind(id)
      .One(ReadStatement, "cannot read the statement", NoSuch("statement", id));
}

Result<auth::StatementRef> SqliteAccountStore::FindStatementBySlug(std::string_view slug) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kFindStatement)
      .Bind(slug)
      .One(ReadStatement, "cannot read the statement",
           Status::NotFound("no statement with the slug " + Quoted(slug)));
}

Result<std::vector<auth::StatementRef>> SqliteAccountStore::ListStatements() {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kListStatements).All(ReadStatement, "cannot list statements");
}

Status SqliteAccountStore::SetStatementPhase(Id statement_id, auth::Phase phase,
                                             std::optional<UnixTime> deadline) {
  std::lock_guard lock(mu_);
  return ChangedARow(Query(*statements_, sql::kSetPhase)
                         .Bind(statement_id, auth::PhaseName(phase), deadline)
                         .Run("cannot set the statement's phase"),
                     NoSuch("statement", statement_id));
}

Status SqliteAccountStore::SetParticipation(const auth::Participation& p) {
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kStatementLabel, p.statement_id, "statement").status());
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kOrgLabel, p.organization_id, "organization").status());
  auto changed = Query(*statements_, sql::kUpsertParticipant)
                     .Bind(p.statement_id, p.organization_id, p.convener, p.edit, p.amend, p.sign)
                     .Run("cannot set the participation");
  if (!changed.ok()) return changed.status();
  return txn.Commit();
}

Status SqliteAccountStore::RemoveParticipation(Id statement_id, Id organization_id) {
  std::lock_guard lock(mu_);
  return ChangedARow(
      Query(*statements_, sql::kRemoveParticipant)
          .Bind(statement_id, organization_id)
          .Run("cannot remove the participation"),
      Status::NotFound("organization " + std::to_string(organization_id) +
                       " does not take part in statement " + std::to_string(statement_id)));
}

Result<std::vector<auth::Participation>> SqliteAccountStore::ListParticipants(Id statement_id) {
  std::lock_guard lock(mu_);
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kStatementLabel, statement_id, "statement").status());
  return Query(*statements_, sql::kParticipants)
      .Bind(statement_id)
      .All(ReadParticipation, "cannot list participants");
}

// --- Invitations and password resets ---

Result<auth::Invitation> SqliteAccountStore::CreateInvitation(const auth::Invitation& inv,
                                                              std::string_view token_hash,
                                                              UnixTime now) {
  const bool is_invitation = inv.kind == auth::Invitation::Kind::kInvitation;
  const std::string email = LowerAscii(inv.email);
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  if (is_invitation) {
    ACCORD_RETURN_IF_ERROR(
        LabelLocked(sql::kOrgLabel, inv.organization_id, "organization").status());
  } else {
    // A reset is for an existing account.
    ACCORD_RETURN_IF_ERROR(FindUserByEmailLocked(email).status());
  }
  if (inv.invited_by != 0) {
    ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, inv.invited_by, "user").status());
  }
  Query q(*statements_, sql::kInsertInvitation);
  q.Bind(InvitationKindName(inv.kind), token_hash, email, inv.display_name)
      .IdOrNull(7, inv.invited_by)
      .Int(8, now)
      .Int(9, inv.expires_at)
      .OnClash("invitations.token_hash", "a link with this token hash already exists");
  if (is_invitation) q.Int(5, inv.organization_id).Text(6, auth::RoleName(inv.role));
  return CommitWith(txn, q.One(ReadInvitation, "cannot create the invitation",
                               Status::Internal("INSERT returned no invitation")));
}

Result<auth::Invitation> SqliteAccountStore::FindInvitationLocked(std::string_view token_hash) {
  return Query(*statements_, sql::kFindInvitation)
      .Bind(token_hash)
      .One(ReadInvitation, "cannot read the invitation",
           Status::NotFound("no invitation or password reset with this token"));
}

Result<auth::Invitation> SqliteAccountStore::FindInvitationByTokenHash(
    std::string_view token_hash) {
  std::lock_guard lock(mu_);
  return FindInvitationLocked(token_hash);
}

Result<std::vector<auth::Invitation>> SqliteAccountStore::ListPendingInvitations(UnixTime now) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kPendingInvitations)
      .Bind(now)
      .All(ReadInvitation, "cannot list invitations");
}

Status SqliteAccountStore::RevokeInvitation(Id id, UnixTime now) {
  std::lock_guard lock(mu_);
  auto changed = Query(*statements_, sql::kRevokeInvitation).Bind(id, now).Run("cannot revoke");
  if (!changed.ok()) return changed.status();
  if (*changed > 0) return Status::Ok();
  // Nothing changed: say why (revoking twice is harmless and keeps the first time).
  auto inv = Query(*statements_, sql::kGetInvitation)
                 .Bind(id)
                 .One(ReadInvitation, "cannot read the invitation", NoSuch("invitation", id));
  if (!inv.ok()) return inv.status();
  if (inv->used_at) {
    return Status::FailedPrecondition("invitation " + std::to_string(id) +
                                      " has already been used");
  }
  return Status::Ok();
}

Result<auth::Invitation> SqliteAccountStore::LiveLinkLocked(std::string_view token_hash,
                                                            auth::Invitation::Kind kind,
                                                            UnixTime now) {
  auto inv = FindInvitationLocked(token_hash);
  if (!inv.ok()) return inv.status();
  const bool want_invitation = kind == auth::Invitation::Kind::kInvitation;
  const std::string what = want_invitation ? "this invitation" : "this password reset link";
  if (inv->kind != kind) {
    return Status::FailedPrecondition(want_invitation
                                          ? "this link is a password reset, not an invitation"
                                          : "this link is an invitation, not a password reset");
  }
  if (inv->used_at) return Status::FailedPrecondition(what + " has already been used");
  if (inv->revoked_at) return Status::FailedPrecondition(what + " has been revoked");
  if (now >= inv->expires_at) return Status::FailedPrecondition(what + " has expired");
  return inv;
}

Result<auth::User> SqliteAccountStore::AcceptInvitation(std::string_view token_hash,
                                                        std::string_view password_hash,
                                                        std::string_view display_name,
                                                        std::string_view language, UnixTime now) {
  if (password_hash.empty()) return Status::InvalidArgument("an invitation needs a password");
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  auto inv = LiveLinkLocked(token_hash, auth::Invitation::Kind::kInvitation, now);
  if (!inv.ok()) return inv.status();
  std::string_view name = display_name.empty() ? std::string_view(inv->display_name) : display_name;
  auto user = FindUserByEmailLocked(inv->email);
  if (user.ok()) {
    if (user->disabled) {
      return Status::FailedPrecondition("the account " + Quoted(user->email) + " is disabled");
    }
    ACCORD_RETURN_IF_ERROR(Query(*statements_, sql::kAcceptExistingUser)
                               .Bind(user->id, password_hash, name, language)
                               .Run("cannot set the password hash")
                               .status());
  } else if (user.status().code() == Status::Code::kNotFound) {
    user = InsertUserLocked(inv->email, name, language, password_hash, now);
    if (!user.ok()) return user.status();
  } else {
    return user.status();
  }
  const Id user_id = user->id;
  ACCORD_RETURN_IF_ERROR(Query(*statements_, sql::kEnsureMembership)
                             .Bind(user_id, inv->organization_id, auth::RoleName(inv->role), now)
                             .Run("cannot add the membership")
                             .status());
  ACCORD_RETURN_IF_ERROR(ChangedARow(
      Query(*statements_, sql::kUseInvitation).Bind(inv->id, now).Run("cannot use the link"),
      Status::FailedPrecondition("this invitation has already been used")));
  return CommitWith(txn, GetUserLocked(user_id));
}

Result<auth::User> SqliteAccountStore::CompletePasswordReset(std::string_view token_hash,
                                                             std::string_view password_hash,
                                                             UnixTime now) {
  if (password_hash.empty()) return Status::InvalidArgument("a password reset needs a password");
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  auto link = LiveLinkLocked(token_hash, auth::Invitation::Kind::kPasswordReset, now);
  if (!link.ok()) return link.status();
  auto user = FindUserByEmailLocked(link->email);
  if (!user.ok()) return user.status();
  ACCORD_RETURN_IF_ERROR(Query(*statements_, sql::kSetPassword)
                             .Bind(user->id, password_hash)
                             .Run("cannot set the password hash")
                             .status());
  ACCORD_RETURN_IF_ERROR(Query(*statements_, sql::kDeleteSessionsOfUser)
                             .Bind(user->id)
                             .Run("cannot delete the user's sessions")
                             .status());
  ACCORD_RETURN_IF_ERROR(ChangedARow(
      Query(*statements_, sql::kUseInvitation).Bind(link->id, now).Run("cannot use the link"),
      Status::FailedPrecondition("this password reset link has already been used")));
  return CommitWith(txn, GetUserLocked(user->id));
}

// --- Sessions ---

Result<auth::Session> SqliteAccountStore::CreateSession(const auth::Session& session,
                                                        std::string_view token_hash) {
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, session.user_id, "user").status());
  return CommitWith(
      txn, Query(*statements_, sql::kInsertSession)
               .Bind(token_hash, session.user_id, session.created_at, session.last_seen_at,
                     session.expires_at, session.user_agent, session.ip)
               .OnClash("sessions.token_hash", "a session with this token hash already exists")
               .One(ReadSession, "cannot create the session",
                    Status::Internal("INSERT returned no session")));
}

Result<auth::Session> SqliteAccountStore::FindSessionByTokenHash(std::string_view token_hash) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kFindSession)
      .Bind(token_hash)
      .One(ReadSession, "cannot read the session", Status::NotFound("no session with this token"));
}

Status SqliteAccountStore::TouchSession(Id session_id, UnixTime now) {
  std::lock_guard lock(mu_);
  return ChangedARow(
      Query(*statements_, sql::kTouchSession).Bind(session_id, now).Run("cannot touch the session"),
      NoSuch("session", session_id));
}

Status SqliteAccountStore::DeleteSession(Id session_id) {
  std::lock_guard lock(mu_);
  return ChangedARow(
      Query(*statements_, sql::kDeleteSession).Bind(session_id).Run("cannot delete the session"),
      NoSuch("session", session_id));
}

Result<int> SqliteAccountStore::DeleteSessionsOfUser(Id user_id) {
  std::lock_guard lock(mu_);
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, user_id, "user").status());
  return Query(*statements_, sql::kDeleteSessionsOfUser)
      .Bind(user_id)
      .Run("cannot delete the user's sessions");
}

Result<std::vector<auth::Session>> SqliteAccountStore::ListSessionsOfUser(Id user_id) {
  std::lock_guard lock(mu_);
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, user_id, "user").status());
  return Query(*statements_, sql::kSessionsOfUser)
      .Bind(user_id)
      .All(ReadSession, "cannot list sessions");
}

// --- API tokens ---

Result<auth::ApiToken> SqliteAccountStore::CreateApiToken(const auth::ApiToken& token,
                                                          std::string_view token_hash,
                                                          UnixTime now) {
  std::lock_guard lock(mu_);
  Transaction txn(db_->handle());
  ACCORD_RETURN_IF_ERROR(txn.Begin());
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, token.user_id, "user").status());
  return CommitWith(
      txn, Query(*statements_, sql::kInsertApiToken)
               .Bind(token_hash, token.user_id, token.name, auth::FormatScopes(token.scopes),
                     token.document_pattern, now, token.expires_at)
               .OnClash("api_tokens.token_hash", "an API token with this token hash already exists")
               .One(ReadApiToken, "cannot create the API token",
                    Status::Internal("INSERT returned no API token")));
}

Result<auth::ApiToken> SqliteAccountStore::FindApiTokenByTokenHash(std::string_view token_hash) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kFindApiToken)
      .Bind(token_hash)
      .One(ReadApiToken, "cannot read the API token",
           Status::NotFound("no API token with this token"));
}

Result<auth::ApiToken> SqliteAccountStore::GetApiToken(Id id) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kGetApiToken)
      .Bind(id)
      .One(ReadApiToken, "cannot read the API token", NoSuch("API token", id));
}

Result<std::vector<auth::ApiToken>> SqliteAccountStore::ListApiTokensOfUser(Id user_id) {
  std::lock_guard lock(mu_);
  ACCORD_RETURN_IF_ERROR(LabelLocked(sql::kUserLabel, user_id, "user").status());
  return Query(*statements_, sql::kApiTokensOfUser)
      .Bind(user_id)
      .All(ReadApiToken, "cannot list API tokens");
}

Status SqliteAccountStore::RevokeApiToken(Id id, UnixTime now) {
  std::lock_guard lock(mu_);
  return ChangedARow(Query(*statements_, sql::kRevokeApiToken).Bind(id, now).Run("cannot revoke"),
                     NoSuch("API token", id));
}

Status SqliteAccountStore::TouchApiToken(Id id, UnixTime now) {
  std::lock_guard lock(mu_);
  return ChangedARow(Query(*statements_, sql::kTouchApiToken).Bind(id, now).Run("cannot touch"),
                     NoSuch("API token", id));
}

// --- Audit log ---

Result<Id> SqliteAccountStore::AppendAudit(const auth::AuditEvent& event) {
  std::lock_guard lock(mu_);
  return Query(*statements_, sql::kAppendAudit)
      .Bind(event.at, event.kind, event.actor_user_id, event.ip, event.subject, event.detail)
      .One(ReadInt, "cannot append to the audit log", Status::Internal("INSERT returned no id"));
}

Result<std::vector<auth::AuditEvent>> SqliteAccountStore::ListAudit(Id before_id, int limit) {
  if (before_id < 0) return Status::InvalidArgument("before_id must not be negative");
  if (limit <= 0) return Status::InvalidArgument("limit must be positive");
  std::lock_guard lock(mu_);
  // `id < ?1` with a bound (rather than `?1 = 0 OR ...`) lets SQLite seek on the rowid.
  return Query(*statements_, sql::kListAudit)
      .Bind(before_id == 0 ? std::numeric_limits<Id>::max() : before_id, limit)
      .All(ReadAuditEvent, "cannot read the audit log");
}

}  // namespace accord::server
