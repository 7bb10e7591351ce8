// Tests of the organization and membership endpoints (api_organizations.cc): the directory
// anyone signed in reads, and the changes only the instance secretariat makes.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

class ApiOrganizationsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    ana_ = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  }

  static std::string OrgPath(auth::Id id) { return "/api/v1/organizations/" + std::to_string(id); }
  static std::string MembershipBody(auth::Id user, auth::Id org, const std::string& role) {
    return json::serialize(
        json::object{{"user_id", user}, {"organization_id", org}, {"role", role}});
  }
  // The `field` values of a validation-failed problem's errors, sorted.
  static std::vector<std::string> ErrorFields(const HttpResponse& res) {
    std::vector<std::string> fields;
    auto v = Json(res);
    if (!v.is_object() || !v.as_object().contains("errors")) return fields;
    for (const auto& e : v.at("errors").as_array()) fields.emplace_back(e.at("field").as_string());
    std::sort(fields.begin(), fields.end());
    return fields;
  }
  size_t OrgCount() {
    auto orgs = store_->ListOrganizations();
    EXPECT_TRUE(orgs.ok());
    return orgs.ok() ? orgs->size() : 0;
  }
  // The host organization's memberships with the secretariat role.
  std::vector<auth::Membership> HostSecretariat() {
    std::vector<auth::Membership> out;
    const auto memberships = store_->ListMembershipsOfOrganization(host_.id);
    for (const auto& m : *memberships) {
      if (m.role == auth::Role::kSecretariat) out.push_back(m);
    }
    return out;
  }

  auth::Organization cut_;
  auth::User ana_;
};

TEST_F(ApiOrganizationsTest, AnyoneSignedInListsOrganizations) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", "/api/v1/organizations"));
  ASSERT_EQ(res.status, 200) << res.body;
  std::vector<std::string> names;
  const boost::json::value listed = Json(res);
  for (const auto& o : listed.at("items").as_array()) {
    names.emplace_back(o.at("short_name").as_string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"CUT", "SEC"}));
}

TEST_F(ApiOrganizationsTest, ListingNeedsToBeSignedIn) {
  HttpResponse res = Call(Req("GET", "/api/v1/organizations"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiOrganizationsTest, AnyoneSignedInReadsOneOrganization) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", OrgPath(host_.id)));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("short_name").as_string(), "SEC");
  EXPECT_TRUE(Json(res).at("hosts_instance").as_bool());
  EXPECT_EQ(Call(As(ana, "GET", OrgPath(9999))).status, 404);
}

TEST_F(ApiOrganizationsTest, SecretariatCreatesAnOrganization) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res =
      Call(As(sec, "POST", "/api/v1/organizations",
              R"({"name":"Movimento Sem Terra","short_name":"MST",)"
              R"("country":"BR","kind":"movement","website":"https://mst.org.br"})"));
  ASSERT_EQ(res.status, 201) << res.body;
  auto v = Json(res);
  const auth::Id id = v.at("id").as_int64();
  EXPECT_EQ(Header(res, "Location"), OrgPath(id));
  EXPECT_EQ(v.at("kind").as_string(), "movement");
  EXPECT_FALSE(v.at("hosts_instance").as_bool());
  auto stored = store_->GetOrganization(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->name, "Movimento Sem Terra");
  EXPECT_EQ(stored->country, "BR");
  EXPECT_EQ(stored->website, "https://mst.org.br");
  EXPECT_EQ(AuditCount("organization-created"), 1);
}

TEST_F(ApiOrganizationsTest, DelegateMayNotCreateAnOrganization) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res =
      Call(As(ana, "POST", "/api/v1/organizations", R"({"name":"Mine","short_name":"MINE"})"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(OrgCount(), 2u);
  EXPECT_EQ(AuditCount("permission-denied"), 1);
}

TEST_F(ApiOrganizationsTest, DuplicateShortNameIsAConflictWhateverTheCase) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res =
      Call(As(sec, "POST", "/api/v1/organizations", R"({"name":"Another","short_name":"cut"})"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(ProblemType(res), "conflict");
  EXPECT_EQ(OrgCount(), 2u);
}

TEST_F(ApiOrganizationsTest, BadFieldsAreAllReportedAndNothingIsStored) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "POST", "/api/v1/organizations",
                             R"({"name":"X","short_name":"X","country":"br",)"
                             R"("website":"ftp://x","kind":"club"})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(ProblemType(res), "validation-failed");
  EXPECT_EQ(ErrorFields(res), (std::vector<std::string>{"country", "kind", "website"}));
  EXPECT_EQ(OrgCount(), 2u);
  EXPECT_EQ(AuditCount("organization-created"), 0);
}

TEST_F(ApiOrganizationsTest, NameAndShortNameAreRequired) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "POST", "/api/v1/organizations", R"({"country":"ZA"})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(ErrorFields(res), (std::vector<std::string>{"name", "short_name"}));
  EXPECT_EQ(OrgCount(), 2u);
}

TEST_F(ApiOrganizationsTest, UnknownFieldIsRefused) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "POST", "/api/v1/organizations",
                             R"({"name":"X","short_name":"X","hosts_instance":true})"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(ProblemType(res), "unknown-field");
  EXPECT_EQ(OrgCount(), 2u);
}

TEST_F(ApiOrganizationsTest, PatchChangesOnlyTheFieldsGiven) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "PATCH", OrgPath(cut_.id), R"({"country":"BR","kind":"union"})"));
  ASSERT_EQ(res.status, 200) << res.body;
  auto stored = store_->GetOrganization(cut_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->country, "BR");
  EXPECT_EQ(stored->kind, auth::OrgKind::kUnion);
  EXPECT_EQ(stored->name, "CUT organization");
  EXPECT_EQ(stored->short_name, "CUT");
  EXPECT_EQ(AuditCount("organization-updated"), 1);
}

TEST_F(ApiOrganizationsTest, PatchValidatesAndRefusesADuplicateShortName) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse bad = Call(As(sec, "PATCH", OrgPath(cut_.id), R"({"website":"ftp://x"})"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(ErrorFields(bad), std::vector<std::string>{"website"});
  HttpResponse clash = Call(As(sec, "PATCH", OrgPath(cut_.id), R"({"short_name":"SEC"})"));
  EXPECT_EQ(clash.status, 409);
  EXPECT_EQ(store_->GetOrganization(cut_.id)->short_name, "CUT");
  EXPECT_EQ(Call(As(sec, "PATCH", OrgPath(9999), R"({"name":"Nobody"})")).status, 404);
}

TEST_F(ApiOrganizationsTest, DelegateMayNotPatch) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "PATCH", OrgPath(cut_.id), R"({"name":"Ours"})"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(store_->GetOrganization(cut_.id)->name, "CUT organization");
}

TEST_F(ApiOrganizationsTest, MembersShowNamesButEmailsOnlyToTheSecretariat) {
  MakeUser("bea@example.org", "Bea", cut_.id, auth::Role::kObserver);
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", OrgPath(cut_.id) + "/members"));
  ASSERT_EQ(res.status, 200) << res.body;
  std::vector<std::string> names;
  const boost::json::value listed = Json(res);
  for (const auto& m : listed.at("items").as_array()) {
    names.emplace_back(m.at("display_name").as_string());
    EXPECT_FALSE(m.as_object().contains("email")) << json::serialize(m);
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Ana", "Bea"}));

  Browser sec = SignIn("sec@example.org");
  HttpResponse full = Call(As(sec, "GET", OrgPath(cut_.id) + "/members"));
  ASSERT_EQ(full.status, 200) << full.body;
  std::vector<std::string> emails;
  const boost::json::value full_listed = Json(full);
  for (const auto& m : full_listed.at("items").as_array()) {
    emails.emplace_back(m.at("email").as_string());
  }
  std::sort(emails.begin(), emails.end());
  EXPECT_EQ(emails, (std::vector<std::string>{"ana@example.org", "bea@example.org"}));
}

TEST_F(ApiOrganizationsTest, MembersOfAnUnknownOrganizationIsNotFound) {
  Browser ana = SignIn("ana@example.org");
  EXPECT_EQ(Call(As(ana, "GET", OrgPath(9999) + "/members")).status, 404);
}

TEST_F(ApiOrganizationsTest, AddMembershipGrantsTheRoleAndIsAudited) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res =
      Call(As(sec, "POST", "/api/v1/memberships", MembershipBody(ana_.id, cut_.id, "signatory")));
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Json(res).at("role").as_string(), "signatory");
  bool found = false;
  const auto memberships = store_->ListMembershipsOfUser(ana_.id);
  for (const auto& m : *memberships) {
    found = found || (m.organization_id == cut_.id && m.role == auth::Role::kSignatory);
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(rights_changed_, std::vector<std::string>{""});

  auto events = store_->ListAudit(0, 1);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "role-change");
  EXPECT_EQ((*events)[0].subject, "user:" + std::to_string(ana_.id));
  auto detail = json::parse((*events)[0].detail);
  EXPECT_EQ(detail.at("change").as_string(), "granted");
  EXPECT_EQ(detail.at("role").as_string(), "signatory");
}

TEST_F(ApiOrganizationsTest, DuplicateMembershipIsAConflict) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res =
      Call(As(sec, "POST", "/api/v1/memberships", MembershipBody(ana_.id, cut_.id, "delegate")));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(ProblemType(res), "conflict");
  EXPECT_EQ(store_->ListMembershipsOfUser(ana_.id)->size(), 1u);
  EXPECT_TRUE(rights_changed_.empty());
}

TEST_F(ApiOrganizationsTest, MembershipForUnknownUserOrOrganizationIsAValidationError) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse no_user =
      Call(As(sec, "POST", "/api/v1/memberships", MembershipBody(9999, cut_.id, "delegate")));
  EXPECT_EQ(no_user.status, 422);
  EXPECT_EQ(ErrorFields(no_user), std::vector<std::string>{"user_id"});
  HttpResponse no_org =
      Call(As(sec, "POST", "/api/v1/memberships", MembershipBody(ana_.id, 9999, "delegate")));
  EXPECT_EQ(no_org.status, 422);
  EXPECT_EQ(ErrorFields(no_org), std::vector<std::string>{"organization_id"});
  HttpResponse bad_role =
      Call(As(sec, "POST", "/api/v1/memberships", MembershipBody(ana_.id, cut_.id, "boss")));
  EXPECT_EQ(bad_role.status, 422);
  EXPECT_EQ(ErrorFields(bad_role), std::vector<std::string>{"role"});
  EXPECT_EQ(AuditCount("role-change"), 0);
}

TEST_F(ApiOrganizationsTest, DelegateMayNotGrantRoles) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(
      As(ana, "POST", "/api/v1/memberships", MembershipBody(ana_.id, host_.id, "secretariat")));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(store_->ListMembershipsOfUser(ana_.id)->size(), 1u);
}

TEST_F(ApiOrganizationsTest, RemoveMembershipRevokesTheRole) {
  const auth::Id membership = store_->ListMembershipsOfUser(ana_.id)->at(0).id;
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "DELETE", "/api/v1/memberships/" + std::to_string(membership)));
  ASSERT_EQ(res.status, 204) << res.body;
  EXPECT_TRUE(store_->ListMembershipsOfUser(ana_.id)->empty());
  EXPECT_EQ(rights_changed_, std::vector<std::string>{""});
  auto events = store_->ListAudit(0, 1);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "role-change");
  EXPECT_EQ(json::parse((*events)[0].detail).at("change").as_string(), "revoked");
  EXPECT_EQ(Call(As(sec, "DELETE", "/api/v1/memberships/" + std::to_string(membership))).status,
            404);
}

TEST_F(ApiOrganizationsTest, LastHostSecretariatMembershipCannotBeRemoved) {
  auto secretariat = HostSecretariat();
  ASSERT_EQ(secretariat.size(), 1u);
  Browser sec = SignIn("sec@example.org");
  HttpResponse res =
      Call(As(sec, "DELETE", "/api/v1/memberships/" + std::to_string(secretariat[0].id)));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(ProblemType(res), "conflict");
  EXPECT_EQ(HostSecretariat().size(), 1u);
  EXPECT_TRUE(rights_changed_.empty());
}

TEST_F(ApiOrganizationsTest, HostSecretariatMembershipGoesOnceSomeoneElseHoldsIt) {
  MakeUser("dan@example.org", "Dan", host_.id, auth::Role::kSecretariat);
  auto secretariat = HostSecretariat();
  ASSERT_EQ(secretariat.size(), 2u);
  auth::Id own = 0;
  for (const auto& m : secretariat) {
    if (m.user_id == sec_.id) own = m.id;
  }
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "DELETE", "/api/v1/memberships/" + std::to_string(own)));
  EXPECT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(HostSecretariat().size(), 1u);
}

}  // namespace
}  // namespace accord::server::testing
