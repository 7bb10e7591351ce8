// sqlite_account_store_rows.h: what SqliteAccountStore adds to the shared SQLite plumbing
// (sqlite_query.h): the readers that turn a row into a model struct, and the store's SQL.
// Internal to sqlite_account_store.cc.
//
// Each ACCORD_*_COLUMNS list and its Read* function go together: a query that is read with
// ReadUser selects ACCORD_USER_COLUMNS (or RETURNs them), in that order.
#ifndef ACCORD_SERVER_SQLITE_ACCOUNT_STORE_ROWS_H_
#define ACCORD_SERVER_SQLITE_ACCOUNT_STORE_ROWS_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "accord/auth/model.h"
#include "accord/status.h"
#include "sqlite_query.h"

// Column lists, as macros so that they join other string literals at compile time.
#define ACCORD_USER_COLUMNS \
  "id, email, display_name, language, password_hash <> '', disabled, created_at"
#define ACCORD_ORG_COLUMNS \
  "id, name, short_name, country, kind, website, hosts_instance, created_at"
#define ACCORD_MEMBERSHIP_COLUMNS "id, user_id, organization_id, role, created_at"
#define ACCORD_STATEMENT_COLUMNS "id, slug, title, phase, phase_deadline, language"
#define ACCORD_PARTICIPANT_COLUMNS \
  "statement_id, organization_id, convener, can_edit, can_amend, can_sign"
#define ACCORD_INVITATION_COLUMNS                                                             \
  "id, kind, email, display_name, organization_id, role, invited_by, created_at, expires_at," \
  " used_at, revoked_at"
#define ACCORD_SESSION_COLUMNS "id, user_id, created_at, last_seen_at, expires_at, user_agent, ip"
#define ACCORD_API_TOKEN_COLUMNS                                                       \
  "id, user_id, name, scopes, document_pattern, created_at, expires_at, last_used_at," \
  " revoked_at"
#define ACCORD_AUDIT_COLUMNS "id, at, kind, actor_user_id, ip, subject, detail"

namespace accord::server::account_sql {

using sqlite::ColumnBool;
using sqlite::ColumnInt;
using sqlite::ColumnOptInt;
using sqlite::ColumnText;
using sqlite::Query;
using sqlite::ReadInt;
using sqlite::ReadText;
using sqlite::SqliteStatus;
using sqlite::StatementCache;
using sqlite::Transaction;

// ASCII lower case: how e-mail addresses are stored and compared.
std::string LowerAscii(std::string_view text);

std::string_view InvitationKindName(auth::Invitation::Kind kind);

// Rows to structs. Corruption when a stored enum or scope list does not parse (the CHECKs
// should make that impossible).
Result<auth::User> ReadUser(sqlite3_stmt* st);
Result<auth::Organization> ReadOrganization(sqlite3_stmt* st);
Result<auth::Membership> ReadMembership(sqlite3_stmt* st);
Result<auth::StatementRef> ReadStatement(sqlite3_stmt* st);
Result<auth::Participation> ReadParticipation(sqlite3_stmt* st);
Result<auth::Invitation> ReadInvitation(sqlite3_stmt* st);
Result<auth::Session> ReadSession(sqlite3_stmt* st);
Result<auth::ApiToken> ReadApiToken(sqlite3_stmt* st);
Result<auth::AuditEvent> ReadAuditEvent(sqlite3_stmt* st);

// The store's SQL, each prepared once (StatementCache) and read by the matching Read*.
namespace sql {

inline constexpr char kUserLabel[] = "SELECT email FROM users WHERE id = ?1";
inline constexpr char kInsertUser[] =
    "INSERT INTO users (email, display_name, language, password_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) RETURNING " ACCORD_USER_COLUMNS;
inline constexpr char kGetUser[] = "SELECT " ACCORD_USER_COLUMNS " FROM users WHERE id = ?1";
inline constexpr char kFindUser[] = "SELECT " ACCORD_USER_COLUMNS " FROM users WHERE email = ?1";
inline constexpr char kListUsers[] = "SELECT " ACCORD_USER_COLUMNS " FROM users ORDER BY id";
inline constexpr char kUpdateUser[] =
    "UPDATE users SET display_name = COALESCE(?2, display_name),"
    " language = COALESCE(?3, language), disabled = COALESCE(?4, disabled)"
    " WHERE id = ?1 RETURNING " ACCORD_USER_COLUMNS;
inline constexpr char kGetPassword[] = "SELECT password_hash FROM users WHERE id = ?1";
inline constexpr char kSetPassword[] = "UPDATE users SET password_hash = ?2 WHERE id = ?1";
// An invited user who exists already keeps their name and language unless they had none.
inline constexpr char kAcceptExistingUser[] =
    "UPDATE users SET password_hash = ?2,"
    " display_name = CASE WHEN display_name = '' THEN ?3 ELSE display_name END,"
    " language = CASE WHEN language = '' THEN ?4 ELSE language END WHERE id = ?1";

inline constexpr char kOrgLabel[] = "SELECT short_name FROM organizations WHERE id = ?1";
inline constexpr char kInsertOrg[] =
    "INSERT INTO organizations (name, short_name, country, kind, website, hosts_instance,"
    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING " ACCORD_ORG_COLUMNS;
inline constexpr char kGetOrg[] = "SELECT " ACCORD_ORG_COLUMNS " FROM organizations WHERE id = ?1";
inline constexpr char kListOrgs[] = "SELECT " ACCORD_ORG_COLUMNS " FROM organizations ORDER BY id";
inline constexpr char kHostOrg[] =
    "SELECT " ACCORD_ORG_COLUMNS " FROM organizations WHERE hosts_instance = 1";
inline constexpr char kUpdateOrg[] =
    "UPDATE organizations SET name = COALESCE(?2, name), short_name = COALESCE(?3, short_name),"
    " country = COALESCE(?4, country), kind = COALESCE(?5, kind),"
    " website = COALESCE(?6, website) WHERE id = ?1 RETURNING " ACCORD_ORG_COLUMNS;

inline constexpr char kInsertMembership[] =
    "INSERT INTO memberships (user_id, organization_id, role, created_at)"
    " VALUES (?1, ?2, ?3, ?4) RETURNING " ACCORD_MEMBERSHIP_COLUMNS;
inline constexpr char kEnsureMembership[] =
    "INSERT INTO memberships (user_id, organization_id, role, created_at)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (user_id, organization_id, role) DO NOTHING";
inline constexpr char kGetMembership[] =
    "SELECT " ACCORD_MEMBERSHIP_COLUMNS " FROM memberships WHERE id = ?1";
inline constexpr char kRemoveMembership[] = "DELETE FROM memberships WHERE id = ?1";
inline constexpr char kMembershipsOfUser[] =
    "SELECT " ACCORD_MEMBERSHIP_COLUMNS " FROM memberships WHERE user_id = ?1 ORDER BY id";
inline constexpr char kMembershipsOfOrg[] = "SELECT " ACCORD_MEMBERSHIP_COLUMNS
                                            " FROM memberships WHERE organization_id = ?1"
                                            " ORDER BY id";

inline constexpr char kStatementLabel[] = "SELECT slug FROM statements WHERE id = ?1";
inline constexpr char kInsertStatement[] =
    "INSERT INTO statements (slug, title, created_at, language) VALUES (?1, ?2, ?3, ?4)"
    " RETURNING " ACCORD_STATEMENT_COLUMNS;
inline constexpr char kGetStatement[] =
    "SELECT " ACCORD_STATEMENT_COLUMNS " FROM statements WHERE id = ?1";
inline constexpr char kFindStatement[] =
    "SELECT " ACCORD_STATEMENT_COLUMNS " FROM statements WHERE slug = ?1";
inline constexpr char kListStatements[] =
    "SELECT " ACCORD_STATEMENT_COLUMNS " FROM statements ORDER BY id";
inline constexpr char kSetPhase[] =
    "UPDATE statements SET phase = ?2, phase_deadline = ?3 WHERE id = ?1";
inline constexpr char kUpsertParticipant[] =
    "INSERT INTO statement_participants (" ACCORD_PARTICIPANT_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (statement_id, organization_id) DO UPDATE SET"
    " convener = excluded.convener, can_edit = excluded.can_edit,"
    " can_amend = excluded.can_amend, can_sign = excluded.can_sign";
inline constexpr char kRemoveParticipant[] =
    "DELETE FROM statement_participants WHERE statement_id = ?1 AND organization_id = ?2";
inline constexpr char kParticipants[] = "SELECT " ACCORD_PARTICIPANT_COLUMNS
                                        " FROM statement_participants WHERE statement_id = ?1"
                                        " ORDER BY organization_id";

inline constexpr char kInsertInvitation[] =
    "INSERT INTO invitations (kind, token_hash, email, display_name, organization_id, role,"
    " invited_by, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " RETURNING " ACCORD_INVITATION_COLUMNS;
inline constexpr char kFindInvitation[] =
    "SELECT " ACCORD_INVITATION_COLUMNS " FROM invitations WHERE token_hash = ?1";
inline constexpr char kGetInvitation[] =
    "SELECT " ACCORD_INVITATION_COLUMNS " FROM invitations WHERE id = ?1";
inline constexpr char kPendingInvitations[] =
    "SELECT " ACCORD_INVITATION_COLUMNS
    " FROM invitations WHERE used_at IS NULL"
    " AND revoked_at IS NULL AND expires_at > ?1 ORDER BY id";
inline constexpr char kRevokeInvitation[] =
    "UPDATE invitations SET revoked_at = ?2"
    " WHERE id = ?1 AND used_at IS NULL AND revoked_at IS NULL";
inline constexpr char kUseInvitation[] =
    "UPDATE invitations SET used_at = ?2 WHERE id = ?1 AND used_at IS NULL";

inline constexpr char kInsertSession[] =
    "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at,"
    " user_agent, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING " ACCORD_SESSION_COLUMNS;
inline constexpr char kFindSession[] =
    "SELECT " ACCORD_SESSION_COLUMNS " FROM sessions WHERE token_hash = ?1";
inline constexpr char kTouchSession[] = "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1";
inline constexpr char kDeleteSession[] = "DELETE FROM sessions WHERE id = ?1";
inline constexpr char kDeleteSessionsOfUser[] = "DELETE FROM sessions WHERE user_id = ?1";
inline constexpr char kSessionsOfUser[] =
    "SELECT " ACCORD_SESSION_COLUMNS " FROM sessions WHERE user_id = ?1 ORDER BY id";

inline constexpr char kInsertApiToken[] =
    "INSERT INTO api_tokens (token_hash, user_id, name, scopes, document_pattern, created_at,"
    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING " ACCORD_API_TOKEN_COLUMNS;
inline constexpr char kFindApiToken[] =
    "SELECT " ACCORD_API_TOKEN_COLUMNS " FROM api_tokens WHERE token_hash = ?1";
inline constexpr char kGetApiToken[] =
    "SELECT " ACCORD_API_TOKEN_COLUMNS " FROM api_tokens WHERE id = ?1";
inline constexpr char kApiTokensOfUser[] =
    "SELECT " ACCORD_API_TOKEN_COLUMNS " FROM api_tokens WHERE user_id = ?1 ORDER BY id";
// Revoking twice keeps the first time.
inline constexpr char kRevokeApiToken[] =
    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1";
inline constexpr char kTouchApiToken[] = "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";

inline constexpr char kAppendAudit[] =
    "INSERT INTO audit_log (at, kind, actor_user_id, ip, subject, detail)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
inline constexpr char kListAudit[] =
    "SELECT " ACCORD_AUDIT_COLUMNS " FROM audit_log WHERE id < ?1 ORDER BY id DESC LIMIT ?2";

}  // namespace sql

}  // namespace accord::server::account_sql

#endif  // ACCORD_SERVER_SQLITE_ACCOUNT_STORE_ROWS_H_
