// api_amendments_test_support.h: the fixture of the amendment API tests (api_amendments_test.cc,
// api_merges_test.cc): a statement "g20" with two participating organizations (CUT, MST), a
// third one outside it, their delegates and an observer, and helpers to propose, move and edit
// amendments. Test-only.
#ifndef ACCORD_SERVER_API_AMENDMENTS_TEST_SUPPORT_H_
#define ACCORD_SERVER_API_AMENDMENTS_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <functional>
#include <string>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/xml.h"
#include "api_test_support.h"

namespace accord::server::testing {

inline constexpr char kG20[] = "/api/v1/statements/g20";
inline const std::string kAmendments = std::string(kG20) + "/amendments";

class ApiAmendmentsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    cut_ = MakeOrg("CUT");
    mst_ = MakeOrg("MST");
    other_ = MakeOrg("OTHER");
    ana_user_ = MakeUser("ana@example.org", "Ana", cut_.id, auth::Role::kDelegate);
    MakeUser("obs@example.org", "Obs", cut_.id, auth::Role::kObserver);
    MakeUser("bea@example.org", "Bea", mst_.id, auth::Role::kDelegate);
    MakeUser("out@example.org", "Out", other_.id, auth::Role::kDelegate);
    auto g20 = store_->CreateStatement("g20", "G20 declaration", "en", now_);
    ASSERT_TRUE(g20.ok());
    g20_ = *g20;
    for (auth::Id org : {cut_.id, mst_.id}) ASSERT_NO_FATAL_FAILURE(Participate(g20_.id, org));
    sec_b_ = SignIn("sec@example.org");
    ana_ = SignIn("ana@example.org");
    obs_ = SignIn("obs@example.org");
    bea_ = SignIn("bea@example.org");
    out_ = SignIn("out@example.org");
  }

  void SetDraft(const std::vector<std::string>& paragraphs) {
    StoreParagraphs("statement.g20", paragraphs);
  }

  // The draft with text, frozen as version 1 by the move to the amendments phase.
  void OpenAmendments() {
    SetDraft({"We declare:", "Peace."});
    ASSERT_EQ(Patch(sec_b_, kG20, R"({"phase":"amendments"})").status, 200);
  }

  HttpResponse Get(const Browser& b, const std::string& path) { return Call(As(b, "GET", path)); }
  HttpResponse Post(const Browser& b, const std::string& path, const std::string& body) {
    return Call(As(b, "POST", path, body));
  }
  HttpResponse Patch(const Browser& b, const std::string& path, const std::string& body) {
    return Call(As(b, "PATCH", path, body));
  }
  HttpResponse Put(const Browser& b, const std::string& path) { return Call(As(b, "PUT", path)); }
  HttpResponse Delete(const Browser& b, const std::string& path) {
    return Call(As(b, "DELETE", path));
  }
  // Edits the stored document `name` as a client `client_id` would: loads its state, lets
  // `edit` change the editor's fragment and stores the change as one update, written by
  // `author` (a user id; 0: nobody recorded).
  void EditDocument(const std::string& name, uint64_t client_id,
                    const std::function<void(crdt::XmlFragment&)>& edit, auth::Id author = 0) {
    auto state = document_service_->CurrentState(name);
    ASSERT_TRUE(state.ok()) << state.status().ToString();
    crdt::Doc doc;
    doc.set_client_id(client_id);
    ASSERT_TRUE(doc.ApplyUpdate(*state).ok());
    std::vector<uint8_t> before = doc.EncodeStateVector();
    auto root = crdt::GetXmlFragment(doc, "prosemirror");
    ASSERT_TRUE(root.ok());
    edit(*root);
    auto update = doc.EncodeStateAsUpdate(before);
    ASSERT_TRUE(update.ok());
    std::vector<ClientAuthor> authors;
    if (author != 0) authors.push_back(ClientAuthor{client_id, author, now_});
    PendingUpdate pending{name, *update, authors};
    ASSERT_TRUE(document_store_->AppendBatch(std::span(&pending, 1)).ok());
  }
  // The XmlText of the `index`-th paragraph of an editor's fragment.
  static crdt::XmlText ParagraphText(crdt::XmlFragment& root, uint64_t index) {
    crdt::XmlElement paragraph(root.Get(index)->type);
    return crdt::XmlText(paragraph.Children().at(0).type);
  }

  std::string ProposeBody(auth::Id org, const std::string& title = "Bread") {
    return boost::json::serialize(boost::json::object{
        {"title", title}, {"rationale", "Hunger first."}, {"organization_id", org}});
  }
  // Proposes as Ana for CUT; returns the amendment's path.
  std::string Propose(const std::string& title = "Bread") {
    HttpResponse r = Post(ana_, kAmendments, ProposeBody(cut_.id, title));
    EXPECT_EQ(r.status, 201) << r.body;
    return Header(r, "Location");
  }
  HttpResponse Move(const Browser& b, const std::string& path, const std::string& to,
                    const std::string& reason = "") {
    boost::json::object body{{"to", to}};
    if (!reason.empty()) body["reason"] = reason;
    return Post(b, path + "/transitions", boost::json::serialize(body));
  }
  std::string State(const std::string& path) {
    return std::string(Json(Get(sec_b_, path)).at("state").as_string());
  }
  size_t Count() { return drafting_->ListAmendments(g20_.id)->size(); }

  auth::StatementRef g20_;
  auth::Organization cut_, mst_, other_;
  Browser sec_b_, ana_, obs_, bea_, out_;
  auth::User ana_user_;
};

}  // namespace accord::server::testing

#endif  // ACCORD_SERVER_API_AMENDMENTS_TEST_SUPPORT_H_
