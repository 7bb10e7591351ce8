// Tests of open adherence (api_adherence.cc, and open_for_signature in api_statements.cc),
// through ApiService::Handle on real SQLite files: the public challenge and form with each of
// their defences (not open, honeypot, challenge checks, single use, per-address rate limit,
// pending cap, strict fields — each failure stores nothing), and the secretariat's list,
// approval (organization, participant that may only sign, invitation that works) and
// rejection, which others may not do.
#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "adherence_challenge.h"
#include "adherence_store.h"
#include "api_json.h"
#include "api_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

constexpr char kParis[] = "/api/v1/statements/paris";
constexpr char kChallenge[] = "/api/v1/statements/paris/adherence-challenge";
constexpr char kRequests[] = "/api/v1/statements/paris/adherence-requests";

class ApiAdherenceTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    config_.adherence_difficulty = 6;  // quick to solve here; production asks for 18 bits
    conv_org_ = MakeOrg("CONV");
    other_org_ = MakeOrg("OTHER");
    conv_ = MakeUser("conv@example.org", "Conv", conv_org_.id, auth::Role::kSecretariat);
    delegate_ = MakeUser("del@example.org", "Del", other_org_.id, auth::Role::kDelegate);
    auto paris = store_->CreateStatement("paris", "Paris declaration", "en", now_);
    ASSERT_TRUE(paris.ok());
    paris_ = *paris;
    ASSERT_NO_FATAL_FAILURE(Participate(paris_.id, conv_org_.id, /*convener=*/true));
    ASSERT_NO_FATAL_FAILURE(Participate(paris_.id, other_org_.id));
    ASSERT_TRUE(store_->SetStatementPhase(paris_.id, auth::Phase::kFinal, std::nullopt).ok());
    ASSERT_TRUE(adherence_->SetOpenForSignature(paris_.id, true).ok());
  }

  static int Bits(const std::string& challenge, const std::string& nonce) {
    std::string text = challenge + ":" + nonce;
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
    crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                       text.size());
    return LeadingZeroBits(digest.data(), digest.size());
  }
  static std::string Unsolved(const std::string& challenge, int difficulty) {
    for (int i = 0;; ++i) {
      if (Bits(challenge, std::to_string(i)) < difficulty) return std::to_string(i);
    }
  }
  // GET the challenge, solve it as a browser would, and let the form take its time.
  std::pair<std::string, std::string> SolvedChallenge() {
    HttpResponse res = Call(Req("GET", kChallenge));
    EXPECT_EQ(res.status, 200) << res.body;
    if (res.status != 200) return {};
    json::value v = Json(res);
    std::string challenge(v.at("challenge").as_string());
    int difficulty = static_cast<int>(v.at("difficulty").as_int64());
    now_ += 5;
    for (int i = 0;; ++i) {
      if (Bits(challenge, std::to_string(i)) >= difficulty) return {challenge, std::to_string(i)};
    }
  }
  static json::object Form(const std::string& short_name, const std::string& email) {
    return json::object{
        {"organization", json::object{{"name", short_name + " federation"},
                                      {"short_name", short_name},
                                      {"country", "BR"},
                                      {"kind", "union"},
                                      {"website", "https://example.org"}}},
        {"signatory",
         json::object{{"name", "Ana Pérez"}, {"title", "General Secretary"}, {"email", email}}},
        {"message", "We join the call."}};
  }
  // POSTs the form as a browser on the public page would (Origin, no session), from `ip` or
  // else from an address of its own (so that only the rate limit test meets the limit).
  HttpResponse Post(json::object form, std::string ip = "") {
    if (ip.empty()) ip = "198.51.100." + std::to_string(++addresses_);
    if (!form.contains("challenge")) {
      auto [challenge, nonce] = SolvedChallenge();
      form["challenge"] = challenge;
      form["nonce"] = nonce;
    }
    ApiRequest r = Req("POST", kRequests, json::serialize(form));
    r.headers["origin"] = kOrigin;
    r.ip = ip;
    return Call(r);
  }
  size_t Stored() {
    auto all = adherence_->ListRequests(paris_.id, std::nullopt);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }
  auth::Id Submit(const std::string& short_name, const std::string& email) {
    HttpResponse res = Post(Form(short_name, email));
    EXPECT_EQ(res.status, 202) << res.body;
    return res.status == 202 ? Json(res).at("id").as_int64() : 0;
  }
  std::string Decide(auth::Id id, const std::string& verb) {
    return std::string(kRequests) + "/" + std::to_string(id) + "/" + verb;
  }
  static std::vector<std::string> ErrorFields(const HttpResponse& res) {
    std::vector<std::string> fields;
    json::value v = Json(res);
    if (!v.is_object() || !v.as_object().contains("errors")) return fields;
    for (const auto& e : v.at("errors").as_array()) fields.emplace_back(e.at("field").as_string());
    return fields;
  }

  auth::Organization conv_org_, other_org_;
  auth::User conv_, delegate_;
  auth::StatementRef paris_;
  int addresses_ = 0;
};

TEST_F(ApiAdherenceTest, OpenForSignatureIsTheSecretariatsToSetAndShown) {
  ASSERT_TRUE(adherence_->SetOpenForSignature(paris_.id, false).ok());
  Browser conv = SignIn("conv@example.org");
  Browser del = SignIn("del@example.org");
  HttpResponse denied = Call(As(del, "PATCH", kParis, R"({"open_for_signature":true})"));
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(*adherence_->OpenForSignature(paris_.id), false);
  HttpResponse bad = Call(As(conv, "PATCH", kParis, R"({"open_for_signature":"yes"})"));
  EXPECT_EQ(bad.status, 422) << bad.body;
  HttpResponse opened = Call(As(conv, "PATCH", kParis, R"({"open_for_signature":true})"));
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(Json(opened).at("open_for_signature"), true);
  EXPECT_FALSE(Json(opened).as_object().contains("phase_change"));  // no phase change recorded
  EXPECT_EQ(Json(Call(As(del, "GET", kParis))).at("open_for_signature"), true);
  EXPECT_EQ(AuditCount("open-for-signature"), 1);
  // Together with a phase change, both apply.
  HttpResponse both =
      Call(As(conv, "PATCH", kParis, R"({"phase":"consolidation","open_for_signature":false})"));
  ASSERT_EQ(both.status, 200) << both.body;
  EXPECT_EQ(Json(both).at("open_for_signature"), false);
  EXPECT_EQ(Json(both).at("phase"), "consolidation");
}

TEST_F(ApiAdherenceTest, OnlyAFinalStatementOpenForSignatureTakesRequests) {
  ASSERT_TRUE(adherence_->SetOpenForSignature(paris_.id, false).ok());
  HttpResponse closed = Call(Req("GET", kChallenge));
  EXPECT_EQ(closed.status, 409);
  EXPECT_EQ(ProblemType(closed), "not-open-for-signature");
  json::object form = Form("CUT", "ana@cut.org");
  form["challenge"] = "7.1.1.00.00";
  form["nonce"] = "1";
  HttpResponse posted = Post(form);
  EXPECT_EQ(posted.status, 409);
  EXPECT_EQ(ProblemType(posted), "not-open-for-signature");
  // Open but not final.
  ASSERT_TRUE(adherence_->SetOpenForSignature(paris_.id, true).ok());
  ASSERT_TRUE(store_->SetStatementPhase(paris_.id, auth::Phase::kConsolidation, std::nullopt).ok());
  EXPECT_EQ(Call(Req("GET", kChallenge)).status, 409);
  EXPECT_EQ(Call(Req("GET", "/api/v1/statements/nope/adherence-challenge")).status, 404);
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(ApiAdherenceTest, ARequestIsAcceptedAndAudited) {
  HttpResponse res = Post(Form("CUT", "Ana@CUT.org"));
  ASSERT_EQ(res.status, 202) << res.body;
  EXPECT_EQ(Json(res).at("state"), "pending");
  auth::Id id = Json(res).at("id").as_int64();
  auto stored = adherence_->GetRequest(paris_.id, id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->signatory_email, "ana@cut.org");
  EXPECT_TRUE(stored->ip.starts_with("198.51.100.")) << stored->ip;
  EXPECT_EQ(stored->org_country, "BR");
  EXPECT_EQ(AuditCount("adherence-requested"), 1);
}

TEST_F(ApiAdherenceTest, AFilledHoneypotIsRefusedWithoutSayingWhy) {
  json::object form = Form("CUT", "ana@cut.org");
  form["website_confirm"] = "http://spam.example";
  HttpResponse res = Post(form);
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(ProblemType(res), "request-refused");
  EXPECT_EQ(res.body.find("website_confirm"), std::string::npos) << res.body;
  EXPECT_EQ(res.body.find("honeypot"), std::string::npos) << res.body;
  EXPECT_EQ(Stored(), 0u);
  EXPECT_EQ(AuditCount("adherence-refused"), 1);
  // Present but empty is what the real form sends.
  form["website_confirm"] = "";
  form.erase("challenge");
  EXPECT_EQ(Post(form).status, 202);
}

TEST_F(ApiAdherenceTest, ChallengeFailuresAreRefusedAndStoreNothing) {
  // Too early: sent at once.
  HttpResponse fresh = Call(Req("GET", kChallenge));
  ASSERT_EQ(fresh.status, 200);
  json::object form = Form("CUT", "ana@cut.org");
  form["challenge"] = Json(fresh).at("challenge");
  form["nonce"] = "0";
  HttpResponse early = Post(form);
  EXPECT_EQ(early.status, 400);
  EXPECT_EQ(ProblemType(early), "challenge-too-early");
  // Not solved: a nonce with fewer leading zero bits than asked.
  auto [challenge, nonce] = SolvedChallenge();
  form["challenge"] = challenge;
  form["nonce"] = Unsolved(challenge, config_.adherence_difficulty);
  HttpResponse unsolved = Post(form);
  EXPECT_EQ(unsolved.status, 400);
  EXPECT_EQ(ProblemType(unsolved), "challenge-not-solved");
  // Tampered: the MAC no longer matches.
  std::string tampered = challenge;
  tampered[tampered.size() - 1] = tampered.back() == 'a' ? 'b' : 'a';
  form["challenge"] = tampered;
  form["nonce"] = nonce;
  HttpResponse forged = Post(form);
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(ProblemType(forged), "challenge-invalid");
  // Expired.
  now_ += 31 * 60;
  form["challenge"] = challenge;
  HttpResponse expired = Post(form);
  EXPECT_EQ(expired.status, 400);
  EXPECT_EQ(ProblemType(expired), "challenge-expired");
  // Missing altogether: field errors.
  form.erase("challenge");
  form.erase("nonce");
  ApiRequest r = Req("POST", kRequests, json::serialize(form));
  r.headers["origin"] = kOrigin;
  HttpResponse missing = Call(r);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(ErrorFields(missing), (std::vector<std::string>{"challenge", "nonce"}));
  EXPECT_EQ(Stored(), 0u);
}

TEST_F(ApiAdherenceTest, AChallengeIsUsedOnce) {
  auto [challenge, nonce] = SolvedChallenge();
  json::object form = Form("CUT", "ana@cut.org");
  form["challenge"] = challenge;
  form["nonce"] = nonce;
  ASSERT_EQ(Post(form).status, 202);
  json::object again = Form("MST", "bo@mst.org");
  again["challenge"] = challenge;
  again["nonce"] = nonce;
  HttpResponse reused = Post(again);
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(ProblemType(reused), "challenge-used");
  EXPECT_EQ(Stored(), 1u);
}

TEST_F(ApiAdherenceTest, EachAddressIsRateLimited) {
  for (int i = 0; i < config_.adherence_per_ip.burst; ++i) {
    json::object form = Form("ORG" + std::to_string(i), "a" + std::to_string(i) + "@x.org");
    EXPECT_EQ(Post(form, "203.0.113.9").status, 202) << i;
  }
  HttpResponse limited = Post(Form("LAST", "last@x.org"), "203.0.113.9");
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_FALSE(Header(limited, "Retry-After").empty());
  EXPECT_EQ(Stored(), static_cast<size_t>(config_.adherence_per_ip.burst));
  // Another address is not held back.
  EXPECT_EQ(Post(Form("LAST", "last@x.org"), "203.0.113.10").status, 202);
}

TEST_F(ApiAdherenceTest, PendingRequestsAreCappedPerStatement) {
  config_.adherence_max_pending = 2;
  Submit("A", "a@a.org");
  Submit("B", "b@b.org");
  HttpResponse full = Post(Form("C", "c@c.org"));
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(ProblemType(full), "queue-full");
  HttpResponse same = Post(Form("A2", "a@a.org"));
  EXPECT_EQ(same.status, 409);  // the cap is checked first; both refuse
  EXPECT_EQ(Stored(), 2u);
}

TEST_F(ApiAdherenceTest, OnePendingRequestPerAddress) {
  Submit("A", "a@a.org");
  HttpResponse same = Post(Form("A2", "a@a.org"));
  EXPECT_EQ(same.status, 409);
  EXPECT_EQ(ProblemType(same), "already-requested");
}

TEST_F(ApiAdherenceTest, BadFieldsAreEachNamedAndNothingIsStored) {
  struct Case {
    std::string path;  // "organization.country"
    json::value value;
    std::string field;
  };
  std::vector<Case> cases;
  auto add = [&](std::string path, json::value value, std::string field) {
    cases.push_back(Case{std::move(path), std::move(value), std::move(field)});
  };
  add("organization.country", json::value("XX"), "organization.country");
  add("organization.country", json::value("br"), "organization.country");
  add("organization.kind", json::value("club"), "organization.kind");
  add("organization.website", json::value("ftp://example.org"), "organization.website");
  add("organization.name", json::value(""), "organization.name");
  add("organization.short_name", json::value(std::string(33, 'S')), "organization.short_name");
  add("organization.extra", json::value(1), "organization");
  add("signatory.email", json::value("not-an-address"), "signatory.email");
  add("signatory.name", json::value(""), "signatory.name");
  add("signatory.title", json::value(std::string(101, 't')), "signatory.title");
  add("message", json::value(std::string(2001, 'm')), "message");
  add("signatory", json::value("Ana"), "signatory");
  for (const Case& c : cases) {
    json::object form = Form("CUT", "ana@cut.org");
    const std::string& path = c.path;
    size_t dot = path.find('.');
    if (dot == std::string::npos) {
      form[path] = c.value;
    } else {
      form[path.substr(0, dot)].as_object()[path.substr(dot + 1)] = c.value;
    }
    HttpResponse res = Post(form);
    EXPECT_EQ(res.status, 422) << c.path << ": " << res.body;
    EXPECT_EQ(ErrorFields(res), std::vector<std::string>{c.field}) << c.path;
  }
  json::object form = Form("CUT", "ana@cut.org");
  form["unknown"] = true;
  EXPECT_EQ(Post(form).status, 400);
  EXPECT_EQ(Stored(), 0u);
  // A field error does not spend the challenge: the corrected form goes through with it.
  auto [challenge, nonce] = SolvedChallenge();
  json::object wrong = Form("CUT", "bad");
  wrong["challenge"] = challenge;
  wrong["nonce"] = nonce;
  EXPECT_EQ(Post(wrong).status, 422);
  json::object right = Form("CUT", "ana@cut.org");
  right["challenge"] = challenge;
  right["nonce"] = nonce;
  EXPECT_EQ(Post(right).status, 202);
}

TEST_F(ApiAdherenceTest, ApprovalCreatesASigningParticipantAndAWorkingInvitation) {
  auth::Id id = Submit("CUT", "ana@cut.org");
  Browser conv = SignIn("conv@example.org");
  HttpResponse listed = Call(As(conv, "GET", std::string(kRequests) + "?state=pending"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(Json(listed).at("items").as_array().size(), 1u);
  EXPECT_EQ(Json(listed).at("items").at(0).at("existing_organization"), nullptr);
  EXPECT_EQ(Call(As(conv, "GET", std::string(kRequests) + "?state=odd")).status, 422);

  HttpResponse approved = Call(As(conv, "POST", Decide(id, "approve")));
  ASSERT_EQ(approved.status, 200) << approved.body;
  json::value v = Json(approved);
  EXPECT_EQ(v.at("request").at("state"), "approved");
  EXPECT_EQ(v.at("organization").at("short_name"), "CUT");
  EXPECT_EQ(v.at("organization_created"), true);
  EXPECT_EQ(v.at("invitation").at("role"), "signatory");
  EXPECT_EQ(v.at("invitation").at("emailed"), false);
  std::string link(v.at("invitation").at("link").as_string());
  auth::Id org = v.at("organization").at("id").as_int64();
  EXPECT_EQ(AuditCount("adherence-approved"), 1);
  EXPECT_FALSE(rights_changed_.empty());

  auto participants = store_->ListParticipants(paris_.id);
  ASSERT_TRUE(participants.ok());
  bool found = false;
  for (const auto& p : *participants) {
    if (p.organization_id != org) continue;
    found = true;
    EXPECT_TRUE(p.sign);
    EXPECT_FALSE(p.edit);
    EXPECT_FALSE(p.amend);
    EXPECT_FALSE(p.convener);
  }
  EXPECT_TRUE(found);

  // The signatory accepts and may endorse for the new organization (and do nothing else).
  std::string token = link.substr(link.find('#') + 1);
  ApiRequest accept = Req("POST", "/api/v1/invitations/accept",
                          json::serialize(json::object{{"token", token}, {"password", kPassword}}));
  accept.headers["origin"] = kOrigin;
  HttpResponse accepted = Call(accept);
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  Browser ana = SignIn("ana@cut.org");
  json::value rights = Json(Call(As(ana, "GET", kParis))).at("rights");
  EXPECT_EQ(rights.at("endorse-for"), json::array{org});
  EXPECT_EQ(rights.at("edit-draft"), false);

  HttpResponse twice = Call(As(conv, "POST", Decide(id, "approve")));
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(ProblemType(twice), "already-decided");
}

TEST_F(ApiAdherenceTest, WithMailTheInvitationIsSentNotShown) {
  mail_enabled_ = true;
  auth::Id id = Submit("CUT", "ana@cut.org");
  Browser conv = SignIn("conv@example.org");
  HttpResponse approved = Call(As(conv, "POST", Decide(id, "approve"), "{}"));
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(Json(approved).at("invitation").at("emailed"), true);
  EXPECT_EQ(Json(approved).at("invitation").at("link"), nullptr);
  ASSERT_EQ(mails_.size(), 1u);
  EXPECT_EQ(mails_[0].to, "ana@cut.org");
  EXPECT_NE(mails_[0].body.find("/invite#aci_"), std::string::npos);
  EXPECT_NE(mails_[0].body.find("Paris declaration"), std::string::npos);
}

TEST_F(ApiAdherenceTest, ATakenShortNameIsAClearConflictOrALink) {
  auth::Id id = Submit("OTHER", "ana@other.org");
  Browser conv = SignIn("conv@example.org");
  HttpResponse listed = Call(As(conv, "GET", kRequests));
  EXPECT_EQ(Json(listed).at("items").at(0).at("existing_organization").at("id"), other_org_.id);
  HttpResponse clash = Call(As(conv, "POST", Decide(id, "approve")));
  EXPECT_EQ(clash.status, 409) << clash.body;
  EXPECT_EQ(ProblemType(clash), "short-name-taken");
  EXPECT_NE(clash.body.find("organization_id"), std::string::npos);
  EXPECT_EQ(adherence_->GetRequest(paris_.id, id)->state, AdherenceState::kPending);
  HttpResponse unknown =
      Call(As(conv, "POST", Decide(id, "approve"), R"({"organization_id":9999})"));
  EXPECT_EQ(unknown.status, 422) << unknown.body;
  HttpResponse linked = Call(As(conv, "POST", Decide(id, "approve"),
                                json::serialize(json::object{{"organization_id", other_org_.id}})));
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(Json(linked).at("organization_created"), false);
  EXPECT_EQ(Json(linked).at("organization").at("id"), other_org_.id);
}

TEST_F(ApiAdherenceTest, RejectionRecordsItsReason) {
  auth::Id id = Submit("CUT", "ana@cut.org");
  Browser conv = SignIn("conv@example.org");
  EXPECT_EQ(Call(As(conv, "POST", Decide(id, "reject"), "{}")).status, 422);
  HttpResponse rejected =
      Call(As(conv, "POST", Decide(id, "reject"), R"({"reason":"not an organization"})"));
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(Json(rejected).at("state"), "rejected");
  EXPECT_EQ(Json(rejected).at("reason"), "not an organization");
  EXPECT_EQ(AuditCount("adherence-rejected"), 1);
  EXPECT_EQ(Call(As(conv, "POST", Decide(id, "approve"))).status, 409);
  EXPECT_EQ(Call(As(conv, "POST", Decide(9999, "reject"), R"({"reason":"x"})")).status, 404);
  EXPECT_EQ(store_->ListParticipants(paris_.id)->size(), 2u);
}

TEST_F(ApiAdherenceTest, OnlyTheStatementsSecretariatDecides) {
  auth::Id id = Submit("CUT", "ana@cut.org");
  Browser del = SignIn("del@example.org");
  EXPECT_EQ(Call(As(del, "GET", kRequests)).status, 403);
  EXPECT_EQ(Call(As(del, "POST", Decide(id, "approve"))).status, 403);
  EXPECT_EQ(Call(As(del, "POST", Decide(id, "reject"), R"({"reason":"x"})")).status, 403);
  EXPECT_EQ(Call(Req("GET", kRequests)).status, 401);
  EXPECT_EQ(adherence_->GetRequest(paris_.id, id)->state, AdherenceState::kPending);
  // The instance secretariat may.
  Browser sec = SignIn("sec@example.org");
  EXPECT_EQ(Call(As(sec, "GET", kRequests)).status, 200);
}

}  // namespace
}  // namespace accord::server::testing
