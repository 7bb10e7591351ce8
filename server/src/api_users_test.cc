// Tests of the user endpoints (api_users.cc): the directory of users, one's own profile and
// password, and the secretariat disabling an account.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

class ApiUsersTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    member_org_ = MakeOrg("CUT");
    ana_ = MakeUser("ana@example.org", "Ana", member_org_.id, auth::Role::kDelegate);
  }

  std::string UserPath(auth::Id id) { return "/api/v1/users/" + std::to_string(id); }

  // POST /api/v1/session without the SignIn helper's expectation of success.
  HttpResponse TrySignIn(const std::string& email, const std::string& password) {
    ApiRequest r = Req("POST", "/api/v1/session",
                       json::serialize(json::object{{"email", email}, {"password", password}}));
    r.headers["origin"] = kOrigin;
    return Call(r);
  }

  HttpResponse ChangePassword(const Browser& b, const std::string& current,
                              const std::string& fresh) {
    return Call(
        As(b, "POST", "/api/v1/users/me/password",
           json::serialize(json::object{{"current_password", current}, {"new_password", fresh}})));
  }

  // The `field` values of a validation-failed problem's errors.
  static std::vector<std::string> ErrorFields(const HttpResponse& res) {
    std::vector<std::string> fields;
    auto v = Json(res);
    if (!v.is_object() || !v.as_object().contains("errors")) return fields;
    for (const auto& e : v.at("errors").as_array()) {
      fields.emplace_back(e.at("field").as_string());
    }
    return fields;
  }

  auth::Organization member_org_;
  auth::User ana_;
};

TEST_F(ApiUsersTest, SecretariatListsEveryUser) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "GET", "/api/v1/users"));
  ASSERT_EQ(res.status, 200) << res.body;
  std::vector<std::string> emails;
  const boost::json::value listed = Json(res);
  for (const auto& u : listed.at("items").as_array()) {
    emails.emplace_back(u.at("email").as_string());
  }
  EXPECT_EQ(emails.size(), 2u);
  EXPECT_NE(std::find(emails.begin(), emails.end(), "sec@example.org"), emails.end());
  EXPECT_NE(std::find(emails.begin(), emails.end(), "ana@example.org"), emails.end());
}

TEST_F(ApiUsersTest, DelegateMayNotListUsersAndTheRefusalIsAudited) {
  Browser ana = SignIn("ana@example.org");
  const int before = AuditCount("permission-denied");
  HttpResponse res = Call(As(ana, "GET", "/api/v1/users"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(AuditCount("permission-denied"), before + 1);
}

TEST_F(ApiUsersTest, MeShowsTheCallerWithMemberships) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", "/api/v1/users/me"));
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = Json(res);
  EXPECT_EQ(v.at("id").as_int64(), ana_.id);
  EXPECT_EQ(v.at("email").as_string(), "ana@example.org");
  EXPECT_EQ(v.at("display_name").as_string(), "Ana");
  const auto& memberships = v.at("memberships").as_array();
  ASSERT_EQ(memberships.size(), 1u);
  EXPECT_EQ(memberships[0].at("organization_id").as_int64(), member_org_.id);
  EXPECT_EQ(memberships[0].at("role").as_string(), "delegate");
}

TEST_F(ApiUsersTest, OwnIdIsReadableLikeMe) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", UserPath(ana_.id)));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("email").as_string(), "ana@example.org");
}

TEST_F(ApiUsersTest, AnotherUsersIdIsForbiddenToADelegate) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", UserPath(sec_.id)));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
}

TEST_F(ApiUsersTest, SecretariatReadsAnyUser) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "GET", UserPath(ana_.id)));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("email").as_string(), "ana@example.org");
  EXPECT_EQ(Json(res).at("memberships").as_array().size(), 1u);
}

TEST_F(ApiUsersTest, SecretariatGetsNotFoundForAnUnknownOrMalformedId) {
  Browser sec = SignIn("sec@example.org");
  EXPECT_EQ(Call(As(sec, "GET", UserPath(9999))).status, 404);
  HttpResponse res = Call(As(sec, "GET", "/api/v1/users/abc"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "not-found");
}

TEST_F(ApiUsersTest, PatchMeAcceptsARegionalLanguageTag) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res =
      Call(As(ana, "PATCH", "/api/v1/users/me", R"({"language":"pt-BR","display_name":"Ana S."})"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("language").as_string(), "pt-BR");
  auto stored = store_->GetUser(ana_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->language, "pt-BR");
  EXPECT_EQ(stored->display_name, "Ana S.");
}

TEST_F(ApiUsersTest, PatchMeRefusesABadLanguageAndStoresNothing) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res =
      Call(As(ana, "PATCH", "/api/v1/users/me", R"({"language":"x","display_name":"Other"})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(ProblemType(res), "validation-failed");
  EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"language"});
  auto stored = store_->GetUser(ana_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->language, "en");
  EXPECT_EQ(stored->display_name, "Ana");
}

TEST_F(ApiUsersTest, PatchMeValidatesTheDisplayName) {
  Browser ana = SignIn("ana@example.org");
  for (const std::string& body :
       {std::string(R"({"display_name":""})"),
        json::serialize(json::object{{"display_name", std::string(101, 'a')}}),
        std::string(R"({"display_name":42})"), std::string("{\"display_name\":\"a\\u0007b\"}")}) {
    HttpResponse res = Call(As(ana, "PATCH", "/api/v1/users/me", body));
    EXPECT_EQ(res.status, 422) << body;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"display_name"}) << body;
  }
  EXPECT_EQ(store_->GetUser(ana_.id)->display_name, "Ana");
}

TEST_F(ApiUsersTest, PatchMeRefusesAnUnknownFieldInsteadOfIgnoringIt) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res =
      Call(As(ana, "PATCH", "/api/v1/users/me", R"({"display_name":"Ann","disabled":true})"));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(ProblemType(res), "unknown-field");
  auto stored = store_->GetUser(ana_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->display_name, "Ana");
  EXPECT_FALSE(stored->disabled);
}

TEST_F(ApiUsersTest, ChangePasswordWithAWrongCurrentPasswordIsRefusedAndAudited) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = ChangePassword(ana, "not my password at all", "a brand new passphrase");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(ProblemType(res), "validation-failed");
  EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"current_password"});
  EXPECT_EQ(AuditCount("password-change-failed"), 1);
  EXPECT_EQ(AuditCount("password-changed"), 0);
  EXPECT_EQ(*store_->GetPasswordHash(ana_.id), PasswordHash());
}

TEST_F(ApiUsersTest, ChangePasswordEnforcesThePasswordRules) {
  Browser ana = SignIn("ana@example.org");
  for (const std::string& fresh : {std::string("too short"), std::string(129, 'p')}) {
    HttpResponse res = ChangePassword(ana, kPassword, fresh);
    EXPECT_EQ(res.status, 422) << fresh.size();
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"new_password"});
  }
  HttpResponse missing =
      Call(As(ana, "POST", "/api/v1/users/me/password", R"({"current_password":"x"})"));
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(ErrorFields(missing), std::vector<std::string>{"new_password"});
  EXPECT_EQ(*store_->GetPasswordHash(ana_.id), PasswordHash());
}

TEST_F(ApiUsersTest, ChangedPasswordSignsInAndTheOldOneNoLongerDoes) {
  Browser ana = SignIn("ana@example.org");
  const std::string fresh = "a brand new passphrase";
  HttpResponse res = ChangePassword(ana, kPassword, fresh);
  ASSERT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(AuditCount("password-changed"), 1);

  HttpResponse old = TrySignIn("ana@example.org", kPassword);
  EXPECT_EQ(old.status, 401);
  EXPECT_EQ(ProblemType(old), "invalid-credentials");
  Browser again = SignIn("ana@example.org", fresh);
  EXPECT_FALSE(again.cookie.empty());
}

TEST_F(ApiUsersTest, WrongCurrentPasswordsCountAgainstTheSignInLimit) {
  Browser ana = SignIn("ana@example.org");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(ChangePassword(ana, "not my password at all", "a brand new passphrase").status, 422);
  }
  HttpResponse limited = ChangePassword(ana, kPassword, "a brand new passphrase");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(ProblemType(limited), "rate-limited");
  EXPECT_FALSE(Header(limited, "Retry-After").empty());
  EXPECT_EQ(TrySignIn("ana@example.org", kPassword).status, 429);
  EXPECT_EQ(*store_->GetPasswordHash(ana_.id), PasswordHash());
}

TEST_F(ApiUsersTest, ChangePasswordNeedsASessionNotAToken) {
  auto token = IssueApiToken(*store_, ana_.id, "script", auth::kScopeApiWrite, "*", std::nullopt,
                             now_, ana_.id);
  ASSERT_TRUE(token.ok());
  HttpResponse res =
      Call(WithToken(token->secret, "POST", "/api/v1/users/me/password",
                     json::serialize(json::object{{"current_password", kPassword},
                                                  {"new_password", "a brand new passphrase"}})));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(*store_->GetPasswordHash(ana_.id), PasswordHash());
}

TEST_F(ApiUsersTest, DisablingAUserEndsTheirSessionsAndSignIns) {
  Browser ana = SignIn("ana@example.org");
  ASSERT_EQ(Call(As(ana, "GET", "/api/v1/users/me")).status, 200);
  Browser sec = SignIn("sec@example.org");

  HttpResponse res = Call(As(sec, "PATCH", UserPath(ana_.id), R"({"disabled":true})"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(Json(res).at("disabled").as_bool());

  HttpResponse after = Call(As(ana, "GET", "/api/v1/users/me"));
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(ProblemType(after), "unauthenticated");
  EXPECT_TRUE(store_->ListSessionsOfUser(ana_.id)->empty());
  HttpResponse login = TrySignIn("ana@example.org", kPassword);
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(ProblemType(login), "invalid-credentials");
}

TEST_F(ApiUsersTest, DisabledUsersTokensAreRefused) {
  auto token = IssueApiToken(*store_, ana_.id, "script", auth::kScopeApiRead, "*", std::nullopt,
                             now_, ana_.id);
  ASSERT_TRUE(token.ok());
  ASSERT_EQ(Call(WithToken(token->secret, "GET", "/api/v1/users/me")).status, 200);
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Call(As(sec, "PATCH", UserPath(ana_.id), R"({"disabled":true})")).status, 200);
  HttpResponse res = Call(WithToken(token->secret, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiUsersTest, DisablingAUserIsAuditedAndClosesEveryDocument) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Call(As(sec, "PATCH", UserPath(ana_.id), R"({"disabled":true})")).status, 200);
  EXPECT_EQ(AuditCount("user-disabled"), 1);
  EXPECT_EQ(rights_changed_, std::vector<std::string>{""});
}

TEST_F(ApiUsersTest, EnablingAUserAgainLetsThemSignIn) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Call(As(sec, "PATCH", UserPath(ana_.id), R"({"disabled":true})")).status, 200);
  ASSERT_EQ(Call(As(sec, "PATCH", UserPath(ana_.id), R"({"disabled":false})")).status, 200);
  EXPECT_EQ(AuditCount("user-enabled"), 1);
  Browser ana = SignIn("ana@example.org");
  EXPECT_FALSE(ana.cookie.empty());
}

TEST_F(ApiUsersTest, SecretariatCannotDisableThemselves) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "PATCH", UserPath(sec_.id), R"({"disabled":true})"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(ProblemType(res), "conflict");
  EXPECT_FALSE(store_->GetUser(sec_.id)->disabled);
  EXPECT_EQ(Call(As(sec, "GET", "/api/v1/users/me")).status, 200);
  EXPECT_TRUE(rights_changed_.empty());
}

TEST_F(ApiUsersTest, DelegateMayNotDisableAnyone) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "PATCH", UserPath(sec_.id), R"({"disabled":true})"));
  EXPECT_EQ(res.status, 403);
  EXPECT_FALSE(store_->GetUser(sec_.id)->disabled);
  EXPECT_EQ(AuditCount("user-disabled"), 0);
}

}  // namespace
}  // namespace accord::server::testing
