#include "api_service.h"

#include <boost/json.hpp>
#include <charconv>

#include "accord/auth/secret.h"
#include "accord/auth/web_security.h"
#include "api_json.h"
#include "log.h"
#include "ws_target.h"

namespace accord::server {
namespace json = boost::json;

namespace {

// Sessions and tokens are touched at most this often: a read-mostly client does not turn
// every request into a write.
constexpr auth::UnixTime kTouchEvery = 60;

bool IsStateChanging(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *out += ' ';
    } else {
      *out += c;
    }
  }
  return true;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

// Matches `path` against `pattern`; fills `params`; returns the number of placeholders used
// (literal routes beat parameterised ones), or -1 for no match.
int MatchRoute(std::string_view pattern, std::string_view path,
               std::map<std::string, std::string>* params) {
  auto want = Segments(pattern);
  auto have = Segments(path);
  if (want.size() != have.size() || (path.size() > 1 && path.back() == '/')) return -1;
  std::map<std::string, std::string> found;
  int placeholders = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      found[std::string(want[i].substr(1, want[i].size() - 2))] = std::string(have[i]);
      ++placeholders;
    } else if (want[i] != have[i]) {
      return -1;
    }
  }
  *params = std::move(found);
  return placeholders;
}

std::string OriginOf(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t end = url.find('/', scheme + 3);
  return std::string(url.substr(0, end));
}

HttpResponse Unauthenticated(const ApiContext& ctx, std::string_view detail, bool clear_cookie) {
  HttpResponse r = ApiError(401, "unauthenticated", "Not signed in", detail);
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  if (clear_cookie) {
    r.headers.emplace_back("Set-Cookie",
                           auth::BuildClearSessionCookie(ctx.config->secure_cookies()));
  }
  return r;
}

}  // namespace

std::string_view ApiRequest::Header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

HttpResponse ApiError(int status, std::string_view type, std::string_view title,
                      std::string_view detail) {
  return Problem(status, type, title, detail);
}

HttpResponse JsonResponse(int status, std::string json) {
  HttpResponse r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(json);
  return r;
}

HttpResponse NoContent() {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

HttpResponse NotFoundProblem(std::string_view what) {
  return ApiError(404, "not-found", "Not found", "no " + std::string(what) + " with that id");
}

std::optional<auth::Id> IdParam(const ApiRequest& req, std::string_view name) {
  auto it = req.params.find(std::string(name));
  if (it == req.params.end()) return std::nullopt;
  auth::Id id = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), id);
  if (ec != std::errc() || end != it->second.data() + it->second.size() || id <= 0) {
    return std::nullopt;
  }
  return id;
}

void ApiContext::Audit(std::string_view kind, const ApiRequest& request, auth::Id actor,
                       std::string_view subject, std::string_view detail_json) const {
  auth::AuditEvent event;
  event.at = now();
  event.kind = kind;
  event.actor_user_id = actor;
  event.ip = request.ip;
  event.subject = subject;
  event.detail = detail_json.empty() ? "{}" : std::string(detail_json);
  auto appended = store->AppendAudit(event);
  if (!appended.ok()) {
    Log("error", "audit log append failed",
        {{"kind", std::string(kind)}, {"error", appended.status().ToString()}});
  }
}

std::optional<HttpResponse> Deny(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                                 auth::Action action, const auth::Target& target) {
  auth::Target t = target;
  t.reading = req.method == "GET" || req.method == "HEAD";
  auth::Decision decision = auth::Authorize(caller.principal, action, t);
  if (decision) return std::nullopt;
  json::object detail{{"action", auth::ActionName(action)},
                      {"method", req.method},
                      {"path", req.path},
                      {"reason", decision.reason}};
  ctx.Audit("permission-denied", req, caller.user.id, "user:" + std::to_string(caller.user.id),
            json::serialize(detail));
  if (decision.reason.find("scope") != std::string::npos) {
    return ApiError(403, "insufficient-scope", "Insufficient scope", decision.reason);
  }
  return ApiError(403, "forbidden", "Not allowed", decision.reason);
}

Result<auth::Principal> PrincipalFor(auth::AccountStore& store, const auth::User& user) {
  auth::Principal p;
  p.user_id = user.id;
  auto memberships = store.ListMembershipsOfUser(user.id);
  if (!memberships.ok()) return memberships.status();
  p.memberships = std::move(*memberships);
  auto host = store.HostOrganization();
  if (host.ok()) {
    p.host_organization_id = host->id;
  } else if (host.status().code() != Status::Code::kNotFound) {
    return host.status();
  }
  return p;
}

bool SplitTarget(std::string_view target, std::string* path,
                 std::map<std::string, std::string>* query) {
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (!PercentDecode(raw_path, false, path)) return false;
  query->clear();
  if (q == std::string_view::npos) return true;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    size_t eq = pair.find('=');
    std::string key, value;
    if (!PercentDecode(pair.substr(0, eq), true, &key)) return false;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &value)) {
      return false;
    }
    if (!key.empty()) (*query)[key] = value;
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return true;
}

ApiService::ApiService(std::unique_ptr<ApiContext> context) : ctx_(std::move(context)) {
  if (!ctx_->now) ctx_->now = [] { return static_cast<auth::UnixTime>(std::time(nullptr)); };
  if (!ctx_->steady_now) ctx_->steady_now = [] { return auth::RateLimiter::Clock::now(); };
  const ApiConfig& config = *ctx_->config;
  if (!ctx_->login_account_limiter) {
    ctx_->login_account_limiter = std::make_unique<auth::RateLimiter>(config.login_per_account);
  }
  if (!ctx_->login_ip_limiter) {
    ctx_->login_ip_limiter = std::make_unique<auth::RateLimiter>(config.login_per_ip);
  }
  if (!ctx_->link_ip_limiter) {
    ctx_->link_ip_limiter = std::make_unique<auth::RateLimiter>(config.links_per_ip);
  }
  if (!ctx_->adherence_ip_limiter) {
    ctx_->adherence_ip_limiter = std::make_unique<auth::RateLimiter>(config.adherence_per_ip);
  }
  SetPublicUrl(config.public_url);
  for (auto* area : {&SessionRoutes, &InvitationRoutes, &UserRoutes, &OrganizationRoutes,
                     &TokenRoutes, &AuditRoutes, &StatementRoutes, &VersionRoutes, &AmendmentRoutes,
                     &MergeRoutes, &CommentRoutes, &LogRoutes, &SigningKeyRoutes, &ManifestRoutes,
                     &EndorsementRoutes, &AdherenceRoutes, &SignonDashboardRoutes}) {
    for (auto& route : (*area)()) routes_.push_back(std::move(route));
  }
}

void ApiService::SetPublicUrl(const std::string& url) {
  ctx_->config->public_url = url;
  ctx_->allowed_origins = ctx_->config->allowed_origins;
  ctx_->allowed_origins.push_back(OriginOf(url));
}

Result<ApiCaller> ApiService::CallerFromToken(const ApiRequest& request, std::string_view token) {
  auth::UnixTime now = ctx_->now();
  auto found = ctx_->store->FindApiTokenByTokenHash(auth::HashToken(token));
  if (!found.ok()) {
    if (found.status().code() == Status::Code::kNotFound) {
      return Status::Unauthenticated("the API token is not known");
    }
    return found.status();
  }
  if (found->revoked_at) return Status::Unauthenticated("the API token has been revoked");
  if (found->expires_at && now >= *found->expires_at) {
    return Status::Unauthenticated("the API token has expired");
  }
  auto user = ctx_->store->GetUser(found->user_id);
  if (!user.ok()) return user.status();
  if (user->disabled) return Status::Unauthenticated("the token's owner is disabled");
  auto principal = PrincipalFor(*ctx_->store, *user);
  if (!principal.ok()) return principal.status();
  principal->scopes = found->scopes;
  if (!found->last_used_at || now - *found->last_used_at >= kTouchEvery) {
    (void)ctx_->store->TouchApiToken(found->id, now);
  }
  ApiCaller caller;
  caller.user = std::move(*user);
  caller.principal = std::move(*principal);
  caller.token_id = found->id;
  caller.token_pattern = found->document_pattern;
  caller.expires_at = found->expires_at.value_or(0);
  return caller;
}

Result<ApiCaller> ApiService::CallerFromSession(const ApiRequest& request, std::string_view token) {
  auth::UnixTime now = ctx_->now();
  auto session = ctx_->store->FindSessionByTokenHash(auth::HashToken(token));
  if (!session.ok()) {
    if (session.status().code() == Status::Code::kNotFound) {
      return Status::Unauthenticated("the session has ended; sign in again");
    }
    return session.status();
  }
  if (now - session->last_seen_at >= ctx_->config->session_idle.count() ||
      now >= session->expires_at) {
    (void)ctx_->store->DeleteSession(session->id);
    return Status::Unauthenticated("the session has expired; sign in again");
  }
  auto user = ctx_->store->GetUser(session->user_id);
  if (!user.ok()) return user.status();
  if (user->disabled) return Status::Unauthenticated("the account is disabled");
  auto principal = PrincipalFor(*ctx_->store, *user);
  if (!principal.ok()) return principal.status();
  if (now - session->last_seen_at >= kTouchEvery) {
    (void)ctx_->store->TouchSession(session->id, now);
  }
  ApiCaller caller;
  caller.user = std::move(*user);
  caller.principal = std::move(*principal);
  caller.session_id = session->id;
  caller.session_token = std::string(token);
  caller.expires_at = session->expires_at;
  return caller;
}

Result<std::optional<ApiCaller>> ApiService::Authenticate(const ApiRequest& request) {
  std::string bearer = BearerToken(request.Header("authorization"));
  if (!request.Header("authorization").empty() && bearer.empty()) {
    return Status::Unauthenticated("the Authorization header must be 'Bearer <token>'");
  }
  if (!bearer.empty()) {
    auto caller = CallerFromToken(request, bearer);
    if (!caller.ok()) return caller.status();
    return std::optional<ApiCaller>(std::move(*caller));
  }
  auto cookie = auth::FindCookie(request.Header("cookie"),
                                 auth::SessionCookieName(ctx_->config->secure_cookies()));
  if (!cookie || cookie->empty()) return std::optional<ApiCaller>();
  auto caller = CallerFromSession(request, *cookie);
  if (!caller.ok()) return caller.status();
  return std::optional<ApiCaller>(std::move(*caller));
}

HttpResponse ApiService::Handle(ApiRequest request) {
  HttpResponse out = [&]() -> HttpResponse {
    // Route.
    const ApiRoute* chosen = nullptr;
    int best = 1 << 30;
    std::string allow;
    std::map<std::string, std::string> params;
    for (const ApiRoute& route : routes_) {
      std::map<std::string, std::string> p;
      int score = MatchRoute(route.pattern, request.path, &p);
      if (score < 0) continue;
      if (route.method != request.method) {
        if (allow.find(route.method) == std::string::npos) {
          allow += (allow.empty() ? "" : ", ") + route.method;
        }
        continue;
      }
      if (score < best) {
        best = score;
        chosen = &route;
        params = std::move(p);
      }
    }
    if (chosen == nullptr) {
      if (!allow.empty()) {
        HttpResponse r = ApiError(405, "method-not-allowed", "Method not allowed",
                                  request.path.substr(0, 200) + " answers " + allow + " only");
        r.headers.emplace_back("Allow", allow);
        return r;
      }
      return ApiError(404, "not-found", "Not found",
                      "no API resource at " + request.path.substr(0, 200));
    }
    request.params = std::move(params);

    // Authenticate.
    auto authenticated = Authenticate(request);
    if (!authenticated.ok()) {
      if (authenticated.status().code() != Status::Code::kUnauthenticated) {
        Log("error", "authentication failed", {{"error", authenticated.status().ToString()}});
        return ApiError(500, "internal", "Internal error",
                        "the server could not check the credentials; the operator has been told");
      }
      // Public routes (signing in, accepting a link) work whatever stale cookie the browser
      // still carries; everything else refuses it.
      if (!chosen->public_route) {
        bool had_cookie = request.Header("authorization").empty();
        return Unauthenticated(*ctx_, authenticated.status().message(), had_cookie);
      }
      authenticated = std::optional<ApiCaller>();
    }
    std::optional<ApiCaller>& caller = *authenticated;
    if (!chosen->public_route && !caller) {
      return Unauthenticated(*ctx_,
                             "sign in (POST /api/v1/session) or present an API token as "
                             "'Authorization: Bearer <token>'",
                             false);
    }

    // Cross-site request forgery: a browser sends the cookie on its own, so requests that
    // rely on it must prove they come from our pages.
    if (IsStateChanging(request.method)) {
      const bool by_token = caller && caller->token_id != 0;
      std::string_view origin = request.Header("origin");
      if ((!by_token || !origin.empty()) && !auth::OriginAllowed(origin, ctx_->allowed_origins)) {
        ctx_->Audit("request-rejected", request, caller ? caller->user.id : 0, "origin",
                    json::serialize(json::object{{"origin", std::string(origin.substr(0, 200))},
                                                 {"path", request.path}}));
        return ApiError(403, "origin-not-allowed", "Origin not allowed",
                        origin.empty() ? "state-changing requests from a browser must carry an "
                                         "Origin header"
                                       : "requests from " + std::string(origin.substr(0, 200)) +
                                             " are not allowed; the instance's allowed origins "
                                             "are set in its configuration");
      }
      if (caller && caller->session_id != 0 && !chosen->public_route &&
          !auth::CsrfTokenValid(ctx_->instance_key, caller->session_token,
                                request.Header("x-csrf-token"))) {
        ctx_->Audit("request-rejected", request, caller->user.id, "csrf",
                    json::serialize(json::object{{"path", request.path}}));
        return ApiError(403, "csrf-failed", "CSRF check failed",
                        "send the csrf_token of GET /api/v1/session in the X-CSRF-Token header");
      }
    }

    // A token's scopes bound what its owner's rights allow.
    if (caller && caller->token_id != 0) {
      uint32_t need = IsStateChanging(request.method) ? auth::kScopeApiWrite : auth::kScopeApiRead;
      if ((caller->principal.scopes & need) == 0) {
        return ApiError(403, "insufficient-scope", "Insufficient scope",
                        "the API token lacks the " + auth::FormatScopes(need) + " scope");
      }
    }

    try {
      return chosen->handler(*ctx_, request, caller ? &*caller : nullptr);
    } catch (const std::exception& e) {
      Log("error", "API handler failed", {{"path", request.path}, {"error", e.what()}});
      return ApiError(500, "internal", "Internal error",
                      "the server could not complete the request; the operator has been told");
    }
  }();
  out.headers.emplace_back("Cache-Control", "no-store");
  return out;
}

}  // namespace accord::server
