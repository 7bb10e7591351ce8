// api_test_support.h: what the REST API's unit tests share — a real SqliteAccountStore in a
// fresh temporary directory, an ApiService over it with clocks the test moves, and helpers to
// make requests the way a browser (cookie + Origin + CSRF token) or a script (Bearer token)
// does. Requests go through ApiService::Handle, the same entry point accordd uses; only the
// sockets are left out (server_test.cc and the node suites cover those).
#ifndef ACCORD_SERVER_API_TEST_SUPPORT_H_
#define ACCORD_SERVER_API_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "accord/auth/password.h"
#include "accord/auth/secret.h"
#include "accord/auth/web_security.h"
#include "accord/crdt/doc.h"
#include "accord/crdt/xml.h"
#include "account_admin.h"
#include "adherence_store.h"
#include "api.h"
#include "api_service.h"
#include "comment_store.h"
#include "document_service.h"
#include "document_store.h"
#include "drafting_store.h"
#include "sqlite_account_store.h"
#include "sqlite_transparency_log.h"
#include "transparency_log.h"

namespace accord::server::testing {

inline constexpr char kOrigin[] = "https://accord.test";
inline constexpr char kPassword[] = "correct horse battery staple";
inline constexpr char kLogOrigin[] = "accord.test/log";

// One Argon2id hash of kPassword for the whole test binary (each hash costs 64 MiB and
// noticeable time under the sanitizers).
inline const std::string& PasswordHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] {
    auth::PasswordHasher hasher;
    auto h = hasher.Hash(kPassword);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hash = *h;
  });
  return hash;
}

// A signed-in browser: its session cookie's value and the CSRF token the API gave it.
struct Browser {
  std::string cookie;
  std::string csrf;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::Initialize().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-api-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    config_.public_url = kOrigin;
    auto ctx = std::make_unique<ApiContext>();
    ctx->store = store_.get();
    auto drafting = OpenSqliteDraftingStore(dir_.string());
    ASSERT_TRUE(drafting.ok()) << drafting.status().ToString();
    drafting_ = std::move(*drafting);
    auto comments = OpenSqliteCommentStore(dir_.string());
    ASSERT_TRUE(comments.ok()) << comments.status().ToString();
    comments_ = std::move(*comments);
    auto documents = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(documents.ok()) << documents.status().ToString();
    document_store_ = std::move(*documents);
    document_service_ = std::make_unique<DocumentService>(*document_store_, nullptr);
    auto adherence = OpenSqliteAdherenceStore(dir_.string());
    ASSERT_TRUE(adherence.ok()) << adherence.status().ToString();
    adherence_ = std::move(*adherence);
    ctx->adherence = adherence_.get();
    ctx->drafting = drafting_.get();
    ctx->comments = comments_.get();
    ctx->documents = document_service_.get();
    // The log signs with a fixed test key; its clock is the test's.
    auto signer = signon::NoteSigner::FromSeed(kLogOrigin, std::string(32, '\x11'));
    ASSERT_TRUE(signer.ok()) << signer.status().ToString();
    auto log = OpenSqliteTransparencyLog(dir_.string(), *signer, [this] { return now_; });
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(*log);
    ctx->log = log_.get();
    ctx->passwords = &hasher_;
    ctx->config = &config_;
    ctx->instance_key = std::string(32, 'k');
    ctx->now = [this] { return now_; };
    ctx->steady_now = [this] { return steady_; };
    ctx->mailer = [this](const std::string& to, const std::string& subject,
                         const std::string& body) {
      if (!mail_enabled_) return false;
      mails_.push_back({to, subject, body});
      return true;
    };
    ctx->rights_changed = [this](const std::string& doc, auth::Id user) {
      rights_changed_.push_back(doc);
      rights_changed_users_.push_back(user);
    };
    service_ = std::make_unique<ApiService>(std::move(ctx));

    // The instance: its secretariat (host organization SEC) and one member, sec@.
    auth::Organization host;
    host.name = "Secretariat";
    host.short_name = "SEC";
    host.hosts_instance = true;
    auto h = store_->CreateOrganization(host, now_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    host_ = *h;
    sec_ = MakeUser("sec@example.org", "Sec", host_.id, auth::Role::kSecretariat);
  }
  void TearDown() override {
    service_.reset();
    document_service_.reset();
    document_store_.reset();
    comments_.reset();
    adherence_.reset();
    log_.reset();
    drafting_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // A user with kPassword and, if `org` is not 0, `role` in it.
  auth::User MakeUser(const std::string& email, const std::string& name, auth::Id org,
                      auth::Role role) {
    auto u = store_->CreateUser(email, name, "en", now_);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    if (!u.ok()) return {};
    EXPECT_TRUE(store_->SetPasswordHash(u->id, PasswordHash()).ok());
    if (org != 0) {
      EXPECT_TRUE(store_->AddMembership(u->id, org, role, now_).ok());
    }
    auto fresh = store_->GetUser(u->id);
    return fresh.ok() ? *fresh : *u;
  }
  // Makes `org` a participant of `statement` (a convener or not).
  void Participate(auth::Id statement, auth::Id org, bool convener = false) {
    auth::Participation p;
    p.statement_id = statement;
    p.organization_id = org;
    p.convener = convener;
    ASSERT_TRUE(store_->SetParticipation(p).ok());
  }
  auth::Organization MakeOrg(const std::string& short_name) {
    auth::Organization o;
    o.name = short_name + " organization";
    o.short_name = short_name;
    auto made = store_->CreateOrganization(o, now_);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? *made : o;
  }

  // A request as a script sends it: no Origin, no cookie.
  ApiRequest Req(const std::string& method, const std::string& target,
                 const std::string& body = "") {
    ApiRequest r;
    r.method = method;
    EXPECT_TRUE(SplitTarget(target, &r.path, &r.query)) << target;
    r.body = body;
    if (!body.empty()) r.headers["content-type"] = "application/json";
    r.ip = "127.0.0.1";
    return r;
  }
  // As a signed-in browser: cookie, Origin and (for writes) the CSRF token.
  ApiRequest As(const Browser& b, const std::string& method, const std::string& target,
                const std::string& body = "") {
    ApiRequest r = Req(method, target, body);
    r.headers["cookie"] = std::string(auth::SessionCookieName(true)) + "=" + b.cookie;
    r.headers["origin"] = kOrigin;
    r.headers["x-csrf-token"] = b.csrf;
    return r;
  }
  // As a script with an API token.
  ApiRequest WithToken(const std::string& token, const std::string& method,
                       const std::string& target, const std::string& body = "") {
    ApiRequest r = Req(method, target, body);
    r.headers["authorization"] = "Bearer " + token;
    return r;
  }
  HttpResponse Call(ApiRequest r) { return service_->Handle(std::move(r)); }

  // Signs in through POST /api/v1/session; fails the test if that does not work.
  Browser SignIn(const std::string& email, const std::string& password = kPassword) {
    ApiRequest r =
        Req("POST", "/api/v1/session",
            boost::json::serialize(boost::json::object{{"email", email}, {"password", password}}));
    r.headers["origin"] = kOrigin;
    HttpResponse res = Call(r);
    EXPECT_EQ(res.status, 201) << res.body;
    Browser b;
    std::string set_cookie = Header(res, "Set-Cookie");
    std::string prefix = std::string(auth::SessionCookieName(true)) + "=";
    if (set_cookie.starts_with(prefix)) {
      b.cookie = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
    }
    if (res.status == 201) b.csrf = std::string(Json(res).at("csrf_token").as_string());
    return b;
  }

  static std::string Header(const HttpResponse& res, const std::string& name) {
    for (const auto& [k, v] : res.headers) {
      if (k.size() == name.size() &&
          std::equal(k.begin(), k.end(), name.begin(),
                     [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
        return v;
      }
    }
    return "";
  }
  static boost::json::value Json(const HttpResponse& res) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(res.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << res.body;
    return v;
  }
  // The problem type slug of an error response ("validation-failed").
  static std::string ProblemType(const HttpResponse& res) {
    EXPECT_EQ(res.content_type, "application/problem+json") << res.body;
    auto v = Json(res);
    if (!v.is_object() || !v.as_object().contains("type")) return "";
    std::string type(v.at("type").as_string());
    return type.substr(type.rfind('/') + 1);
  }
  // Counts rows of the audit log with `kind`.
  int AuditCount(const std::string& kind) {
    auto events = store_->ListAudit(0, 1000);
    EXPECT_TRUE(events.ok());
    int n = 0;
    for (const auto& e : *events) n += e.kind == kind;
    return n;
  }

  struct Mail {
    std::string to, subject, body;
  };

  std::filesystem::path dir_;
  // Sets the paragraphs of `document` (an editor's document shaped as y-prosemirror writes it,
  // kept in draft_ so that each call edits the same Yjs document) and stores the change as the
  // server would: an update appended to the document store.
  void StoreParagraphs(const std::string& document, const std::vector<std::string>& paragraphs) {
    auto fragment = crdt::GetXmlFragment(draft_, "prosemirror");
    ASSERT_TRUE(fragment.ok());
    if (fragment->Length() > 0) {
      ASSERT_TRUE(fragment->Delete(0, fragment->Length()).ok());
    }
    for (size_t i = 0; i < paragraphs.size(); ++i) {
      auto p = fragment->InsertElement(i, "paragraph");
      ASSERT_TRUE(p.ok());
      auto text = p->InsertText(0);
      ASSERT_TRUE(text.ok());
      ASSERT_TRUE(text->Insert(0, paragraphs[i]).ok());
    }
    auto update = draft_.EncodeStateAsUpdate();
    ASSERT_TRUE(update.ok());
    PendingUpdate pending{document, *update};
    ASSERT_TRUE(document_store_->AppendBatch(std::span(&pending, 1)).ok());
  }

  std::unique_ptr<SqliteAccountStore> store_;
  crdt::Doc draft_;  // the Yjs document StoreParagraphs edits
  std::unique_ptr<DraftingStore> drafting_;
  std::unique_ptr<CommentStore> comments_;
  std::unique_ptr<AdherenceStore> adherence_;      // open adherence (ctx->adherence)
  std::unique_ptr<DocumentStore> document_store_;  // the drafts (no rooms in these tests)
  std::unique_ptr<DocumentService> document_service_;
  std::unique_ptr<TransparencyLog> log_;  // the instance's log (ctx->log)
  auth::PasswordHasher hasher_;
  ApiConfig config_;
  std::unique_ptr<ApiService> service_;
  auth::UnixTime now_ = 1'800'000'000;
  auth::RateLimiter::Clock::time_point steady_{};
  bool mail_enabled_ = false;
  std::vector<Mail> mails_;
  std::vector<std::string> rights_changed_;
  std::vector<auth::Id> rights_changed_users_;  // the user of each rights_changed_ entry
  auth::Organization host_;
  auth::User sec_;
};

}  // namespace accord::server::testing

#endif  // ACCORD_SERVER_API_TEST_SUPPORT_H_
