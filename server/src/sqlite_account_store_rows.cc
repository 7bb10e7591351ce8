// Plumbing of SqliteAccountStore: see sqlite_account_store_rows.h.
#include "sqlite_account_store_rows.h"

#include <string>
#include <utility>

namespace accord::server::account_sql {
namespace {

std::string ColumnText(sqlite3_stmt* st, int i) {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  int n = sqlite3_column_bytes(st, i);
  return p ? std::string(p, static_cast<size_t>(n)) : std::string();
}

int64_t ColumnInt(sqlite3_stmt* st, int i) { return sqlite3_column_int64(st, i); }
bool ColumnBool(sqlite3_stmt* st, int i) { return sqlite3_column_int64(st, i) != 0; }

std::optional<int64_t> ColumnOptInt(sqlite3_stmt* st, int i) {
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_int64(st, i);
}

Status BadColumn(std::string_view table, std::string_view column, std::string_view value) {
  return Status::Corruption("stored " + std::string(table) + "." + std::string(column) + " '" +
                            std::string(value) + "' is not known to this accordd");
}

}  // namespace

Status SqliteStatus(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + sqlite3_errmsg(db);
  int primary = rc & 0xff;
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) return Status::Corruption(msg);
  return Status::IOError(msg);
}

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

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
}

Result<sqlite3_stmt*> StatementCache::Get(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, "cannot prepare statement");
  statements_.emplace(sql, stmt);
  return stmt;
}

Query::Query(StatementCache& cache, const char* sql) : db_(cache.db()) {
  auto stmt = cache.Get(sql);
  if (stmt.ok()) {
    stmt_ = *stmt;
  } else {
    prepared_ = stmt.status();
  }
}

Query::~Query() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Query& Query::Text(int i, std::string_view value) {
  if (stmt_)
    sqlite3_bind_text64(stmt_, i, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Query& Query::Int(int i, int64_t value) {
  if (stmt_) sqlite3_bind_int64(stmt_, i, value);
  return *this;
}

Query& Query::OptInt(int i, std::optional<int64_t> value) {
  return value ? Int(i, *value) : Null(i);
}

Query& Query::Null(int i) {
  if (stmt_) sqlite3_bind_null(stmt_, i);
  return *this;
}

Query& Query::OnClash(std::string_view column, std::string message) {
  clashes_.emplace_back(column, std::move(message));
  return *this;
}

Result<int> Query::Run(std::string_view what) {
  if (!prepared_.ok()) return prepared_;
  int rc;
  while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return Fail(rc, what);
  return sqlite3_changes(db_);
}

Status Query::Fail(int rc, std::string_view what) const {
  if ((rc & 0xff) != SQLITE_CONSTRAINT) return SqliteStatus(db_, rc, what);
  std::string sqlite_msg = sqlite3_errmsg(db_);
  switch (sqlite3_extended_errcode(db_)) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      for (const auto& [column, message] : clashes_) {
        if (sqlite_msg.find(column) != std::string::npos) return Status::AlreadyExists(message);
      }
      return Status::AlreadyExists(std::string(what) + ": " + sqlite_msg);
    default:
      // CHECK, NOT NULL, FOREIGN KEY, a trigger's RAISE: the schema refuses the values.
      return Status::InvalidArgument(std::string(what) + ": " + sqlite_msg);
  }
}

Transaction::~Transaction() {
  // A failed COMMIT may leave the transaction open (e.g. SQLITE_BUSY); ROLLBACK discards it.
  if (open_ && !sqlite3_get_autocommit(db_)) (void)Exec("ROLLBACK;");
}

Status Transaction::Begin() {
  Status s = Exec("BEGIN IMMEDIATE;");
  open_ = s.ok();
  return s;
}

Status Transaction::Commit() {
  Status s = Exec("COMMIT;");
  if (s.ok()) open_ = false;
  return s;
}

Status Transaction::Exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(db_, rc, std::string("cannot run ") + sql);
  return Status::Ok();
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

Result<std::string> ReadText(sqlite3_stmt* st) { return ColumnText(st, 0); }
Result<int64_t> ReadInt(sqlite3_stmt* st) { return ColumnInt(st, 0); }

}  // namespace accord::server::account_sql
