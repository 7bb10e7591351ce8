// The session endpoints: sign in, who am I, sign out, and "sign out everywhere".
//
//   POST   /api/v1/session        {email, password} -> 201, Set-Cookie (public)
//   GET    /api/v1/session        the caller, memberships and the CSRF token
//   DELETE /api/v1/session        ends this session
//   GET    /api/v1/sessions       the caller's sessions
//   DELETE /api/v1/sessions       ends every session of the caller
//   DELETE /api/v1/sessions/{id}  ends one of them
#include <boost/json.hpp>
#include <mutex>

#include "accord/auth/secret.h"
#include "accord/auth/web_security.h"
#include "api.h"
#include "api_json.h"
#include "api_service.h"

namespace accord::server {
namespace json = boost::json;

namespace {

// An unknown email must cost the same time as a wrong password, or response times would tell
// which addresses have accounts: verify against a hash of nothing in particular.
const std::string& DecoyHash(auth::PasswordHasher& hasher) {
  static std::once_flag once;
  static std::string decoy;
  std::call_once(once, [&] {
    auto hash = hasher.Hash(auth::GenerateToken("decoy-"));
    if (hash.ok()) decoy = *hash;
  });
  return decoy;
}

json::object Me(ApiContext& ctx, const ApiCaller& caller) {
  json::array memberships;
  for (const auth::Membership& m : caller.principal.memberships) {
    json::object o = ToJson(m);
    auto org = ctx.store->GetOrganization(m.organization_id);
    if (org.ok()) o["organization"] = ToJson(*org);
    memberships.push_back(std::move(o));
  }
  json::object out{{"user", ToJson(caller.user)},
                   {"memberships", std::move(memberships)},
                   {"instance_secretariat", auth::IsInstanceSecretariat(caller.principal)}};
  if (caller.session_id != 0) {
    out["csrf_token"] = auth::CsrfTokenFor(ctx.instance_key, caller.session_token);
    out["session_id"] = caller.session_id;
  } else {
    out["csrf_token"] = nullptr;
    out["token_id"] = caller.token_id;
  }
  return out;
}

HttpResponse Login(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"email", "password"}, &error)) return error;
  auto email = body.String("email", true, 1, 254);
  auto password = body.String("password", true, 1, auth::kMaxPasswordLength);
  if (!body.ok()) return body.Problem();
  const std::string account_key = AsciiLower(*email);
  auto now_steady = ctx.steady_now();
  auto wait = std::max(ctx.login_ip_limiter->RetryAfter(req.ip, now_steady),
                       ctx.login_account_limiter->RetryAfter(account_key, now_steady));
  if (wait.count() > 0) return TooManyRequests(wait, "too many failed sign-ins");

  auto user = ctx.store->FindUserByEmail(account_key);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) {
    return StoreProblem(user.status());
  }
  std::string stored;
  if (user.ok()) {
    auto hash = ctx.store->GetPasswordHash(user->id);
    if (!hash.ok()) return StoreProblem(hash.status());
    stored = std::move(*hash);
  }
  auth::VerifyResult verified =
      ctx.passwords->Verify(*password, stored.empty() ? DecoyHash(*ctx.passwords) : stored);
  const bool ok = user.ok() && !stored.empty() && verified.matches && !user->disabled;
  if (!ok) {
    ctx.login_ip_limiter->Record(req.ip, now_steady);
    ctx.login_account_limiter->Record(account_key, now_steady);
    std::string reason = !user.ok()          ? "unknown email"
                         : stored.empty()    ? "no password set"
                         : !verified.matches ? "wrong password"
                                             : "account disabled";
    ctx.Audit(
        "login-failed", req, 0, user.ok() ? "user:" + std::to_string(user->id) : "",
        json::serialize(json::object{{"email", account_key.substr(0, 254)}, {"reason", reason}}));
    return ApiError(401, "invalid-credentials", "Sign-in failed",
                    "the email address or the password is wrong, or the account is disabled");
  }
  ctx.login_account_limiter->Reset(account_key);
  if (verified.needs_rehash) {
    // Stronger parameters than when the hash was made: upgrade it now that we hold the password.
    auto rehashed = ctx.passwords->Hash(*password);
    if (rehashed.ok() && ctx.store->SetPasswordHash(user->id, *rehashed).ok()) {
      ctx.Audit("password-rehashed", req, user->id, "user:" + std::to_string(user->id), "{}");
    }
  }
  // A new token at every sign-in; a session the browser still carried ends (no fixation).
  auto old =
      auth::FindCookie(req.Header("cookie"), auth::SessionCookieName(ctx.config->secure_cookies()));
  if (old && !old->empty()) {
    auto previous = ctx.store->FindSessionByTokenHash(auth::HashToken(*old));
    if (previous.ok()) (void)ctx.store->DeleteSession(previous->id);
  }
  const auth::UnixTime now = ctx.now();
  auth::Session session;
  session.user_id = user->id;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = now + ctx.config->session_absolute.count();
  session.user_agent = std::string(req.Header("user-agent").substr(0, 200));
  session.ip = req.ip;
  std::string token = auth::GenerateToken("acs_");
  auto created = ctx.store->CreateSession(session, auth::HashToken(token));
  if (!created.ok()) return StoreProblem(created.status());
  ctx.Audit("login", req, user->id, "user:" + std::to_string(user->id),
            json::serialize(json::object{{"session_id", created->id}}));

  ApiCaller caller;
  caller.user = *user;
  auto principal = PrincipalFor(*ctx.store, *user);
  if (!principal.ok()) return StoreProblem(principal.status());
  caller.principal = std::move(*principal);
  caller.session_id = created->id;
  caller.session_token = token;
  json::object out = Me(ctx, caller);
  out["expires_at"] = FormatTime(session.expires_at);
  HttpResponse r = JsonResponse(201, json::serialize(out));
  r.headers.emplace_back("Set-Cookie", auth::BuildSessionCookie(token, ctx.config->secure_cookies(),
                                                                ctx.config->session_absolute));
  return r;
}

HttpResponse WhoAmI(ApiContext& ctx, const ApiRequest&, const ApiCaller* caller) {
  return JsonResponse(200, json::serialize(Me(ctx, *caller)));
}

HttpResponse Logout(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (caller->session_id == 0) {
    return ApiError(409, "conflict", "Not a session",
                    "this request used an API token; revoke it with DELETE /api/v1/tokens/{id}");
  }
  Status s = ctx.store->DeleteSession(caller->session_id);
  if (!s.ok() && s.code() != Status::Code::kNotFound) return StoreProblem(s);
  ctx.Audit("logout", req, caller->user.id, "user:" + std::to_string(caller->user.id),
            json::serialize(json::object{{"session_id", caller->session_id}}));
  // Sockets opened with an ended session must not outlive it (see RevokeToken).
  ctx.UserRightsChanged(caller->user.id);
  HttpResponse r = NoContent();
  r.headers.emplace_back("Set-Cookie", auth::BuildClearSessionCookie(ctx.config->secure_cookies()));
  return r;
}

HttpResponse ListSessions(ApiContext& ctx, const ApiRequest&, const ApiCaller* caller) {
  auto sessions = ctx.store->ListSessionsOfUser(caller->user.id);
  if (!sessions.ok()) return StoreProblem(sessions.status());
  json::array items;
  for (const auth::Session& s : *sessions) items.push_back(ToJson(s, s.id == caller->session_id));
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse LogoutEverywhere(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  auto ended = ctx.store->DeleteSessionsOfUser(caller->user.id);
  if (!ended.ok()) return StoreProblem(ended.status());
  ctx.Audit("logout-everywhere", req, caller->user.id, "user:" + std::to_string(caller->user.id),
            json::serialize(json::object{{"sessions_ended", *ended}}));
  ctx.UserRightsChanged(caller->user.id);
  HttpResponse r = JsonResponse(200, json::serialize(json::object{{"sessions_ended", *ended}}));
  if (caller->session_id != 0) {
    r.headers.emplace_back("Set-Cookie",
                           auth::BuildClearSessionCookie(ctx.config->secure_cookies()));
  }
  return r;
}

HttpResponse EndOneSession(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("session");
  auto sessions = ctx.store->ListSessionsOfUser(caller->user.id);
  if (!sessions.ok()) return StoreProblem(sessions.status());
  bool own = false;
  for (const auth::Session& s : *sessions) own = own || s.id == *id;
  if (!own) return NotFoundProblem("session of yours");  // others' sessions are not revealed
  Status s = ctx.store->DeleteSession(*id);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("logout", req, caller->user.id, "user:" + std::to_string(caller->user.id),
            json::serialize(json::object{{"session_id", *id}}));
  ctx.UserRightsChanged(caller->user.id);
  return NoContent();
}

}  // namespace

HttpResponse TooManyRequests(std::chrono::seconds retry_after, std::string_view what) {
  HttpResponse r =
      ApiError(429, "rate-limited", "Too many requests",
               std::string(what) + "; try again in " + std::to_string(retry_after.count()) + " s");
  r.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
  return r;
}

std::vector<ApiRoute> SessionRoutes() {
  return {
      {"POST", "/api/v1/session", Login, true},
      {"GET", "/api/v1/session", WhoAmI},
      {"DELETE", "/api/v1/session", Logout},
      {"GET", "/api/v1/sessions", ListSessions},
      {"DELETE", "/api/v1/sessions", LogoutEverywhere},
      {"DELETE", "/api/v1/sessions/{id}", EndOneSession},
  };
}

}  // namespace accord::server
