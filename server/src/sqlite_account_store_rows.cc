// Plumbing of SqliteAccountStore: see sqlite_account_store_rows.h.
#include "sqlite_account_store_rows.h"

#include <string>
#include <utility>

namespace accord::server::account_sql {
namespace {

Status BadColumn(std::string_view table, std::string_view column, std::string_view value) {
  return Status::Corruption("stored " + std::string(table) + "." + std::string(column) + " '" +
                            std::string(value) + "' is not known to this accordd");
}

}  // namespace

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view InvitationKindName(auth::Invitation::Kind kind) {
  return kind == auth::Invitation::Kind::kPasswordReset ? "password-reset" : "invitation";
}

Result<auth::User> ReadUser(sqlite3_stmt* st) {
  auth::User u;
  u.id = ColumnInt(st, 0);
  u.email = ColumnText(st, 1);
  u.display_name = ColumnText(st, 2);
  u.language = ColumnText(st, 3);
  u.has_password = ColumnBool(st, 4);
  u.disabled = ColumnBool(st, 5);
  u.created_at = ColumnInt(st, 6);
  return u;
}

Result<auth::Organization> ReadOrganization(sqlite3_stmt* st) {
  auth::Organization o;
  o.id = ColumnInt(st, 0);
  o.name = ColumnText(st, 1);
  o.short_name = ColumnText(st, 2);
  o.country = ColumnText(st, 3);
  std::string kind = ColumnText(st, 4);
  auto parsed = auth::ParseOrgKind(kind);
  if (!parsed) return BadColumn("organizations", "kind", kind);
  o.kind = *parsed;
  o.website = ColumnText(st, 5);
  o.hosts_instance = ColumnBool(st, 6);
  o.created_at = ColumnInt(st, 7);
  return o;
}

Result<auth::Membership> ReadMembership(sqlite3_stmt* st) {
  auth::Membership m;
  m.id = ColumnInt(st, 0);
  m.user_id = ColumnInt(st, 1);
  m.organization_id = ColumnInt(st, 2);
  std::string role = ColumnText(st, 3);
  auto parsed = auth::ParseRole(role);
  if (!parsed) return BadColumn("memberships", "role", role);
  m.role = *parsed;
  m.created_at = ColumnInt(st, 4);
  return m;
}

Result<auth::StatementRef> ReadStatement(sqlite3_stmt* st) {
  auth::StatementRef s;
  s.id = ColumnInt(st, 0);
  s.slug = ColumnText(st, 1);
  s.title = ColumnText(st, 2);
  std::string phase = ColumnText(st, 3);
  auto parsed = auth::ParsePhase(phase);
  if (!parsed) return BadColumn("statements", "phase", phase);
  s.phase = *parsed;
  s.phase_deadline = ColumnOptInt(st, 4);
  s.language = ColumnText(st, 5);
  return s;
}

Result<auth::Participation> ReadParticipation(sqlite3_stmt* st) {
  auth::Participation p;
  p.statement_id = ColumnInt(st, 0);
  p.organization_id = ColumnInt(st, 1);
  p.convener = ColumnBool(st, 2);
  p.edit = ColumnBool(st, 3);
  p.amend = ColumnBool(st, 4);
  p.sign = ColumnBool(st, 5);
  return p;
}

Result<auth::Invitation> ReadInvitation(sqlite3_stmt* st) {
  auth::Invitation inv;
  inv.id = ColumnInt(st, 0);
  std::string kind = ColumnText(st, 1);
  if (kind == "invitation") {
    inv.kind = auth::Invitation::Kind::kInvitation;
  } else if (kind == "password-reset") {
    inv.kind = auth::Invitation::Kind::kPasswordReset;
  } else {
    return BadColumn("invitations", "kind", kind);
  }
  inv.email = ColumnText(st, 2);
  inv.display_name = ColumnText(st, 3);
  inv.organization_id = ColumnOptInt(st, 4).value_or(0);
  if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
    std::string role = ColumnText(st, 5);
    auto parsed = auth::ParseRole(role);
    if (!parsed) return BadColumn("invitations", "role", role);
    inv.role = *parsed;
  }
  inv.invited_by = ColumnOptInt(st, 6).value_or(0);
  inv.created_at = ColumnInt(st, 7);
  inv.expires_at = ColumnInt(st, 8);
  inv.used_at = ColumnOptInt(st, 9);
  inv.revoked_at = ColumnOptInt(st, 10);
  return inv;
}

Result<auth::Session> ReadSession(sqlite3_stmt* st) {
  auth::Session s;
  s.id = ColumnInt(st, 0);
  s.user_id = ColumnInt(st, 1);
  s.created_at = ColumnInt(st, 2);
  s.last_seen_at = ColumnInt(st, 3);
  s.expires_at = ColumnInt(st, 4);
  s.user_agent = ColumnText(st, 5);
  s.ip = ColumnText(st, 6);
  return s;
}

Result<auth::ApiToken> ReadApiToken(sqlite3_stmt* st) {
  auth::ApiToken t;
  t.id = ColumnInt(st, 0);
  t.user_id = ColumnInt(st, 1);
  t.name = ColumnText(st, 2);
  std::string scopes = ColumnText(st, 3);
  auto parsed = auth::ParseScopes(scopes);
  if (!parsed) return BadColumn("api_tokens", "scopes", scopes);
  t.scopes = *parsed;
  t.document_pattern = ColumnText(st, 4);
  t.created_at = ColumnInt(st, 5);
  t.expires_at = ColumnOptInt(st, 6);
  t.last_used_at = ColumnOptInt(st, 7);
  t.revoked_at = ColumnOptInt(st, 8);
  return t;
}

Result<auth::AuditEvent> ReadAuditEvent(sqlite3_stmt* st) {
  auth::AuditEvent e;
  e.id = ColumnInt(st, 0);
  e.at = ColumnInt(st, 1);
  e.kind = ColumnText(st, 2);
  e.actor_user_id = ColumnInt(st, 3);
  e.ip = ColumnText(st, 4);
  e.subject = ColumnText(st, 5);
  e.detail = ColumnText(st, 6);
  return e;
}

}  // namespace accord::server::account_sql
