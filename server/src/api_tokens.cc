// API tokens (for scripts) and the audit log.
//
//   GET    /api/v1/tokens        the caller's tokens (never their secrets)
//   POST   /api/v1/tokens        {name, scopes[], document_pattern?, expires_in_days?}
//                                -> the secret, shown once
//   DELETE /api/v1/tokens/{id}   revoke (own tokens; the secretariat may revoke any)
//   GET    /api/v1/audit?before=ID&limit=N   newest first (instance secretariat)
#include <boost/json.hpp>
#include <charconv>

#include "account_admin.h"
#include "api.h"
#include "api_json.h"

namespace accord::server {
namespace json = boost::json;

namespace {

HttpResponse ListTokens(ApiContext& ctx, const ApiRequest&, const ApiCaller* caller) {
  auto tokens = ctx.store->ListApiTokensOfUser(caller->user.id);
  if (!tokens.ok()) return StoreProblem(tokens.status());
  json::array items;
  for (const auto& t : *tokens) items.push_back(ToJson(t));
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse CreateToken(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (caller->token_id != 0) {
    return ApiError(403, "forbidden", "Not allowed",
                    "API tokens are created from a signed-in session, not with another token");
  }
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"name", "scopes", "document_pattern", "expires_in_days"}, &error)) {
    return error;
  }
  auto name = body.String("name", true, 1, 100);
  auto pattern = body.String("document_pattern", false, 1, 200);
  if (pattern && !DocumentPatternValid(*pattern)) {
    body.AddError("document_pattern", "must be a document name, a prefix ending in '*', or '*'");
  }
  auto days = body.Int("expires_in_days", false, 1, 3650);
  // scopes: a non-empty array of known scope names.
  uint32_t scopes = 0;
  const json::value* list = body.Field("scopes");
  if (list == nullptr) {
    body.AddError("scopes", "is required");
  } else if (!list->is_array() || list->as_array().empty() || list->as_array().size() > 8) {
    body.AddError("scopes", "must be a non-empty array of scope names");
  } else {
    for (const json::value& v : list->as_array()) {
      std::optional<uint32_t> bit;
      if (v.is_string()) bit = auth::ParseScopes(std::string(v.as_string()));
      // One scope name per element: ParseScopes also splits "a b" and "a,b" (command lines).
      if (!bit || *bit == 0 || (*bit & (*bit - 1)) != 0 ||
          auth::FormatScopes(*bit) != std::string_view(v.as_string())) {
        body.AddError("scopes",
                      "must hold only documents:read, documents:write, api:read, api:write");
        break;
      }
      scopes |= *bit;
    }
  }
  if (!body.ok()) return body.Problem();
  std::optional<std::chrono::seconds> ttl;
  if (days) ttl = std::chrono::hours(24 * *days);
  auto issued = IssueApiToken(*ctx.store, caller->user.id, *name, scopes, pattern.value_or("*"),
                              ttl, ctx.now(), caller->user.id);
  if (!issued.ok()) return StoreProblem(issued.status());
  ctx.Audit("token-created", req, caller->user.id, "token:" + std::to_string(issued->token.id),
            json::serialize(json::object{{"scopes", auth::FormatScopes(scopes)},
                                         {"document_pattern", issued->token.document_pattern}}));
  json::object out = ToJson(issued->token);
  out["secret"] = issued->secret;
  return JsonResponse(201, json::serialize(out));
}

HttpResponse RevokeToken(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("token");
  auto token = ctx.store->GetApiToken(*id);
  if (!token.ok()) return StoreProblem(token.status());
  if (token->user_id != caller->user.id) {
    if (!auth::IsInstanceSecretariat(caller->principal)) return NotFoundProblem("token");
    if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageUsers)) return *denied;
  }
  Status s = ctx.store->RevokeApiToken(*id, ctx.now());
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("token-revoked", req, caller->user.id, "token:" + std::to_string(*id),
            json::serialize(json::object{{"owner", token->user_id}}));
  // Sockets opened with the token must not outlive it: close them (all, as no socket records
  // its credential); the others reconnect at once.
  ctx.UserRightsChanged(token->user_id);
  return NoContent();
}

std::optional<int64_t> QueryInt(const ApiRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  if (it == req.query.end()) return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(it->second.data(), it->second.data() + it->second.size(), n);
  if (ec != std::errc() || end != it->second.data() + it->second.size()) return -1;
  return n;
}

HttpResponse ListAudit(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kReadAudit)) return *denied;
  for (const auto& [key, value] : req.query) {
    if (key != "before" && key != "limit") {
      return ApiError(
          400, "unknown-field", "Unknown parameter",
          "the query parameter '" + key.substr(0, 64) + "' is not known (known: before, limit)");
    }
  }
  auto before = QueryInt(req, "before");
  auto limit = QueryInt(req, "limit");
  if (before && *before < 1) return ValidationProblem("before", "must be a positive event id");
  if (limit && (*limit < 1 || *limit > 500)) {
    return ValidationProblem("limit", "must be between 1 and 500");
  }
  const int n = static_cast<int>(limit.value_or(100));
  auto events = ctx.store->ListAudit(before.value_or(0), n);
  if (!events.ok()) return StoreProblem(events.status());
  json::array items;
  for (const auto& e : *events) items.push_back(ToJson(e));
  json::object out{{"items", std::move(items)}};
  // The next page starts below the oldest event shown, if the page was full.
  if (static_cast<int>(events->size()) == n && !events->empty()) {
    out["next_before"] = events->back().id;
  } else {
    out["next_before"] = nullptr;
  }
  return JsonResponse(200, json::serialize(out));
}

}  // namespace

std::vector<ApiRoute> TokenRoutes() {
  return {
      {"GET", "/api/v1/tokens", ListTokens},
      {"POST", "/api/v1/tokens", CreateToken},
      {"DELETE", "/api/v1/tokens/{id}", RevokeToken},
  };
}

std::vector<ApiRoute> AuditRoutes() { return {{"GET", "/api/v1/audit", ListAudit}}; }

}  // namespace accord::server
