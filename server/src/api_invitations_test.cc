// Tests of invitations and password resets (api_invitations.cc, and the secretariat's reset
// link of api_users.cc): who may invite, how links are handed out (mailed or returned), what
// accepting one does, why a dead link fails, the per-address limit on the public endpoints,
// and resets that reveal nothing about who has an account.
#include <gtest/gtest.h>

#include <string>

#include "api_json.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

constexpr char kNewPassword[] = "a brand new passphrase";

// The token of the first "/invite#..." or "/reset#..." link in `text`.
std::string TokenIn(const std::string& text) {
  size_t hash = text.find('#');
  if (hash == std::string::npos) return "";
  size_t end = hash + 1;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                               text[end] == '-' || text[end] == '_')) {
    ++end;
  }
  return text.substr(hash + 1, end - hash - 1);
}

class ApiInvitationsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    sec_browser_ = SignIn("sec@example.org");
  }
  static std::string InviteBody(const std::string& email, auth::Id org,
                                const std::string& role = "delegate") {
    return json::serialize(
        json::object{{"email", email}, {"organization_id", org}, {"role", role}});
  }
  // Invites `email` as the secretariat (no mail); returns the link's token.
  std::string Invite(const std::string& email, const std::string& role = "delegate") {
    HttpResponse res =
        Call(As(sec_browser_, "POST", "/api/v1/invitations", InviteBody(email, cut_.id, role)));
    EXPECT_EQ(res.status, 201) << res.body;
    if (res.status != 201) return "";
    return TokenIn(std::string(Json(res).at("link").as_string()));
  }
  // A public request (no cookie) from a browser on our origin.
  HttpResponse Public(const std::string& target, json::object body,
                      const std::string& ip = "127.0.0.1") {
    ApiRequest r = Req("POST", target, json::serialize(body));
    r.headers["origin"] = kOrigin;
    r.ip = ip;
    return Call(r);
  }
  HttpResponse Accept(const std::string& token, const std::string& password = kNewPassword) {
    return Public("/api/v1/invitations/accept", {{"token", token}, {"password", password}});
  }
  HttpResponse CompleteReset(const std::string& token, const std::string& password = kNewPassword) {
    return Public("/api/v1/password-resets/complete", {{"token", token}, {"password", password}});
  }
  HttpResponse TryLogin(const std::string& email, const std::string& password) {
    ApiRequest r = Req("POST", "/api/v1/session",
                       json::serialize(json::object{{"email", email}, {"password", password}}));
    r.headers["origin"] = kOrigin;
    return Call(r);
  }
  size_t Pending() {
    auto pending = store_->ListPendingInvitations(now_);
    EXPECT_TRUE(pending.ok());
    return pending.ok() ? pending->size() : 0;
  }
  // A reset link for `user` as the secretariat issues it (no mail).
  std::string IssueReset(const auth::User& user) {
    HttpResponse res = Call(
        As(sec_browser_, "POST", "/api/v1/users/" + std::to_string(user.id) + "/password-reset"));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? TokenIn(std::string(Json(res).at("link").as_string())) : "";
  }

  auth::Organization cut_;
  Browser sec_browser_;
};

// --- inviting ---

TEST_F(ApiInvitationsTest, WithoutMailTheSecretariatGetsTheLinkToPassOn) {
  service_->context().mailer = nullptr;
  HttpResponse res =
      Call(As(sec_browser_, "POST", "/api/v1/invitations", InviteBody("Ana@Example.org", cut_.id)));
  ASSERT_EQ(res.status, 201) << res.body;
  json::value v = Json(res);
  EXPECT_EQ(v.at("emailed"), false);
  std::string link(v.at("link").as_string());
  EXPECT_TRUE(link.starts_with("https://accord.test/invite#aci_")) << link;
  EXPECT_EQ(v.at("invitation").at("email"), "ana@example.org");
  EXPECT_EQ(v.at("invitation").at("role"), "delegate");
  EXPECT_EQ(v.at("invitation").at("expires_at").as_string(), FormatTime(now_ + 7 * 24 * 3600));
  EXPECT_EQ(Pending(), 1u);
  EXPECT_EQ(AuditCount("invitation"), 1);
}

TEST_F(ApiInvitationsTest, AFailedMailAlsoReturnsTheLink) {
  mail_enabled_ = false;  // the mailer is set but sending fails
  HttpResponse res =
      Call(As(sec_browser_, "POST", "/api/v1/invitations", InviteBody("ana@example.org", cut_.id)));
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Json(res).at("emailed"), false);
  EXPECT_TRUE(Json(res).at("link").is_string());
}

TEST_F(ApiInvitationsTest, AMailedLinkIsNotReturnedAndTheMailHoldsIt) {
  mail_enabled_ = true;
  HttpResponse res =
      Call(As(sec_browser_, "POST", "/api/v1/invitations", InviteBody("ana@example.org", cut_.id)));
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Json(res).at("emailed"), true);
  EXPECT_TRUE(Json(res).at("link").is_null());
  ASSERT_EQ(mails_.size(), 1u);
  EXPECT_EQ(mails_[0].to, "ana@example.org");
  EXPECT_NE(mails_[0].body.find("https://accord.test/invite#aci_"), std::string::npos);
  EXPECT_NE(mails_[0].body.find("CUT organization"), std::string::npos) << mails_[0].body;
  // The mailed link is the live one.
  HttpResponse inspect =
      Public("/api/v1/invitations/inspect", {{"token", TokenIn(mails_[0].body)}});
  EXPECT_EQ(inspect.status, 200) << inspect.body;
}

TEST_F(ApiInvitationsTest, OnlyTheSecretariatMayInvite) {
  MakeUser("del@example.org", "Del", cut_.id, auth::Role::kSecretariat);  // of CUT, not SEC
  Browser del = SignIn("del@example.org");
  HttpResponse res =
      Call(As(del, "POST", "/api/v1/invitations", InviteBody("ana@example.org", cut_.id)));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(Pending(), 0u);
  EXPECT_EQ(Call(As(del, "GET", "/api/v1/invitations")).status, 403);
}

TEST_F(ApiInvitationsTest, AnInvitationWithABadRoleEmailOrOrganizationIsRejected) {
  HttpResponse res = Call(As(sec_browser_, "POST", "/api/v1/invitations",
                             InviteBody("not-an-address", cut_.id, "emperor")));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(ProblemType(res), "validation-failed");
  std::vector<std::string> fields;
  json::value problem = Json(res);
  for (const auto& e : problem.at("errors").as_array()) {
    fields.emplace_back(e.at("field").as_string());
  }
  EXPECT_EQ(fields, (std::vector<std::string>{"email", "role"}));

  res = Call(As(sec_browser_, "POST", "/api/v1/invitations",
                InviteBody("ana@example.org", cut_.id + 1000)));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(Json(res).at("errors").as_array()[0].at("field"), "organization_id");
  EXPECT_EQ(Pending(), 0u);
}

TEST_F(ApiInvitationsTest, PendingInvitationsAreListedAndCanBeRevoked) {
  Invite("ana@example.org");
  HttpResponse list = Call(As(sec_browser_, "GET", "/api/v1/invitations"));
  ASSERT_EQ(list.status, 200);
  json::value listed = Json(list);
  const json::array& items = listed.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  auth::Id id = items[0].at("id").as_int64();
  EXPECT_EQ(Call(As(sec_browser_, "DELETE", "/api/v1/invitations/" + std::to_string(id))).status,
            204);
  EXPECT_EQ(Pending(), 0u);
  EXPECT_EQ(AuditCount("invitation-revoked"), 1);
}

// --- inspecting and accepting ---

TEST_F(ApiInvitationsTest, InspectShowsTheOrganizationAndRole) {
  std::string token = Invite("ana@example.org", "signatory");
  HttpResponse res = Public("/api/v1/invitations/inspect", {{"token", token}});
  ASSERT_EQ(res.status, 200) << res.body;
  json::value v = Json(res);
  EXPECT_EQ(v.at("kind"), "invitation");
  EXPECT_EQ(v.at("email"), "ana@example.org");
  EXPECT_EQ(v.at("role"), "signatory");
  EXPECT_EQ(v.at("organization").at("short_name"), "CUT");
  EXPECT_EQ(v.at("organization").at("id").as_int64(), cut_.id);
}

TEST_F(ApiInvitationsTest, APasswordOfElevenCharactersIsRejectedAndNothingStored) {
  std::string token = Invite("ana@example.org");
  HttpResponse res = Accept(token, "elevenchars");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(Json(res).at("errors").as_array()[0].at("field"), "password");
  EXPECT_EQ(store_->FindUserByEmail("ana@example.org").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(Pending(), 1u);  // the link still works
}

TEST_F(ApiInvitationsTest, AcceptingCreatesTheUserAndTheMembership) {
  std::string token = Invite("ana@example.org");
  ApiRequest r = Req("POST", "/api/v1/invitations/accept",
                     json::serialize(json::object{{"token", token},
                                                  {"password", kNewPassword},
                                                  {"display_name", "Ana"},
                                                  {"language", "pt-BR"}}));
  r.headers["origin"] = kOrigin;
  HttpResponse res = Call(r);
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Json(res).at("user").at("has_password"), true);
  auto user = store_->FindUserByEmail("ana@example.org");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->display_name, "Ana");
  EXPECT_EQ(user->language, "pt-BR");
  auto memberships = store_->ListMembershipsOfUser(user->id);
  ASSERT_TRUE(memberships.ok());
  ASSERT_EQ(memberships->size(), 1u);
  EXPECT_EQ((*memberships)[0].organization_id, cut_.id);
  EXPECT_EQ((*memberships)[0].role, auth::Role::kDelegate);
  EXPECT_EQ(TryLogin("ana@example.org", kNewPassword).status, 201);
  EXPECT_EQ(AuditCount("invitation-accepted"), 1);
}

TEST_F(ApiInvitationsTest, ALinkWorksOnlyOnce) {
  std::string token = Invite("ana@example.org");
  ASSERT_EQ(Accept(token).status, 201);
  HttpResponse again = Accept(token, "yet another passphrase");
  EXPECT_EQ(again.status, 410);
  EXPECT_EQ(ProblemType(again), "link-used");
  EXPECT_EQ(TryLogin("ana@example.org", kNewPassword).status, 201);  // unchanged
  EXPECT_EQ(ProblemType(Public("/api/v1/invitations/inspect", {{"token", token}})), "link-used");
}

TEST_F(ApiInvitationsTest, ALinkExpiresAfterSevenDays) {
  std::string token = Invite("ana@example.org");
  now_ += 7 * 24 * 3600;
  HttpResponse res = Accept(token);
  EXPECT_EQ(res.status, 410);
  EXPECT_EQ(ProblemType(res), "link-expired");
  EXPECT_FALSE(store_->FindUserByEmail("ana@example.org").ok());
}

TEST_F(ApiInvitationsTest, ARevokedLinkNoLongerWorks) {
  std::string token = Invite("ana@example.org");
  auto found = store_->FindInvitationByTokenHash(auth::HashToken(token));
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(
      Call(As(sec_browser_, "DELETE", "/api/v1/invitations/" + std::to_string(found->id))).status,
      204);
  HttpResponse res = Accept(token);
  EXPECT_EQ(res.status, 410);
  EXPECT_EQ(ProblemType(res), "link-revoked");
  EXPECT_FALSE(store_->FindUserByEmail("ana@example.org").ok());
}

TEST_F(ApiInvitationsTest, AnUnknownLinkIsNotFound) {
  HttpResponse res = Accept(auth::GenerateToken("aci_"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "link-unknown");
  res = Public("/api/v1/invitations/inspect", {{"token", "aci_nothing"}});
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "link-unknown");
}

TEST_F(ApiInvitationsTest, ALinkOfTheOtherKindIsNotFound) {
  auth::User ana = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  std::string reset = IssueReset(ana);
  HttpResponse res = Accept(reset);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "link-unknown");
  std::string invitation = Invite("bob@example.org");
  res = CompleteReset(invitation);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "link-unknown");
  EXPECT_EQ(Pending(), 2u);  // neither was spent
}

TEST_F(ApiInvitationsTest, ThePublicLinkEndpointsAllowTenRequestsPerAddressAnHour) {
  for (int i = 0; i < 10; ++i) {
    ASSERT_EQ(Public("/api/v1/invitations/inspect", {{"token", "aci_guess"}}, "192.0.2.1").status,
              404)
        << i;
  }
  for (const char* target : {"/api/v1/invitations/inspect", "/api/v1/invitations/accept",
                             "/api/v1/password-resets", "/api/v1/password-resets/complete"}) {
    HttpResponse res = Public(target, {{"token", "aci_guess"}}, "192.0.2.1");
    EXPECT_EQ(res.status, 429) << target;
    EXPECT_EQ(ProblemType(res), "rate-limited") << target;
    EXPECT_FALSE(Header(res, "Retry-After").empty()) << target;
  }
  // Another address is not affected.
  EXPECT_EQ(Public("/api/v1/invitations/inspect", {{"token", "aci_guess"}}, "192.0.2.2").status,
            404);
}

// --- password resets ---

TEST_F(ApiInvitationsTest, AResetRequestAnswersTheSameWhetherOrNotTheAccountExists) {
  mail_enabled_ = true;
  HttpResponse known = Public("/api/v1/password-resets", {{"email", "sec@example.org"}});
  HttpResponse unknown = Public("/api/v1/password-resets", {{"email", "nobody@example.org"}});
  EXPECT_EQ(known.status, 202);
  EXPECT_EQ(unknown.status, 202);
  EXPECT_EQ(known.body, unknown.body);
  ASSERT_EQ(mails_.size(), 1u);  // only the real account is mailed
  EXPECT_EQ(mails_[0].to, "sec@example.org");
  EXPECT_NE(mails_[0].body.find("https://accord.test/reset#acr_"), std::string::npos);
  EXPECT_EQ(AuditCount("password-reset-requested"), 2);
}

TEST_F(ApiInvitationsTest, WithoutMailAResetRequestIssuesNoLink) {
  service_->context().mailer = nullptr;
  HttpResponse res = Public("/api/v1/password-resets", {{"email", "sec@example.org"}});
  EXPECT_EQ(res.status, 202);
  EXPECT_NE(Json(res).at("detail").as_string().find("sends no mail"), std::string::npos);
  EXPECT_EQ(Pending(), 0u);
  EXPECT_TRUE(mails_.empty());
}

TEST_F(ApiInvitationsTest, CompletingAResetSetsThePasswordAndEndsEverySession) {
  mail_enabled_ = true;
  auth::User ana = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  Browser one = SignIn("ana@example.org");
  Browser two = SignIn("ana@example.org");
  ASSERT_EQ(Public("/api/v1/password-resets", {{"email", "ana@example.org"}}).status, 202);
  ASSERT_EQ(mails_.size(), 1u);
  std::string token = TokenIn(mails_[0].body);

  HttpResponse res = CompleteReset(token);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("user").at("id").as_int64(), ana.id);
  EXPECT_EQ(Call(As(one, "GET", "/api/v1/session")).status, 401);
  EXPECT_EQ(Call(As(two, "GET", "/api/v1/session")).status, 401);
  EXPECT_EQ(TryLogin("ana@example.org", kPassword).status, 401);
  EXPECT_EQ(TryLogin("ana@example.org", kNewPassword).status, 201);
  EXPECT_EQ(AuditCount("password-reset"), 1);
}

TEST_F(ApiInvitationsTest, AResetLinkWorksOnlyOnce) {
  auth::User ana = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  std::string token = IssueReset(ana);
  ASSERT_EQ(CompleteReset(token).status, 200);
  HttpResponse again = CompleteReset(token, "a third passphrase here");
  EXPECT_EQ(again.status, 410);
  EXPECT_EQ(ProblemType(again), "link-used");
  EXPECT_EQ(TryLogin("ana@example.org", kNewPassword).status, 201);
}

TEST_F(ApiInvitationsTest, AResetLinkExpiresAfterTwoHours) {
  auth::User ana = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  std::string token = IssueReset(ana);
  now_ += 2 * 3600;
  HttpResponse res = CompleteReset(token);
  EXPECT_EQ(res.status, 410);
  EXPECT_EQ(ProblemType(res), "link-expired");
}

TEST_F(ApiInvitationsTest, ASecretariatIssuedResetWorksEndToEnd) {
  service_->context().mailer = nullptr;
  auth::User ana = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  HttpResponse issued =
      Call(As(sec_browser_, "POST", "/api/v1/users/" + std::to_string(ana.id) + "/password-reset"));
  ASSERT_EQ(issued.status, 201) << issued.body;
  json::value v = Json(issued);
  EXPECT_EQ(v.at("emailed"), false);
  EXPECT_EQ(v.at("invitation").at("kind"), "password-reset");
  std::string link(v.at("link").as_string());
  ASSERT_TRUE(link.starts_with("https://accord.test/reset#acr_")) << link;
  EXPECT_EQ(AuditCount("password-reset-issued"), 1);

  HttpResponse inspect = Public("/api/v1/invitations/inspect", {{"token", TokenIn(link)}});
  ASSERT_EQ(inspect.status, 200) << inspect.body;
  EXPECT_EQ(Json(inspect).at("kind"), "password-reset");
  EXPECT_EQ(Json(inspect).at("email"), "ana@example.org");

  ASSERT_EQ(CompleteReset(TokenIn(link)).status, 200);
  EXPECT_EQ(TryLogin("ana@example.org", kNewPassword).status, 201);
}

TEST_F(ApiInvitationsTest, OnlyTheSecretariatMayIssueAResetLink) {
  MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
  Browser b = SignIn("ana@example.org");
  HttpResponse res =
      Call(As(b, "POST", "/api/v1/users/" + std::to_string(sec_.id) + "/password-reset"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(Pending(), 0u);
}

}  // namespace
}  // namespace accord::server::testing
