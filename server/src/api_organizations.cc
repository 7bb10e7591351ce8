// Organizations and memberships (who holds which role for which organization).
//
//   GET    /api/v1/organizations               the directory (anyone signed in)
//   POST   /api/v1/organizations               {name, short_name, country?, kind?, website?}
//   GET    /api/v1/organizations/{id}          one organization
//   PATCH  /api/v1/organizations/{id}          any of the creation fields
//   GET    /api/v1/organizations/{id}/members  its members and their roles
//   POST   /api/v1/memberships                 {user_id, organization_id, role}
//   DELETE /api/v1/memberships/{id}
// Changes are the instance secretariat's; role changes go to the audit log.
#include <boost/json.hpp>

#include "api.h"
#include "api_json.h"

namespace accord::server {
namespace json = boost::json;

namespace {

constexpr std::string_view kKinds = "union, party, movement, ngo, other";

void ReadOrgFields(JsonBody& body, bool creating, auth::OrganizationPatch& patch) {
  patch.name = body.String("name", creating, 1, 200);
  patch.short_name = body.String("short_name", creating, 1, 32);
  patch.country = body.String("country", false, 0, 2);
  if (patch.country) {
    if (std::string why = CheckCountryCode(*patch.country); !why.empty()) {
      body.AddError("country", why);
    }
  }
  patch.kind = body.Enum<auth::OrgKind>("kind", false, &auth::ParseOrgKind, kKinds);
  patch.website = body.String("website", false, 0, 300);
  if (patch.website) {
    if (std::string why = CheckWebsite(*patch.website); !why.empty()) {
      body.AddError("website", why);
    }
  }
}

HttpResponse ListOrganizations(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kReadDirectory)) return *denied;
  auto orgs = ctx.store->ListOrganizations();
  if (!orgs.ok()) return StoreProblem(orgs.status());
  json::array items;
  for (const auto& o : *orgs) items.push_back(ToJson(o));
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse CreateOrganization(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageOrganizations)) return *denied;
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"name", "short_name", "country", "kind", "website"}, &error)) {
    return error;
  }
  auth::OrganizationPatch fields;
  ReadOrgFields(body, true, fields);
  if (!body.ok()) return body.Problem();
  auth::Organization org;
  org.name = *fields.name;
  org.short_name = *fields.short_name;
  org.country = fields.country.value_or("");
  org.kind = fields.kind.value_or(auth::OrgKind::kOther);
  org.website = fields.website.value_or("");
  auto created = ctx.store->CreateOrganization(org, ctx.now());
  if (!created.ok()) return StoreProblem(created.status());
  ctx.Audit("organization-created", req, caller->user.id,
            "organization:" + std::to_string(created->id),
            json::serialize(json::object{{"short_name", created->short_name}}));
  HttpResponse r = JsonResponse(201, json::serialize(ToJson(*created)));
  r.headers.emplace_back("Location", "/api/v1/organizations/" + std::to_string(created->id));
  return r;
}

HttpResponse GetOrganization(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kReadDirectory)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("organization");
  auto org = ctx.store->GetOrganization(*id);
  if (!org.ok()) return StoreProblem(org.status());
  return JsonResponse(200, json::serialize(ToJson(*org)));
}

HttpResponse PatchOrganization(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageOrganizations)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("organization");
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"name", "short_name", "country", "kind", "website"}, &error)) {
    return error;
  }
  auth::OrganizationPatch patch;
  ReadOrgFields(body, false, patch);
  if (!body.ok()) return body.Problem();
  auto org = ctx.store->UpdateOrganization(*id, patch);
  if (!org.ok()) return StoreProblem(org.status());
  ctx.Audit("organization-updated", req, caller->user.id, "organization:" + std::to_string(*id),
            "{}");
  return JsonResponse(200, json::serialize(ToJson(*org)));
}

HttpResponse ListMembers(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kReadDirectory)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("organization");
  if (auto org = ctx.store->GetOrganization(*id); !org.ok()) return StoreProblem(org.status());
  auto members = ctx.store->ListMembershipsOfOrganization(*id);
  if (!members.ok()) return StoreProblem(members.status());
  // Members see each other's names; e-mail addresses are for the secretariat.
  const bool secretariat = auth::IsInstanceSecretariat(caller->principal);
  json::array items;
  for (const auto& m : *members) {
    json::object o = ToJson(m);
    auto user = ctx.store->GetUser(m.user_id);
    if (user.ok()) {
      o["display_name"] = user->display_name;
      if (secretariat) o["email"] = user->email;
    }
    items.push_back(std::move(o));
  }
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse AddMembership(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageMemberships)) return *denied;
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"user_id", "organization_id", "role"}, &error)) return error;
  auto user_id = body.Int("user_id", true, 1, INT64_MAX);
  auto org_id = body.Int("organization_id", true, 1, INT64_MAX);
  auto role = body.Enum<auth::Role>("role", true, &auth::ParseRole,
                                    "secretariat, delegate, signatory, observer");
  if (!body.ok()) return body.Problem();
  if (auto u = ctx.store->GetUser(*user_id); !u.ok()) {
    return ValidationProblem("user_id", "names no user");
  }
  if (auto o = ctx.store->GetOrganization(*org_id); !o.ok()) {
    return ValidationProblem("organization_id", "names no organization");
  }
  auto added = ctx.store->AddMembership(*user_id, *org_id, *role, ctx.now());
  if (!added.ok()) return StoreProblem(added.status());
  ctx.Audit("role-change", req, caller->user.id, "user:" + std::to_string(*user_id),
            json::serialize(json::object{{"change", "granted"},
                                         {"organization_id", *org_id},
                                         {"role", auth::RoleName(*role)},
                                         {"membership_id", added->id}}));
  ctx.UserRightsChanged(*user_id);
  return JsonResponse(201, json::serialize(ToJson(*added)));
}

HttpResponse RemoveMembership(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kManageMemberships)) return *denied;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("membership");
  auto membership = ctx.store->GetMembership(*id);
  if (!membership.ok()) return StoreProblem(membership.status());
  // Never leave the instance without anyone to run it.
  if (membership->role == auth::Role::kSecretariat &&
      membership->organization_id == caller->principal.host_organization_id) {
    auto members = ctx.store->ListMembershipsOfOrganization(membership->organization_id);
    if (!members.ok()) return StoreProblem(members.status());
    int secretariat = 0;
    for (const auto& m : *members) secretariat += m.role == auth::Role::kSecretariat;
    if (secretariat <= 1) {
      return ApiError(409, "conflict", "Last secretariat member",
                      "this is the instance's last secretariat membership; grant the role to "
                      "someone else first");
    }
  }
  Status s = ctx.store->RemoveMembership(*id);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("role-change", req, caller->user.id, "user:" + std::to_string(membership->user_id),
            json::serialize(json::object{{"change", "revoked"},
                                         {"organization_id", membership->organization_id},
                                         {"role", auth::RoleName(membership->role)},
                                         {"membership_id", *id}}));
  ctx.UserRightsChanged(membership->user_id);
  return NoContent();
}

}  // namespace

std::vector<ApiRoute> OrganizationRoutes() {
  return {
      {"GET", "/api/v1/organizations", ListOrganizations},
      {"POST", "/api/v1/organizations", CreateOrganization},
      {"GET", "/api/v1/organizations/{id}", GetOrganization},
      {"PATCH", "/api/v1/organizations/{id}", PatchOrganization},
      {"GET", "/api/v1/organizations/{id}/members", ListMembers},
      {"POST", "/api/v1/memberships", AddMembership},
      {"DELETE", "/api/v1/memberships/{id}", RemoveMembership},
  };
}

}  // namespace accord::server
