// Users: the directory of people (secretariat), one's own profile and password.
//
//   GET   /api/v1/users                      every user (instance secretariat)
//   GET   /api/v1/users/me                   oneself, with memberships
//   GET   /api/v1/users/{id}                 one user with memberships (self or secretariat)
//   PATCH /api/v1/users/me                   {display_name?, language?}
//   POST  /api/v1/users/me/password          {current_password, new_password}
//   PATCH /api/v1/users/{id}                 {display_name?, language?, disabled?} (secretariat)
//   POST  /api/v1/users/{id}/password-reset  a reset link for the user (secretariat)
#include <boost/json.hpp>

#include "accord/auth/secret.h"
#include "account_admin.h"
#include "api.h"
#include "api_json.h"

namespace accord::server {
namespace json = boost::json;

namespace {

HttpResponse UserWithMemberships(ApiContext& ctx, const auth::User& user) {
  auto memberships = ctx.store->ListMembershipsOfUser(user.id);
  if (!memberships.ok()) return StoreProblem(memberships.status());
  json::array items;
  for (const auto& m : *memberships) items.push_back(ToJson(m));
  json::object out = ToJson(user);
  out["memberships"] = std::move(items);
  return JsonResponse(200, json::serialize(out));
}

HttpResponse ListUsers(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageUsers)) return *denied;
  auto users = ctx.store->ListUsers();
  if (!users.ok()) return StoreProblem(users.status());
  json::array items;
  for (const auto& u : *users) items.push_back(ToJson(u));
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse GetUser(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("user");
  if (*id != caller->user.id) {
    if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageUsers)) return *denied;
  }
  auto user = ctx.store->GetUser(*id);
  if (!user.ok()) return StoreProblem(user.status());
  return UserWithMemberships(ctx, *user);
}

HttpResponse GetMe(ApiContext& ctx, const ApiRequest&, const ApiCaller* caller) {
  return UserWithMemberships(ctx, caller->user);
}

// Reads the profile fields both PATCH endpoints share.
void ReadProfile(JsonBody& body, auth::UserPatch& patch) {
  patch.display_name = body.String("display_name", false, 1, 100);
  patch.language = body.String("language", false, 2, 35);
  if (patch.language) {
    if (std::string why = CheckLanguageTag(*patch.language); !why.empty()) {
      body.AddError("language", why);
    }
  }
}

HttpResponse PatchMe(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"display_name", "language"}, &error)) return error;
  auth::UserPatch patch;
  ReadProfile(body, patch);
  if (!body.ok()) return body.Problem();
  auto user = ctx.store->UpdateUser(caller->user.id, patch);
  if (!user.ok()) return StoreProblem(user.status());
  return UserWithMemberships(ctx, *user);
}

HttpResponse ChangePassword(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (caller->session_id == 0) {
    return ApiError(403, "forbidden", "Not allowed",
                    "a password is changed from a signed-in browser session, not with a token");
  }
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"current_password", "new_password"}, &error)) return error;
  auto current = body.String("current_password", true, 1, auth::kMaxPasswordLength);
  auto fresh = body.String("new_password", true, 0, 100000);
  if (fresh) {
    if (Status rules = auth::CheckPasswordRules(*fresh); !rules.ok()) {
      body.AddError("new_password", rules.message());
    }
  }
  if (!body.ok()) return body.Problem();
  const std::string key = caller->user.email;
  auto steady = ctx.steady_now();
  if (auto wait = ctx.login_account_limiter->RetryAfter(key, steady); wait.count() > 0) {
    return TooManyRequests(wait, "too many wrong passwords");
  }
  auto stored = ctx.store->GetPasswordHash(caller->user.id);
  if (!stored.ok()) return StoreProblem(stored.status());
  if (!ctx.passwords->Verify(*current, *stored).matches) {
    ctx.login_account_limiter->Record(key, steady);
    ctx.Audit("password-change-failed", req, caller->user.id,
              "user:" + std::to_string(caller->user.id), "{}");
    return ValidationProblem("current_password", "is not your current password");
  }
  auto hash = ctx.passwords->Hash(*fresh);
  if (!hash.ok()) return StoreProblem(hash.status());
  Status s = ctx.store->SetPasswordHash(caller->user.id, *hash);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("password-changed", req, caller->user.id, "user:" + std::to_string(caller->user.id),
            "{}");
  return NoContent();
}

HttpResponse PatchUser(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageUsers)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("user");
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"display_name", "language", "disabled"}, &error)) return error;
  auth::UserPatch patch;
  ReadProfile(body, patch);
  patch.disabled = body.Bool("disabled", false);
  if (!body.ok()) return body.Problem();
  if (patch.disabled.value_or(false) && *id == caller->user.id) {
    return ApiError(409, "conflict", "Cannot disable yourself",
                    "ask another member of the secretariat to disable your account");
  }
  auto user = ctx.store->UpdateUser(*id, patch);
  if (!user.ok()) return StoreProblem(user.status());
  if (patch.disabled) {
    // A disabled user's sessions end now, not at their next expiry.
    if (*patch.disabled) (void)ctx.store->DeleteSessionsOfUser(*id);
    ctx.Audit(*patch.disabled ? "user-disabled" : "user-enabled", req, caller->user.id,
              "user:" + std::to_string(*id), "{}");
    if (*patch.disabled) ctx.UserRightsChanged(*id);
  }
  return UserWithMemberships(ctx, *user);
}

HttpResponse IssueReset(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageUsers)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("user");
  if (!req.body.empty()) {
    JsonBody body;
    HttpResponse error;
    if (!body.Parse(req, {}, &error)) return error;
  }
  auto user = ctx.store->GetUser(*id);
  if (!user.ok()) return StoreProblem(user.status());
  auto issued = IssuePasswordReset(*ctx.store, *user, caller->user.id, ctx.config->public_url,
                                   ctx.config->password_reset_ttl, ctx.now());
  if (!issued.ok()) return StoreProblem(issued.status());
  bool mailed = false;
  if (ctx.mailer) {
    mailed =
        ctx.mailer(user->email, "Set a new Accord password",
                   "The secretariat has issued you a link to set a new password. It works "
                   "once, until " +
                       FormatTime(issued->invitation.expires_at) + ":\n\n" + issued->link + "\n");
  }
  ctx.Audit("password-reset-issued", req, caller->user.id, "user:" + std::to_string(*id),
            json::serialize(json::object{{"emailed", mailed}}));
  json::object out{{"invitation", ToJson(issued->invitation)}, {"emailed", mailed}};
  out["link"] = mailed ? json::value(nullptr) : json::value(issued->link);
  return JsonResponse(201, json::serialize(out));
}

}  // namespace

std::vector<ApiRoute> UserRoutes() {
  return {
      {"GET", "/api/v1/users", ListUsers},
      {"GET", "/api/v1/users/me", GetMe},
      {"GET", "/api/v1/users/{id}", GetUser},
      {"PATCH", "/api/v1/users/me", PatchMe},
      {"POST", "/api/v1/users/me/password", ChangePassword},
      {"PATCH", "/api/v1/users/{id}", PatchUser},
      {"POST", "/api/v1/users/{id}/password-reset", IssueReset},
  };
}

}  // namespace accord::server
