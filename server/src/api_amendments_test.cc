// Tests of the amendments API (api_amendments.cc): forks of a version proposed by delegates,
// supported by other organizations, settled by the secretariat; refusals change nothing. The
// documents are real Yjs documents in the SQLite document store, shaped as y-prosemirror
// writes them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/xml.h"
#include "accord/drafting/canonical_text.h"
#include "api_amendments_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

TEST_F(ApiAmendmentsTest, WithoutAVersionThereIsNothingToAmend) {
  ASSERT_TRUE(store_->SetStatementPhase(g20_.id, auth::Phase::kAmendments, std::nullopt).ok());
  HttpResponse r = Post(ana_, kAmendments, ProposeBody(cut_.id));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(Json(r).at("detail").as_string().find("name a version first"), std::string::npos);
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(AuditCount("amendment-created"), 0);
}

TEST_F(ApiAmendmentsTest, ADelegateForksTheLatestVersion) {
  OpenAmendments();
  HttpResponse r = Post(ana_, kAmendments, ProposeBody(cut_.id));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Header(r, "Location"), kAmendments + "/1");
  json::value a = Json(r);
  EXPECT_EQ(a.at("number").as_int64(), 1);
  EXPECT_EQ(a.at("state").as_string(), "draft");
  EXPECT_EQ(a.at("base_version").as_int64(), 1);
  EXPECT_EQ(a.at("document").as_string(), "statement.g20.amendment.1");
  EXPECT_EQ(a.at("organization").at("short_name").as_string(), "CUT");
  EXPECT_EQ(a.at("rationale").as_string(), "Hunger first.");
  EXPECT_EQ(a.at("supporters").as_int64(), 0);
  // The fork holds exactly the version's text.
  auto state = document_service_->CurrentState("statement.g20.amendment.1");
  ASSERT_TRUE(state.ok());
  auto text = drafting::RenderCanonicalUpdate(*state);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->markdown, drafting_->GetVersion(g20_.id, 1)->canonical_text);
  EXPECT_EQ(text->markdown, "We declare:\n\nPeace.\n");
  EXPECT_EQ(AuditCount("amendment-created"), 1);

  // An explicit base version; one that does not exist is a field error.
  EXPECT_EQ(
      Post(ana_, kAmendments,
           R"({"title":"T","organization_id":)" + std::to_string(cut_.id) + R"(,"base_version":1})")
          .status,
      201);
  HttpResponse missing = Post(
      ana_, kAmendments,
      R"({"title":"T","organization_id":)" + std::to_string(cut_.id) + R"(,"base_version":7})");
  EXPECT_EQ(missing.status, 422) << missing.body;
  EXPECT_EQ(Count(), 2u);

  json::value list = Json(Get(obs_, kAmendments));
  EXPECT_EQ(list.at("items").as_array().size(), 2u);
  EXPECT_EQ(Json(Get(obs_, kAmendments + "?state=submitted")).at("items").as_array().size(), 0u);
  EXPECT_EQ(Get(obs_, kAmendments + "?state=won").status, 400);
}

TEST_F(ApiAmendmentsTest, OnlyDelegatesOfAParticipantProposeForTheirOwnOrganization) {
  OpenAmendments();
  EXPECT_EQ(Post(obs_, kAmendments, ProposeBody(cut_.id)).status, 403);
  EXPECT_EQ(Post(out_, kAmendments, ProposeBody(other_.id)).status, 403);
  EXPECT_EQ(Post(ana_, kAmendments, ProposeBody(mst_.id)).status, 403);
  EXPECT_EQ(Post(sec_b_, kAmendments, ProposeBody(host_.id)).status, 403);
  EXPECT_EQ(Get(out_, kAmendments).status, 403);
  EXPECT_EQ(Count(), 0u);
  EXPECT_FALSE(document_store_->Info("statement.g20.amendment.1").ok());
  EXPECT_GE(AuditCount("permission-denied"), 5);
}

TEST_F(ApiAmendmentsTest, BadBodiesAreRefusedAndNothingIsStored) {
  OpenAmendments();
  EXPECT_EQ(Post(ana_, kAmendments, "{}").status, 422);
  EXPECT_EQ(Post(ana_, kAmendments, R"({"title":"","organization_id":0})").status, 422);
  EXPECT_EQ(Post(ana_, kAmendments, R"({"title":"x","organization_id":"1"})").status, 422);
  EXPECT_EQ(Post(ana_, kAmendments, R"({"title":"x","organization_id":1,"x":1})").status, 400);
  EXPECT_EQ(Post(ana_, kAmendments, "[").status, 400);
  EXPECT_EQ(Count(), 0u);
  const std::string a = Propose();
  EXPECT_EQ(Post(ana_, a + "/transitions", R"({"to":"won"})").status, 422);
  EXPECT_EQ(Post(ana_, a + "/transitions", R"({"to":"obsolete"})").status, 422);
  EXPECT_EQ(Post(ana_, a + "/transitions", R"({})").status, 422);
  EXPECT_EQ(Patch(ana_, a, R"({"title":""})").status, 422);
  EXPECT_EQ(Patch(sec_b_, kG20 + std::string("/amendment-settings"), R"({"support_threshold":-1})")
                .status,
            422);
  EXPECT_EQ(
      Patch(sec_b_, kG20 + std::string("/amendment-settings"), R"({"support_deadline":"tomorrow"})")
          .status,
      422);
  EXPECT_EQ(State(a), "draft");
  EXPECT_EQ(Get(ana_, kAmendments + "/9").status, 404);
  EXPECT_EQ(Get(ana_, kAmendments + "/x").status, 404);
  EXPECT_TRUE(drafting_->ListTransitions(drafting_->GetAmendment(g20_.id, 1)->id)->empty());
}

TEST_F(ApiAmendmentsTest, ProposedSupportedAndAcceptedWithEveryStepRecorded) {
  OpenAmendments();
  ASSERT_EQ(
      Patch(sec_b_, kG20 + std::string("/amendment-settings"), R"({"support_threshold":1})").status,
      200);
  const std::string a = Propose();
  // The proposer edits the draft's title; others may not.
  EXPECT_EQ(Patch(ana_, a, R"({"title":"Bread and roses"})").status, 200);
  EXPECT_EQ(Patch(bea_, a, R"({"title":"Mine"})").status, 403);
  EXPECT_EQ(Patch(sec_b_, a, R"({"title":"Ours"})").status, 403);
  // Support needs a submitted amendment.
  EXPECT_EQ(Put(bea_, a + "/support/" + std::to_string(mst_.id)).status, 403);
  rights_changed_.clear();
  HttpResponse submitted = Move(ana_, a, "submitted");
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(rights_changed_, std::vector<std::string>{"statement.g20.amendment.1"});
  EXPECT_EQ(Patch(ana_, a, R"({"title":"Late"})").status, 403);
  // Not for one's own amendment; not for another organization.
  EXPECT_EQ(Put(ana_, a + "/support/" + std::to_string(cut_.id)).status, 403);
  EXPECT_EQ(Put(bea_, a + "/support/" + std::to_string(cut_.id)).status, 403);
  EXPECT_EQ(Put(out_, a + "/support/" + std::to_string(other_.id)).status, 403);
  HttpResponse supported = Put(bea_, a + "/support/" + std::to_string(mst_.id));
  ASSERT_EQ(supported.status, 200) << supported.body;
  EXPECT_EQ(Json(supported).at("state").as_string(), "supported");
  EXPECT_EQ(Json(supported).at("supporters").as_int64(), 1);
  EXPECT_EQ(Put(bea_, a + "/support/" + std::to_string(mst_.id)).status, 403);  // once
  // The delegate may not settle; rejection needs a reason; acceptance does not.
  EXPECT_EQ(Move(ana_, a, "accepted").status, 403);
  EXPECT_EQ(Move(sec_b_, a, "rejected").status, 403);
  HttpResponse accepted = Move(sec_b_, a, "accepted");
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  json::value detail = Json(Get(obs_, a));
  EXPECT_EQ(detail.at("state").as_string(), "accepted");
  EXPECT_EQ(detail.at("title").as_string(), "Bread and roses");
  const auto& history = detail.at("transitions").as_array();
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].at("to").as_string(), "submitted");
  EXPECT_EQ(history[0].at("by").at("name").as_string(), "Ana");
  EXPECT_EQ(history[1].at("to").as_string(), "supported");
  EXPECT_TRUE(history[1].at("by").is_null());  // the system
  EXPECT_EQ(history[2].at("to").as_string(), "accepted");
  EXPECT_EQ(history[2].at("by").at("name").as_string(), "Sec");
  const auto& supporters = detail.at("supporter_list").as_array();
  ASSERT_EQ(supporters.size(), 1u);
  EXPECT_EQ(supporters[0].at("organization").at("short_name").as_string(), "MST");
  EXPECT_EQ(AuditCount("amendment-transition"), 3);
  EXPECT_EQ(AuditCount("amendment-supported"), 1);
  EXPECT_EQ(AuditCount("amendment-updated"), 1);
  // Settled: nothing moves any more.
  EXPECT_EQ(Move(sec_b_, a, "rejected", "changed my mind").status, 403);
  EXPECT_EQ(Move(ana_, a, "withdrawn").status, 403);
}

TEST_F(ApiAmendmentsTest, WithdrawnSupportMovesBackAndDeadlinesAreEnforced) {
  OpenAmendments();
  const std::string settings = kG20 + std::string("/amendment-settings");
  ASSERT_EQ(Patch(sec_b_, settings, R"({"support_threshold":1})").status, 200);
  EXPECT_EQ(Patch(ana_, settings, R"({"support_threshold":0})").status, 403);
  const std::string a = Propose();
  ASSERT_EQ(Move(ana_, a, "submitted").status, 200);
  const std::string mst = a + "/support/" + std::to_string(mst_.id);
  ASSERT_EQ(Put(bea_, mst).status, 200);
  EXPECT_EQ(State(a), "supported");
  EXPECT_EQ(Delete(bea_, mst).status, 204);
  EXPECT_EQ(State(a), "submitted");
  EXPECT_EQ(Delete(bea_, mst).status, 403);  // no support left to withdraw
  // A raised threshold holds it back; lowering it lets it through.
  ASSERT_EQ(Patch(sec_b_, settings, R"({"support_threshold":2})").status, 200);
  ASSERT_EQ(Put(bea_, mst).status, 200);
  EXPECT_EQ(State(a), "submitted");
  ASSERT_EQ(Patch(sec_b_, settings, R"({"support_threshold":1})").status, 200);
  EXPECT_EQ(State(a), "supported");
  // The support deadline, set in the past, closes support both ways.
  HttpResponse past = Patch(sec_b_, settings, R"({"support_deadline":"2020-01-01T00:00:00Z"})");
  ASSERT_EQ(past.status, 200) << past.body;
  EXPECT_EQ(Json(Get(obs_, settings)).at("support_deadline").as_string(), "2020-01-01T00:00:00Z");
  EXPECT_EQ(Delete(bea_, mst).status, 403);
  EXPECT_EQ(State(a), "supported");
  ASSERT_EQ(Patch(sec_b_, settings, R"({"support_deadline":null})").status, 200);
  // The phase deadline, in the past, stops proposing and submitting.
  ASSERT_EQ(Patch(sec_b_, kG20, R"({"phase_deadline":"2020-01-01T00:00:00Z"})").status, 200);
  EXPECT_EQ(Post(ana_, kAmendments, ProposeBody(cut_.id)).status, 403);
  EXPECT_EQ(Count(), 1u);
}

TEST_F(ApiAmendmentsTest, AnAcceptedCompromiseMakesOthersObsolete) {
  OpenAmendments();
  const std::string first = Propose("Bread");
  const std::string second = Propose("Roses");
  ASSERT_EQ(Move(ana_, first, "submitted").status, 200);
  ASSERT_EQ(Move(ana_, second, "submitted").status, 200);
  // Only an accepted amendment makes others obsolete.
  EXPECT_EQ(Post(sec_b_, second + "/transitions", R"({"to":"obsolete","obsoleted_by":1})").status,
            403);
  EXPECT_EQ(Move(sec_b_, first, "accepted-with-modification").status, 403);  // no reason
  ASSERT_EQ(Move(sec_b_, first, "accepted-with-modification", "merged with 2").status, 200);
  EXPECT_EQ(Post(sec_b_, second + "/transitions", R"({"to":"obsolete","obsoleted_by":2})").status,
            422);
  EXPECT_EQ(Post(sec_b_, second + "/transitions", R"({"to":"obsolete","obsoleted_by":9})").status,
            422);
  HttpResponse obsolete =
      Post(sec_b_, second + "/transitions", R"({"to":"obsolete","obsoleted_by":1})");
  ASSERT_EQ(obsolete.status, 200) << obsolete.body;
  json::value detail = Json(obsolete);
  EXPECT_EQ(detail.at("state").as_string(), "obsolete");
  EXPECT_EQ(detail.at("transitions").as_array().back().at("reason").as_string(),
            "made obsolete by amendment 1");
  // The proposer withdraws a draft; a third one, still a draft, goes.
  const std::string third = Propose("Wine");
  EXPECT_EQ(Move(bea_, third, "withdrawn").status, 403);
  EXPECT_EQ(Move(ana_, third, "withdrawn").status, 200);
  EXPECT_EQ(Json(Get(obs_, kAmendments + "?state=obsolete")).at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace accord::server::testing
