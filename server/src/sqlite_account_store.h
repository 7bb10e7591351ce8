// sqlite_account_store.h: the AccountStore on the instance's SQLite file (migration 4 of
// database.cc; the tables are described in server/STORAGE.md).
//
// One connection behind one mutex: account traffic is light (logins, session touches, admin
// steps), so serialising it costs nothing that matters, and every method sees the effects of
// the ones before it. Statements are prepared on first use and kept. Methods that read before
// they write, or write several rows, run in one `BEGIN IMMEDIATE` transaction.
//
// Thread-safe. Other processes (the `accord` CLI) may open the same file at the same time; WAL
// mode and the busy timeout of Database::Open let them take turns.
#ifndef ACCORD_SERVER_SQLITE_ACCOUNT_STORE_H_
#define ACCORD_SERVER_SQLITE_ACCOUNT_STORE_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/account_store.h"
#include "accord/status.h"

namespace accord::server {

class Database;
namespace sqlite {
class StatementCache;
}  // namespace sqlite

class SqliteAccountStore final : public auth::AccountStore {
 public:
  // Opens (creating and migrating if needed) `<data_dir>/accord.db`.
  static Result<std::unique_ptr<SqliteAccountStore>> Open(const std::string& data_dir);
  ~SqliteAccountStore() override;
  SqliteAccountStore(const SqliteAccountStore&) = delete;
  SqliteAccountStore& operator=(const SqliteAccountStore&) = delete;

  Result<auth::User> CreateUser(std::string_view email, std::string_view display_name,
                                std::string_view language, auth::UnixTime now) override;
  Result<auth::User> GetUser(auth::Id id) override;
  Result<auth::User> FindUserByEmail(std::string_view email) override;
  Result<std::vector<auth::User>> ListUsers() override;
  Result<auth::User> UpdateUser(auth::Id id, const auth::UserPatch& patch) override;
  Result<std::string> GetPasswordHash(auth::Id user_id) override;
  Status SetPasswordHash(auth::Id user_id, std::string_view password_hash) override;

  Result<auth::Organization> CreateOrganization(const auth::Organization& org,
                                                auth::UnixTime now) override;
  Result<auth::Organization> GetOrganization(auth::Id id) override;
  Result<std::vector<auth::Organization>> ListOrganizations() override;
  Result<auth::Organization> UpdateOrganization(auth::Id id,
                                                const auth::OrganizationPatch& patch) override;
  Result<auth::Organization> HostOrganization() override;

  Result<auth::Membership> AddMembership(auth::Id user_id, auth::Id organization_id,
                                         auth::Role role, auth::UnixTime now) override;
  Result<auth::Membership> GetMembership(auth::Id id) override;
  Status RemoveMembership(auth::Id id) override;
  Result<std::vector<auth::Membership>> ListMembershipsOfUser(auth::Id user_id) override;
  Result<std::vector<auth::Membership>> ListMembershipsOfOrganization(
      auth::Id organization_id) override;

  Result<auth::StatementRef> CreateStatement(std::string_view slug, std::string_view title,
                                             std::string_view language,
                                             auth::UnixTime now) override;
  Result<auth::StatementRef> GetStatement(auth::Id id) override;
  Result<auth::StatementRef> FindStatementBySlug(std::string_view slug) override;
  Result<std::vector<auth::StatementRef>> ListStatements() override;
  Status SetStatementPhase(auth::Id statement_id, auth::Phase phase,
                           std::optional<auth::UnixTime> deadline) override;
  Status SetParticipation(const auth::Participation& participation) override;
  Status RemoveParticipation(auth::Id statement_id, auth::Id organization_id) override;
  Result<std::vector<auth::Participation>> ListParticipants(auth::Id statement_id) override;

  Result<auth::Invitation> CreateInvitation(const auth::Invitation& invitation,
                                            std::string_view token_hash,
                                            auth::UnixTime now) override;
  Result<auth::Invitation> FindInvitationByTokenHash(std::string_view token_hash) override;
  Result<std::vector<auth::Invitation>> ListPendingInvitations(auth::UnixTime now) override;
  Status RevokeInvitation(auth::Id id, auth::UnixTime now) override;
  Result<auth::User> AcceptInvitation(std::string_view token_hash, std::string_view password_hash,
                                      std::string_view display_name, std::string_view language,
                                      auth::UnixTime now) override;
  Result<auth::User> CompletePasswordReset(std::string_view token_hash,
                                           std::string_view password_hash,
                                           auth::UnixTime now) override;

  Result<auth::Session> CreateSession(const auth::Session& session,
                                      std::string_view token_hash) override;
  Result<auth::Session> FindSessionByTokenHash(std::string_view token_hash) override;
  Status TouchSession(auth::Id session_id, auth::UnixTime now) override;
  Status DeleteSession(auth::Id session_id) override;
  Result<int> DeleteSessionsOfUser(auth::Id user_id) override;
  Result<std::vector<auth::Session>> ListSessionsOfUser(auth::Id user_id) override;

  Result<auth::ApiToken> CreateApiToken(const auth::ApiToken& token, std::string_view token_hash,
                                        auth::UnixTime now) override;
  Result<auth::ApiToken> FindApiTokenByTokenHash(std::string_view token_hash) override;
  Result<auth::ApiToken> GetApiToken(auth::Id id) override;
  Result<std::vector<auth::ApiToken>> ListApiTokensOfUser(auth::Id user_id) override;
  Status RevokeApiToken(auth::Id id, auth::UnixTime now) override;
  Status TouchApiToken(auth::Id id, auth::UnixTime now) override;

  Result<auth::Id> AppendAudit(const auth::AuditEvent& event) override;
  Result<std::vector<auth::AuditEvent>> ListAudit(auth::Id before_id, int limit) override;

 private:
  explicit SqliteAccountStore(std::unique_ptr<Database> db);

  // The *Locked helpers expect `mu_` held (and, where they say so, a transaction open).
  Result<auth::User> GetUserLocked(auth::Id id);
  Result<auth::User> FindUserByEmailLocked(std::string_view lower_email);
  Result<auth::Organization> HostOrganizationLocked();
  Result<auth::Invitation> FindInvitationLocked(std::string_view token_hash);
  Result<auth::User> InsertUserLocked(std::string_view lower_email, std::string_view display_name,
                                      std::string_view language, std::string_view password_hash,
                                      auth::UnixTime now);
  // The label (an e-mail, a short name, a slug) that `sql` selects for the row with id ?1;
  // NotFound naming `what` when there is no such row.
  Result<std::string> LabelLocked(const char* sql, auth::Id id, std::string_view what);
  // The live link of `kind` for `token_hash` (FailedPrecondition if used, revoked, expired or
  // of the other kind).
  Result<auth::Invitation> LiveLinkLocked(std::string_view token_hash, auth::Invitation::Kind kind,
                                          auth::UnixTime now);

  std::mutex mu_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<sqlite::StatementCache> statements_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_SQLITE_ACCOUNT_STORE_H_
