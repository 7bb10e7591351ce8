// api_service.h: the REST API under /api/v1/ — authentication, request checks and routing.
//
// Handle() takes one request through the same gate every time:
//   1. find the route (404 not-found, 405 method-not-allowed with Allow);
//   2. authenticate: "Authorization: Bearer acc_..." (an API token: its owner's rights cut to
//      its scopes) or the session cookie (idle and absolute expiry are checked and refreshed);
//      an invalid, expired or revoked credential is 401, except on the public routes (signing
//      in, accepting a link), which then run as anonymous;
//   3. for state-changing methods: `Origin` must be on the allow-list when a browser could
//      have sent the request (cookie sessions and public routes; 403 origin-not-allowed), and
//      cookie sessions must send `X-CSRF-Token` (403 csrf-failed) except on the public routes,
//      where the Origin check is the defence (a login form has no token yet);
//   4. API tokens need api:read for GET and api:write otherwise (403 insufficient-scope);
//   5. the handler runs, asking auth::Authorize for its action.
// Responses carry `Cache-Control: no-store`.
//
// Authenticate() is also what the WebSocket upgrade uses (document_access.h).
//
// Thread-safe: Handle() may run on several worker threads at once; it blocks (SQLite,
// Argon2id), so never call it from a network thread.
#ifndef ACCORD_SERVER_API_SERVICE_H_
#define ACCORD_SERVER_API_SERVICE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api.h"

namespace accord::server {

class ApiService {
 public:
  // `context` must have store, passwords, config and instance_key set; missing clocks and
  // limiters get defaults.
  explicit ApiService(std::unique_ptr<ApiContext> context);

  HttpResponse Handle(ApiRequest request);

  // The caller a request's credentials identify: nullopt without credentials; Unauthenticated
  // for invalid, expired or revoked ones, or a disabled user.
  Result<std::optional<ApiCaller>> Authenticate(const ApiRequest& request);

  ApiContext& context() { return *ctx_; }
  // Sets the public URL (and with it the allowed origins and cookie security) before the
  // server runs, once the listening port is known.
  void SetPublicUrl(const std::string& url);

 private:
  Result<ApiCaller> CallerFromToken(const ApiRequest& request, std::string_view token);
  Result<ApiCaller> CallerFromSession(const ApiRequest& request, std::string_view token);

  std::unique_ptr<ApiContext> ctx_;
  std::vector<ApiRoute> routes_;
};

// The principal of `user` for auth::Authorize: memberships and the host organization, all
// scopes. IOError if the store fails.
Result<auth::Principal> PrincipalFor(auth::AccountStore& store, const auth::User& user);

// Splits "/a/b?x=1&y=%20" into path and decoded query parameters; false for bad escapes.
bool SplitTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query);

}  // namespace accord::server

#endif  // ACCORD_SERVER_API_SERVICE_H_
