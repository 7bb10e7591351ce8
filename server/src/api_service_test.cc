// Tests of the API's gate (ApiService::Handle): routing, authentication by cookie or token,
// the Origin and CSRF checks, token scopes, and what every response carries.
#include "api_service.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "account_admin.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

class ApiServiceTest : public ApiTest {
 protected:
  // An API token of `user` with `scopes`, returned in clear.
  std::string Token(const auth::User& user, uint32_t scopes,
                    std::optional<std::chrono::seconds> ttl = std::nullopt,
                    auth::Id* id = nullptr) {
    auto issued = IssueApiToken(*store_, user.id, "test", scopes, "*", ttl, now_, user.id);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    if (!issued.ok()) return "";
    if (id != nullptr) *id = issued->token.id;
    return issued->secret;
  }
  static std::string OrgBody(const std::string& short_name) {
    return json::serialize(
        json::object{{"name", short_name + " union"}, {"short_name", short_name}});
  }
  // Whether an organization with `short_name` exists.
  bool OrgExists(const std::string& short_name) {
    return FindOrganizationByShortName(*store_, short_name).ok();
  }
};

// --- SplitTarget ---

TEST_F(ApiServiceTest, SplitTargetDecodesThePathAndTheQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  ASSERT_TRUE(
      SplitTarget("/api/v1/statements/a%20b+c?x=1&y=%C3%A7%26&z=a+b&flag&=skip", &path, &query));
  EXPECT_EQ(path, "/api/v1/statements/a b+c");  // '+' is a space only in the query
  EXPECT_EQ(query, (std::map<std::string, std::string>{
                       {"x", "1"}, {"y", "\xC3\xA7&"}, {"z", "a b"}, {"flag", ""}}));
}

TEST_F(ApiServiceTest, SplitTargetWithoutAQueryLeavesItEmpty) {
  std::string path;
  std::map<std::string, std::string> query{{"stale", "1"}};
  ASSERT_TRUE(SplitTarget("/api/v1/users", &path, &query));
  EXPECT_EQ(path, "/api/v1/users");
  EXPECT_TRUE(query.empty());
}

TEST_F(ApiServiceTest, SplitTargetRejectsBadEscapes) {
  std::string path;
  std::map<std::string, std::string> query;
  for (std::string bad : {"/a%zz", "/a%2", "/a%", "/a?x=%g0", "/a?%=1", "/a?x=1%"}) {
    EXPECT_FALSE(SplitTarget(bad, &path, &query)) << bad;
  }
}

// --- routing ---

TEST_F(ApiServiceTest, UnknownPathIsNotFound) {
  Browser b = SignIn("sec@example.org");
  for (std::string target :
       {"/api/v1/nothing", "/api/v1/users/1/extra", "/api/v2/users", "/api/v1/users/"}) {
    HttpResponse res = Call(As(b, "GET", target));
    EXPECT_EQ(res.status, 404) << target;
    EXPECT_EQ(ProblemType(res), "not-found") << target;
  }
}

TEST_F(ApiServiceTest, KnownPathWithAnotherMethodIsMethodNotAllowedWithAllow) {
  HttpResponse res = Call(Req("PUT", "/api/v1/session"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(ProblemType(res), "method-not-allowed");
  EXPECT_EQ(Header(res, "Allow"), "POST, GET, DELETE");
}

TEST_F(ApiServiceTest, MethodNotAllowedComesBeforeAuthentication) {
  HttpResponse res = Call(Req("POST", "/api/v1/users/7"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(Header(res, "Allow"), "GET, PATCH");
}

TEST_F(ApiServiceTest, ALiteralRouteBeatsAPlaceholder) {
  // /users/me and /users/{id} both match; {id}="me" would be 404 (not an id).
  Browser b = SignIn("sec@example.org");
  HttpResponse res = Call(As(b, "GET", "/api/v1/users/me"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("email"), "sec@example.org");
  HttpResponse by_id = Call(As(b, "GET", "/api/v1/users/" + std::to_string(sec_.id)));
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(Json(by_id).at("id").as_int64(), sec_.id);
}

// --- authentication ---

TEST_F(ApiServiceTest, NoCredentialsIsUnauthenticatedWithBearerChallenge) {
  HttpResponse res = Call(Req("GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
  EXPECT_EQ(Header(res, "WWW-Authenticate"), "Bearer");
}

TEST_F(ApiServiceTest, AnUnknownBearerTokenIsUnauthenticated) {
  HttpResponse res = Call(WithToken(auth::GenerateToken("acc_"), "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
  EXPECT_EQ(Header(res, "WWW-Authenticate"), "Bearer");
}

TEST_F(ApiServiceTest, AnAuthorizationHeaderThatIsNotBearerIsUnauthenticated) {
  ApiRequest r = Req("GET", "/api/v1/users/me");
  r.headers["authorization"] = "Basic c2VjOnB3";
  HttpResponse res = Call(r);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiServiceTest, AStaleCookieDoesNotStopSigningInButStillGuardsOtherRoutes) {
  // The browser still carries the cookie of a session that has ended.
  Browser old = SignIn("sec@example.org");
  ASSERT_EQ(Call(As(old, "DELETE", "/api/v1/session")).status, 204);
  ApiRequest login =
      Req("POST", "/api/v1/session",
          json::serialize(json::object{{"email", "sec@example.org"}, {"password", kPassword}}));
  login.headers["origin"] = kOrigin;
  login.headers["cookie"] = std::string(auth::SessionCookieName(true)) + "=" + old.cookie;
  EXPECT_EQ(Call(login).status, 201);
  // Elsewhere the stale cookie is refused.
  HttpResponse res = Call(As(old, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiServiceTest, AnInvalidTokenIsRejectedOnPrivateRoutes) {
  HttpResponse res = Call(WithToken(auth::GenerateToken("acc_"), "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiServiceTest, ARevokedTokenIsUnauthenticated) {
  auth::Id id = 0;
  std::string token = Token(sec_, auth::kScopeApiRead, std::nullopt, &id);
  ASSERT_EQ(Call(WithToken(token, "GET", "/api/v1/users/me")).status, 200);
  ASSERT_TRUE(store_->RevokeApiToken(id, now_).ok());
  HttpResponse res = Call(WithToken(token, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiServiceTest, AnExpiredTokenIsUnauthenticated) {
  std::string token = Token(sec_, auth::kScopeApiRead, std::chrono::hours(1));
  ASSERT_EQ(Call(WithToken(token, "GET", "/api/v1/users/me")).status, 200);
  now_ += 3600;
  HttpResponse res = Call(WithToken(token, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiServiceTest, ATokenOfADisabledUserIsUnauthenticated) {
  std::string token = Token(sec_, auth::kScopeApiRead);
  auth::UserPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(store_->UpdateUser(sec_.id, patch).ok());
  EXPECT_EQ(Call(WithToken(token, "GET", "/api/v1/users/me")).status, 401);
}

TEST_F(ApiServiceTest, ADisabledUsersSessionIsUnauthenticated) {
  Browser b = SignIn("sec@example.org");
  ASSERT_EQ(Call(As(b, "GET", "/api/v1/session")).status, 200);
  auth::UserPatch patch;
  patch.disabled = true;  // straight in the store: the gate itself must notice
  ASSERT_TRUE(store_->UpdateUser(sec_.id, patch).ok());
  HttpResponse res = Call(As(b, "GET", "/api/v1/session"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiServiceTest, AnUnknownSessionCookieIsUnauthenticatedAndCleared) {
  Browser stale{auth::GenerateToken("acs_"), "x"};
  HttpResponse res = Call(As(stale, "GET", "/api/v1/session"));
  EXPECT_EQ(res.status, 401);
  EXPECT_NE(Header(res, "Set-Cookie").find("Max-Age=0"), std::string::npos);
}

// --- token scopes ---

TEST_F(ApiServiceTest, AnApiReadTokenMayGetButNotPost) {
  std::string token = Token(sec_, auth::kScopeApiRead);
  EXPECT_EQ(Call(WithToken(token, "GET", "/api/v1/organizations")).status, 200);
  HttpResponse res = Call(WithToken(token, "POST", "/api/v1/organizations", OrgBody("CUT")));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "insufficient-scope");
  EXPECT_FALSE(OrgExists("CUT"));
}

TEST_F(ApiServiceTest, ADocumentsOnlyTokenMayNotUseTheApi) {
  std::string token = Token(sec_, auth::kScopeDocumentsRead | auth::kScopeDocumentsWrite);
  HttpResponse res = Call(WithToken(token, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "insufficient-scope");
}

TEST_F(ApiServiceTest, AnApiWriteTokenMayPostWithoutOrigin) {
  std::string token = Token(sec_, auth::kScopeApiRead | auth::kScopeApiWrite);
  HttpResponse res = Call(WithToken(token, "POST", "/api/v1/organizations", OrgBody("CUT")));
  EXPECT_EQ(res.status, 201) << res.body;
  EXPECT_TRUE(OrgExists("CUT"));
  EXPECT_EQ(AuditCount("request-rejected"), 0);
}

TEST_F(ApiServiceTest, ATokenRequestWithAForeignOriginIsRejected) {
  // A token sent by a page of another site (the token leaked into its script) is refused.
  std::string token = Token(sec_, auth::kScopeApiRead | auth::kScopeApiWrite);
  ApiRequest r = WithToken(token, "POST", "/api/v1/organizations", OrgBody("CUT"));
  r.headers["origin"] = "https://evil.example";
  HttpResponse res = Call(r);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "origin-not-allowed");
  EXPECT_FALSE(OrgExists("CUT"));
}

// --- Origin and CSRF for cookie sessions ---

TEST_F(ApiServiceTest, ACookiePostWithoutOriginIsRejectedAndChangesNothing) {
  Browser b = SignIn("sec@example.org");
  ApiRequest r = As(b, "POST", "/api/v1/organizations", OrgBody("CUT"));
  r.headers.erase("origin");
  HttpResponse res = Call(r);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "origin-not-allowed");
  EXPECT_FALSE(OrgExists("CUT"));
  EXPECT_EQ(AuditCount("request-rejected"), 1);
}

TEST_F(ApiServiceTest, ACookiePostFromAForeignOriginIsRejectedAndChangesNothing) {
  Browser b = SignIn("sec@example.org");
  for (std::string origin :
       {"https://evil.example", "http://accord.test", "null", "https://accord.test.evil.example"}) {
    ApiRequest r = As(b, "POST", "/api/v1/organizations", OrgBody("CUT"));
    r.headers["origin"] = origin;
    HttpResponse res = Call(r);
    EXPECT_EQ(res.status, 403) << origin;
    EXPECT_EQ(ProblemType(res), "origin-not-allowed") << origin;
  }
  EXPECT_FALSE(OrgExists("CUT"));
  EXPECT_EQ(AuditCount("request-rejected"), 4);
}

TEST_F(ApiServiceTest, AConfiguredExtraOriginIsAllowed) {
  config_.allowed_origins = {"https://app.accord.test"};
  service_->SetPublicUrl(kOrigin);
  Browser b = SignIn("sec@example.org");
  ApiRequest r = As(b, "POST", "/api/v1/organizations", OrgBody("CUT"));
  r.headers["origin"] = "https://app.accord.test";
  EXPECT_EQ(Call(r).status, 201);
}

TEST_F(ApiServiceTest, APublicPostFromAForeignOriginIsRejected) {
  // Login CSRF: another site must not sign the browser in to an account of its choosing.
  ApiRequest r =
      Req("POST", "/api/v1/session",
          json::serialize(json::object{{"email", "sec@example.org"}, {"password", kPassword}}));
  r.headers["origin"] = "https://evil.example";
  HttpResponse res = Call(r);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "origin-not-allowed");
  EXPECT_EQ(AuditCount("login"), 0);
}

TEST_F(ApiServiceTest, ACookiePostWithoutCsrfTokenIsRejectedAndChangesNothing) {
  Browser b = SignIn("sec@example.org");
  ApiRequest r = As(b, "POST", "/api/v1/organizations", OrgBody("CUT"));
  r.headers.erase("x-csrf-token");
  HttpResponse res = Call(r);
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "csrf-failed");
  EXPECT_FALSE(OrgExists("CUT"));
  EXPECT_EQ(AuditCount("request-rejected"), 1);
}

TEST_F(ApiServiceTest, ACookiePostWithAWrongCsrfTokenIsRejectedAndChangesNothing) {
  Browser b = SignIn("sec@example.org");
  Browser other = SignIn("sec@example.org");  // another session's token does not fit
  for (std::string wrong : {std::string("x"), other.csrf, b.csrf + "A", b.csrf.substr(1)}) {
    ApiRequest r = As(b, "POST", "/api/v1/organizations", OrgBody("CUT"));
    r.headers["x-csrf-token"] = wrong;
    HttpResponse res = Call(r);
    EXPECT_EQ(res.status, 403) << wrong;
    EXPECT_EQ(ProblemType(res), "csrf-failed") << wrong;
  }
  EXPECT_FALSE(OrgExists("CUT"));
}

TEST_F(ApiServiceTest, ACookiePostWithOriginAndCsrfTokenGoesThrough) {
  Browser b = SignIn("sec@example.org");
  HttpResponse res = Call(As(b, "POST", "/api/v1/organizations", OrgBody("CUT")));
  EXPECT_EQ(res.status, 201) << res.body;
  EXPECT_TRUE(OrgExists("CUT"));
}

TEST_F(ApiServiceTest, ACookieGetNeedsNeitherOriginNorCsrfToken) {
  Browser b = SignIn("sec@example.org");
  ApiRequest r = As(b, "GET", "/api/v1/organizations");
  r.headers.erase("origin");
  r.headers.erase("x-csrf-token");
  EXPECT_EQ(Call(r).status, 200);
}

// --- what every response carries ---

TEST_F(ApiServiceTest, EveryResponseCarriesCacheControlNoStore) {
  Browser b = SignIn("sec@example.org");
  std::vector<HttpResponse> responses = {
      Call(As(b, "GET", "/api/v1/session")),     // 200
      Call(Req("GET", "/api/v1/session")),       // 401
      Call(As(b, "GET", "/api/v1/nothing")),     // 404
      Call(Req("PUT", "/api/v1/session")),       // 405
      Call(As(b, "DELETE", "/api/v1/session")),  // 204
  };
  for (const HttpResponse& res : responses) {
    EXPECT_EQ(Header(res, "Cache-Control"), "no-store") << res.status;
  }
}

TEST_F(ApiServiceTest, AHandlersDenialIsForbiddenAndAudited) {
  auth::Organization cut = MakeOrg("CUT");
  MakeUser("del@example.org", "Del", cut.id, auth::Role::kDelegate);
  Browser b = SignIn("del@example.org");
  HttpResponse res = Call(As(b, "GET", "/api/v1/users"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(AuditCount("permission-denied"), 1);
  auto events = store_->ListAudit(0, 1);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "permission-denied");
  EXPECT_NE((*events)[0].detail.find("/api/v1/users"), std::string::npos) << (*events)[0].detail;
}

TEST_F(ApiServiceTest, AuthenticateReportsNoCallerWithoutCredentials) {
  auto caller = service_->Authenticate(Req("GET", "/api/v1/session"));
  ASSERT_TRUE(caller.ok());
  EXPECT_FALSE(caller->has_value());
}

}  // namespace
}  // namespace accord::server::testing
