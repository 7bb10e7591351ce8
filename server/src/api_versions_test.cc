// Tests of versions, the draft's canonical text, diffs and the phase record
// (api_versions.cc, and the version a phase change takes in api_statements.cc). The drafts are
// real Yjs documents in the SQLite document store, shaped as y-prosemirror writes them.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/xml.h"
#include "accord/drafting/canonical_text.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

constexpr char kG20[] = "/api/v1/statements/g20";
const std::string kVersions = std::string(kG20) + "/versions";

class ApiVersionsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    other_ = MakeOrg("OTHER");
    MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
    MakeUser("out@example.org", "Out", other_.id, auth::Role::kDelegate);
    auto g20 = store_->CreateStatement("g20", "G20 declaration", "en", now_);
    ASSERT_TRUE(g20.ok());
    ASSERT_NO_FATAL_FAILURE(Participate(g20->id, cut_.id));
    secretariat_ = SignIn("sec@example.org");
    delegate_ = SignIn("ana@example.org");
  }

  // Sets the draft's paragraphs (replacing what the fragment held) and stores the change as
  // the server would: an update appended to the document.
  void SetDraft(const std::vector<std::string>& paragraphs) {
    StoreParagraphs("statement.g20", paragraphs);
  }

  HttpResponse Get(const Browser& b, const std::string& path) { return Call(As(b, "GET", path)); }
  HttpResponse Post(const Browser& b, const std::string& path, const std::string& body) {
    return Call(As(b, "POST", path, body));
  }

  auth::Organization cut_, other_;
  Browser secretariat_, delegate_;
};

TEST_F(ApiVersionsTest, SecretariatNamesVersionsThatKeepTheirTextAndState) {
  SetDraft({"We, the undersigned, declare:", "Peace and bread."});
  HttpResponse created = Post(secretariat_, kVersions, R"({"label":"First reading"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Header(created, "Location"), kVersions + "/1");
  json::value v = Json(created);
  EXPECT_EQ(v.at("number").as_int64(), 1);
  EXPECT_EQ(v.at("reason").as_string(), "manual");
  EXPECT_EQ(v.at("phase").as_string(), "drafting");
  EXPECT_EQ(v.at("author").at("name").as_string(), "Sec");
  const std::string markdown(v.at("markdown").as_string());
  EXPECT_EQ(markdown, "We, the undersigned, declare:\n\nPeace and bread.\n");
  EXPECT_EQ(v.at("sha256").as_string(), drafting::Sha256Hex(markdown));
  EXPECT_NE(std::string(v.at("html").as_string()).find("<p>Peace and bread.</p>"),
            std::string::npos);

  // The draft moves on; the version does not.
  SetDraft({"We, the undersigned, declare:", "Peace, land and bread."});
  HttpResponse got = Get(delegate_, kVersions + "/1");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Json(got).at("markdown").as_string(), markdown);
  HttpResponse text = Get(delegate_, std::string(kG20) + "/text");
  ASSERT_EQ(text.status, 200);
  EXPECT_EQ(Json(text).at("markdown").as_string(),
            "We, the undersigned, declare:\n\nPeace, land and bread.\n");

  // The stored state is the Yjs document as it was.
  HttpResponse state = Get(delegate_, kVersions + "/1/state");
  ASSERT_EQ(state.status, 200);
  EXPECT_EQ(state.content_type, "application/octet-stream");
  auto rendered = drafting::RenderCanonicalUpdate(
      std::span(reinterpret_cast<const uint8_t*>(state.body.data()), state.body.size()));
  ASSERT_TRUE(rendered.ok());
  EXPECT_EQ(rendered->markdown, markdown);

  ASSERT_EQ(Post(secretariat_, kVersions, R"({"label":"Second reading"})").status, 201);
  HttpResponse list = Get(delegate_, kVersions);
  ASSERT_EQ(list.status, 200);
  const json::value list_json = Json(list);
  const auto& items = list_json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[1].at("label").as_string(), "Second reading");
  EXPECT_FALSE(items[1].as_object().contains("markdown")) << "lists are light";
}

TEST_F(ApiVersionsTest, DiffsBetweenVersionsAndTheDraft) {
  SetDraft({"Peace and bread.", "Land to those who work it."});
  ASSERT_EQ(Post(secretariat_, kVersions, R"({"label":"v1"})").status, 201);
  SetDraft({"Land to those who work it.", "Peace, land and bread."});
  ASSERT_EQ(Post(secretariat_, kVersions, R"({"label":"v2"})").status, 201);

  HttpResponse diff = Get(delegate_, std::string(kG20) + "/diff?from=1&to=2");
  ASSERT_EQ(diff.status, 200) << diff.body;
  json::value d = Json(diff);
  EXPECT_EQ(d.at("from").as_int64(), 1);
  EXPECT_EQ(d.at("to").as_int64(), 2);
  EXPECT_EQ(d.at("diff").at("version").as_int64(), 1);
  const std::string body = json::serialize(d.at("diff"));
  EXPECT_NE(body.find("land"), std::string::npos);

  // Against the live draft by default, and as HTML readable without colour.
  SetDraft({"Land to those who work it.", "Peace, land, bread and work."});
  HttpResponse live = Get(delegate_, std::string(kG20) + "/diff?from=2");
  ASSERT_EQ(live.status, 200);
  EXPECT_EQ(Json(live).at("to").as_string(), "draft");
  HttpResponse html = Get(delegate_, std::string(kG20) + "/diff?from=2&to=draft&layout=inline");
  ASSERT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<ins"), std::string::npos);
  EXPECT_NE(html.body.find("<del"), std::string::npos);

  EXPECT_EQ(Get(delegate_, std::string(kG20) + "/diff").status, 400);
  EXPECT_EQ(Get(delegate_, std::string(kG20) + "/diff?from=1&layout=colour").status, 400);
  EXPECT_EQ(Get(delegate_, std::string(kG20) + "/diff?from=9").status, 404);
  EXPECT_EQ(Get(delegate_, std::string(kG20) + "/diff?from=1&to=x").status, 404);
}

TEST_F(ApiVersionsTest, PhaseChangesAreRecordedAndFreezeTheDraftAsAVersion) {
  SetDraft({"We declare."});
  HttpResponse patched =
      Call(As(secretariat_, "PATCH", kG20,
              R"({"phase":"amendments","phase_deadline":"2030-01-31T18:00:00Z"})"));
  ASSERT_EQ(patched.status, 200) << patched.body;
  json::value change = Json(patched).at("phase_change");
  EXPECT_EQ(change.at("from").as_string(), "drafting");
  EXPECT_EQ(change.at("to").as_string(), "amendments");
  EXPECT_EQ(change.at("version").as_int64(), 1);

  // A deadline-only change is recorded without a version.
  HttpResponse later = Call(As(secretariat_, "PATCH", kG20, R"({"phase_deadline":null})"));
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_TRUE(Json(later).at("phase_change").at("version").is_null());

  HttpResponse phases = Get(delegate_, std::string(kG20) + "/phases");
  ASSERT_EQ(phases.status, 200);
  const json::value phases_json = Json(phases);
  const auto& items = phases_json.at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("by").at("name").as_string(), "Sec");
  EXPECT_EQ(items[0].at("deadline").as_string(), "2030-01-31T18:00:00Z");
  HttpResponse version = Get(delegate_, kVersions + "/1");
  ASSERT_EQ(version.status, 200);
  EXPECT_EQ(Json(version).at("reason").as_string(), "phase");
  EXPECT_EQ(Json(version).at("phase").as_string(), "amendments");
  EXPECT_EQ(Json(version).at("markdown").as_string(), "We declare.\n");
}

TEST_F(ApiVersionsTest, OnlyTheSecretariatNamesVersionsAndOnlyParticipantsRead) {
  SetDraft({"We declare."});
  EXPECT_EQ(Post(delegate_, kVersions, R"({"label":"mine"})").status, 403);
  Browser out = SignIn("out@example.org");
  EXPECT_EQ(Get(out, kVersions).status, 403);
  EXPECT_EQ(Get(out, std::string(kG20) + "/text").status, 403);
  EXPECT_EQ(Get(out, std::string(kG20) + "/phases").status, 403);
  EXPECT_EQ(Call(Req("GET", kVersions)).status, 401);
  EXPECT_TRUE(drafting_->ListVersions(1)->empty()) << "nothing stored by refused requests";
}

TEST_F(ApiVersionsTest, BadRequestsChangeNothing) {
  EXPECT_EQ(Post(secretariat_, kVersions, R"({})").status, 422);
  EXPECT_EQ(Post(secretariat_, kVersions, R"({"label":""})").status, 422);
  EXPECT_EQ(Post(secretariat_, kVersions, R"({"label":"x","extra":1})").status, 400);
  EXPECT_EQ(Post(secretariat_, kVersions, R"({"label":)").status, 400);
  EXPECT_EQ(Get(secretariat_, kVersions + "/0").status, 404);
  EXPECT_EQ(Get(secretariat_, kVersions + "/abc").status, 404);
  EXPECT_EQ(Get(secretariat_, kVersions + "/1").status, 404);
  EXPECT_EQ(Get(secretariat_, "/api/v1/statements/nope/versions").status, 404);
  EXPECT_TRUE(Json(Get(secretariat_, kVersions)).at("items").as_array().empty());
}

}  // namespace
}  // namespace accord::server::testing
