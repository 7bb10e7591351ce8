#include "database.h"

#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace accord::server {
namespace {

// Each migration is applied once, in order; never edit one that has shipped, add another.
const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      // 1: the instance's own settings (key/value), e.g. its identity.
      "CREATE TABLE instance_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;",
      // 2: access tokens for documents; only the SHA-256 of a token is stored (token_store.h).
      "CREATE TABLE access_tokens (hash TEXT PRIMARY KEY, doc_pattern TEXT NOT NULL,"
      " access TEXT NOT NULL CHECK (access IN ('read', 'write')), created_at INTEGER NOT NULL,"
      " expires_at INTEGER) STRICT;",
      // 3: documents (server/STORAGE.md): an optional snapshot per document plus the updates
      // accepted since, numbered by a per-document sequence that never goes back.
      "CREATE TABLE documents (name TEXT PRIMARY KEY, snapshot BLOB,"
      " snapshot_seq INTEGER NOT NULL DEFAULT 0, last_seq INTEGER NOT NULL DEFAULT 0,"
      " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
      " CHECK (snapshot_seq >= 0 AND last_seq >= snapshot_seq)) STRICT;"
      "CREATE TABLE document_updates (name TEXT NOT NULL REFERENCES documents(name),"
      " seq INTEGER NOT NULL CHECK (seq > 0), data BLOB NOT NULL, PRIMARY KEY (name, seq))"
      " STRICT;",
      // 4: accounts (server/STORAGE.md, auth/include/accord/auth/account_store.h). Token
      // columns hold the lower-case hex SHA-256 of a token, passwords an Argon2id string. The
      // document-scoped access tokens of migration 2 give way to users' API tokens.
      "DROP TABLE access_tokens;"
      "CREATE TABLE users (id INTEGER PRIMARY KEY,"
      " email TEXT NOT NULL UNIQUE CHECK (instr(email, '@') > 1),"
      " display_name TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT '',"
      " password_hash TEXT NOT NULL DEFAULT ''"
      " CHECK (password_hash = '' OR password_hash GLOB '$argon2id$*'),"
      " disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
      " created_at INTEGER NOT NULL) STRICT;"
      "CREATE TABLE organizations (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''),"
      " short_name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (short_name <> ''),"
      " country TEXT NOT NULL DEFAULT '' CHECK (country = '' OR country GLOB '[A-Z][A-Z]'),"
      " kind TEXT NOT NULL CHECK (kind IN ('union', 'party', 'movement', 'ngo', 'other')),"
      " website TEXT NOT NULL DEFAULT ''"
      " CHECK (website = '' OR website GLOB 'https://?*' OR website GLOB 'http://?*'),"
      " hosts_instance INTEGER NOT NULL DEFAULT 0 CHECK (hosts_instance IN (0, 1)),"
      " created_at INTEGER NOT NULL) STRICT;"
      "CREATE UNIQUE INDEX organizations_one_host ON organizations (hosts_instance)"
      " WHERE hosts_instance = 1;"
      "CREATE TABLE memberships (id INTEGER PRIMARY KEY,"
      " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
      " organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,"
      " role TEXT NOT NULL"
      " CHECK (role IN ('secretariat', 'delegate', 'signatory', 'observer')),"
      " created_at INTEGER NOT NULL, UNIQUE (user_id, organization_id, role)) STRICT;"
      "CREATE INDEX memberships_by_organization ON memberships (organization_id);"
      "CREATE TABLE statements (id INTEGER PRIMARY KEY,"
      " slug TEXT NOT NULL UNIQUE CHECK (slug <> '' AND slug NOT GLOB '*[^a-z0-9-]*'),"
      " title TEXT NOT NULL, phase TEXT NOT NULL DEFAULT 'drafting'"
      " CHECK (phase IN ('drafting', 'amendments', 'consolidation', 'final')),"
      " phase_deadline INTEGER, created_at INTEGER NOT NULL) STRICT;"
      "CREATE TABLE statement_participants ("
      " statement_id INTEGER NOT NULL REFERENCES statements(id) ON DELETE CASCADE,"
      " organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,"
      " convener INTEGER NOT NULL DEFAULT 0 CHECK (convener IN (0, 1)),"
      " can_edit INTEGER NOT NULL DEFAULT 1 CHECK (can_edit IN (0, 1)),"
      " can_amend INTEGER NOT NULL DEFAULT 1 CHECK (can_amend IN (0, 1)),"
      " can_sign INTEGER NOT NULL DEFAULT 1 CHECK (can_sign IN (0, 1)),"
      " PRIMARY KEY (statement_id, organization_id)) STRICT;"
      "CREATE INDEX statement_participants_by_organization"
      " ON statement_participants (organization_id);"
      "CREATE TABLE invitations (id INTEGER PRIMARY KEY,"
      " kind TEXT NOT NULL CHECK (kind IN ('invitation', 'password-reset')),"
      " token_hash TEXT NOT NULL UNIQUE"
      " CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),"
      " email TEXT NOT NULL CHECK (instr(email, '@') > 1),"
      " display_name TEXT NOT NULL DEFAULT '',"
      " organization_id INTEGER REFERENCES organizations(id) ON DELETE CASCADE,"
      " role TEXT CHECK (role IN ('secretariat', 'delegate', 'signatory', 'observer')),"
      " invited_by INTEGER REFERENCES users(id),"  // NULL: the command line
      " created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
      " used_at INTEGER, revoked_at INTEGER,"
      " CHECK ((kind = 'invitation') = (organization_id IS NOT NULL AND role IS NOT NULL)),"
      " CHECK (kind = 'invitation' OR (organization_id IS NULL AND role IS NULL))) STRICT;"
      "CREATE TABLE sessions (id INTEGER PRIMARY KEY,"
      " token_hash TEXT NOT NULL UNIQUE"
      " CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),"
      " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
      " created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,"
      " user_agent TEXT NOT NULL DEFAULT '', ip TEXT NOT NULL DEFAULT '') STRICT;"
      "CREATE INDEX sessions_by_user ON sessions (user_id);"
      "CREATE TABLE api_tokens (id INTEGER PRIMARY KEY,"
      " token_hash TEXT NOT NULL UNIQUE"
      " CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),"
      " user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
      " name TEXT NOT NULL DEFAULT '',"
      " scopes TEXT NOT NULL CHECK (scopes <> ''),"  // space-separated, e.g. "api:read"
      " document_pattern TEXT NOT NULL DEFAULT '*' CHECK (document_pattern <> ''"
      " AND instr(document_pattern, '*') IN (0, length(document_pattern))),"
      " created_at INTEGER NOT NULL, expires_at INTEGER, last_used_at INTEGER,"
      " revoked_at INTEGER) STRICT;"
      "CREATE INDEX api_tokens_by_user ON api_tokens (user_id);"
      "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,"
      " kind TEXT NOT NULL CHECK (kind <> ''),"
      " actor_user_id INTEGER NOT NULL DEFAULT 0 CHECK (actor_user_id >= 0),"  // 0: nobody
      " ip TEXT NOT NULL DEFAULT '', subject TEXT NOT NULL DEFAULT '',"
      " detail TEXT NOT NULL DEFAULT '' CHECK (detail = '' OR"
      " CASE WHEN json_valid(detail) THEN json_type(detail) = 'object' ELSE 0 END)) STRICT;"
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
      " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
      "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
      " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
      // 5: the drafting workflow (server/src/drafting_store.h): immutable versions of each
      // statement's draft, numbered per statement, the append-only record of phase changes,
      // statements' source language,
      // and the authors of documents' client ids (document_store.h). User columns hold 0 for
      // "nobody"; users are referenced without a foreign key
      // so that the history outlives accounts.
      "ALTER TABLE statements ADD COLUMN language TEXT NOT NULL DEFAULT 'en'"
      " CHECK (length(language) BETWEEN 2 AND 35 AND language GLOB '[A-Za-z][A-Za-z]*'"
      " AND language NOT GLOB '*[^A-Za-z0-9-]*');"
      "CREATE TABLE statement_versions (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " number INTEGER NOT NULL CHECK (number > 0), label TEXT NOT NULL CHECK (label <> ''),"
      " reason TEXT NOT NULL CHECK (reason IN ('manual', 'phase', 'merge')),"
      " phase TEXT NOT NULL"
      " CHECK (phase IN ('drafting', 'amendments', 'consolidation', 'final')),"
      " author_user_id INTEGER NOT NULL DEFAULT 0 CHECK (author_user_id >= 0),"
      " created_at INTEGER NOT NULL, state BLOB NOT NULL, canonical_text TEXT NOT NULL,"
      " canonical_html TEXT NOT NULL,"
      " sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
      " UNIQUE (statement_id, number)) STRICT;"
      "CREATE TRIGGER statement_versions_immutable BEFORE UPDATE ON statement_versions"
      " BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END;"
      "CREATE TRIGGER statement_versions_kept BEFORE DELETE ON statement_versions"
      " BEGIN SELECT RAISE(ABORT, 'versions are never deleted'); END;"
      "CREATE TABLE statement_phase_changes (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " from_phase TEXT NOT NULL"
      " CHECK (from_phase IN ('drafting', 'amendments', 'consolidation', 'final')),"
      " to_phase TEXT NOT NULL"
      " CHECK (to_phase IN ('drafting', 'amendments', 'consolidation', 'final')),"
      " deadline INTEGER, user_id INTEGER NOT NULL DEFAULT 0 CHECK (user_id >= 0),"
      " at INTEGER NOT NULL, version_id INTEGER REFERENCES statement_versions(id)) STRICT;"
      "CREATE INDEX statement_phase_changes_by_statement"
      " ON statement_phase_changes (statement_id, id);"
      "CREATE TRIGGER statement_phase_changes_no_update BEFORE UPDATE ON statement_phase_changes"
      " BEGIN SELECT RAISE(ABORT, 'the phase record is append-only'); END;"
      "CREATE TRIGGER statement_phase_changes_no_delete BEFORE DELETE ON statement_phase_changes"
      " BEGIN SELECT RAISE(ABORT, 'the phase record is append-only'); END;"
      // Who wrote under each Yjs client id of a document (the first user whose update brought
      // that client's structs); kept through compaction, for authorship.
      "CREATE TABLE document_clients (name TEXT NOT NULL REFERENCES documents(name),"
      " client_id INTEGER NOT NULL CHECK (client_id >= 0),"
      " user_id INTEGER NOT NULL CHECK (user_id > 0), first_seen INTEGER NOT NULL,"
      " PRIMARY KEY (name, client_id)) STRICT, WITHOUT ROWID;",
      // 6: amendments (server/drafting/AMENDMENTS.md): forks of a version with a number per
      // statement, their append-only transitions, supporting organizations (one row each;
      // support may be withdrawn) and each statement's support threshold and deadline.
      "CREATE TABLE amendments (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " number INTEGER NOT NULL CHECK (number > 0),"
      " base_version INTEGER NOT NULL CHECK (base_version > 0),"
      " document TEXT NOT NULL UNIQUE CHECK (document <> ''),"
      " title TEXT NOT NULL CHECK (title <> ''), rationale TEXT NOT NULL DEFAULT '',"
      " organization_id INTEGER NOT NULL REFERENCES organizations(id),"
      " state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'supported',"
      " 'accepted', 'accepted-with-modification', 'rejected', 'withdrawn', 'referred',"
      " 'obsolete')),"
      " created_by INTEGER NOT NULL CHECK (created_by >= 0), created_at INTEGER NOT NULL,"
      " UNIQUE (statement_id, number)) STRICT;"
      "CREATE TRIGGER amendments_fixed BEFORE UPDATE OF id, statement_id, number, base_version,"
      " document, organization_id, created_by, created_at ON amendments"
      " BEGIN SELECT RAISE(ABORT, 'an amendment keeps its origin'); END;"
      "CREATE TRIGGER amendments_kept BEFORE DELETE ON amendments"
      " BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;"
      "CREATE TABLE amendment_transitions (id INTEGER PRIMARY KEY,"
      " amendment_id INTEGER NOT NULL REFERENCES amendments(id),"
      " from_state TEXT NOT NULL, to_state TEXT NOT NULL,"
      " user_id INTEGER NOT NULL DEFAULT 0 CHECK (user_id >= 0), at INTEGER NOT NULL,"
      " reason TEXT NOT NULL DEFAULT '') STRICT;"
      "CREATE INDEX amendment_transitions_by_amendment ON amendment_transitions (amendment_id, id);"
      "CREATE TRIGGER amendment_transitions_no_update BEFORE UPDATE ON amendment_transitions"
      " BEGIN SELECT RAISE(ABORT, 'the transitions of amendments are append-only'); END;"
      "CREATE TRIGGER amendment_transitions_no_delete BEFORE DELETE ON amendment_transitions"
      " BEGIN SELECT RAISE(ABORT, 'the transitions of amendments are append-only'); END;"
      "CREATE TABLE amendment_supporters ("
      " amendment_id INTEGER NOT NULL REFERENCES amendments(id),"
      " organization_id INTEGER NOT NULL REFERENCES organizations(id),"
      " user_id INTEGER NOT NULL CHECK (user_id > 0), at INTEGER NOT NULL,"
      " PRIMARY KEY (amendment_id, organization_id)) STRICT;"
      "CREATE TABLE amendment_settings ("
      " statement_id INTEGER PRIMARY KEY REFERENCES statements(id),"
      " support_threshold INTEGER NOT NULL DEFAULT 0 CHECK (support_threshold >= 0),"
      " support_deadline INTEGER) STRICT;",
      // 7: threaded comments (server/drafting/COMMENTS.md, comment_store.h). A top-level
      // comment targets exactly one of an amendment or an anchor (Yjs relative position bytes
      // in the live draft); a reply names its thread's top-level comment and no target. Only
      // a thread's resolution ever changes; comments are never deleted.
      "CREATE TABLE comments (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " parent_id INTEGER REFERENCES comments(id),"
      " amendment_id INTEGER REFERENCES amendments(id),"
      " anchor BLOB CHECK (anchor IS NULL OR length(anchor) BETWEEN 1 AND 1024),"
      " author_user_id INTEGER NOT NULL CHECK (author_user_id > 0),"
      " author_organization_id INTEGER CHECK (author_organization_id > 0),"
      " body TEXT NOT NULL CHECK (body <> ''), created_at INTEGER NOT NULL,"
      " resolved_by INTEGER CHECK (resolved_by > 0), resolved_at INTEGER,"
      " CHECK ((parent_id IS NULL) = ((amendment_id IS NULL) <> (anchor IS NULL))),"
      " CHECK (parent_id IS NULL OR (amendment_id IS NULL AND anchor IS NULL"
      " AND resolved_by IS NULL)),"
      " CHECK ((resolved_by IS NULL) = (resolved_at IS NULL))) STRICT;"
      "CREATE INDEX comments_by_statement ON comments (statement_id, id);"
      "CREATE TRIGGER comments_fixed BEFORE UPDATE OF id, statement_id, parent_id, amendment_id,"
      " anchor, author_user_id, author_organization_id, body, created_at ON comments"
      " BEGIN SELECT RAISE(ABORT, 'comments are not edited'); END;"
      "CREATE TRIGGER comments_kept BEFORE DELETE ON comments"
      " BEGIN SELECT RAISE(ABORT, 'comments are never deleted'); END;",
      // 8: merges of accepted amendments into the draft (server/drafting/AMENDMENTS.md): the
      // version taken after each, and per amendment whether it was merged or left out (and
      // why). Append-only; an amendment is merged at most once.
      "CREATE TABLE merges (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " version_id INTEGER NOT NULL UNIQUE REFERENCES statement_versions(id),"
      " created_by INTEGER NOT NULL CHECK (created_by > 0), created_at INTEGER NOT NULL) STRICT;"
      "CREATE INDEX merges_by_statement ON merges (statement_id, id);"
      "CREATE TABLE merge_amendments (merge_id INTEGER NOT NULL REFERENCES merges(id),"
      " amendment_id INTEGER NOT NULL REFERENCES amendments(id),"
      " outcome TEXT NOT NULL CHECK (outcome IN ('merged', 'collision', 'compromise',"
      " 'obsolete')),"
      " taken_number INTEGER NOT NULL DEFAULT 0 CHECK (taken_number >= 0),"
      " PRIMARY KEY (merge_id, amendment_id)) STRICT, WITHOUT ROWID;"
      "CREATE UNIQUE INDEX merge_amendments_merged_once ON merge_amendments (amendment_id)"
      " WHERE outcome = 'merged';"
      "CREATE TRIGGER merges_no_update BEFORE UPDATE ON merges"
      " BEGIN SELECT RAISE(ABORT, 'merges are append-only'); END;"
      "CREATE TRIGGER merges_no_delete BEFORE DELETE ON merges"
      " BEGIN SELECT RAISE(ABORT, 'merges are append-only'); END;"
      "CREATE TRIGGER merge_amendments_no_update BEFORE UPDATE ON merge_amendments"
      " BEGIN SELECT RAISE(ABORT, 'merges are append-only'); END;"
      "CREATE TRIGGER merge_amendments_no_delete BEFORE DELETE ON merge_amendments"
      " BEGIN SELECT RAISE(ABORT, 'merges are append-only'); END;",
      // 9: the transparency log (server/src/transparency_log.h): canonical JSON entries
      // numbered from 0 without gaps, each with its RFC 9162 leaf hash. Append-only: rows are
      // never updated or deleted, and an insert must take the next index.
      "CREATE TABLE log_entries (idx INTEGER PRIMARY KEY CHECK (idx >= 0),"
      " kind TEXT NOT NULL CHECK (kind <> ''), body TEXT NOT NULL,"
      " leaf_hash BLOB NOT NULL CHECK (length(leaf_hash) = 32),"
      " created_at INTEGER NOT NULL) STRICT;"
      "CREATE TRIGGER log_entries_in_order BEFORE INSERT ON log_entries"
      " WHEN NEW.idx IS NOT (SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries)"
      " BEGIN SELECT RAISE(ABORT, 'log entries are appended at the next index'); END;"
      "CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries"
      " BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;"
      "CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries"
      " BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;",
      // 10: sign-on (server/src/signon_store.h): organizations' signing keys, the manifests
      // published when a statement enters `final`, and the signed endorsements and withdrawals
      // of them. Keys change state only forward (pending -> approved | rejected | revoked,
      // approved -> revoked) and keep what they are; the other tables are append-only. A
      // public key, an endorsement's hash and every nonce are used once.
      "CREATE TABLE signing_keys (id INTEGER PRIMARY KEY,"
      " organization_id INTEGER NOT NULL REFERENCES organizations(id),"
      " user_id INTEGER NOT NULL CHECK (user_id > 0),"
      " public_key TEXT NOT NULL UNIQUE CHECK (length(public_key) = 44),"
      " label TEXT NOT NULL DEFAULT '',"
      " state TEXT NOT NULL DEFAULT 'pending'"
      " CHECK (state IN ('pending', 'approved', 'rejected', 'revoked')),"
      " created_at INTEGER NOT NULL,"
      " decided_by INTEGER NOT NULL DEFAULT 0 CHECK (decided_by >= 0), decided_at INTEGER,"
      " revoked_at INTEGER, reason TEXT NOT NULL DEFAULT '',"
      " replaces INTEGER REFERENCES signing_keys(id),"
      " approval_log_index INTEGER, revocation_log_index INTEGER) STRICT;"
      "CREATE INDEX signing_keys_by_user ON signing_keys (user_id, id);"
      "CREATE INDEX signing_keys_by_organization ON signing_keys (organization_id, id);"
      "CREATE TRIGGER signing_keys_fixed BEFORE UPDATE OF id, organization_id, user_id,"
      " public_key, label, created_at, replaces ON signing_keys"
      " BEGIN SELECT RAISE(ABORT, 'a signing key keeps what it is'); END;"
      "CREATE TRIGGER signing_keys_forward BEFORE UPDATE OF state ON signing_keys"
      " WHEN NOT ((OLD.state = 'pending' AND NEW.state IN ('approved', 'rejected', 'revoked'))"
      " OR (OLD.state = 'approved' AND NEW.state = 'revoked'))"
      " BEGIN SELECT RAISE(ABORT, 'a signing key only moves forward'); END;"
      "CREATE TRIGGER signing_keys_kept BEFORE DELETE ON signing_keys"
      " BEGIN SELECT RAISE(ABORT, 'signing keys are never deleted'); END;"
      "CREATE TABLE final_manifests (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " version_id INTEGER NOT NULL REFERENCES statement_versions(id),"
      " canonical TEXT NOT NULL,"
      " sha256 TEXT NOT NULL UNIQUE"
      " CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
      " log_index INTEGER NOT NULL UNIQUE, created_at INTEGER NOT NULL) STRICT;"
      "CREATE INDEX final_manifests_by_statement ON final_manifests (statement_id, id);"
      "CREATE TRIGGER final_manifests_no_update BEFORE UPDATE ON final_manifests"
      " BEGIN SELECT RAISE(ABORT, 'manifests are append-only'); END;"
      "CREATE TRIGGER final_manifests_no_delete BEFORE DELETE ON final_manifests"
      " BEGIN SELECT RAISE(ABORT, 'manifests are append-only'); END;"
      "CREATE TABLE endorsements (id INTEGER PRIMARY KEY,"
      " manifest_id INTEGER NOT NULL REFERENCES final_manifests(id),"
      " organization_id INTEGER NOT NULL REFERENCES organizations(id),"
      " user_id INTEGER NOT NULL CHECK (user_id > 0),"
      " key_id INTEGER NOT NULL REFERENCES signing_keys(id),"
      " kind TEXT NOT NULL CHECK (kind IN ('adheres', 'adheres-with-reservations')),"
      " canonical TEXT NOT NULL,"
      " sha256 TEXT NOT NULL UNIQUE"
      " CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
      " signature TEXT NOT NULL CHECK (length(signature) = 88),"
      " nonce TEXT NOT NULL UNIQUE, signed_at INTEGER NOT NULL, received_at INTEGER NOT NULL,"
      " log_index INTEGER NOT NULL UNIQUE) STRICT;"
      "CREATE INDEX endorsements_by_manifest ON endorsements (manifest_id, organization_id);"
      "CREATE TRIGGER endorsements_no_update BEFORE UPDATE ON endorsements"
      " BEGIN SELECT RAISE(ABORT, 'endorsements are append-only'); END;"
      "CREATE TRIGGER endorsements_no_delete BEFORE DELETE ON endorsements"
      " BEGIN SELECT RAISE(ABORT, 'endorsements are append-only'); END;"
      "CREATE TABLE withdrawals (id INTEGER PRIMARY KEY,"
      " endorsement_id INTEGER NOT NULL UNIQUE REFERENCES endorsements(id),"
      " user_id INTEGER NOT NULL CHECK (user_id > 0),"
      " key_id INTEGER NOT NULL REFERENCES signing_keys(id),"
      " reason TEXT NOT NULL DEFAULT '', canonical TEXT NOT NULL,"
      " sha256 TEXT NOT NULL UNIQUE"
      " CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),"
      " signature TEXT NOT NULL CHECK (length(signature) = 88),"
      " nonce TEXT NOT NULL UNIQUE, signed_at INTEGER NOT NULL, received_at INTEGER NOT NULL,"
      " log_index INTEGER NOT NULL UNIQUE) STRICT;"
      "CREATE TRIGGER withdrawals_no_update BEFORE UPDATE ON withdrawals"
      " BEGIN SELECT RAISE(ABORT, 'withdrawals are append-only'); END;"
      "CREATE TRIGGER withdrawals_no_delete BEFORE DELETE ON withdrawals"
      " BEGIN SELECT RAISE(ABORT, 'withdrawals are append-only'); END;",
      // 11: open adherence (server/src/adherence_store.h). Whether a final statement takes requests
      // to adhere
      // from organizations not yet on the instance, and those requests: what the public form
      // sent, and the secretariat's decision (approving creates or links an organization and
      // invites the signatory). Requests are never deleted, and once decided never change.
      // challenge_sha256 (the SHA-256 of the proof-of-work challenge spent on the request) is
      // UNIQUE: a challenge buys at most one request.
      "ALTER TABLE statements ADD COLUMN open_for_signature INTEGER NOT NULL DEFAULT 0"
      " CHECK (open_for_signature IN (0, 1));"
      "CREATE TABLE adherence_requests (id INTEGER PRIMARY KEY,"
      " statement_id INTEGER NOT NULL REFERENCES statements(id),"
      " org_name TEXT NOT NULL CHECK (org_name <> ''),"
      " org_short_name TEXT NOT NULL CHECK (org_short_name <> ''),"
      " org_country TEXT NOT NULL DEFAULT ''"
      " CHECK (org_country = '' OR org_country GLOB '[A-Z][A-Z]'),"
      " org_kind TEXT NOT NULL CHECK (org_kind IN ('union', 'party', 'movement', 'ngo', 'other')),"
      " org_website TEXT NOT NULL DEFAULT ''"
      " CHECK (org_website = '' OR org_website GLOB 'https://?*'"
      " OR org_website GLOB 'http://?*'),"
      " signatory_name TEXT NOT NULL CHECK (signatory_name <> ''),"
      " signatory_title TEXT NOT NULL DEFAULT '',"
      " signatory_email TEXT NOT NULL CHECK (instr(signatory_email, '@') > 1),"
      " message TEXT NOT NULL DEFAULT '', ip TEXT NOT NULL DEFAULT '',"
      " challenge_sha256 TEXT NOT NULL UNIQUE"
      " CHECK (length(challenge_sha256) = 64 AND challenge_sha256 NOT GLOB '*[^0-9a-f]*'),"
      " state TEXT NOT NULL DEFAULT 'pending'"
      " CHECK (state IN ('pending', 'approved', 'rejected')),"
      " created_at INTEGER NOT NULL,"
      " decided_by INTEGER CHECK (decided_by > 0), decided_at INTEGER,"
      " reason TEXT NOT NULL DEFAULT '',"
      " organization_id INTEGER REFERENCES organizations(id),"
      " invitation_id INTEGER REFERENCES invitations(id),"
      " CHECK ((state = 'pending') = (decided_at IS NULL)),"
      " CHECK ((decided_by IS NULL) = (decided_at IS NULL)),"
      " CHECK (state = 'approved' OR (organization_id IS NULL AND invitation_id IS NULL)),"
      " CHECK (state <> 'approved' OR (organization_id IS NOT NULL"
      " AND invitation_id IS NOT NULL))) STRICT;"
      "CREATE INDEX adherence_requests_by_statement ON adherence_requests (statement_id, state, "
      "id);"
      "CREATE UNIQUE INDEX adherence_requests_one_pending_per_email"
      " ON adherence_requests (statement_id, signatory_email) WHERE state = 'pending';"
      "CREATE TRIGGER adherence_requests_fixed BEFORE UPDATE OF id, statement_id, org_name,"
      " org_short_name, org_country, org_kind, org_website, signatory_name, signatory_title,"
      " signatory_email, message, ip, challenge_sha256, created_at ON adherence_requests"
      " BEGIN SELECT RAISE(ABORT, 'an adherence request keeps what was sent'); END;"
      "CREATE TRIGGER adherence_requests_decided_once BEFORE UPDATE ON adherence_requests"
      " WHEN OLD.state <> 'pending'"
      " BEGIN SELECT RAISE(ABORT, 'an adherence request is decided once'); END;"
      "CREATE TRIGGER adherence_requests_kept BEFORE DELETE ON adherence_requests"
      " BEGIN SELECT RAISE(ABORT, 'adherence requests are never deleted'); END;",
  };
  return kMigrations;
}

Status SqliteError(sqlite3* db, std::string_view what) {
  return Status::IOError(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IOError("cannot create data directory " + data_dir + ": " + ec.message());
  std::string path = (std::filesystem::path(data_dir) / "accord.db").string();
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<Database> db(new Database(raw));
  if (rc != SQLITE_OK) return SqliteError(raw, "cannot open " + path);
  sqlite3_busy_timeout(raw, 5000);
  ACCORD_RETURN_IF_ERROR(
      db->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
  ACCORD_RETURN_IF_ERROR(db->Migrate());
  return db;
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::IOError("SQL failed: " + msg);
  }
  return Status::Ok();
}

Result<std::string> Database::QueryText(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, "cannot prepare query");
  }
  std::string out;
  int rc = sqlite3_step(stmt);
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text) out = reinterpret_cast<const char*>(text);
  } else if (rc != SQLITE_DONE) {
    Status s = SqliteError(db_, "query failed");
    sqlite3_finalize(stmt);
    return s;
  }
  sqlite3_finalize(stmt);
  return out;
}

Status Database::Migrate() {
  ACCORD_RETURN_IF_ERROR(
      Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))) STRICT;"));
  auto current = QueryText("SELECT COALESCE(MAX(version), 0) FROM schema_migrations;");
  if (!current.ok()) return current.status();
  schema_version_ = std::stoi(*current);
  const auto& migrations = Migrations();
  if (schema_version_ > static_cast<int>(migrations.size())) {
    return Status::FailedPrecondition("the database has schema version " +
                                      std::to_string(schema_version_) +
                                      ", newer than this accordd knows (" +
                                      std::to_string(migrations.size()) + "); upgrade accordd");
  }
  if (schema_version_ == static_cast<int>(migrations.size())) return Status::Ok();
  ACCORD_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE;"));
  for (size_t v = schema_version_ + 1; v <= migrations.size(); ++v) {
    Status s = Exec(migrations[v - 1]);
    if (s.ok())
      s = Exec("INSERT INTO schema_migrations(version) VALUES (" + std::to_string(v) + ");");
    if (!s.ok()) {
      (void)Exec("ROLLBACK;");
      return Status::IOError("migration " + std::to_string(v) + " failed: " + s.message());
    }
  }
  ACCORD_RETURN_IF_ERROR(Exec("COMMIT;"));
  schema_version_ = static_cast<int>(migrations.size());
  return Status::Ok();
}

}  // namespace accord::server
