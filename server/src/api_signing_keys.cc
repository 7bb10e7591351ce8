// Signatories' Ed25519 signing keys (sign-on contract, section 5; signon_store.h):
//
//   POST /api/v1/signing-keys                  {organization_id, public_key, label, replaces?}
//   GET  /api/v1/signing-keys[?state=&organization_id=]   the caller's (secretariat: all)
//   GET  /api/v1/signing-keys/{id}             its owner or the instance secretariat
//   POST /api/v1/signing-keys/{id}/approve     instance secretariat; logs key-approval
//   POST /api/v1/signing-keys/{id}/reject      {reason} instance secretariat; audited
//   POST /api/v1/signing-keys/{id}/revoke      {reason} owner or secretariat; logs revocation
//
// The private key never reaches the server: a browser makes the pair and registers the public
// half. A key signs nothing until the secretariat approves it; approval and revocation are
// public log entries, so a verifier knows which keys were valid when.
#include <boost/json.hpp>
#include <charconv>
#include <cstdint>

#include "accord/signon/canonical_json.h"
#include "api.h"
#include "api_json.h"
#include "api_signon.h"
#include "signon_encoding.h"
#include "signon_store.h"

namespace accord::server {
namespace json = boost::json;

HttpResponse NoSignon() {
  return ApiError(503, "unavailable", "Unavailable", "this server does not collect endorsements");
}

json::value OptIndex(const std::optional<int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::object KeyJson(ApiContext& ctx, const SigningKey& key) {
  json::object org{{"id", key.organization_id}};
  if (auto o = ctx.store->GetOrganization(key.organization_id); o.ok()) {
    org["name"] = o->name;
    org["country"] = o->country;
  }
  json::object user{{"id", key.user_id}};
  if (auto u = ctx.store->GetUser(key.user_id); u.ok()) user["display_name"] = u->display_name;
  auto time = [](const std::optional<auth::UnixTime>& t) {
    return t ? json::value(FormatTime(*t)) : json::value(nullptr);
  };
  return json::object{
      {"id", key.id},
      {"organization", std::move(org)},
      {"user", std::move(user)},
      {"public_key", key.public_key},
      {"label", key.label},
      {"state", KeyStateName(key.state)},
      {"created_at", FormatTime(key.created_at)},
      {"decided_at", time(key.decided_at)},
      {"revoked_at", time(key.revoked_at)},
      {"reason", key.reason},
      {"replaces", key.replaces ? json::value(key.replaces) : json::value(nullptr)},
      {"replaced_by", key.replaced_by ? json::value(key.replaced_by) : json::value(nullptr)},
      {"approval_log_index", OptIndex(key.approval_log_index)},
      {"revocation_log_index", OptIndex(key.revocation_log_index)},
  };
}

namespace {

// The key-revocation entry's body (contract section 2).
Result<std::string> RevocationBody(const SigningKey& key, auth::UnixTime at,
                                   std::string_view reason) {
  return signon::CanonicalizeJsonValue(json::object{
      {"kind", "key-revocation"},
      {"key_id", key.id},
      {"public_key", key.public_key},
      {"organization", json::object{{"id", key.organization_id}}},
      {"revoked_at", FormatTime(at)},
      {"reason", reason},
  });
}

// The key named by {id} if the caller may see it (owner or instance secretariat); 404 else,
// so that others cannot probe which ids exist.
std::optional<SigningKey> LoadKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                                  HttpResponse* problem) {
  auto id = IdParam(req);
  if (!id) {
    *problem = NotFoundProblem("signing key");
    return std::nullopt;
  }
  auto key = ctx.signon->GetKey(*id);
  if (!key.ok()) {
    *problem = StoreProblem(key.status());
    return std::nullopt;
  }
  if (key->user_id != caller.user.id && !auth::IsInstanceSecretariat(caller.principal)) {
    *problem = NotFoundProblem("signing key");
    return std::nullopt;
  }
  return std::move(*key);
}

HttpResponse KeyStateProblem(const Status& status) {
  if (status.code() == Status::Code::kFailedPrecondition) {
    return ApiError(409, "bad-state", "Wrong state", status.message());
  }
  return StoreProblem(status);
}

HttpResponse RegisterKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  JsonBody body;
  HttpResponse problem;
  if (!body.Parse(req, {"organization_id", "public_key", "label", "replaces"}, &problem)) {
    return problem;
  }
  auto org = body.Int("organization_id", true, 1, INT64_MAX);
  auto public_key = body.String("public_key", true, 44, 44);
  auto label = body.String("label", false, 0, 100);
  auto replaces =
      body.IsNull("replaces") ? std::nullopt : body.Int("replaces", false, 1, INT64_MAX);
  if (public_key && !DecodeBase64(*public_key, 32)) {
    body.AddError("public_key", "must be the standard base64 of a 32-byte Ed25519 public key");
  }
  if (!body.ok()) return body.Problem();
  auth::Target target;
  target.acting_org = *org;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kRegisterSigningKey, target)) {
    return *denied;
  }
  if (replaces) {
    auto old = ctx.signon->GetKey(*replaces);
    if (!old.ok() || old->user_id != caller->user.id || old->organization_id != *org ||
        old->state != KeyState::kApproved) {
      return ValidationProblem("replaces",
                               "must be an approved key of yours for the same organization");
    }
  }
  SigningKey key;
  key.organization_id = *org;
  key.user_id = caller->user.id;
  key.public_key = *public_key;
  key.label = label.value_or("");
  key.created_at = ctx.now();
  key.replaces = replaces.value_or(0);
  auto created = ctx.signon->CreateKey(key);
  if (!created.ok()) return StoreProblem(created.status());
  ctx.Audit("signing-key-registered", req, caller->user.id,
            "signing-key:" + std::to_string(created->id),
            json::serialize(json::object{{"organization_id", *org}, {"public_key", *public_key}}));
  HttpResponse r = JsonResponse(201, json::serialize(KeyJson(ctx, *created)));
  r.headers.emplace_back("Location", "/api/v1/signing-keys/" + std::to_string(created->id));
  return r;
}

HttpResponse ListKeys(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  auth::Target reading;
  reading.reading = true;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kReadDirectory, reading)) {
    return *denied;
  }
  KeyFilter filter;
  if (!auth::IsInstanceSecretariat(caller->principal)) filter.user_id = caller->user.id;
  for (const auto& [name, value] : req.query) {
    if (name == "state") {
      filter.state = ParseKeyState(value);
      if (!filter.state) {
        return ApiError(400, "bad-request", "Bad request",
                        "state must be pending, approved, rejected or revoked");
      }
    } else if (name == "organization_id") {
      auto [end, ec] =
          std::from_chars(value.data(), value.data() + value.size(), filter.organization_id);
      if (ec != std::errc() || end != value.data() + value.size() || filter.organization_id <= 0) {
        return ApiError(400, "bad-request", "Bad request", "organization_id must be an id");
      }
    } else {
      return ApiError(400, "unknown-field", "Unknown parameter",
                      "the query parameter '" + name.substr(0, 64) + "' is not known");
    }
  }
  auto keys = ctx.signon->ListKeys(filter);
  if (!keys.ok()) return StoreProblem(keys.status());
  json::array items;
  for (const auto& k : *keys) items.push_back(KeyJson(ctx, k));
  return JsonResponse(200, json::serialize(json::object{{"keys", std::move(items)}}));
}

HttpResponse GetKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  auth::Target reading;
  reading.reading = true;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kReadDirectory, reading)) {
    return *denied;
  }
  HttpResponse problem;
  auto key = LoadKey(ctx, req, *caller, &problem);
  if (!key) return problem;
  return JsonResponse(200, json::serialize(KeyJson(ctx, *key)));
}

HttpResponse ApproveKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kApproveSigningKey)) return *denied;
  if (!req.body.empty()) {
    JsonBody body;
    HttpResponse problem;
    if (!body.Parse(req, {}, &problem)) return problem;
  }
  HttpResponse problem;
  auto key = LoadKey(ctx, req, *caller, &problem);
  if (!key) return problem;
  if (key->state != KeyState::kPending) {
    return ApiError(409, "bad-state", "Wrong state",
                    "the key is " + std::string(KeyStateName(key->state)) + ", not pending");
  }
  auto org = ctx.store->GetOrganization(key->organization_id);
  if (!org.ok()) return StoreProblem(org.status());
  auto user = ctx.store->GetUser(key->user_id);
  if (!user.ok()) return StoreProblem(user.status());
  const auth::UnixTime at = ctx.now();
  auto approval = signon::CanonicalizeJsonValue(json::object{
      {"kind", "key-approval"},
      {"key_id", key->id},
      {"public_key", key->public_key},
      {"organization",
       json::object{{"id", org->id}, {"name", org->name}, {"country", org->country}}},
      {"signatory", json::object{{"user_id", user->id}, {"name", user->display_name}}},
      {"approved_at", FormatTime(at)},
      {"replaces", key->replaces ? json::value(key->replaces) : json::value(nullptr)},
  });
  if (!approval.ok()) return StoreProblem(approval.status());
  std::string rotation;
  if (key->replaces != 0) {
    auto old = ctx.signon->GetKey(key->replaces);
    if (!old.ok()) return StoreProblem(old.status());
    auto body = RevocationBody(*old, at, "rotated");
    if (!body.ok()) return StoreProblem(body.status());
    rotation = std::move(*body);
  }
  auto approved = ctx.signon->ApproveKey(key->id, caller->user.id, at, *approval, rotation);
  if (!approved.ok()) return KeyStateProblem(approved.status());
  ctx.Audit("signing-key-approved", req, caller->user.id, "signing-key:" + std::to_string(key->id),
            json::serialize(json::object{{"log_index", OptIndex(approved->approval_log_index)}}));
  return JsonResponse(200, json::serialize(KeyJson(ctx, *approved)));
}

// {reason} of a rejection or revocation (optional, at most 500 characters).
std::optional<std::string> Reason(const ApiRequest& req, HttpResponse* problem) {
  if (req.body.empty()) return std::string();
  JsonBody body;
  if (!body.Parse(req, {"reason"}, problem)) return std::nullopt;
  auto reason = body.String("reason", false, 0, 500);
  if (!body.ok()) {
    *problem = body.Problem();
    return std::nullopt;
  }
  return reason.value_or("");
}

HttpResponse RejectKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kApproveSigningKey)) return *denied;
  HttpResponse problem;
  auto reason = Reason(req, &problem);
  if (!reason) return problem;
  auto key = LoadKey(ctx, req, *caller, &problem);
  if (!key) return problem;
  auto rejected = ctx.signon->RejectKey(key->id, caller->user.id, ctx.now(), *reason);
  if (!rejected.ok()) return KeyStateProblem(rejected.status());
  ctx.Audit("signing-key-rejected", req, caller->user.id, "signing-key:" + std::to_string(key->id),
            json::serialize(json::object{{"reason", *reason}}));
  return JsonResponse(200, json::serialize(KeyJson(ctx, *rejected)));
}

HttpResponse RevokeKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  HttpResponse problem;
  auto reason = Reason(req, &problem);
  if (!reason) return problem;
  auto key = LoadKey(ctx, req, *caller, &problem);
  if (!key) return problem;
  // The owner revokes as a signatory of the key's organization; anyone else must be the
  // instance secretariat (LoadKey already hid others' keys).
  if (key->user_id == caller->user.id) {
    auth::Target target;
    target.acting_org = key->organization_id;
    if (auto denied = Deny(ctx, req, *caller, auth::Action::kRegisterSigningKey, target)) {
      return *denied;
    }
  } else if (auto denied = Deny(ctx, req, *caller, auth::Action::kApproveSigningKey)) {
    return *denied;
  }
  if (key->state != KeyState::kApproved) {
    return ApiError(409, "bad-state", "Wrong state",
                    "the key is " + std::string(KeyStateName(key->state)) + ", not approved");
  }
  const auth::UnixTime at = ctx.now();
  auto body = RevocationBody(*key, at, *reason);
  if (!body.ok()) return StoreProblem(body.status());
  auto revoked = ctx.signon->RevokeKey(key->id, at, *reason, *body);
  if (!revoked.ok()) return KeyStateProblem(revoked.status());
  ctx.Audit("signing-key-revoked", req, caller->user.id, "signing-key:" + std::to_string(key->id),
            json::serialize(json::object{{"reason", *reason},
                                         {"log_index", OptIndex(revoked->revocation_log_index)}}));
  return JsonResponse(200, json::serialize(KeyJson(ctx, *revoked)));
}

}  // namespace

std::vector<ApiRoute> SigningKeyRoutes() {
  return {
      {"POST", "/api/v1/signing-keys", RegisterKey},
      {"GET", "/api/v1/signing-keys", ListKeys},
      {"GET", "/api/v1/signing-keys/{id}", GetKey},
      {"POST", "/api/v1/signing-keys/{id}/approve", ApproveKey},
      {"POST", "/api/v1/signing-keys/{id}/reject", RejectKey},
      {"POST", "/api/v1/signing-keys/{id}/revoke", RevokeKey},
  };
}

}  // namespace accord::server
