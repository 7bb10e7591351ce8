// Tests of the session endpoints (api_sessions.cc): signing in and the cookie it sets, failed
// sign-ins and their rate limits, idle and absolute expiry, signing out (here and everywhere),
// password re-hashing and the CSRF token.
#include <gtest/gtest.h>

#include <string>

#include "api_json.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

constexpr int64_t kHour = 3600;

class ApiSessionsTest : public ApiTest {
 protected:
  // POST /api/v1/session from `ip` as a browser on our origin (no cookie).
  HttpResponse Login(const std::string& email, const std::string& password,
                     const std::string& ip = "127.0.0.1") {
    ApiRequest r = Req("POST", "/api/v1/session",
                       json::serialize(json::object{{"email", email}, {"password", password}}));
    r.headers["origin"] = kOrigin;
    r.ip = ip;
    return Call(r);
  }
  HttpResponse Fail(const std::string& email, const std::string& ip = "127.0.0.1") {
    return Login(email, "not the password at all", ip);
  }
  int SessionsOf(auth::Id user) {
    auto sessions = store_->ListSessionsOfUser(user);
    EXPECT_TRUE(sessions.ok());
    return sessions.ok() ? static_cast<int>(sessions->size()) : -1;
  }
  int WhoAmIStatus(const Browser& b) { return Call(As(b, "GET", "/api/v1/session")).status; }
};

// --- signing in ---

TEST_F(ApiSessionsTest, LoginSetsASecureHostCookieWithExactlyTheseAttributes) {
  HttpResponse res = Login("sec@example.org", kPassword);
  ASSERT_EQ(res.status, 201) << res.body;
  std::string cookie = Header(res, "Set-Cookie");
  const std::string prefix = "__Host-accord_session=";
  ASSERT_TRUE(cookie.starts_with(prefix)) << cookie;
  std::string token = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
  EXPECT_TRUE(token.starts_with("acs_")) << token;
  EXPECT_EQ(token.size(), 4u + 43u);
  EXPECT_EQ(cookie, prefix + token + "; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600; Secure");
}

TEST_F(ApiSessionsTest, LoginReturnsTheUserTheCsrfTokenAndTheExpiry) {
  HttpResponse res = Login("sec@example.org", kPassword);
  ASSERT_EQ(res.status, 201) << res.body;
  json::value v = Json(res);
  EXPECT_EQ(v.at("user").at("email"), "sec@example.org");
  EXPECT_EQ(v.at("instance_secretariat"), true);
  EXPECT_EQ(v.at("memberships").as_array().size(), 1u);
  EXPECT_FALSE(v.at("csrf_token").as_string().empty());
  EXPECT_EQ(v.at("expires_at").as_string(), FormatTime(now_ + 14 * 24 * kHour));
  EXPECT_EQ(AuditCount("login"), 1);
  EXPECT_EQ(SessionsOf(sec_.id), 1);
}

TEST_F(ApiSessionsTest, LoginIgnoresTheCaseOfTheEmail) {
  EXPECT_EQ(Login("SEC@Example.ORG", kPassword).status, 201);
}

TEST_F(ApiSessionsTest, OverPlainHttpTheCookieHasNoPrefixAndIsNotSecure) {
  config_.public_url = "http://127.0.0.1:8080";
  service_->SetPublicUrl(config_.public_url);
  ApiRequest r =
      Req("POST", "/api/v1/session",
          json::serialize(json::object{{"email", "sec@example.org"}, {"password", kPassword}}));
  r.headers["origin"] = "http://127.0.0.1:8080";
  HttpResponse res = Call(r);
  ASSERT_EQ(res.status, 201) << res.body;
  std::string cookie = Header(res, "Set-Cookie");
  ASSERT_TRUE(cookie.starts_with("accord_session=acs_")) << cookie;
  EXPECT_TRUE(cookie.ends_with("; Path=/; HttpOnly; SameSite=Lax; Max-Age=1209600")) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);

  // The plain cookie then authenticates; the __Host- one is not looked at.
  std::string token = cookie.substr(15, cookie.find(';') - 15);
  ApiRequest who = Req("GET", "/api/v1/session");
  who.headers["cookie"] = "accord_session=" + token;
  EXPECT_EQ(Call(who).status, 200);
  who.headers["cookie"] = "__Host-accord_session=" + token;
  EXPECT_EQ(Call(who).status, 401);
}

TEST_F(ApiSessionsTest, EachLoginGetsANewTokenAndEndsTheSessionTheBrowserCarried) {
  Browser first = SignIn("sec@example.org");
  ApiRequest r =
      Req("POST", "/api/v1/session",
          json::serialize(json::object{{"email", "sec@example.org"}, {"password", kPassword}}));
  r.headers["origin"] = kOrigin;
  r.headers["cookie"] = "__Host-accord_session=" + first.cookie;
  r.headers["x-csrf-token"] = first.csrf;  // a live cookie's requests all need it
  HttpResponse res = Call(r);
  ASSERT_EQ(res.status, 201) << res.body;
  std::string cookie = Header(res, "Set-Cookie");
  EXPECT_EQ(cookie.find(first.cookie), std::string::npos) << "the token was reused";
  EXPECT_EQ(WhoAmIStatus(first), 401);
  EXPECT_EQ(SessionsOf(sec_.id), 1);
}

TEST_F(ApiSessionsTest, WrongPasswordAndUnknownEmailFailAlikeAndAreAudited) {
  HttpResponse wrong = Login("sec@example.org", "wrong password, clearly");
  HttpResponse unknown = Login("nobody@example.org", "wrong password, clearly");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(ProblemType(wrong), "invalid-credentials");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_TRUE(Header(wrong, "Set-Cookie").empty());
  EXPECT_EQ(AuditCount("login-failed"), 2);
  EXPECT_EQ(SessionsOf(sec_.id), 0);
}

TEST_F(ApiSessionsTest, ADisabledUserCannotSignInWithTheRightPassword) {
  auth::UserPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(store_->UpdateUser(sec_.id, patch).ok());
  HttpResponse res = Login("sec@example.org", kPassword);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "invalid-credentials");
  EXPECT_EQ(SessionsOf(sec_.id), 0);
}

TEST_F(ApiSessionsTest, AUserWithoutPasswordCannotSignIn) {
  ASSERT_TRUE(store_->CreateUser("new@example.org", "New", "en", now_).ok());
  HttpResponse res = Login("new@example.org", "");
  EXPECT_EQ(res.status, 422);  // an empty password is not even tried
  res = Login("new@example.org", kPassword);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "invalid-credentials");
}

// --- rate limits ---

TEST_F(ApiSessionsTest, FiveFailuresBlockTheAccountEvenForTheRightPassword) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Fail("sec@example.org").status, 401) << i;
  HttpResponse res = Login("sec@example.org", kPassword);
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(ProblemType(res), "rate-limited");
  EXPECT_EQ(Header(res, "Retry-After"), "30");
  EXPECT_EQ(SessionsOf(sec_.id), 0);
  // Another address does not help: the account itself is blocked.
  EXPECT_EQ(Login("sec@example.org", kPassword, "192.0.2.9").status, 429);
}

TEST_F(ApiSessionsTest, TheAccountBlockEndsOnceItsTimeHasPassed) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(Fail("sec@example.org").status, 401) << i;
  ASSERT_EQ(Login("sec@example.org", kPassword).status, 429);
  steady_ += std::chrono::seconds(29);
  EXPECT_EQ(Login("sec@example.org", kPassword).status, 429);
  steady_ += std::chrono::seconds(2);
  EXPECT_EQ(Login("sec@example.org", kPassword).status, 201);
}

TEST_F(ApiSessionsTest, TwentyFailuresFromOneAddressBlockItForEveryAccount) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(Fail("user" + std::to_string(i) + "@example.org", "198.51.100.7").status, 401);
  }
  HttpResponse res = Login("sec@example.org", kPassword, "198.51.100.7");
  EXPECT_EQ(res.status, 429);
  EXPECT_EQ(ProblemType(res), "rate-limited");
  EXPECT_FALSE(Header(res, "Retry-After").empty());
  // The accounts themselves are not blocked: from another address sec@ signs in.
  EXPECT_EQ(Login("sec@example.org", kPassword, "203.0.113.5").status, 201);
}

TEST_F(ApiSessionsTest, ASuccessfulLoginResetsTheAccountsFailures) {
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Fail("sec@example.org").status, 401);
  ASSERT_EQ(Login("sec@example.org", kPassword).status, 201);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(Fail("sec@example.org").status, 401) << i;
  EXPECT_EQ(Login("sec@example.org", kPassword).status, 201);
}

// --- expiry ---

TEST_F(ApiSessionsTest, ASessionIdleForTwelveHoursEndsAndIsDeleted) {
  Browser b = SignIn("sec@example.org");
  now_ += 12 * kHour - 1;
  ASSERT_EQ(WhoAmIStatus(b), 200);  // just inside, and this request refreshes it
  now_ += 12 * kHour;
  HttpResponse res = Call(As(b, "GET", "/api/v1/session"));
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ProblemType(res), "unauthenticated");
  EXPECT_NE(Header(res, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(SessionsOf(sec_.id), 0);
}

TEST_F(ApiSessionsTest, ActivityKeepsASessionAlivePastTheIdleLimit) {
  Browser b = SignIn("sec@example.org");
  for (int i = 0; i < 8; ++i) {
    now_ += 6 * kHour;
    ASSERT_EQ(WhoAmIStatus(b), 200) << "after " << (i + 1) * 6 << " h";
  }
  auto sessions = store_->ListSessionsOfUser(sec_.id);
  ASSERT_TRUE(sessions.ok());
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0].last_seen_at, now_);
}

TEST_F(ApiSessionsTest, RequestsWithinAMinuteDoNotTouchTheSession) {
  Browser b = SignIn("sec@example.org");
  const auth::UnixTime signed_in = now_;
  now_ += 59;
  ASSERT_EQ(WhoAmIStatus(b), 200);
  auto sessions = store_->ListSessionsOfUser(sec_.id);
  ASSERT_TRUE(sessions.ok() && sessions->size() == 1);
  EXPECT_EQ((*sessions)[0].last_seen_at, signed_in);
  now_ += 1;
  ASSERT_EQ(WhoAmIStatus(b), 200);
  sessions = store_->ListSessionsOfUser(sec_.id);
  ASSERT_TRUE(sessions.ok() && sessions->size() == 1);
  EXPECT_EQ((*sessions)[0].last_seen_at, now_);
}

TEST_F(ApiSessionsTest, ASessionEndsAfterFourteenDaysEvenWithActivity) {
  Browser b = SignIn("sec@example.org");
  const auth::UnixTime start = now_;
  while (now_ + 11 * kHour < start + 14 * 24 * kHour) {
    now_ += 11 * kHour;
    ASSERT_EQ(WhoAmIStatus(b), 200) << (now_ - start) / kHour << " h";
  }
  now_ = start + 14 * 24 * kHour;
  EXPECT_EQ(WhoAmIStatus(b), 401);
  EXPECT_EQ(SessionsOf(sec_.id), 0);
}

// --- signing out ---

TEST_F(ApiSessionsTest, LogoutRevokesTheSessionServerSideAndClearsTheCookie) {
  Browser b = SignIn("sec@example.org");
  HttpResponse res = Call(As(b, "DELETE", "/api/v1/session"));
  ASSERT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(Header(res, "Set-Cookie"),
            "__Host-accord_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
  EXPECT_EQ(WhoAmIStatus(b), 401);  // a copy of the old cookie is worthless
  EXPECT_EQ(SessionsOf(sec_.id), 0);
  EXPECT_EQ(AuditCount("logout"), 1);
}

TEST_F(ApiSessionsTest, LogoutWithAnApiTokenIsAConflict) {
  auto token = IssueApiToken(*store_, sec_.id, "t", auth::kScopeApiRead | auth::kScopeApiWrite, "*",
                             std::nullopt, now_, sec_.id);
  ASSERT_TRUE(token.ok());
  HttpResponse res = Call(WithToken(token->secret, "DELETE", "/api/v1/session"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(ProblemType(res), "conflict");
}

TEST_F(ApiSessionsTest, ListSessionsShowsTheCallersSessionsAndMarksTheCurrentOne) {
  Browser a = SignIn("sec@example.org");
  Browser b = SignIn("sec@example.org");
  MakeUser("other@example.org", "Other", host_.id, auth::Role::kSecretariat);
  SignIn("other@example.org");
  HttpResponse res = Call(As(b, "GET", "/api/v1/sessions"));
  ASSERT_EQ(res.status, 200) << res.body;
  json::value listed = Json(res);
  const json::array& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  int current = 0;
  for (const auto& s : items) current += s.at("current").as_bool();
  EXPECT_EQ(current, 1);
  EXPECT_EQ(res.body.find(a.cookie), std::string::npos) << "tokens must never be listed";
}

TEST_F(ApiSessionsTest, LogoutEverywhereEndsAllOfTheUsersSessionsOnly) {
  Browser a = SignIn("sec@example.org");
  Browser b = SignIn("sec@example.org");
  MakeUser("other@example.org", "Other", host_.id, auth::Role::kSecretariat);
  Browser other = SignIn("other@example.org");
  HttpResponse res = Call(As(a, "DELETE", "/api/v1/sessions"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("sessions_ended").as_int64(), 2);
  EXPECT_NE(Header(res, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(WhoAmIStatus(a), 401);
  EXPECT_EQ(WhoAmIStatus(b), 401);
  EXPECT_EQ(WhoAmIStatus(other), 200);
}

TEST_F(ApiSessionsTest, EndingOneOfYourOtherSessionsLeavesThisOne) {
  Browser a = SignIn("sec@example.org");
  Browser b = SignIn("sec@example.org");
  auth::Id b_id = Json(Call(As(b, "GET", "/api/v1/session"))).at("session_id").as_int64();
  HttpResponse res = Call(As(a, "DELETE", "/api/v1/sessions/" + std::to_string(b_id)));
  EXPECT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(WhoAmIStatus(b), 401);
  EXPECT_EQ(WhoAmIStatus(a), 200);
}

TEST_F(ApiSessionsTest, EndingSomeoneElsesSessionIsNotFound) {
  Browser mine = SignIn("sec@example.org");
  MakeUser("other@example.org", "Other", host_.id, auth::Role::kSecretariat);
  Browser theirs = SignIn("other@example.org");
  auth::Id their_id = Json(Call(As(theirs, "GET", "/api/v1/session"))).at("session_id").as_int64();
  for (const std::string& id :
       std::vector<std::string>{std::to_string(their_id), "999999", "abc", "0"}) {
    HttpResponse res = Call(As(mine, "DELETE", "/api/v1/sessions/" + id));
    EXPECT_EQ(res.status, 404) << id;
    EXPECT_EQ(ProblemType(res), "not-found") << id;
  }
  EXPECT_EQ(WhoAmIStatus(theirs), 200);
}

// --- password re-hashing and the CSRF token ---

TEST_F(ApiSessionsTest, AWeakerOrOlderHashIsUpgradedAtLogin) {
  auth::PasswordParams stronger;
  stronger.opslimit = 3;
  auth::PasswordHasher old_hasher(stronger);
  auto old_hash = old_hasher.Hash(kPassword);
  ASSERT_TRUE(old_hash.ok());
  ASSERT_TRUE(store_->SetPasswordHash(sec_.id, *old_hash).ok());
  ASSERT_TRUE(hasher_.Verify(kPassword, *old_hash).needs_rehash);

  ASSERT_EQ(Login("sec@example.org", kPassword).status, 201);
  auto stored = store_->GetPasswordHash(sec_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_NE(*stored, *old_hash);
  auth::VerifyResult now_stored = hasher_.Verify(kPassword, *stored);
  EXPECT_TRUE(now_stored.matches);
  EXPECT_FALSE(now_stored.needs_rehash);
  EXPECT_EQ(AuditCount("password-rehashed"), 1);
  EXPECT_EQ(Login("sec@example.org", kPassword).status, 201);
  EXPECT_EQ(AuditCount("password-rehashed"), 1);  // once is enough
}

TEST_F(ApiSessionsTest, TheCsrfTokenOfGetSessionValidatesForThisSessionOnly) {
  Browser b = SignIn("sec@example.org");
  HttpResponse res = Call(As(b, "GET", "/api/v1/session"));
  ASSERT_EQ(res.status, 200) << res.body;
  std::string csrf(Json(res).at("csrf_token").as_string());
  EXPECT_EQ(csrf, b.csrf);
  const std::string& key = service_->context().instance_key;
  EXPECT_TRUE(auth::CsrfTokenValid(key, b.cookie, csrf));
  Browser other = SignIn("sec@example.org");
  EXPECT_FALSE(auth::CsrfTokenValid(key, other.cookie, csrf));
  // And the API takes it: a write with it goes through.
  Browser fresh{b.cookie, csrf};
  EXPECT_EQ(Call(As(fresh, "DELETE", "/api/v1/session")).status, 204);
}

}  // namespace
}  // namespace accord::server::testing
