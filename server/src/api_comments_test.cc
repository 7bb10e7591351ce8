// Tests of the comments API (api_comments.cc): threads on amendments and on places in the live
// draft, replies, resolution by the secretariat; refusals store nothing. Anchors are real Yjs
// relative positions made in the same Yjs document the draft is stored from, and the draft is
// edited between requests as a client would.
#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "accord/crdt/relative_position.h"
#include "api_amendments_test_support.h"
#include "api_json.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

const std::string kComments = std::string(kG20) + "/comments";

std::string Base64(const std::vector<uint8_t>& bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);
  return out;
}

// The amendment tests' statement "g20", its organizations and people, with a two-paragraph
// draft to anchor comments in.
class ApiCommentsTest : public ApiAmendmentsTest {
 protected:
  void SetUp() override {
    ApiAmendmentsTest::SetUp();
    StoreParagraphs("statement.g20", {"We declare:", "Peace, bread and roses for every people."});
  }

  // The XmlText of paragraph `i` of the draft (draft_, which StoreParagraphs wrote).
  crdt::Text Paragraph(uint64_t i) {
    auto fragment = crdt::GetXmlFragment(draft_, "prosemirror");
    auto p = fragment->Get(i);
    auto t = crdt::XmlFragment(p->type).Get(0);
    return crdt::Text(t->type.internal());
  }
  // An anchor before UTF-16 offset `index` of paragraph `i`, as a client sends it.
  std::string AnchorAt(uint64_t i, uint64_t index) {
    auto bytes = crdt::EncodeRelativePosition(
        crdt::CreateRelativePositionFromTypeIndex(Paragraph(i), index));
    EXPECT_TRUE(bytes.ok());
    return Base64(*bytes);
  }
  // Stores draft_ as it is now, as the server stores a client's update.
  void StoreDraft() {
    auto update = draft_.EncodeStateAsUpdate();
    ASSERT_TRUE(update.ok());
    PendingUpdate pending{"statement.g20", *update};
    ASSERT_TRUE(document_store_->AppendBatch(std::span(&pending, 1)).ok());
  }

  HttpResponse Post(const Browser& b, const json::object& body) {
    return Call(As(b, "POST", kComments, json::serialize(body)));
  }
  HttpResponse Resolve(const Browser& b, int64_t id, bool resolved) {
    return Call(As(b, "PATCH", kComments + "/" + std::to_string(id),
                   json::serialize(json::object{{"resolved", resolved}})));
  }
  int64_t Posted(const Browser& b, const json::object& body) {
    HttpResponse r = Post(b, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Json(r).at("id").as_int64() : 0;
  }
  json::array List(const std::string& query = "") {
    HttpResponse r = Get(ana_, kComments + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).at("comments").as_array();
  }
  size_t Stored() { return comments_->ListComments(g20_.id)->size(); }
};

TEST_F(ApiCommentsTest, AParagraphCommentFollowsItsTextUntilTheTextIsDeleted) {
  HttpResponse r = Post(ana_, {{"body", "Say \"all peoples\"?\nOr keep it."},
                               {"anchor", AnchorAt(1, 7)}});  // before "bread"
  ASSERT_EQ(r.status, 201) << r.body;
  json::value c = Json(r);
  EXPECT_TRUE(c.at("parent_id").is_null());
  EXPECT_EQ(c.at("target").at("kind").as_string(), "paragraph");
  EXPECT_EQ(c.at("target").at("anchor").as_string(), AnchorAt(1, 7));
  EXPECT_TRUE(c.at("target").at("attached").as_bool());
  EXPECT_EQ(c.at("target").at("excerpt").as_string(), "bread and roses for every people.");
  EXPECT_EQ(c.at("author").at("name").as_string(), "Ana");
  EXPECT_EQ(c.at("author").at("organization_id").as_int64(), cut_.id);
  EXPECT_EQ(c.at("author").at("organization_name").as_string(), "CUT organization");
  EXPECT_EQ(c.at("body").as_string(), "Say \"all peoples\"?\nOr keep it.");
  EXPECT_EQ(c.at("created_at").as_string(), FormatTime(now_));
  EXPECT_TRUE(c.at("resolved").is_null());
  EXPECT_EQ(AuditCount("comment-created"), 1);

  // Text before the anchor changes: the comment stays with "bread".
  ASSERT_TRUE(Paragraph(1).Insert(0, "Justice, ").ok());
  ASSERT_TRUE(Paragraph(1).Delete(9, 7).ok());  // "Peace, "
  ASSERT_EQ(Paragraph(1).ToString(), "Justice, bread and roses for every people.");
  StoreDraft();
  json::array list = List();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].at("target").at("attached").as_bool());
  EXPECT_EQ(list[0].at("target").at("excerpt").as_string(), "bread and roses for every people.");

  // The anchored word goes: the comment is detached, and says nothing about the text.
  ASSERT_TRUE(Paragraph(1).Delete(9, 6).ok());  // "bread "
  StoreDraft();
  list = List();
  EXPECT_FALSE(list[0].at("target").at("attached").as_bool());
  EXPECT_EQ(list[0].at("target").at("excerpt").as_string(), "");
  EXPECT_EQ(list[0].at("target").at("anchor").as_string(), c.at("target").at("anchor"));
}

TEST_F(ApiCommentsTest, RepliesJoinTheirThreadAndCarryItsTarget) {
  int64_t thread = Posted(ana_, {{"body", "Why roses?"}, {"anchor", AnchorAt(1, 17)}});
  int64_t reply = Posted(bea_, {{"body", "Because bread is not enough."}, {"parent_id", thread}});
  // A reply to a reply joins the same thread: threads are one level deep.
  HttpResponse r = Post(sec_b_, {{"body", "Agreed."}, {"parent_id", reply}});
  ASSERT_EQ(r.status, 201) << r.body;
  json::value again = Json(r);
  EXPECT_EQ(again.at("parent_id").as_int64(), thread);
  EXPECT_EQ(again.at("target").at("excerpt").as_string(), "roses for every people.");
  EXPECT_EQ(again.at("author").at("organization_id").as_int64(), host_.id)
      << "the secretariat speaks for the host organization";

  json::array list = List();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].at("id").as_int64(), thread);
  EXPECT_EQ(list[1].at("id").as_int64(), reply);
  EXPECT_EQ(list[1].at("parent_id").as_int64(), thread);
  EXPECT_EQ(list[1].at("author").at("organization_name").as_string(), "MST organization");
  EXPECT_EQ(list[1].at("target"), list[0].at("target"));
  EXPECT_EQ(Post(ana_, {{"body", "x"}, {"parent_id", 999}}).status, 422);
  EXPECT_EQ(Stored(), 3u);
}

TEST_F(ApiCommentsTest, AmendmentThreadsAndFilters) {
  ASSERT_EQ(Call(As(sec_b_, "PATCH", kG20, R"({"phase":"amendments"})")).status, 200);
  HttpResponse proposed =
      Call(As(ana_, "POST", std::string(kG20) + "/amendments",
              json::serialize(json::object{{"title", "Bread"}, {"organization_id", cut_.id}})));
  ASSERT_EQ(proposed.status, 201) << proposed.body;
  int64_t on_amendment = Posted(bea_, {{"body", "We support this."}, {"amendment", 1}});
  int64_t on_text = Posted(ana_, {{"body", "Comma?"}, {"anchor", AnchorAt(0, 0)}});
  int64_t reply = Posted(ana_, {{"body", "Thanks."}, {"parent_id", on_amendment}});
  ASSERT_EQ(Resolve(sec_b_, on_text, true).status, 200);

  json::array all = List();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].at("target"), (json::object{{"kind", "amendment"}, {"number", 1}}));
  EXPECT_EQ(all[2].at("target").at("kind").as_string(), "amendment");
  json::array amendment = List("?amendment=1");
  ASSERT_EQ(amendment.size(), 2u);
  EXPECT_EQ(amendment[1].at("id").as_int64(), reply);
  EXPECT_TRUE(List("?amendment=2").empty());
  json::array paragraphs = List("?target=paragraph");
  ASSERT_EQ(paragraphs.size(), 1u);
  EXPECT_EQ(paragraphs[0].at("id").as_int64(), on_text);
  EXPECT_EQ(paragraphs[0].at("target").at("excerpt").as_string(), "We declare:");
  EXPECT_EQ(List("?target=amendment").size(), 2u);
  EXPECT_EQ(List("?resolved=false").size(), 2u) << "the amendment thread with its reply";
  EXPECT_EQ(List("?target=paragraph&resolved=true").size(), 1u);
  EXPECT_EQ(Get(ana_, kComments + "?amendment=x").status, 400);
  EXPECT_EQ(Get(ana_, kComments + "?target=page").status, 400);
  EXPECT_EQ(Get(ana_, kComments + "?amendment=1&target=paragraph").status, 400);
  EXPECT_EQ(Get(ana_, kComments + "?resolved=yes").status, 400);

  HttpResponse missing = Post(ana_, {{"body", "x"}, {"amendment", 7}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(ProblemType(missing), "validation-failed");
  EXPECT_EQ(Stored(), 3u);
}

TEST_F(ApiCommentsTest, TheSecretariatResolvesAndReopensThreads) {
  int64_t thread = Posted(ana_, {{"body", "Which peace?"}, {"anchor", AnchorAt(1, 0)}});
  int64_t reply = Posted(bea_, {{"body", "A just one."}, {"parent_id", thread}});

  HttpResponse denied = Resolve(ana_, thread, true);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(ProblemType(denied), "forbidden");
  EXPECT_EQ(AuditCount("permission-denied"), 1);
  EXPECT_EQ(comments_->GetComment(g20_.id, thread)->resolved_by, 0);

  now_ += 60;
  HttpResponse r = Resolve(sec_b_, thread, true);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value c = Json(r);
  EXPECT_EQ(c.at("resolved").at("by").at("user_id").as_int64(), sec_.id);
  EXPECT_EQ(c.at("resolved").at("by").at("name").as_string(), "Sec");
  EXPECT_EQ(c.at("resolved").at("at").as_string(), FormatTime(now_));
  EXPECT_EQ(AuditCount("comment-resolved"), 1);
  // Resolving again changes nothing and records nothing.
  EXPECT_EQ(Resolve(sec_b_, thread, true).status, 200);
  EXPECT_EQ(AuditCount("comment-resolved"), 1);

  HttpResponse on_reply = Resolve(sec_b_, reply, true);
  EXPECT_EQ(on_reply.status, 422) << on_reply.body;
  EXPECT_EQ(Resolve(sec_b_, 999, true).status, 404);
  EXPECT_EQ(Call(As(sec_b_, "PATCH", kComments + "/abc", R"({"resolved":true})")).status, 404);

  r = Resolve(sec_b_, thread, false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Json(r).at("resolved").is_null());
  EXPECT_EQ(AuditCount("comment-reopened"), 1);
}

TEST_F(ApiCommentsTest, ObserversAndOutsidersDoNotPostAndFinalClosesTheDiscussion) {
  std::string anchor = AnchorAt(1, 0);
  HttpResponse r = Post(obs_, {{"body", "I watch."}, {"anchor", anchor}});
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Get(obs_, kComments).status, 200) << "observers read the discussion";
  EXPECT_EQ(Post(out_, {{"body", "Hello?"}, {"anchor", anchor}}).status, 403);
  EXPECT_EQ(Get(out_, kComments).status, 403);
  EXPECT_EQ(AuditCount("permission-denied"), 3);
  ASSERT_TRUE(store_->SetStatementPhase(g20_.id, auth::Phase::kFinal, std::nullopt).ok());
  EXPECT_EQ(Post(ana_, {{"body", "Late."}, {"anchor", anchor}}).status, 403);
  EXPECT_EQ(Post(sec_b_, {{"body", "Late."}, {"anchor", anchor}}).status, 403);
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(AuditCount("comment-created"), 0);
}

TEST_F(ApiCommentsTest, MalformedRequestsAreRefusedAndStoreNothing) {
  std::string anchor = AnchorAt(1, 0);
  auto status = [&](const json::object& body) { return Post(ana_, body).status; };
  EXPECT_EQ(status({{"body", "x"}}), 422) << "no target";
  EXPECT_EQ(status({{"body", "x"}, {"anchor", anchor}, {"amendment", 1}}), 422);
  EXPECT_EQ(status({{"anchor", anchor}}), 422) << "no body";
  EXPECT_EQ(status({{"body", " \n\t "}, {"anchor", anchor}}), 422);
  EXPECT_EQ(status({{"body", std::string(4001, 'a')}, {"anchor", anchor}}), 422);
  EXPECT_EQ(status({{"body", "a\x01"}, {"anchor", anchor}}), 422);
  EXPECT_EQ(status({{"body", 5}, {"anchor", anchor}}), 422);
  EXPECT_EQ(status({{"body", "x"}, {"anchor", anchor}, {"colour", "red"}}), 400);
  // Anchors: not base64, not a relative position, in another root, at the end of the
  // document, in deleted text, too long.
  EXPECT_EQ(status({{"body", "x"}, {"anchor", "not base64!"}}), 422);
  EXPECT_EQ(status({{"body", "x"}, {"anchor", Base64({0xFF, 0xFF, 0xFF})}}), 422);
  auto notes = draft_.GetText("notes");
  ASSERT_TRUE(notes.ok());
  ASSERT_TRUE(notes->Insert(0, "outside the editor").ok());
  StoreDraft();
  auto outside = crdt::EncodeRelativePosition(crdt::CreateRelativePositionFromTypeIndex(*notes, 3));
  HttpResponse r = Post(ana_, {{"body", "x"}, {"anchor", Base64(*outside)}});
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(Json(r).at("detail").as_string().find("not in the draft"), std::string::npos);
  auto fragment = crdt::GetXmlFragment(draft_, "prosemirror");
  auto end = crdt::EncodeRelativePosition(
      crdt::CreateRelativePositionFromTypeIndex(*fragment, fragment->Length()));
  EXPECT_EQ(status({{"body", "x"}, {"anchor", Base64(*end)}}), 422);
  std::string doomed = AnchorAt(0, 3);
  ASSERT_TRUE(Paragraph(0).Delete(0, 5).ok());
  StoreDraft();
  EXPECT_EQ(status({{"body", "x"}, {"anchor", doomed}}), 422);
  EXPECT_EQ(status({{"body", "x"}, {"anchor", Base64(std::vector<uint8_t>(1025, 0))}}), 422);
  EXPECT_EQ(Stored(), 0u);
  // Line breaks and 4000 characters are fine.
  EXPECT_EQ(status({{"body", std::string(3999, 'a') + "\n"}, {"anchor", anchor}}), 201);
  EXPECT_EQ(Stored(), 1u);
}

}  // namespace
}  // namespace accord::server::testing
