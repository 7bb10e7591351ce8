// Tests of api_merges.cc: accepted amendments merged into the draft (also after the draft moved
// on), collisions that stop the merge until decided, obsolete amendments, the amendment flags
// in the list and the amendment-as-a-diff view. The documents are real Yjs documents in the
// SQLite document store, edited as y-prosemirror would.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "accord/drafting/canonical_text.h"
#include "api_amendments_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

const std::string kMerges = std::string(kG20) + "/merges";

class ApiMergesTest : public ApiAmendmentsTest {
 protected:
  // Version 1 ("We declare:", "Peace."), amendments 1..n proposed by CUT, each edited by
  // `edits[i]` in its own document and submitted.
  void Fork(const std::vector<std::function<void(crdt::XmlFragment&)>>& edits) {
    OpenAmendments();
    for (size_t i = 0; i < edits.size(); ++i) {
      const std::string path = Propose("Amendment " + std::to_string(i + 1));
      EditDocument("statement.g20.amendment." + std::to_string(i + 1), 100 + i, edits[i],
                   ana_user_.id);
      ASSERT_EQ(Move(ana_, path, "submitted").status, 200);
    }
  }
  void AcceptAll(size_t n) {
    for (size_t i = 1; i <= n; ++i) {
      ASSERT_EQ(Move(sec_b_, kAmendments + "/" + std::to_string(i), "accepted").status, 200);
    }
  }
  void Consolidate() { ASSERT_EQ(Patch(sec_b_, kG20, R"({"phase":"consolidation"})").status, 200); }
  std::string DraftText() {
    auto state = document_service_->CurrentState("statement.g20");
    auto text = drafting::RenderCanonicalUpdate(*state);
    return text.ok() ? text->markdown : text.status().ToString();
  }
  json::value Amendment(int n) { return Json(Get(obs_, kAmendments + "/" + std::to_string(n))); }
  size_t Versions() { return drafting_->ListVersions(g20_.id)->size(); }

  static std::function<void(crdt::XmlFragment&)> Insert(uint64_t paragraph, uint64_t at,
                                                        std::string text) {
    return [=](crdt::XmlFragment& root) {
      ASSERT_TRUE(ParagraphText(root, paragraph).Insert(at, text).ok());
    };
  }
};

TEST_F(ApiMergesTest, TwoAmendmentsMergeIntoADraftEditedAfterTheirForks) {
  Fork({Insert(0, 10, " together"), Insert(1, 5, " and bread")});
  AcceptAll(2);
  // The draft moves on after both forks: a closing paragraph (as the secretariat would write
  // it in consolidation).
  EditDocument("statement.g20", 900, [](crdt::XmlFragment& root) {
    auto p = root.InsertElement(2, "paragraph");
    ASSERT_TRUE(p->InsertText(0)->Insert(0, "Signed in Lima.").ok());
  });
  Consolidate();
  json::value listed = Json(Get(obs_, kAmendments));
  for (const auto& a : listed.at("items").as_array()) {
    EXPECT_TRUE(a.at("collides_with").as_array().empty());
    EXPECT_FALSE(a.at("obsolete").as_bool());
    EXPECT_TRUE(a.at("merged_in_version").is_null());
  }
  EXPECT_EQ(listed.at("items").as_array()[1].at("paragraphs").as_array()[0].at("excerpt"),
            "Peace.");

  const size_t versions = Versions();
  HttpResponse r = Post(sec_b_, kMerges, R"({"amendments":[1,2]})");
  ASSERT_EQ(r.status, 201) << r.body;
  json::value merge = Json(r);
  EXPECT_EQ(merge.at("merged"), (json::array{1, 2}));
  EXPECT_TRUE(merge.at("skipped").as_array().empty());
  const int64_t v = merge.at("version").at("number").as_int64();
  EXPECT_EQ(Header(r, "Location"), std::string(kG20) + "/versions/" + std::to_string(v));
  EXPECT_EQ(merge.at("version").at("label"), "Merge of amendments 1 and 2");
  EXPECT_EQ(Versions(), versions + 1);

  const std::string expected = "We declare together:\n\nPeace and bread.\n\nSigned in Lima.\n";
  EXPECT_EQ(DraftText(), expected);
  auto version = drafting_->GetVersion(g20_.id, v);
  EXPECT_EQ(version->canonical_text, expected);
  EXPECT_EQ(version->reason, VersionReason::kMerge);
  EXPECT_EQ(Amendment(1).at("merged_in_version").as_int64(), v);
  json::value shown = Json(Get(obs_, std::string(kG20) + "/versions/" + std::to_string(v)));
  EXPECT_EQ(shown.at("reason"), "merge");
  EXPECT_EQ(shown.at("merged_amendments"), (json::array{1, 2}));
  EXPECT_EQ(AuditCount("amendments-merged"), 1);

  // The merged text is attributed to who wrote it in the amendments.
  auto authors = document_service_->Authors("statement.g20");
  ASSERT_TRUE(authors.ok());
  ASSERT_EQ(authors->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ((*authors)[i].client_id, 100 + i);
    EXPECT_EQ((*authors)[i].user_id, ana_user_.id);
  }

  // Merged once only; the list of merges says what went in.
  HttpResponse again = Post(sec_b_, kMerges, R"({"amendments":[2]})");
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(DraftText(), expected);
  json::value merges = Json(Get(obs_, kMerges));
  ASSERT_EQ(merges.at("merges").as_array().size(), 1u);
  EXPECT_EQ(merges.at("merges").as_array()[0].at("version").at("number").as_int64(), v);
  EXPECT_EQ(merges.at("merges").as_array()[0].at("created_by").at("name"), "Sec");
}

TEST_F(ApiMergesTest, CollidingAmendmentsStopTheMergeUntilTheSecretariatDecides) {
  // 1 and 2 change the same words; 3 inserts right next to 2's change; 4 is elsewhere.
  Fork({Insert(1, 5, " now"), Insert(1, 5, " forever"),
        [](crdt::XmlFragment& root) { ASSERT_TRUE(ParagraphText(root, 1).Delete(5, 1).ok()); },
        Insert(0, 0, "Today ")});
  AcceptAll(4);
  EXPECT_EQ(Amendment(1).at("collides_with"), (json::array{2, 3}));
  EXPECT_EQ(Amendment(4).at("collides_with"), json::array{});
  Consolidate();
  const std::string before = DraftText();
  const size_t versions = Versions();

  HttpResponse stopped = Post(sec_b_, kMerges, R"({"amendments":[1,2,3,4]})");
  ASSERT_EQ(stopped.status, 409) << stopped.body;
  EXPECT_EQ(Json(stopped).at("collisions"),
            (json::array{json::object{{"amendments", json::array{1, 2, 3}}}}));
  EXPECT_EQ(DraftText(), before) << "nothing is applied before the decisions";
  EXPECT_EQ(Versions(), versions);

  // A decision that names no colliding group is refused as such.
  EXPECT_EQ(Post(sec_b_, kMerges,
                 R"({"amendments":[1,2,3,4],"decisions":[{"amendments":[1,4],"take":1}]})")
                .status,
            422);
  HttpResponse taken = Post(
      sec_b_, kMerges, R"({"amendments":[1,2,3,4],"decisions":[{"amendments":[1,2,3],"take":2}]})");
  ASSERT_EQ(taken.status, 201) << taken.body;
  json::value merge = Json(taken);
  EXPECT_EQ(merge.at("merged"), (json::array{2, 4}));
  EXPECT_EQ(merge.at("skipped"),
            (json::array{json::object{{"number", 1}, {"reason", "collision"}, {"taken", 2}},
                         json::object{{"number", 3}, {"reason", "collision"}, {"taken", 2}}}));
  EXPECT_EQ(DraftText(), "Today We declare:\n\nPeace forever.\n");
  EXPECT_TRUE(Amendment(1).at("merged_in_version").is_null());
}

TEST_F(ApiMergesTest, ACompromiseWrittenInTheDraftLeavesTheCollidingAmendmentsOut) {
  Fork({Insert(1, 5, " now"), Insert(1, 5, " forever")});
  AcceptAll(2);
  Consolidate();
  EditDocument("statement.g20", 900, [](crdt::XmlFragment& root) {
    ASSERT_TRUE(ParagraphText(root, 1).Insert(5, ", now and forever").ok());
  });
  HttpResponse r = Post(sec_b_, kMerges,
                        R"({"amendments":[1,2],"decisions":[{"amendments":[1,2],)"
                        R"("compromise":true}],"label":"Compromise on peace"})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r).at("merged"), json::array{});
  EXPECT_EQ(Json(r).at("version").at("label"), "Compromise on peace");
  EXPECT_EQ(DraftText(), "We declare:\n\nPeace, now and forever.\n");
  EXPECT_EQ(Json(r).at("skipped").as_array()[1].at("reason"), "compromise");
}

TEST_F(ApiMergesTest, AnAmendmentWhoseTextTheDraftDeletedIsObsolete) {
  Fork({Insert(1, 5, " now"), Insert(0, 10, " together")});
  EditDocument("statement.g20", 900,
               [](crdt::XmlFragment& root) { ASSERT_TRUE(root.Delete(1).ok()); });
  EXPECT_TRUE(Amendment(1).at("obsolete").as_bool());
  EXPECT_FALSE(Amendment(2).at("obsolete").as_bool());
  AcceptAll(2);
  Consolidate();
  HttpResponse r = Post(sec_b_, kMerges, R"({"amendments":[1,2]})");
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r).at("merged"), json::array{2});
  EXPECT_EQ(Json(r).at("skipped"),
            (json::array{json::object{{"number", 1}, {"reason", "obsolete"}}}));
  EXPECT_EQ(DraftText(), "We declare together:\n");
}

TEST_F(ApiMergesTest, OnlyTheSecretariatMergesAcceptedAmendmentsInConsolidation) {
  Fork({Insert(1, 5, " now"), Insert(0, 0, "Today ")});
  ASSERT_EQ(Move(sec_b_, kAmendments + "/1", "accepted").status, 200);
  const std::string before = DraftText();
  HttpResponse early = Post(sec_b_, kMerges, R"({"amendments":[1]})");
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(Json(early).at("type"), "/problems/wrong-phase");
  Consolidate();
  EXPECT_EQ(Post(ana_, kMerges, R"({"amendments":[1]})").status, 403);
  EXPECT_EQ(Post(obs_, kMerges, R"({"amendments":[1]})").status, 403);
  EXPECT_EQ(Post(sec_b_, kMerges, R"({"amendments":[2]})").status, 409);  // submitted
  EXPECT_EQ(Post(sec_b_, kMerges, R"({"amendments":[9]})").status, 422);
  for (const char* bad : {R"({})", R"({"amendments":[]})", R"({"amendments":[1,1]})",
                          R"({"amendments":["1"]})", R"({"amendments":[1],"extra":1})",
                          R"({"amendments":[1],"decisions":[{"amendments":[1],"take":1}]})",
                          R"({"amendments":[1],"decisions":[{"amendments":[1,2],"take":3}]})",
                          R"({"amendments":[1,2],"decisions":[{"amendments":[1,2]}]})",
                          R"({"amendments":[1,2],"decisions":[{"amendments":[1,2],)"
                          R"("compromise":false}]})",
                          R"({"amendments":[1],"label":""})"}) {
    HttpResponse r = Post(sec_b_, kMerges, bad);
    EXPECT_TRUE(r.status == 400 || r.status == 422) << bad << " -> " << r.status << r.body;
  }
  EXPECT_EQ(DraftText(), before);
  EXPECT_TRUE(drafting_->ListMerges(g20_.id)->empty());
  EXPECT_EQ(AuditCount("amendments-merged"), 0);
}

TEST_F(ApiMergesTest, AnAmendmentIsShownAsADiffAgainstItsBase) {
  Fork({Insert(1, 5, " and bread")});
  HttpResponse r = Get(obs_, kAmendments + "/1/diff");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value diff = Json(r);
  EXPECT_EQ(diff.at("from").as_int64(), 1);
  EXPECT_EQ(diff.at("to"), "amendment");
  EXPECT_EQ(diff.at("diff").at("stats").at("changed").as_int64(), 1);
  HttpResponse html = Get(obs_, kAmendments + "/1/diff?layout=inline");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("<ins"), std::string::npos) << html.body;
  EXPECT_NE(html.body.find("and bread"), std::string::npos);
  EXPECT_EQ(Get(obs_, kAmendments + "/1/diff?layout=columns").status, 400);
  EXPECT_EQ(Get(obs_, kAmendments + "/7/diff").status, 404);
  EXPECT_EQ(Get(out_, kAmendments + "/1/diff").status, 403);
}

}  // namespace
}  // namespace accord::server::testing
