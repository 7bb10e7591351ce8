// api.h: the JSON REST API under /api/v1/ — request and context types shared by its handlers.
//
// http_session.cc hands every /api/ request to the ApiService (api_service.h) on the server's
// worker pool (password hashing and SQLite must not block a network thread); the service
// authenticates it (session cookie or API token), applies the Origin and CSRF checks to
// state-changing requests, finds the route and calls its handler. Handlers are plain functions
// from an ApiRequest to an HttpResponse, so they are unit-tested without sockets.
//
// Every error is an RFC 9457 problem+json with a stable `type` (see ApiError and
// proto/openapi.yaml). Every handler asks auth::Authorize before it acts.
//
// Thread-safety: handlers run on worker threads, several at once; everything reachable from
// ApiContext is thread-safe.
#ifndef ACCORD_SERVER_API_H_
#define ACCORD_SERVER_API_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/account_store.h"
#include "accord/auth/model.h"
#include "accord/auth/password.h"
#include "accord/auth/policy.h"
#include "accord/auth/rate_limiter.h"
#include "router.h"

namespace accord::server {

// An HTTP request as the API sees it. Header names are lower case.
struct ApiRequest {
  std::string method;                        // "GET", "POST", "PATCH", "DELETE", ...
  std::string path;                          // without the query, percent-decoded segments
  std::map<std::string, std::string> query;  // decoded query parameters
  std::map<std::string, std::string> headers;
  std::string body;
  std::string ip;                             // the peer's address
  std::map<std::string, std::string> params;  // route parameters ({id} -> "12"), set by routing

  std::string_view Header(std::string_view name) const;  // "" if absent
};

// Who made an authenticated request.
struct ApiCaller {
  auth::User user;
  auth::Principal principal;
  auth::Id session_id = 0;        // the cookie's session; 0 when a token was used
  std::string session_token;      // the cookie's value (for the CSRF token); empty for tokens
  auth::Id token_id = 0;          // the API token; 0 when a session was used
  std::string token_pattern;      // the token's document pattern ("*" covers all)
  auth::UnixTime expires_at = 0;  // when the session (absolute) or token expires; 0: never
};

// The configuration of the API: the server fills it from ServerOptions (public_url,
// allowed_origins) and Limits (lifetimes, rate limits); these defaults match Limits'.
struct ApiConfig {
  // The address users reach the instance at ("https://accord.example.org"); links in
  // invitations are built on it. Its scheme decides whether cookies are Secure/__Host-.
  std::string public_url = "http://127.0.0.1:8080";
  // Origins allowed to make state-changing requests and WebSocket upgrades; public_url's
  // origin is always included.
  std::vector<std::string> allowed_origins;
  std::chrono::seconds session_idle{std::chrono::hours(12)};
  std::chrono::seconds session_absolute{std::chrono::hours(24 * 14)};
  std::chrono::seconds invitation_ttl{std::chrono::hours(24 * 7)};
  std::chrono::seconds password_reset_ttl{std::chrono::hours(2)};
  auth::RateLimit login_per_account{5, std::chrono::minutes(15), std::chrono::seconds(30),
                                    std::chrono::minutes(15)};
  auth::RateLimit login_per_ip{20, std::chrono::minutes(15), std::chrono::seconds(30),
                               std::chrono::minutes(15)};
  auth::RateLimit links_per_ip{10, std::chrono::hours(1), std::chrono::minutes(1),
                               std::chrono::hours(1)};  // invitations, reset requests
  // Open adherence (api_adherence.cc): requests to adhere per address, the proof-of-work
  // difficulty of their challenges (leading zero bits), pending requests per statement.
  auth::RateLimit adherence_per_ip{5, std::chrono::hours(1), std::chrono::minutes(1),
                                   std::chrono::hours(1)};
  int adherence_difficulty = 18;
  int64_t adherence_max_pending = 100;
  bool secure_cookies() const { return public_url.rfind("https://", 0) == 0; }
};

// Sends the e-mail of an invitation or a password reset; absent when no SMTP is configured
// (the link is then returned to the secretariat to pass on). Returns false if sending failed.
using Mailer =
    std::function<bool(const std::string& to, const std::string& subject, const std::string& body)>;

// What handlers need; owned by the ApiService, shared by all worker threads.
class AdherenceStore;
class CommentStore;
class DocumentService;
class DraftingStore;
class SignonStore;
class SignonWriter;
class TransparencyLog;

struct ApiContext {
  auth::AccountStore* store = nullptr;
  DraftingStore* drafting = nullptr;     // versions, phase record (drafting_store.h)
  DocumentService* documents = nullptr;  // the drafts' current states (document_service.h)
  CommentStore* comments = nullptr;      // threaded comments (comment_store.h)
  // Open adherence (adherence_store.h). Null in tests of other areas: the adherence routes
  // then answer 503 and statements show open_for_signature false.
  AdherenceStore* adherence = nullptr;
  // The public transparency log (transparency_log.h); its verifier() is the instance's log
  // key, named by the log origin. Null in tests of other areas: the log routes then answer 503.
  TransparencyLog* log = nullptr;
  // Sign-on (signon_store.h): keys, manifests, endorsements. Null in tests of other areas: the
  // sign-on routes then answer 503 and entering `final` publishes no manifest.
  SignonStore* signon = nullptr;
  // Group commit of endorsements and withdrawals (signon_writer.h); when null, each one is
  // committed on its own.
  SignonWriter* signon_writer = nullptr;
  auth::PasswordHasher* passwords = nullptr;
  ApiConfig* config = nullptr;  // read-only once the server runs
  std::string instance_key;     // 32 raw bytes: CSRF MAC key
  Mailer mailer;                // may be empty
  std::unique_ptr<auth::RateLimiter> login_account_limiter;
  std::unique_ptr<auth::RateLimiter> login_ip_limiter;
  std::unique_ptr<auth::RateLimiter> link_ip_limiter;
  std::unique_ptr<auth::RateLimiter> adherence_ip_limiter;
  std::function<auth::UnixTime()> now;  // wall clock; tests move it
  std::function<auth::RateLimiter::Clock::time_point()> steady_now;
  std::vector<std::string> allowed_origins;  // config's plus public_url's origin
  // Called after a change that may alter who can open or write documents: with a statement's
  // draft name when that statement's phase or participants changed, with "" when any
  // document's rights may have. The server closes the affected
  // WebSocket connections (close code 4003) so that clients reconnect under the new rights.
  // `user` narrows it to one user's connections (0: everyone's).
  std::function<void(const std::string& document, auth::Id user)> rights_changed;
  std::shared_ptr<void> keep_alive;  // owns what the pointers above point to, if anyone must
  void RightsChanged(const std::string& document) const {
    if (rights_changed) rights_changed(document, 0);
  }
  // Every connection of `user` (a membership, a disabled account, a session or token ended).
  void UserRightsChanged(auth::Id user) const {
    if (rights_changed) rights_changed("", user);
  }

  // Appends to the audit log; failures are logged, never turned into request failures.
  void Audit(std::string_view kind, const ApiRequest& request, auth::Id actor,
             std::string_view subject, std::string_view detail_json) const;
};

// One route: `pattern` is a path with {name} placeholders ("/api/v1/users/{id}"); a placeholder
// matches one non-empty segment and lands in ApiRequest::params. Routes with `public_route`
// run without a caller (login, invitation acceptance); all others get 401 without one.
using ApiHandler =
    std::function<HttpResponse(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller)>;
struct ApiRoute {
  std::string method;
  std::string pattern;
  ApiHandler handler;
  bool public_route = false;
};
// The routes of each area, registered by api_service.cc. Declared here, defined in
// api_<area>.cc.
std::vector<ApiRoute> SessionRoutes();          // api_sessions.cc
std::vector<ApiRoute> InvitationRoutes();       // api_invitations.cc (and password resets)
std::vector<ApiRoute> UserRoutes();             // api_users.cc
std::vector<ApiRoute> OrganizationRoutes();     // api_organizations.cc (and memberships)
std::vector<ApiRoute> TokenRoutes();            // api_tokens.cc
std::vector<ApiRoute> AuditRoutes();            // api_audit.cc
std::vector<ApiRoute> StatementRoutes();        // api_statements.cc (and participants)
std::vector<ApiRoute> VersionRoutes();          // api_versions.cc (and diffs, phase record)
std::vector<ApiRoute> AmendmentRoutes();        // api_amendments.cc (and support settings)
std::vector<ApiRoute> MergeRoutes();            // api_merges.cc (and the amendment diff view)
std::vector<ApiRoute> CommentRoutes();          // api_comments.cc
std::vector<ApiRoute> LogRoutes();              // api_log.cc (public, read-only)
std::vector<ApiRoute> SigningKeyRoutes();       // api_signing_keys.cc
std::vector<ApiRoute> ManifestRoutes();         // api_manifest.cc (public: manifest, bundle)
std::vector<ApiRoute> EndorsementRoutes();      // api_endorsements.cc
std::vector<ApiRoute> AdherenceRoutes();        // api_adherence.cc (public form, secretariat)
std::vector<ApiRoute> SignonDashboardRoutes();  // api_signon_dashboard.cc (secretariat)

// A problem+json reply for the API; `type` is the stable slug under /problems/.
HttpResponse ApiError(int status, std::string_view type, std::string_view title,
                      std::string_view detail);
// A JSON reply (`json` is serialized JSON text).
HttpResponse JsonResponse(int status, std::string json);
// 204 No Content.
HttpResponse NoContent();
// 429 rate-limited with Retry-After.
HttpResponse TooManyRequests(std::chrono::seconds retry_after, std::string_view what);

// Asks the policy; on a denial returns the 403 `forbidden` problem (with the policy's reason)
// and records a "permission-denied" audit event. nullopt: allowed.
std::optional<HttpResponse> Deny(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                                 auth::Action action, const auth::Target& target = {});
// The route parameter `name` as a positive id; nullopt if it is not one.
std::optional<auth::Id> IdParam(const ApiRequest& req, std::string_view name = "id");
// 404 for a parameter that is not an id.
HttpResponse NotFoundProblem(std::string_view what);

}  // namespace accord::server

#endif  // ACCORD_SERVER_API_H_
