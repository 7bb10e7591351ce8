// Invitations and password resets: one-time links that let a person set a password.
//
//   POST   /api/v1/invitations           invite {email, organization_id, role, display_name?}
//   GET    /api/v1/invitations           pending invitations and resets
//   DELETE /api/v1/invitations/{id}      revoke one
//   POST   /api/v1/invitations/inspect   {token} -> what the link is for (public)
//   POST   /api/v1/invitations/accept    {token, password, display_name?, language?} (public)
//   POST   /api/v1/password-resets       {email} -> 202, mails a link if SMTP is set (public)
//   POST   /api/v1/password-resets/complete  {token, password} (public)
//
// The public endpoints are limited per IP address (ApiConfig::links_per_ip): every call
// counts, so they cannot be used to probe links or to send mail in bulk.
#include <boost/json.hpp>

#include "accord/auth/secret.h"
#include "account_admin.h"
#include "api.h"
#include "api_json.h"

namespace accord::server {
namespace json = boost::json;

namespace {

using Kind = auth::Invitation::Kind;

std::optional<HttpResponse> SpendLinkAttempt(ApiContext& ctx, const ApiRequest& req) {
  auto now = ctx.steady_now();
  auto wait = ctx.link_ip_limiter->RetryAfter(req.ip, now);
  if (wait.count() > 0) return TooManyRequests(wait, "too many link requests from this address");
  ctx.link_ip_limiter->Record(req.ip, now);
  return std::nullopt;
}

HttpResponse LinkUsed() {
  return ApiError(410, "link-used", "Link already used",
                  "this link has been used already; each link works once");
}

// Finds the live link of `kind` for `token`, or the problem saying why it does not work.
Result<auth::Invitation> FindLiveLink(ApiContext& ctx, std::string_view token, Kind kind,
                                      HttpResponse* problem) {
  auto found = ctx.store->FindInvitationByTokenHash(auth::HashToken(token));
  if (!found.ok() || found->kind != kind) {
    if (!found.ok() && found.status().code() != Status::Code::kNotFound) {
      *problem = StoreProblem(found.status());
      return found.status();
    }
    *problem = ApiError(404, "link-unknown", "Unknown link",
                        "this link is not known; check that it was copied whole");
    return Status::NotFound("unknown link");
  }
  const auth::UnixTime now = ctx.now();
  if (found->used_at) {
    *problem = LinkUsed();
  } else if (found->revoked_at) {
    *problem = ApiError(410, "link-revoked", "Link revoked",
                        "this link was withdrawn by the secretariat; ask them for a new one");
  } else if (now >= found->expires_at) {
    *problem =
        ApiError(410, "link-expired", "Link expired",
                 "this link expired on " + FormatTime(found->expires_at) + "; ask for a new one");
  } else {
    return found;
  }
  return Status::FailedPrecondition("dead link");
}

json::object LinkView(ApiContext& ctx, const auth::Invitation& inv) {
  json::object o{{"kind", inv.kind == Kind::kInvitation ? "invitation" : "password-reset"},
                 {"email", inv.email},
                 {"display_name", inv.display_name},
                 {"expires_at", FormatTime(inv.expires_at)}};
  if (inv.kind == Kind::kInvitation) {
    o["role"] = auth::RoleName(inv.role);
    auto org = ctx.store->GetOrganization(inv.organization_id);
    if (org.ok()) {
      o["organization"] =
          json::object{{"id", org->id}, {"name", org->name}, {"short_name", org->short_name}};
    }
  }
  return o;
}

// Mails the link when SMTP is configured; returns whether it was sent.
bool MailLink(ApiContext& ctx, const IssuedLink& link, std::string_view org_name) {
  if (!ctx.mailer) return false;
  const bool invite = link.invitation.kind == Kind::kInvitation;
  std::string subject = invite ? "You are invited to Accord" : "Set a new Accord password";
  std::string body =
      invite ? "You have been invited to take part in Accord for " + std::string(org_name) +
                   " as " + std::string(auth::RoleName(link.invitation.role)) +
                   ".\n\nOpen this link to choose your password (it works once, until " +
                   FormatTime(link.invitation.expires_at) + "):\n\n" + link.link + "\n"
             : "Someone asked to reset the password of this address on Accord.\n\nOpen this "
               "link to choose a new one (it works once, until " +
                   FormatTime(link.invitation.expires_at) + "):\n\n" + link.link +
                   "\n\nIf it was not you, ignore this message.\n";
  return ctx.mailer(link.invitation.email, subject, body);
}

HttpResponse Invite(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kInvite)) return *denied;
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"email", "display_name", "organization_id", "role"}, &error)) {
    return error;
  }
  auto email = body.String("email", true, 3, 254);
  if (email) {
    if (std::string why = CheckEmail(*email); !why.empty()) body.AddError("email", why);
  }
  auto name = body.String("display_name", false, 1, 100);
  auto org_id = body.Int("organization_id", true, 1, INT64_MAX);
  auto role = body.Enum<auth::Role>("role", true, &auth::ParseRole,
                                    "secretariat, delegate, signatory, observer");
  if (!body.ok()) return body.Problem();
  auto org = ctx.store->GetOrganization(*org_id);
  if (!org.ok()) {
    if (org.status().code() == Status::Code::kNotFound) {
      return ValidationProblem("organization_id", "names no organization");
    }
    return StoreProblem(org.status());
  }
  auto issued =
      IssueInvitation(*ctx.store, *email, name.value_or(""), org->id, *role, caller->user.id,
                      ctx.config->public_url, ctx.config->invitation_ttl, ctx.now());
  if (!issued.ok()) return StoreProblem(issued.status());
  const bool mailed = MailLink(ctx, *issued, org->name);
  ctx.Audit("invitation", req, caller->user.id,
            "invitation:" + std::to_string(issued->invitation.id),
            json::serialize(json::object{{"email", issued->invitation.email},
                                         {"organization_id", org->id},
                                         {"role", auth::RoleName(*role)},
                                         {"emailed", mailed}}));
  json::object out{{"invitation", ToJson(issued->invitation)}, {"emailed", mailed}};
  // Without mail the secretariat passes the link on; once mailed, it is nobody else's to see.
  out["link"] = mailed ? json::value(nullptr) : json::value(issued->link);
  return JsonResponse(201, json::serialize(out));
}

HttpResponse ListInvitations(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kInvite)) return *denied;
  auto pending = ctx.store->ListPendingInvitations(ctx.now());
  if (!pending.ok()) return StoreProblem(pending.status());
  json::array items;
  for (const auto& inv : *pending) items.push_back(ToJson(inv));
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse RevokeInvitation(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kInvite)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("invitation");
  Status s = ctx.store->RevokeInvitation(*id, ctx.now());
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("invitation-revoked", req, caller->user.id, "invitation:" + std::to_string(*id), "{}");
  return NoContent();
}

HttpResponse InspectLink(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto limited = SpendLinkAttempt(ctx, req)) return *limited;
  JsonBody body;
  HttpResponse problem;
  if (!body.Parse(req, {"token"}, &problem)) return problem;
  auto token = body.String("token", true, 1, 100);
  if (!body.ok()) return body.Problem();
  auto found = ctx.store->FindInvitationByTokenHash(auth::HashToken(*token));
  if (!found.ok()) {
    (void)FindLiveLink(ctx, *token, Kind::kInvitation, &problem);
    return problem;
  }
  auto live = FindLiveLink(ctx, *token, found->kind, &problem);
  if (!live.ok()) return problem;
  return JsonResponse(200, json::serialize(LinkView(ctx, *live)));
}

HttpResponse AcceptInvitation(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto limited = SpendLinkAttempt(ctx, req)) return *limited;
  JsonBody body;
  HttpResponse problem;
  if (!body.Parse(req, {"token", "password", "display_name", "language"}, &problem)) {
    return problem;
  }
  auto token = body.String("token", true, 1, 100);
  auto password = body.String("password", true, 0, 100000);
  auto name = body.String("display_name", false, 1, 100);
  auto language = body.String("language", false, 2, 35);
  if (language) {
    if (std::string why = CheckLanguageTag(*language); !why.empty()) {
      body.AddError("language", why);
    }
  }
  if (password) {
    if (Status rules = auth::CheckPasswordRules(*password); !rules.ok()) {
      body.AddError("password", rules.message());
    }
  }
  if (!body.ok()) return body.Problem();
  auto live = FindLiveLink(ctx, *token, Kind::kInvitation, &problem);
  if (!live.ok()) return problem;
  auto hash = ctx.passwords->Hash(*password);
  if (!hash.ok()) return StoreProblem(hash.status());
  std::string display = name.value_or(live->display_name);
  if (display.empty()) display = live->email.substr(0, live->email.find('@'));
  auto user = ctx.store->AcceptInvitation(auth::HashToken(*token), *hash, display,
                                          language.value_or("en"), ctx.now());
  if (!user.ok()) {
    if (user.status().code() == Status::Code::kFailedPrecondition) {
      return LinkUsed();
    }
    return StoreProblem(user.status());
  }
  ctx.Audit("invitation-accepted", req, user->id, "invitation:" + std::to_string(live->id),
            json::serialize(json::object{{"organization_id", live->organization_id},
                                         {"role", auth::RoleName(live->role)}}));
  return JsonResponse(201, json::serialize(json::object{{"user", ToJson(*user)}}));
}

HttpResponse RequestReset(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto limited = SpendLinkAttempt(ctx, req)) return *limited;
  JsonBody body;
  HttpResponse problem;
  if (!body.Parse(req, {"email"}, &problem)) return problem;
  auto email = body.String("email", true, 3, 254);
  if (!body.ok()) return body.Problem();
  // The answer is the same whether or not the address has an account, so it cannot be used
  // to find out who is registered.
  HttpResponse accepted = JsonResponse(
      202, json::serialize(json::object{
               {"accepted", true},
               {"detail", ctx.mailer ? "if the address has an account, a link has been mailed"
                                     : "this instance sends no mail; ask the secretariat for a "
                                       "reset link"}}));
  auto user = ctx.store->FindUserByEmail(*email);
  if (!user.ok() || user->disabled || !ctx.mailer) {
    ctx.Audit("password-reset-requested", req, 0,
              user.ok() ? "user:" + std::to_string(user->id) : "",
              json::serialize(json::object{{"email", email->substr(0, 254)}, {"sent", false}}));
    return accepted;
  }
  auto issued = IssuePasswordReset(*ctx.store, *user, 0, ctx.config->public_url,
                                   ctx.config->password_reset_ttl, ctx.now());
  if (!issued.ok()) return StoreProblem(issued.status());
  const bool mailed = MailLink(ctx, *issued, "");
  ctx.Audit("password-reset-requested", req, 0, "user:" + std::to_string(user->id),
            json::serialize(json::object{{"email", user->email}, {"sent", mailed}}));
  return accepted;
}

HttpResponse CompleteReset(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto limited = SpendLinkAttempt(ctx, req)) return *limited;
  JsonBody body;
  HttpResponse problem;
  if (!body.Parse(req, {"token", "password"}, &problem)) return problem;
  auto token = body.String("token", true, 1, 100);
  auto password = body.String("password", true, 0, 100000);
  if (password) {
    if (Status rules = auth::CheckPasswordRules(*password); !rules.ok()) {
      body.AddError("password", rules.message());
    }
  }
  if (!body.ok()) return body.Problem();
  auto live = FindLiveLink(ctx, *token, Kind::kPasswordReset, &problem);
  if (!live.ok()) return problem;
  auto hash = ctx.passwords->Hash(*password);
  if (!hash.ok()) return StoreProblem(hash.status());
  auto user = ctx.store->CompletePasswordReset(auth::HashToken(*token), *hash, ctx.now());
  if (!user.ok()) {
    if (user.status().code() == Status::Code::kFailedPrecondition) {
      return LinkUsed();
    }
    return StoreProblem(user.status());
  }
  ctx.Audit("password-reset", req, user->id, "user:" + std::to_string(user->id), "{}");
  ctx.UserRightsChanged(user->id);  // the reset ended the user's sessions: close their sockets too
  return JsonResponse(200, json::serialize(json::object{{"user", ToJson(*user)}}));
}

}  // namespace

std::vector<ApiRoute> InvitationRoutes() {
  return {
      {"POST", "/api/v1/invitations", Invite},
      {"GET", "/api/v1/invitations", ListInvitations},
      {"DELETE", "/api/v1/invitations/{id}", RevokeInvitation},
      {"POST", "/api/v1/invitations/inspect", InspectLink, true},
      {"POST", "/api/v1/invitations/accept", AcceptInvitation, true},
      {"POST", "/api/v1/password-resets", RequestReset, true},
      {"POST", "/api/v1/password-resets/complete", CompleteReset, true},
  };
}

}  // namespace accord::server
