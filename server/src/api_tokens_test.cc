// Tests of the API token endpoints and the audit log endpoint (api_tokens.cc): tokens are made
// from a session, shown once, act with their scopes only, expire and can be revoked; the audit
// log is read by the instance secretariat, page by page, and cannot be changed over the API.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api_json.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

class ApiTokensTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    ana_ = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  }

  static std::string TokenBody(const std::vector<std::string>& scopes,
                               const std::string& extra = "") {
    json::array list;
    for (const auto& s : scopes) list.emplace_back(s);
    std::string body = json::serialize(json::object{{"name", "script"}, {"scopes", list}});
    if (!extra.empty()) body = body.substr(0, body.size() - 1) + "," + extra + "}";
    return body;
  }
  // Creates a token through the API; returns the 201 body (with the secret).
  json::object CreateToken(const Browser& b, const std::vector<std::string>& scopes,
                           const std::string& extra = "") {
    HttpResponse res = Call(As(b, "POST", "/api/v1/tokens", TokenBody(scopes, extra)));
    EXPECT_EQ(res.status, 201) << res.body;
    if (res.status != 201) return {};
    return Json(res).as_object();
  }
  static std::string Secret(const json::object& token) {
    return token.contains("secret") ? std::string(token.at("secret").as_string()) : "";
  }
  static std::string TokenPath(const json::object& token) {
    return "/api/v1/tokens/" + std::to_string(token.at("id").as_int64());
  }
  static std::vector<std::string> ErrorFields(const HttpResponse& res) {
    std::vector<std::string> fields;
    auto v = Json(res);
    if (!v.is_object() || !v.as_object().contains("errors")) return fields;
    for (const auto& e : v.at("errors").as_array()) fields.emplace_back(e.at("field").as_string());
    return fields;
  }
  size_t TokenCount(auth::Id user) { return store_->ListApiTokensOfUser(user)->size(); }
  // Appends `n` audit events directly (the log's content does not matter to paging).
  void AppendEvents(int n) {
    for (int i = 0; i < n; ++i) {
      auth::AuditEvent e;
      e.at = now_;
      e.kind = "test-event";
      e.subject = "n:" + std::to_string(i);
      e.detail = "{}";
      ASSERT_TRUE(store_->AppendAudit(e).ok());
    }
  }
  static std::vector<int64_t> Ids(const HttpResponse& res) {
    std::vector<int64_t> ids;
    const boost::json::value listed = Json(res);
    for (const auto& e : listed.at("items").as_array()) ids.push_back(e.at("id").as_int64());
    return ids;
  }

  auth::Organization cut_;
  auth::User ana_;
};

TEST_F(ApiTokensTest, CreatedTokenShowsItsSecretOnce) {
  Browser ana = SignIn("ana@example.org");
  json::object token = CreateToken(ana, {"api:read"});
  const std::string secret = Secret(token);
  EXPECT_TRUE(secret.starts_with("acc_")) << secret;
  EXPECT_EQ(secret.size(), 4u + 43u);
  EXPECT_EQ(token.at("name").as_string(), "script");
  EXPECT_EQ(token.at("document_pattern").as_string(), "*");
  EXPECT_EQ(json::serialize(token.at("scopes")), R"(["api:read"])");
  EXPECT_TRUE(token.at("expires_at").is_null());

  HttpResponse list = Call(As(ana, "GET", "/api/v1/tokens"));
  ASSERT_EQ(list.status, 200) << list.body;
  const boost::json::value listed = Json(list);
  const auto& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("id"), token.at("id"));
  EXPECT_FALSE(items[0].as_object().contains("secret"));
  EXPECT_EQ(list.body.find(secret), std::string::npos);
}

TEST_F(ApiTokensTest, OnlyTheTokensHashIsStored) {
  Browser ana = SignIn("ana@example.org");
  const std::string secret = Secret(CreateToken(ana, {"api:read"}));
  auto found = store_->FindApiTokenByTokenHash(auth::HashToken(secret));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user_id, ana_.id);
}

TEST_F(ApiTokensTest, ReadTokenMayGetButNotChange) {
  Browser ana = SignIn("ana@example.org");
  const std::string secret = Secret(CreateToken(ana, {"api:read"}));
  HttpResponse me = Call(WithToken(secret, "GET", "/api/v1/users/me"));
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Json(me).at("email").as_string(), "ana@example.org");

  HttpResponse patch =
      Call(WithToken(secret, "PATCH", "/api/v1/users/me", R"({"display_name":"Bot"})"));
  EXPECT_EQ(patch.status, 403);
  EXPECT_EQ(ProblemType(patch), "insufficient-scope");
  EXPECT_EQ(store_->GetUser(ana_.id)->display_name, "Ana");
}

TEST_F(ApiTokensTest, WriteTokenMayChange) {
  Browser ana = SignIn("ana@example.org");
  const std::string secret = Secret(CreateToken(ana, {"api:write"}));
  HttpResponse patch =
      Call(WithToken(secret, "PATCH", "/api/v1/users/me", R"({"display_name":"Bot"})"));
  EXPECT_EQ(patch.status, 200) << patch.body;
  EXPECT_EQ(store_->GetUser(ana_.id)->display_name, "Bot");
  // ... but it has no api:read, so GETs are refused.
  HttpResponse get = Call(WithToken(secret, "GET", "/api/v1/users/me"));
  EXPECT_EQ(get.status, 403);
  EXPECT_EQ(ProblemType(get), "insufficient-scope");
}

TEST_F(ApiTokensTest, TokenCannotCreateAnotherToken) {
  Browser ana = SignIn("ana@example.org");
  const std::string secret = Secret(CreateToken(ana, {"api:read", "api:write"}));
  HttpResponse res = Call(WithToken(secret, "POST", "/api/v1/tokens", TokenBody({"api:read"})));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(TokenCount(ana_.id), 1u);
}

TEST_F(ApiTokensTest, BadScopesAreRefused) {
  Browser ana = SignIn("ana@example.org");
  for (const std::string& body :
       {TokenBody({}), TokenBody({"root"}), TokenBody({"api:read", "api:admin"}),
        TokenBody({"api:read api:write"}), TokenBody({"api:read,documents:read"}),
        std::string(R"({"name":"script","scopes":"api:read"})"),
        std::string(R"({"name":"script","scopes":[1]})"), std::string(R"({"name":"script"})")}) {
    HttpResponse res = Call(As(ana, "POST", "/api/v1/tokens", body));
    EXPECT_EQ(res.status, 422) << body;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"scopes"}) << body;
  }
  EXPECT_EQ(TokenCount(ana_.id), 0u);
  EXPECT_EQ(AuditCount("token-created"), 0);
}

TEST_F(ApiTokensTest, BadDocumentPatternIsRefused) {
  Browser ana = SignIn("ana@example.org");
  for (const char* pattern : {"a b", "**", "*x", ".hidden", "", "statement/one"}) {
    HttpResponse res =
        Call(As(ana, "POST", "/api/v1/tokens",
                TokenBody({"documents:read"},
                          "\"document_pattern\":" + json::serialize(json::string(pattern)))));
    EXPECT_EQ(res.status, 422) << pattern;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"document_pattern"}) << pattern;
  }
  EXPECT_EQ(TokenCount(ana_.id), 0u);
}

TEST_F(ApiTokensTest, GoodDocumentPatternIsKept) {
  Browser ana = SignIn("ana@example.org");
  json::object token =
      CreateToken(ana, {"documents:read"}, R"("document_pattern":"statement.g20*")");
  EXPECT_EQ(token.at("document_pattern").as_string(), "statement.g20*");
}

TEST_F(ApiTokensTest, ExpiryOutOfRangeIsRefused) {
  Browser ana = SignIn("ana@example.org");
  for (const std::string days : {"0", "-1", "3651", "1.5", "\"7\""}) {
    HttpResponse res = Call(
        As(ana, "POST", "/api/v1/tokens", TokenBody({"api:read"}, "\"expires_in_days\":" + days)));
    EXPECT_EQ(res.status, 422) << days;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"expires_in_days"}) << days;
  }
  EXPECT_EQ(TokenCount(ana_.id), 0u);
}

TEST_F(ApiTokensTest, UnknownFieldIsRefused) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res =
      Call(As(ana, "POST", "/api/v1/tokens", TokenBody({"api:read"}, R"("user_id":1)")));
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(ProblemType(res), "unknown-field");
}

TEST_F(ApiTokensTest, ExpiredTokenIsUnauthenticated) {
  Browser ana = SignIn("ana@example.org");
  json::object token = CreateToken(ana, {"api:read"}, R"("expires_in_days":1)");
  EXPECT_EQ(token.at("expires_at").as_string(), FormatTime(now_ + 86400));
  const std::string secret = Secret(token);
  now_ += 86400 - 1;
  EXPECT_EQ(Call(WithToken(secret, "GET", "/api/v1/users/me")).status, 200);
  now_ += 1;
  HttpResponse res = Call(WithToken(secret, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
}

TEST_F(ApiTokensTest, RevokedOwnTokenIsUnauthenticated) {
  Browser ana = SignIn("ana@example.org");
  json::object token = CreateToken(ana, {"api:read"});
  const std::string secret = Secret(token);
  HttpResponse revoke = Call(As(ana, "DELETE", TokenPath(token)));
  ASSERT_EQ(revoke.status, 204) << revoke.body;
  HttpResponse res = Call(WithToken(secret, "GET", "/api/v1/users/me"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
  // The token is still listed, as revoked.
  HttpResponse list = Call(As(ana, "GET", "/api/v1/tokens"));
  EXPECT_FALSE(Json(list).at("items").as_array()[0].at("revoked_at").is_null());
}

TEST_F(ApiTokensTest, OthersTokensAreNotFoundForANonSecretariat) {
  Browser sec = SignIn("sec@example.org");
  json::object token = CreateToken(sec, {"api:read"});
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "DELETE", TokenPath(token)));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "not-found");
  EXPECT_EQ(Call(WithToken(Secret(token), "GET", "/api/v1/users/me")).status, 200);
  EXPECT_EQ(AuditCount("token-revoked"), 0);
}

TEST_F(ApiTokensTest, SecretariatRevokesAnyonesToken) {
  Browser ana = SignIn("ana@example.org");
  json::object token = CreateToken(ana, {"api:read"});
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "DELETE", TokenPath(token)));
  EXPECT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(Call(WithToken(Secret(token), "GET", "/api/v1/users/me")).status, 401);
}

TEST_F(ApiTokensTest, RevokingTwiceIsHarmless) {
  Browser ana = SignIn("ana@example.org");
  json::object token = CreateToken(ana, {"api:read"});
  ASSERT_EQ(Call(As(ana, "DELETE", TokenPath(token))).status, 204);
  const auto first = store_->GetApiToken(token.at("id").as_int64())->revoked_at;
  now_ += 100;
  EXPECT_EQ(Call(As(ana, "DELETE", TokenPath(token))).status, 204);
  EXPECT_EQ(store_->GetApiToken(token.at("id").as_int64())->revoked_at, first);
}

TEST_F(ApiTokensTest, RevokingAnUnknownTokenIsNotFound) {
  Browser ana = SignIn("ana@example.org");
  EXPECT_EQ(Call(As(ana, "DELETE", "/api/v1/tokens/9999")).status, 404);
  EXPECT_EQ(Call(As(ana, "DELETE", "/api/v1/tokens/x")).status, 404);
}

TEST_F(ApiTokensTest, CreationAndRevocationAreAudited) {
  Browser ana = SignIn("ana@example.org");
  json::object token = CreateToken(ana, {"documents:read", "api:read"});
  ASSERT_EQ(Call(As(ana, "DELETE", TokenPath(token))).status, 204);
  auto events = store_->ListAudit(0, 2);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  const std::string subject = "token:" + std::to_string(token.at("id").as_int64());
  EXPECT_EQ((*events)[0].kind, "token-revoked");
  EXPECT_EQ((*events)[0].subject, subject);
  EXPECT_EQ((*events)[0].actor_user_id, ana_.id);
  EXPECT_EQ((*events)[1].kind, "token-created");
  EXPECT_EQ((*events)[1].subject, subject);
  EXPECT_EQ(json::parse((*events)[1].detail).at("scopes").as_string(), "documents:read api:read");
  // The secret is in no audit event.
  const auto all_events = store_->ListAudit(0, 100);
  for (const auto& e : *all_events) {
    EXPECT_EQ(e.detail.find(Secret(token)), std::string::npos);
  }
}

TEST_F(ApiTokensTest, AuditLogIsForTheSecretariatOnly) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", "/api/v1/audit"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
}

TEST_F(ApiTokensTest, AuditLogIsNewestFirst) {
  Browser sec = SignIn("sec@example.org");
  AppendEvents(3);
  HttpResponse res = Call(As(sec, "GET", "/api/v1/audit"));
  ASSERT_EQ(res.status, 200) << res.body;
  std::vector<int64_t> ids = Ids(res);
  ASSERT_EQ(ids.size(), 4u);  // the login and three events
  for (size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i - 1], ids[i]);
  const boost::json::value listed = Json(res);
  const auto& items = listed.at("items").as_array();
  EXPECT_EQ(items[0].at("subject").as_string(), "n:2");
  EXPECT_EQ(items[3].at("kind").as_string(), "login");
  EXPECT_EQ(items[3].at("actor_user_id").as_int64(), sec_.id);
  EXPECT_TRUE(Json(res).at("next_before").is_null());
}

TEST_F(ApiTokensTest, AuditLogPagesWithBeforeAndLimit) {
  Browser sec = SignIn("sec@example.org");
  AppendEvents(4);  // with the login: five events
  HttpResponse first = Call(As(sec, "GET", "/api/v1/audit?limit=2"));
  ASSERT_EQ(first.status, 200) << first.body;
  std::vector<int64_t> page1 = Ids(first);
  ASSERT_EQ(page1.size(), 2u);
  ASSERT_TRUE(Json(first).at("next_before").is_int64());
  const int64_t next = Json(first).at("next_before").as_int64();
  EXPECT_EQ(next, page1.back());

  HttpResponse second =
      Call(As(sec, "GET", "/api/v1/audit?limit=2&before=" + std::to_string(next)));
  std::vector<int64_t> page2 = Ids(second);
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_LT(page2.front(), page1.back());

  HttpResponse third = Call(As(
      sec, "GET",
      "/api/v1/audit?limit=2&before=" + std::to_string(Json(second).at("next_before").as_int64())));
  EXPECT_EQ(Ids(third).size(), 1u);
  EXPECT_TRUE(Json(third).at("next_before").is_null());
}

TEST_F(ApiTokensTest, AuditLogRefusesBadParameters) {
  Browser sec = SignIn("sec@example.org");
  for (const std::string query : {"limit=0", "limit=501", "limit=ten", "before=0", "before=-3"}) {
    HttpResponse res = Call(As(sec, "GET", "/api/v1/audit?" + query));
    EXPECT_EQ(res.status, 422) << query;
    EXPECT_EQ(ProblemType(res), "validation-failed") << query;
  }
  HttpResponse unknown = Call(As(sec, "GET", "/api/v1/audit?kind=login"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(ProblemType(unknown), "unknown-field");
}

TEST_F(ApiTokensTest, AuditLogReadsWithAnApiReadTokenOfTheSecretariat) {
  Browser sec = SignIn("sec@example.org");
  const std::string read = Secret(CreateToken(sec, {"api:read"}));
  EXPECT_EQ(Call(WithToken(read, "GET", "/api/v1/audit")).status, 200);
  const std::string docs = Secret(CreateToken(sec, {"documents:read"}));
  HttpResponse res = Call(WithToken(docs, "GET", "/api/v1/audit"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "insufficient-scope");
}

TEST_F(ApiTokensTest, AuditLogCannotBeChangedOverTheApi) {
  Browser sec = SignIn("sec@example.org");
  const int64_t events = static_cast<int64_t>(store_->ListAudit(0, 1000)->size());
  for (const char* method : {"POST", "PUT", "PATCH", "DELETE"}) {
    HttpResponse res = Call(As(sec, method, "/api/v1/audit", R"({"kind":"x"})"));
    EXPECT_EQ(res.status, 405) << method;
    EXPECT_EQ(ProblemType(res), "method-not-allowed") << method;
    EXPECT_EQ(Header(res, "Allow"), "GET") << method;
  }
  // No route addresses one event either.
  const std::string one = "/api/v1/audit/" + std::to_string(store_->ListAudit(0, 1)->at(0).id);
  EXPECT_EQ(Call(As(sec, "DELETE", one)).status, 404);
  EXPECT_EQ(Call(As(sec, "PATCH", one, R"({"kind":"x"})")).status, 404);
  EXPECT_EQ(static_cast<int64_t>(store_->ListAudit(0, 1000)->size()), events);
}

}  // namespace
}  // namespace accord::server::testing
