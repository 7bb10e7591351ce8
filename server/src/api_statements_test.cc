// Tests of the statement endpoints (api_statements.cc): creating statements, who sees them,
// the rights each caller is shown, phases with deadlines, and participants. Changes to the
// phase or the participants must tell the server to re-check the draft's open connections.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "api_json.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

constexpr char kStatements[] = "/api/v1/statements";
constexpr char kG20[] = "/api/v1/statements/g20";

class ApiStatementsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    mst_ = MakeOrg("MST");
    other_ = MakeOrg("OTHER");
    ana_ = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
    obs_ = MakeUser("obs@example.org", "Obs", cut_.id, auth::Role::kObserver);
    conv_ = MakeUser("conv@example.org", "Conv", mst_.id, auth::Role::kSecretariat);
    out_ = MakeUser("out@example.org", "Out", other_.id, auth::Role::kDelegate);
    auto g20 = store_->CreateStatement("g20", "G20 declaration", "en", now_);
    ASSERT_TRUE(g20.ok()) << g20.status().ToString();
    g20_ = *g20;
    Participate(g20_.id, cut_.id, /*convener=*/false);
    Participate(g20_.id, mst_.id, /*convener=*/true);
  }

  auth::StatementRef Stored() {
    auto s = store_->FindStatementBySlug("g20");
    EXPECT_TRUE(s.ok());
    return s.ok() ? *s : auth::StatementRef{};
  }
  static std::vector<std::string> Slugs(const HttpResponse& res) {
    std::vector<std::string> slugs;
    const boost::json::value listed = Json(res);
    for (const auto& s : listed.at("items").as_array())
      slugs.emplace_back(s.at("slug").as_string());
    std::sort(slugs.begin(), slugs.end());
    return slugs;
  }
  static std::vector<std::string> ErrorFields(const HttpResponse& res) {
    std::vector<std::string> fields;
    auto v = Json(res);
    if (!v.is_object() || !v.as_object().contains("errors")) return fields;
    for (const auto& e : v.at("errors").as_array()) fields.emplace_back(e.at("field").as_string());
    return fields;
  }
  HttpResponse Patch(const Browser& b, const std::string& body) {
    return Call(As(b, "PATCH", kG20, body));
  }
  std::string ParticipantPath(auth::Id org) {
    return std::string(kG20) + "/participants/" + std::to_string(org);
  }

  auth::Organization cut_, mst_, other_;
  auth::User ana_, obs_, conv_, out_;
  auth::StatementRef g20_;
};

TEST_F(ApiStatementsTest, SecretariatCreatesAStatement) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res =
      Call(As(sec, "POST", kStatements, R"({"slug":"climate-2027","title":"Climate"})"));
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Header(res, "Location"), "/api/v1/statements/climate-2027");
  auto v = Json(res);
  EXPECT_EQ(v.at("phase").as_string(), "drafting");
  EXPECT_TRUE(v.at("phase_deadline").is_null());
  EXPECT_EQ(v.at("document").as_string(), "statement.climate-2027");
  EXPECT_EQ(v.at("language").as_string(), "en") << "the default source language";
  EXPECT_TRUE(store_->FindStatementBySlug("climate-2027").ok());
  EXPECT_EQ(AuditCount("statement-created"), 1);
}

TEST_F(ApiStatementsTest, TheSourceLanguageIsATag) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(
      As(sec, "POST", kStatements, R"({"slug":"caracas","title":"Caracas","language":"es-419"})"));
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(Json(res).at("language").as_string(), "es-419");
  EXPECT_EQ(store_->FindStatementBySlug("caracas")->language, "es-419");
  for (const char* bad :
       {"Spanish", "e", "es_AR", "es-", "-es", "español", "es-toolongsubtag", "e1"}) {
    HttpResponse refused =
        Call(As(sec, "POST", kStatements,
                json::serialize(json::object{{"slug", "x"}, {"title", "T"}, {"language", bad}})));
    EXPECT_EQ(refused.status, 422) << bad;
    EXPECT_EQ(ErrorFields(refused), std::vector<std::string>{"language"}) << bad;
  }
  EXPECT_FALSE(store_->FindStatementBySlug("x").ok());
}

TEST_F(ApiStatementsTest, TheListShowsEachStatementsParticipants) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", kStatements));
  ASSERT_EQ(res.status, 200);
  const json::value res_json = Json(res);
  const auto& items = res_json.at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  std::vector<int64_t> orgs;
  for (const auto& p : items[0].at("participants").as_array()) {
    orgs.push_back(p.at("organization_id").as_int64());
  }
  std::sort(orgs.begin(), orgs.end());
  EXPECT_EQ(orgs, (std::vector<int64_t>{cut_.id, mst_.id}));
}

TEST_F(ApiStatementsTest, SlugRulesAreEnforced) {
  Browser sec = SignIn("sec@example.org");
  for (const std::string& slug : std::vector<std::string>{"", "G20", "-g20", "g20-", "g 20", "g.20",
                                                          "g_20", std::string(65, 'a')}) {
    HttpResponse res = Call(As(sec, "POST", kStatements,
                               json::serialize(json::object{{"slug", slug}, {"title", "T"}})));
    EXPECT_EQ(res.status, 422) << slug;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"slug"}) << slug;
  }
  EXPECT_EQ(store_->ListStatements()->size(), 1u);
}

TEST_F(ApiStatementsTest, DuplicateSlugIsAConflict) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "POST", kStatements, R"({"slug":"g20","title":"Again"})"));
  EXPECT_EQ(res.status, 409);
  EXPECT_EQ(ProblemType(res), "conflict");
  EXPECT_EQ(Stored().title, "G20 declaration");
}

TEST_F(ApiStatementsTest, OnlyTheInstanceSecretariatCreates) {
  for (const char* email : {"ana@example.org", "conv@example.org"}) {
    Browser b = SignIn(email);
    HttpResponse res = Call(As(b, "POST", kStatements, R"({"slug":"mine","title":"Mine"})"));
    EXPECT_EQ(res.status, 403) << email;
    EXPECT_EQ(ProblemType(res), "forbidden");
  }
  EXPECT_EQ(store_->ListStatements()->size(), 1u);
}

TEST_F(ApiStatementsTest, ListShowsOnlyReadableStatements) {
  ASSERT_TRUE(store_->CreateStatement("private", "Other business", "en", now_).ok());
  Browser ana = SignIn("ana@example.org");
  EXPECT_EQ(Slugs(Call(As(ana, "GET", kStatements))), std::vector<std::string>{"g20"});
  Browser obs = SignIn("obs@example.org");
  EXPECT_EQ(Slugs(Call(As(obs, "GET", kStatements))), std::vector<std::string>{"g20"});
  Browser out = SignIn("out@example.org");
  HttpResponse none = Call(As(out, "GET", kStatements));
  ASSERT_EQ(none.status, 200);
  EXPECT_TRUE(Slugs(none).empty());
  Browser sec = SignIn("sec@example.org");
  EXPECT_EQ(Slugs(Call(As(sec, "GET", kStatements))), (std::vector<std::string>{"g20", "private"}));
}

TEST_F(ApiStatementsTest, GetShowsParticipants) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Call(As(ana, "GET", kG20));
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = Json(res);
  EXPECT_EQ(v.at("title").as_string(), "G20 declaration");
  std::vector<int64_t> orgs;
  for (const auto& p : v.at("participants").as_array()) {
    orgs.push_back(p.at("organization_id").as_int64());
    EXPECT_EQ(p.at("convener").as_bool(), p.at("organization_id").as_int64() == mst_.id);
  }
  std::sort(orgs.begin(), orgs.end());
  EXPECT_EQ(orgs, (std::vector<int64_t>{cut_.id, mst_.id}));
}

TEST_F(ApiStatementsTest, DelegateInDraftingMayEditTheDraft) {
  Browser ana = SignIn("ana@example.org");
  auto rights = Json(Call(As(ana, "GET", kG20))).at("rights");
  EXPECT_TRUE(rights.at("edit-draft").as_bool());
  EXPECT_FALSE(rights.at("change-phase").as_bool());
  EXPECT_FALSE(rights.at("manage-participants").as_bool());
  EXPECT_FALSE(rights.at("settle-amendment").as_bool());
  EXPECT_TRUE(rights.at("comment").as_bool());
  EXPECT_FALSE(rights.at("resolve-comment").as_bool());
  EXPECT_TRUE(rights.at("propose-amendment-for").as_array().empty());  // not the phase
}

TEST_F(ApiStatementsTest, ObserverMayReadButNotEdit) {
  Browser obs = SignIn("obs@example.org");
  HttpResponse res = Call(As(obs, "GET", kG20));
  ASSERT_EQ(res.status, 200) << res.body;
  auto rights = Json(res).at("rights");
  EXPECT_FALSE(rights.at("edit-draft").as_bool());
  EXPECT_FALSE(rights.at("change-phase").as_bool());
  EXPECT_FALSE(rights.at("comment").as_bool());  // observers read the discussion only
}

TEST_F(ApiStatementsTest, ConvenerSecretariatRunsTheProcess) {
  Browser conv = SignIn("conv@example.org");
  auto rights = Json(Call(As(conv, "GET", kG20))).at("rights");
  EXPECT_TRUE(rights.at("edit-draft").as_bool());
  EXPECT_TRUE(rights.at("change-phase").as_bool());
  EXPECT_TRUE(rights.at("manage-participants").as_bool());
  EXPECT_TRUE(rights.at("publish-version").as_bool());
  EXPECT_TRUE(rights.at("comment").as_bool());
  EXPECT_TRUE(rights.at("resolve-comment").as_bool());
}

TEST_F(ApiStatementsTest, AmendmentRightsNameTheOrganizationToActFor) {
  ASSERT_TRUE(store_->SetStatementPhase(g20_.id, auth::Phase::kAmendments, std::nullopt).ok());
  Browser ana = SignIn("ana@example.org");
  auto rights = Json(Call(As(ana, "GET", kG20))).at("rights");
  EXPECT_FALSE(rights.at("edit-draft").as_bool());
  EXPECT_EQ(json::serialize(rights.at("propose-amendment-for")),
            "[" + std::to_string(cut_.id) + "]");
  EXPECT_EQ(json::serialize(rights.at("support-amendment-for")),
            "[" + std::to_string(cut_.id) + "]");
  EXPECT_TRUE(rights.at("endorse-for").as_array().empty());
}

TEST_F(ApiStatementsTest, NonParticipantMayNotRead) {
  Browser out = SignIn("out@example.org");
  HttpResponse res = Call(As(out, "GET", kG20));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(AuditCount("permission-denied"), 1);
}

TEST_F(ApiStatementsTest, UnknownStatementIsNotFound) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "GET", "/api/v1/statements/nope"));
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ProblemType(res), "not-found");
  EXPECT_EQ(Call(As(sec, "PATCH", "/api/v1/statements/nope", R"({"phase":"final"})")).status, 404);
}

TEST_F(ApiStatementsTest, SecretariatChangesThePhase) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Patch(sec, R"({"phase":"amendments"})");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("phase").as_string(), "amendments");
  EXPECT_EQ(Stored().phase, auth::Phase::kAmendments);
  EXPECT_EQ(rights_changed_, std::vector<std::string>{"statement.g20"});

  auto events = store_->ListAudit(0, 1);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "phase-change");
  auto detail = json::parse((*events)[0].detail);
  EXPECT_EQ(detail.at("from").as_string(), "drafting");
  EXPECT_EQ(detail.at("to").as_string(), "amendments");
}

TEST_F(ApiStatementsTest, ConvenerSecretariatChangesThePhase) {
  Browser conv = SignIn("conv@example.org");
  HttpResponse res = Patch(conv, R"({"phase":"consolidation"})");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Stored().phase, auth::Phase::kConsolidation);
}

TEST_F(ApiStatementsTest, DelegateMayNotChangeThePhase) {
  Browser ana = SignIn("ana@example.org");
  HttpResponse res = Patch(ana, R"({"phase":"final"})");
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(ProblemType(res), "forbidden");
  EXPECT_EQ(Stored().phase, auth::Phase::kDrafting);
  EXPECT_TRUE(rights_changed_.empty());
  EXPECT_EQ(AuditCount("phase-change"), 0);
}

TEST_F(ApiStatementsTest, UnknownPhaseIsAValidationError) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Patch(sec, R"({"phase":"voting"})");
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"phase"});
  EXPECT_TRUE(rights_changed_.empty());
}

TEST_F(ApiStatementsTest, DeadlineIsParsedAsUtc) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Patch(sec, R"({"phase_deadline":"2027-01-31T18:00:00Z"})");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(Json(res).at("phase_deadline").as_string(), "2027-01-31T18:00:00Z");
  ASSERT_TRUE(Stored().phase_deadline.has_value());
  EXPECT_EQ(*Stored().phase_deadline, 1801418400);
  EXPECT_EQ(Stored().phase, auth::Phase::kDrafting);
}

TEST_F(ApiStatementsTest, ImpossibleOrFreeFormDeadlinesAreRefused) {
  Browser sec = SignIn("sec@example.org");
  for (const char* when :
       {"2027-02-31T00:00:00Z", "tomorrow", "2027-01-31T24:00:00Z", "2027-01-31 18:00:00Z",
        "2027-01-31T18:00:00+01:00", "1969-12-31T23:59:59Z"}) {
    HttpResponse res = Patch(sec, json::serialize(json::object{{"phase_deadline", when}}));
    EXPECT_EQ(res.status, 422) << when;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{"phase_deadline"}) << when;
  }
  HttpResponse number = Patch(sec, R"({"phase_deadline":1801418400})");
  EXPECT_EQ(number.status, 422);
  EXPECT_EQ(ErrorFields(number), std::vector<std::string>{"phase_deadline"});
  EXPECT_FALSE(Stored().phase_deadline.has_value());
  EXPECT_TRUE(rights_changed_.empty());
}

TEST_F(ApiStatementsTest, NullClearsTheDeadline) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Patch(sec, R"({"phase_deadline":"2027-01-31T18:00:00Z"})").status, 200);
  HttpResponse res = Patch(sec, R"({"phase_deadline":null})");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_TRUE(Json(res).at("phase_deadline").is_null());
  EXPECT_FALSE(Stored().phase_deadline.has_value());
}

TEST_F(ApiStatementsTest, NewPhaseWithoutADeadlineDropsTheOldOne) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Patch(sec, R"({"phase_deadline":"2027-01-31T18:00:00Z"})").status, 200);
  ASSERT_EQ(Patch(sec, R"({"phase":"amendments"})").status, 200);
  EXPECT_EQ(Stored().phase, auth::Phase::kAmendments);
  EXPECT_FALSE(Stored().phase_deadline.has_value());
}

TEST_F(ApiStatementsTest, NewPhaseWithADeadlineKeepsIt) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Patch(sec, R"({"phase":"amendments","phase_deadline":"2027-02-15T12:00:00Z"})").status,
            200);
  EXPECT_EQ(Stored().phase, auth::Phase::kAmendments);
  ASSERT_TRUE(Stored().phase_deadline.has_value());
  EXPECT_EQ(FormatTime(*Stored().phase_deadline), "2027-02-15T12:00:00Z");
}

TEST_F(ApiStatementsTest, SamePhaseKeepsTheDeadline) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Patch(sec, R"({"phase_deadline":"2027-01-31T18:00:00Z"})").status, 200);
  ASSERT_EQ(Patch(sec, R"({"phase":"drafting"})").status, 200);
  EXPECT_TRUE(Stored().phase_deadline.has_value());
}

TEST_F(ApiStatementsTest, PassedDeadlineEndsTheDelegatesEditRight) {
  ASSERT_TRUE(store_->SetStatementPhase(g20_.id, auth::Phase::kDrafting, now_ + 60).ok());
  Browser ana = SignIn("ana@example.org");
  EXPECT_TRUE(Json(Call(As(ana, "GET", kG20))).at("rights").at("edit-draft").as_bool());
  now_ += 60;
  EXPECT_FALSE(Json(Call(As(ana, "GET", kG20))).at("rights").at("edit-draft").as_bool());
}

TEST_F(ApiStatementsTest, SecretariatAddsAParticipantWithDefaults) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "PUT", ParticipantPath(other_.id), R"({"sign":false})"));
  ASSERT_EQ(res.status, 200) << res.body;
  auto v = Json(res);
  EXPECT_FALSE(v.at("convener").as_bool());
  EXPECT_TRUE(v.at("edit").as_bool());
  EXPECT_TRUE(v.at("amend").as_bool());
  EXPECT_FALSE(v.at("sign").as_bool());
  EXPECT_EQ(store_->ListParticipants(g20_.id)->size(), 3u);
  EXPECT_EQ(rights_changed_, std::vector<std::string>{"statement.g20"});
  EXPECT_EQ(AuditCount("participant-change"), 1);

  Browser out = SignIn("out@example.org");
  EXPECT_EQ(Call(As(out, "GET", kG20)).status, 200);
}

TEST_F(ApiStatementsTest, PutReplacesAParticipantsRights) {
  Browser sec = SignIn("sec@example.org");
  ASSERT_EQ(Call(As(sec, "PUT", ParticipantPath(cut_.id), R"({"edit":false})")).status, 200);
  Browser ana = SignIn("ana@example.org");
  EXPECT_FALSE(Json(Call(As(ana, "GET", kG20))).at("rights").at("edit-draft").as_bool());
}

TEST_F(ApiStatementsTest, PutValidatesItsBodyAndTheOrganization) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse bad = Call(As(sec, "PUT", ParticipantPath(other_.id), R"({"edit":"yes"})"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(ErrorFields(bad), std::vector<std::string>{"edit"});
  HttpResponse unknown = Call(As(sec, "PUT", ParticipantPath(other_.id), R"({"read":true})"));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Call(As(sec, "PUT", ParticipantPath(9999), "{}")).status, 404);
  EXPECT_EQ(store_->ListParticipants(g20_.id)->size(), 2u);
  EXPECT_TRUE(rights_changed_.empty());
}

TEST_F(ApiStatementsTest, SecretariatRemovesAParticipant) {
  Browser sec = SignIn("sec@example.org");
  HttpResponse res = Call(As(sec, "DELETE", ParticipantPath(cut_.id)));
  ASSERT_EQ(res.status, 204) << res.body;
  EXPECT_EQ(store_->ListParticipants(g20_.id)->size(), 1u);
  EXPECT_EQ(rights_changed_, std::vector<std::string>{"statement.g20"});
  auto events = store_->ListAudit(0, 1);
  EXPECT_EQ((*events)[0].kind, "participant-change");
  EXPECT_EQ(json::parse((*events)[0].detail).at("change").as_string(), "removed");

  Browser ana = SignIn("ana@example.org");
  EXPECT_EQ(Call(As(ana, "GET", kG20)).status, 403);
}

TEST_F(ApiStatementsTest, DelegateMayNotManageParticipants) {
  Browser ana = SignIn("ana@example.org");
  EXPECT_EQ(Call(As(ana, "PUT", ParticipantPath(other_.id), "{}")).status, 403);
  EXPECT_EQ(Call(As(ana, "DELETE", ParticipantPath(mst_.id))).status, 403);
  EXPECT_EQ(store_->ListParticipants(g20_.id)->size(), 2u);
  EXPECT_TRUE(rights_changed_.empty());
  EXPECT_EQ(AuditCount("participant-change"), 0);
}

}  // namespace
}  // namespace accord::server::testing
