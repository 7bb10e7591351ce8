// token_store.h: bearer tokens that grant read or write access to documents.
//
// `accord token create` makes one; the WebSocket upgrade checks it. A token covers a document
// pattern: an exact name, a prefix ending in '*' ("team-*"), or '*' for every document. Only
// the token's SHA-256 is stored, so a copy of the database does not leak usable tokens. The
// accounts issue builds on this table.
//
// Thread-safe: one mutex guards the store's own database handle.
#ifndef ACCORD_SERVER_TOKEN_STORE_H_
#define ACCORD_SERVER_TOKEN_STORE_H_

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "accord/status.h"
#include "database.h"

namespace accord::server {

enum class Access { kRead, kWrite };

class TokenStore {
 public:
  static Result<std::unique_ptr<TokenStore>> Open(const std::string& data_dir);

  // Returns the new token in plain text (shown once; only its hash is kept). InvalidArgument
  // for a bad pattern or a ttl of zero.
  Result<std::string> Create(std::string_view doc_pattern, Access access,
                             std::optional<std::chrono::seconds> ttl);
  // The access `token` grants to `doc_name`. Unauthenticated for an unknown, malformed or
  // expired token; PermissionDenied for a valid token whose pattern does not cover the name.
  Result<Access> Check(std::string_view token, std::string_view doc_name);

  // Whether `pattern` covers `name` (exact, prefix*, or *).
  static bool PatternCovers(std::string_view pattern, std::string_view name);

 private:
  explicit TokenStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  std::mutex mu_;
  std::unique_ptr<Database> db_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_TOKEN_STORE_H_
