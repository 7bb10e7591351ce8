#include "token_store.h"

#include <sqlite3.h>

#include "accord/auth/secret.h"
#include "accord/proto/document_name.h"

namespace accord::server {
namespace {

constexpr std::string_view kPrefix = "acc_";

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A prepared statement, finalized when it goes out of scope.
struct Statement {
  sqlite3_stmt* stmt = nullptr;
  ~Statement() { sqlite3_finalize(stmt); }
};

Status ValidatePattern(std::string_view pattern) {
  if (pattern == "*") return Status::Ok();
  std::string_view name = pattern;
  if (!name.empty() && name.back() == '*') {
    name.remove_suffix(1);
    if (name.empty()) return Status::InvalidArgument("empty document pattern");
  }
  Status s = proto::ValidateDocumentName(name);
  if (!s.ok()) return Status::InvalidArgument("bad document pattern: " + s.message());
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<TokenStore>> TokenStore::Open(const std::string& data_dir) {
  ACCORD_RETURN_IF_ERROR(auth::Initialize());
  auto db = Database::Open(data_dir);
  if (!db.ok()) return db.status();
  return std::unique_ptr<TokenStore>(new TokenStore(std::move(*db)));
}

bool TokenStore::PatternCovers(std::string_view pattern, std::string_view name) {
  if (pattern == "*") return true;
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return name.substr(0, pattern.size()) == pattern;
  }
  return pattern == name;
}

Result<std::string> TokenStore::Create(std::string_view doc_pattern, Access access,
                                       std::optional<std::chrono::seconds> ttl) {
  ACCORD_RETURN_IF_ERROR(ValidatePattern(doc_pattern));
  if (ttl && ttl->count() <= 0) return Status::InvalidArgument("ttl must be positive");
  std::string token = auth::GenerateToken(kPrefix);
  std::lock_guard lock(mu_);
  Statement st;
  const char* sql =
      "INSERT INTO access_tokens (hash, doc_pattern, access, created_at, expires_at)"
      " VALUES (?, ?, ?, ?, ?)";
  if (sqlite3_prepare_v2(db_->handle(), sql, -1, &st.stmt, nullptr) != SQLITE_OK) {
    return Status::IOError(std::string("cannot store token: ") + sqlite3_errmsg(db_->handle()));
  }
  const std::string hash = auth::HashToken(token);
  const int64_t now = NowSeconds();
  sqlite3_bind_text(st.stmt, 1, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
  sqlite3_bind_text(st.stmt, 2, doc_pattern.data(), static_cast<int>(doc_pattern.size()),
                    SQLITE_TRANSIENT);
  sqlite3_bind_text(st.stmt, 3, access == Access::kWrite ? "write" : "read", -1, SQLITE_STATIC);
  sqlite3_bind_int64(st.stmt, 4, now);
  if (ttl) {
    sqlite3_bind_int64(st.stmt, 5, now + ttl->count());
  } else {
    sqlite3_bind_null(st.stmt, 5);
  }
  if (sqlite3_step(st.stmt) != SQLITE_DONE) {
    return Status::IOError(std::string("cannot store token: ") + sqlite3_errmsg(db_->handle()));
  }
  return token;
}

Result<Access> TokenStore::Check(std::string_view token, std::string_view doc_name) {
  // Malformed tokens are refused before touching the database.
  if (token.size() != kPrefix.size() + 43 || token.substr(0, kPrefix.size()) != kPrefix) {
    return Status::Unauthenticated("unknown or malformed token");
  }
  const std::string hash = auth::HashToken(token);
  std::lock_guard lock(mu_);
  Statement st;
  const char* sql = "SELECT doc_pattern, access, expires_at FROM access_tokens WHERE hash = ?";
  if (sqlite3_prepare_v2(db_->handle(), sql, -1, &st.stmt, nullptr) != SQLITE_OK) {
    return Status::IOError(std::string("cannot read tokens: ") + sqlite3_errmsg(db_->handle()));
  }
  sqlite3_bind_text(st.stmt, 1, hash.data(), static_cast<int>(hash.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(st.stmt);
  if (rc == SQLITE_DONE) return Status::Unauthenticated("unknown or malformed token");
  if (rc != SQLITE_ROW) {
    return Status::IOError(std::string("cannot read tokens: ") + sqlite3_errmsg(db_->handle()));
  }
  std::string pattern(reinterpret_cast<const char*>(sqlite3_column_text(st.stmt, 0)));
  std::string access(reinterpret_cast<const char*>(sqlite3_column_text(st.stmt, 1)));
  if (sqlite3_column_type(st.stmt, 2) != SQLITE_NULL &&
      sqlite3_column_int64(st.stmt, 2) <= NowSeconds()) {
    return Status::Unauthenticated("token expired");
  }
  if (!PatternCovers(pattern, doc_name)) {
    return Status::PermissionDenied("token does not grant access to this document");
  }
  return access == "write" ? Access::kWrite : Access::kRead;
}

}  // namespace accord::server
