// api_signon_test_support.h: the fixture of the sign-on API tests (api_signing_keys_test.cc,
// api_manifest_test.cc, api_endorsements_test.cc): a real SqliteSignonStore beside the other
// stores of ApiTest, a statement "paris" with two participating organizations (CGT, France;
// MST, Brazil) and one signatory each, Ed25519 keys made with libsodium as a browser makes
// them, and helpers that register and approve keys, take the statement to `final` and sign
// endorsements the way the contract says. Test-only.
#ifndef ACCORD_SERVER_API_SIGNON_TEST_SUPPORT_H_
#define ACCORD_SERVER_API_SIGNON_TEST_SUPPORT_H_

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "accord/signon/canonical_json.h"
#include "api_json.h"
#include "api_test_support.h"
#include "signon_encoding.h"
#include "signon_store.h"
#include "signon_writer.h"
#include "sqlite_signon_store.h"

namespace accord::server::testing {

inline constexpr char kParis[] = "/api/v1/statements/paris";

// A key pair as the browser keeps it; `id` once registered.
struct TestKey {
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  auth::Id id = 0;
  std::string PublicKey() const {
    return Base64(std::string_view(reinterpret_cast<const char*>(pk), sizeof pk));
  }
  std::string Sign(std::string_view message) const {
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), sk);
    return Base64(std::string_view(reinterpret_cast<const char*>(sig), sizeof sig));
  }
};

class ApiSignonTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    ASSERT_GE(sodium_init(), 0);
    auto signon = OpenSqliteSignonStore(dir_.string(), [this] { return now_; });
    ASSERT_TRUE(signon.ok()) << signon.status().ToString();
    signon_ = std::move(*signon);
    service_->context().signon = signon_.get();
    cgt_ = MakeCountryOrg("CGT", "Confédération générale du travail", "FR");
    mst_ = MakeCountryOrg("MST", "Movimento dos Trabalhadores Sem Terra", "BR");
    ana_user_ = MakeUser("ana@example.org", "Ana Pérez", cgt_.id, auth::Role::kSignatory);
    bea_user_ = MakeUser("bea@example.org", "Bea Souza", mst_.id, auth::Role::kSignatory);
    MakeUser("del@example.org", "Del", cgt_.id, auth::Role::kDelegate);
    auto paris = store_->CreateStatement("paris", "Paris declaration", "en", now_);
    ASSERT_TRUE(paris.ok());
    paris_ = *paris;
    for (auth::Id org : {cgt_.id, mst_.id}) ASSERT_NO_FATAL_FAILURE(Participate(paris_.id, org));
    sec_b_ = SignIn("sec@example.org");
    ana_ = SignIn("ana@example.org");
    bea_ = SignIn("bea@example.org");
    del_ = SignIn("del@example.org");
  }
  void TearDown() override {
    writer_.reset();
    service_->context().signon_writer = nullptr;
    service_->context().signon = nullptr;
    signon_.reset();
    ApiTest::TearDown();
  }

  auth::Organization MakeCountryOrg(const std::string& short_name, const std::string& name,
                                    const std::string& country) {
    auth::Organization o;
    o.name = name;
    o.short_name = short_name;
    o.country = country;
    auto made = store_->CreateOrganization(o, now_);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? *made : o;
  }
  // Endorsements and withdrawals through the group-commit writer, as accordd runs them.
  void UseWriter() {
    writer_ = std::make_unique<SignonWriter>(*signon_);
    service_->context().signon_writer = writer_.get();
  }

  HttpResponse Get(const Browser& b, const std::string& path) { return Call(As(b, "GET", path)); }
  HttpResponse Post(const Browser& b, const std::string& path, const std::string& body) {
    return Call(As(b, "POST", path, body));
  }

  // A fresh key pair, registered by `who` for `org` (not approved).
  TestKey Register(const Browser& who, auth::Id org, auth::Id replaces = 0) {
    TestKey key;
    crypto_sign_keypair(key.pk, key.sk);
    boost::json::object body{
        {"organization_id", org}, {"public_key", key.PublicKey()}, {"label", "laptop"}};
    if (replaces) body["replaces"] = replaces;
    HttpResponse r = Post(who, "/api/v1/signing-keys", boost::json::serialize(body));
    EXPECT_EQ(r.status, 201) << r.body;
    if (r.status == 201) key.id = Json(r).at("id").as_int64();
    return key;
  }
  HttpResponse Approve(const TestKey& key) {
    return Post(sec_b_, "/api/v1/signing-keys/" + std::to_string(key.id) + "/approve", "");
  }
  TestKey Approved(const Browser& who, auth::Id org) {
    TestKey key = Register(who, org);
    EXPECT_EQ(Approve(key).status, 200);
    return key;
  }

  // Takes "paris" to final with a text; the new manifest's hash.
  std::string GoFinal(const std::vector<std::string>& paragraphs = {"We declare.",
                                                                    "Peace and bread."}) {
    StoreParagraphs("statement.paris", paragraphs);
    HttpResponse r = Call(As(sec_b_, "PATCH", kParis, R"({"phase":"final"})"));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return "";
    auto v = Json(r);
    if (!v.as_object().contains("manifest")) {
      ADD_FAILURE() << "no manifest in " << r.body;
      return "";
    }
    return std::string(v.at("manifest").at("manifest_sha256").as_string());
  }
  HttpResponse SetPhase(const std::string& phase) {
    return Call(As(sec_b_, "PATCH", kParis, R"({"phase":")" + phase + R"("})"));
  }

  // An endorsement object for CGT as ana signs it.
  boost::json::object EndorsementObject(const std::string& manifest_sha256, int nonce = 1) {
    return boost::json::object{
        {"format", "accord-endorsement-v1"},
        {"manifest_sha256", manifest_sha256},
        {"organization",
         boost::json::object{{"id", cgt_.id}, {"name", cgt_.name}, {"country", cgt_.country}}},
        {"signatory", boost::json::object{{"name", "Ana Pérez"}, {"title", "Secretary"}}},
        {"kind", "adheres"},
        {"signed_at", FormatTime(now_)},
        {"nonce", Base64(std::string(15, 'n') + static_cast<char>(nonce))},
    };
  }
  static std::string Jcs(const boost::json::value& v) {
    auto text = signon::CanonicalizeJsonValue(v);
    EXPECT_TRUE(text.ok());
    return text.ok() ? *text : "";
  }
  static std::string SignedBody(const char* field, const std::string& text,
                                const std::string& signature, auth::Id key_id) {
    return boost::json::serialize(
        boost::json::object{{field, text}, {"signature", signature}, {"key_id", key_id}});
  }
  HttpResponse Endorse(const Browser& who, const TestKey& key, const std::string& text) {
    return Post(who, std::string(kParis) + "/endorsements",
                SignedBody("endorsement", text, key.Sign(text), key.id));
  }

  uint64_t LogSize() { return *log_->Size(); }
  int64_t Rows() { return *signon_->CountRows(); }

  std::unique_ptr<SignonStore> signon_;
  std::unique_ptr<SignonWriter> writer_;
  auth::Organization cgt_, mst_;
  auth::User ana_user_, bea_user_;
  auth::StatementRef paris_;
  Browser sec_b_, ana_, bea_, del_;
};

}  // namespace accord::server::testing

#endif  // ACCORD_SERVER_API_SIGNON_TEST_SUPPORT_H_
