// accord/auth/account_store.h: where users, organizations, memberships, statements'
// participants, invitations, sessions, API tokens and the audit log are kept.
//
// An interface, so that the embedded SQLite store (server/src/sqlite_account_store.h) and a
// later PostgreSQL one are interchangeable. Secrets never reach it in clear: callers pass the
// SHA-256 of a token (secret.h HashToken) and the Argon2id string of a password (password.h).
//
// Contract for implementations:
//   - Thread-safe: any method may be called from any thread.
//   - Every method that changes several rows does so in one transaction: all or nothing.
//   - Errors: NotFound for an unknown id/hash, AlreadyExists for a unique clash (an email, an
//     organization's short name, a statement's slug, a duplicate membership), InvalidArgument
//     for values the schema refuses, FailedPrecondition for a link that is used, revoked or
//     expired, IOError when the database fails.
//   - Times are passed in (`now`), never read from the clock, so tests can move them.
#ifndef ACCORD_AUTH_ACCOUNT_STORE_H_
#define ACCORD_AUTH_ACCOUNT_STORE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::auth {

// Partial updates: unset fields stay as they are.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> language;
  std::optional<bool> disabled;
};
struct OrganizationPatch {
  std::optional<std::string> name;
  std::optional<std::string> short_name;
  std::optional<std::string> country;
  std::optional<OrgKind> kind;
  std::optional<std::string> website;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // --- Users ---
  // `email` is lower-cased before it is stored and compared.
  virtual Result<User> CreateUser(std::string_view email, std::string_view display_name,
                                  std::string_view language, UnixTime now) = 0;
  virtual Result<User> GetUser(Id id) = 0;
  virtual Result<User> FindUserByEmail(std::string_view email) = 0;
  virtual Result<std::vector<User>> ListUsers() = 0;
  virtual Result<User> UpdateUser(Id id, const UserPatch& patch) = 0;
  // The stored Argon2id string; "" if the user has none yet.
  virtual Result<std::string> GetPasswordHash(Id user_id) = 0;
  virtual Status SetPasswordHash(Id user_id, std::string_view password_hash) = 0;

  // --- Organizations ---
  // `org.id` and `created_at` are ignored and assigned. At most one organization may host the
  // instance (AlreadyExists for a second).
  virtual Result<Organization> CreateOrganization(const Organization& org, UnixTime now) = 0;
  virtual Result<Organization> GetOrganization(Id id) = 0;
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;
  virtual Result<Organization> UpdateOrganization(Id id, const OrganizationPatch& patch) = 0;
  // NotFound until the instance has been bootstrapped.
  virtual Result<Organization> HostOrganization() = 0;

  // --- Memberships --- (a user may hold several roles in several organizations)
  virtual Result<Membership> AddMembership(Id user_id, Id organization_id, Role role,
                                           UnixTime now) = 0;
  virtual Result<Membership> GetMembership(Id id) = 0;
  virtual Status RemoveMembership(Id id) = 0;
  virtual Result<std::vector<Membership>> ListMembershipsOfUser(Id user_id) = 0;
  virtual Result<std::vector<Membership>> ListMembershipsOfOrganization(Id organization_id) = 0;

  // --- Statements and their participants (the drafting issue extends statements) ---
  // `language`: the statement's source language, a BCP 47 tag ("es", "pt-BR").
  virtual Result<StatementRef> CreateStatement(std::string_view slug, std::string_view title,
                                               std::string_view language, UnixTime now) = 0;
  virtual Result<StatementRef> GetStatement(Id id) = 0;
  virtual Result<StatementRef> FindStatementBySlug(std::string_view slug) = 0;
  virtual Result<std::vector<StatementRef>> ListStatements() = 0;
  virtual Status SetStatementPhase(Id statement_id, Phase phase,
                                   std::optional<UnixTime> deadline) = 0;
  // Inserts or replaces the organization's participation.
  virtual Status SetParticipation(const Participation& participation) = 0;
  virtual Status RemoveParticipation(Id statement_id, Id organization_id) = 0;
  virtual Result<std::vector<Participation>> ListParticipants(Id statement_id) = 0;

  // --- Invitations and password resets ---
  // `invitation.id`, `created_at`, `used_at`, `revoked_at` are ignored and assigned.
  virtual Result<Invitation> CreateInvitation(const Invitation& invitation,
                                              std::string_view token_hash, UnixTime now) = 0;
  virtual Result<Invitation> FindInvitationByTokenHash(std::string_view token_hash) = 0;
  virtual Result<std::vector<Invitation>> ListPendingInvitations(UnixTime now) = 0;
  virtual Status RevokeInvitation(Id id, UnixTime now) = 0;
  // In one transaction: checks the link is an invitation that is unused, unrevoked and not
  // expired at `now` (FailedPrecondition otherwise), creates the user if the email is new
  // (with `display_name`, `language`), sets the password hash, adds the membership (unless
  // the user already holds it) and marks the link used. Returns the user.
  virtual Result<User> AcceptInvitation(std::string_view token_hash, std::string_view password_hash,
                                        std::string_view display_name, std::string_view language,
                                        UnixTime now) = 0;
  // In one transaction: checks the link is a live password reset, sets the user's password
  // hash, marks the link used and deletes every session of the user. Returns the user.
  virtual Result<User> CompletePasswordReset(std::string_view token_hash,
                                             std::string_view password_hash, UnixTime now) = 0;

  // --- Sessions ---
  // `session.id` is ignored and assigned.
  virtual Result<Session> CreateSession(const Session& session, std::string_view token_hash) = 0;
  // The session whatever its expiry (the caller decides, it knows the idle limit).
  virtual Result<Session> FindSessionByTokenHash(std::string_view token_hash) = 0;
  virtual Status TouchSession(Id session_id, UnixTime now) = 0;
  virtual Status DeleteSession(Id session_id) = 0;
  // Returns how many were deleted ("log out everywhere", a disabled user, a reset password).
  virtual Result<int> DeleteSessionsOfUser(Id user_id) = 0;
  virtual Result<std::vector<Session>> ListSessionsOfUser(Id user_id) = 0;

  // --- API tokens ---
  // `token.id`, `created_at`, `last_used_at`, `revoked_at` are ignored and assigned.
  virtual Result<ApiToken> CreateApiToken(const ApiToken& token, std::string_view token_hash,
                                          UnixTime now) = 0;
  virtual Result<ApiToken> FindApiTokenByTokenHash(std::string_view token_hash) = 0;
  virtual Result<ApiToken> GetApiToken(Id id) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokensOfUser(Id user_id) = 0;
  virtual Status RevokeApiToken(Id id, UnixTime now) = 0;
  virtual Status TouchApiToken(Id id, UnixTime now) = 0;

  // --- Audit log (append-only: there is no update or delete) ---
  // `event.id` is ignored and assigned; returns it.
  virtual Result<Id> AppendAudit(const AuditEvent& event) = 0;
  // Newest first; events with id < `before_id` (0: from the newest), at most `limit`.
  virtual Result<std::vector<AuditEvent>> ListAudit(Id before_id, int limit) = 0;
};

}  // namespace accord::auth

#endif  // ACCORD_AUTH_ACCOUNT_STORE_H_
