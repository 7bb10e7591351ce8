// The endorsement API: a signatory's signed endorsement of the current manifest is stored and
// logged before the 201; every check of the contract's section 3 refuses with its own problem
// type and stores nothing (neither rows nor log entries); withdrawals are signed entries too.
#include <gtest/gtest.h>

#include "api_signon_test_support.h"
#include "endorsement.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

class ApiEndorsementsTest : public ApiSignonTest {
 protected:
  void SetUp() override {
    ApiSignonTest::SetUp();
    key_ = Approved(ana_, cgt_.id);
    manifest_ = GoFinal();
    ASSERT_FALSE(manifest_.empty());
  }
  std::string Text(int nonce = 1) { return Jcs(EndorsementObject(manifest_, nonce)); }

  // Sends `body` as ana; expects the problem `type` and nothing stored.
  void ExpectRefused(const Browser& who, const std::string& body, int status,
                     const std::string& type) {
    const int64_t rows = Rows();
    const uint64_t size = LogSize();
    HttpResponse r = Post(who, std::string(kParis) + "/endorsements", body);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(ProblemType(r), type) << r.body;
    EXPECT_EQ(Rows(), rows);
    EXPECT_EQ(LogSize(), size);
  }
  void ExpectRefused(const std::string& text, const TestKey& signer, auth::Id key_id, int status,
                     const std::string& type) {
    ExpectRefused(ana_, SignedBody("endorsement", text, signer.Sign(text), key_id), status, type);
  }

  TestKey key_;
  std::string manifest_;
};

TEST_F(ApiEndorsementsTest, GoodEndorsementIsStoredAndLogged) {
  const std::string text = Text();
  const std::string signature = key_.Sign(text);
  HttpResponse r = Post(ana_, std::string(kParis) + "/endorsements",
                        SignedBody("endorsement", text, signature, key_.id));
  ASSERT_EQ(r.status, 201) << r.body;
  json::value e = Json(r);
  EXPECT_EQ(e.at("canonical").as_string(), text);
  EXPECT_EQ(e.at("endorsement_sha256").as_string(), Sha256Hex(text));
  EXPECT_EQ(e.at("organization").at("name").as_string(), cgt_.name);
  EXPECT_EQ(e.at("signatory").at("title").as_string(), "Secretary");
  EXPECT_EQ(e.at("kind").as_string(), "adheres");
  EXPECT_TRUE(e.at("reservations").is_null());
  EXPECT_TRUE(e.at("withdrawal").is_null());
  EXPECT_EQ(e.at("key_id").as_int64(), key_.id);
  EXPECT_EQ(e.at("public_key").as_string(), key_.PublicKey());
  // The log entry is the contract's, byte for byte.
  auto entry = log_->Entry(e.at("log_index").as_int64());
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->kind, "endorsement");
  EXPECT_EQ(entry->body, Jcs(json::object{
                             {"kind", "endorsement"},
                             {"endorsement", json::parse(text)},
                             {"endorsement_sha256", Sha256Hex(text)},
                             {"key_id", key_.id},
                             {"public_key", key_.PublicKey()},
                             {"signature", signature},
                         }));
  // And the public list shows it.
  json::value list = Json(Call(Req("GET", std::string(kParis) + "/endorsements")));
  EXPECT_EQ(list.at("manifest_sha256").as_string(), manifest_);
  EXPECT_EQ(list.at("count").as_int64(), 1);
  EXPECT_EQ(list.at("withdrawn").as_int64(), 0);
  EXPECT_EQ(list.at("endorsements").as_array().size(), 1u);
}

TEST_F(ApiEndorsementsTest, ThroughTheGroupCommitWriter) {
  UseWriter();
  HttpResponse r = Endorse(ana_, key_, Text());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(writer_->batches(), 1u);
  EXPECT_EQ(ProblemType(Endorse(ana_, key_, Text())), "replayed");
}

TEST_F(ApiEndorsementsTest, WithReservations) {
  json::object o = EndorsementObject(manifest_);
  o["kind"] = "adheres-with-reservations";
  o["reservations"] = "We do not support paragraph 2.";
  HttpResponse r = Endorse(ana_, key_, Jcs(o));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r).at("reservations").as_string(), "We do not support paragraph 2.");
  json::value list = Json(Call(Req("GET", std::string(kParis) + "/endorsements")));
  EXPECT_EQ(list.at("with_reservations").as_int64(), 1);
}

TEST_F(ApiEndorsementsTest, SignatureByAnotherKeyIsBad) {
  TestKey other;
  crypto_sign_keypair(other.pk, other.sk);
  ExpectRefused(Text(), other, key_.id, 400, "bad-signature");
}

TEST_F(ApiEndorsementsTest, TamperedTextIsABadSignature) {
  const std::string text = Text();
  std::string tampered = Jcs(EndorsementObject(manifest_, 2));
  ExpectRefused(ana_, SignedBody("endorsement", tampered, key_.Sign(text), key_.id), 400,
                "bad-signature");
  ExpectRefused(ana_, SignedBody("endorsement", text, "not-a-signature", key_.id), 422,
                "validation-failed");
}

TEST_F(ApiEndorsementsTest, SomeoneElsesKeyIsTheWrongKey) {
  TestKey bea_key = Approved(bea_, mst_.id);
  ExpectRefused(Text(), bea_key, bea_key.id, 403, "wrong-key");
  ExpectRefused(Text(), key_, 9999, 403, "wrong-key");
}

TEST_F(ApiEndorsementsTest, UnapprovedKeyIsRefused) {
  TestKey pending = Register(ana_, cgt_.id);
  ExpectRefused(Text(), pending, pending.id, 403, "key-not-approved");
}

TEST_F(ApiEndorsementsTest, RevokedKeyIsRefused) {
  ASSERT_EQ(Post(ana_, "/api/v1/signing-keys/" + std::to_string(key_.id) + "/revoke", "").status,
            200);
  ExpectRefused(Text(), key_, key_.id, 403, "key-revoked");
}

TEST_F(ApiEndorsementsTest, SignatoryOfAnotherOrganizationIsForbidden) {
  // Bea signs for CGT with her own (MST) key.
  TestKey bea_key = Approved(bea_, mst_.id);
  const std::string text = Text();
  ExpectRefused(bea_, SignedBody("endorsement", text, bea_key.Sign(text), bea_key.id), 403,
                "forbidden");
  // A delegate of CGT is not a signatory.
  ExpectRefused(del_, SignedBody("endorsement", text, key_.Sign(text), key_.id), 403, "forbidden");
}

TEST_F(ApiEndorsementsTest, ReplayedEndorsementIsRefused) {
  const std::string text = Text();
  ASSERT_EQ(Endorse(ana_, key_, text).status, 201);
  ExpectRefused(text, key_, key_.id, 409, "replayed");
  // Another text with the same nonce is a replay too (checked before the duplicate rule).
  json::object o = EndorsementObject(manifest_);
  o["kind"] = "adheres-with-reservations";
  o["reservations"] = "Some.";
  ExpectRefused(Jcs(o), key_, key_.id, 409, "replayed");
}

TEST_F(ApiEndorsementsTest, SecondEndorsementOfTheOrganizationIsRefused) {
  ASSERT_EQ(Endorse(ana_, key_, Text(1)).status, 201);
  ExpectRefused(Text(2), key_, key_.id, 409, "already-endorsed");
}

TEST_F(ApiEndorsementsTest, StaleManifestIsRefused) {
  ASSERT_EQ(SetPhase("consolidation").status, 200);
  const std::string old_text = Text();
  std::string fresh = GoFinal({"We declare.", "Peace, bread and land."});
  ASSERT_NE(fresh, manifest_);
  ExpectRefused(old_text, key_, key_.id, 409, "stale-manifest");
  manifest_ = fresh;
  EXPECT_EQ(Endorse(ana_, key_, Text(3)).status, 201);
}

TEST_F(ApiEndorsementsTest, NotInFinalIsForbidden) {
  ASSERT_EQ(SetPhase("consolidation").status, 200);
  ExpectRefused(Text(), key_, key_.id, 403, "forbidden");
}

TEST_F(ApiEndorsementsTest, NonCanonicalTextIsRefused) {
  std::string pretty = json::serialize(EndorsementObject(manifest_));  // Boost's order
  ASSERT_NE(pretty, Text());
  ExpectRefused(pretty, key_, key_.id, 400, "invalid-endorsement");
  std::string spaced = Text();
  spaced.insert(1, " ");
  ExpectRefused(spaced, key_, key_.id, 400, "invalid-endorsement");
}

TEST_F(ApiEndorsementsTest, ExtraMembersAreRefused) {
  json::object o = EndorsementObject(manifest_);
  o["comment"] = "signed on a train";
  ExpectRefused(Jcs(o), key_, key_.id, 400, "invalid-endorsement");
  json::object inner = EndorsementObject(manifest_);
  inner["signatory"].as_object()["email"] = "ana@example.org";
  ExpectRefused(Jcs(inner), key_, key_.id, 400, "invalid-endorsement");
}

TEST_F(ApiEndorsementsTest, OversizedEndorsementIsRefused) {
  json::object o = EndorsementObject(manifest_);
  o["kind"] = "adheres-with-reservations";
  o["reservations"] = std::string(kMaxSignedObjectBytes, 'x');
  ExpectRefused(Jcs(o), key_, key_.id, 413, "body-too-large");
}

TEST_F(ApiEndorsementsTest, WrongOrganizationDetailsAndTimeAreRefused) {
  json::object o = EndorsementObject(manifest_);
  o["organization"].as_object()["name"] = "CGT-FO";
  ExpectRefused(Jcs(o), key_, key_.id, 400, "organization-mismatch");
  json::object late = EndorsementObject(manifest_);
  late["signed_at"] = FormatTime(now_ - 16 * 60);
  ExpectRefused(Jcs(late), key_, key_.id, 400, "bad-time");
}

TEST_F(ApiEndorsementsTest, WithdrawalIsSignedLoggedAndEndsTheEndorsement) {
  HttpResponse made = Endorse(ana_, key_, Text());
  ASSERT_EQ(made.status, 201);
  json::value e = Json(made);
  const std::string id = std::to_string(e.at("id").as_int64());
  json::object w{
      {"format", "accord-withdrawal-v1"},
      {"endorsement_sha256", e.at("endorsement_sha256")},
      {"manifest_sha256", manifest_},
      {"organization", json::object{{"id", cgt_.id}}},
      {"reason", "Our congress decided otherwise."},
      {"signed_at", FormatTime(now_)},
      {"nonce", Base64(std::string(16, 'w'))},
  };
  const std::string text = Jcs(w);
  const std::string path = std::string(kParis) + "/endorsements/" + id + "/withdrawal";
  // Bad signature first: nothing stored.
  const uint64_t size = LogSize();
  TestKey other;
  crypto_sign_keypair(other.pk, other.sk);
  EXPECT_EQ(
      ProblemType(Post(ana_, path, SignedBody("withdrawal", text, other.Sign(text), key_.id))),
      "bad-signature");
  EXPECT_EQ(LogSize(), size);
  HttpResponse r = Post(ana_, path, SignedBody("withdrawal", text, key_.Sign(text), key_.id));
  ASSERT_EQ(r.status, 201) << r.body;
  json::value after = Json(r);
  ASSERT_TRUE(after.at("withdrawal").is_object());
  EXPECT_EQ(after.at("withdrawal").at("reason").as_string(), "Our congress decided otherwise.");
  auto entry = log_->Entry(after.at("withdrawal").at("log_index").as_int64());
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->body, Jcs(json::object{
                             {"kind", "withdrawal"},
                             {"withdrawal", json::parse(text)},
                             {"withdrawal_sha256", Sha256Hex(text)},
                             {"key_id", key_.id},
                             {"public_key", key_.PublicKey()},
                             {"signature", key_.Sign(text)},
                         }));
  // Not twice (a new nonce, so it is not a replay).
  w["nonce"] = Base64(std::string(16, 'v'));
  std::string again = Jcs(w);
  EXPECT_EQ(
      ProblemType(Post(ana_, path, SignedBody("withdrawal", again, key_.Sign(again), key_.id))),
      "not-active");
  json::value list = Json(Call(Req("GET", std::string(kParis) + "/endorsements")));
  EXPECT_EQ(list.at("count").as_int64(), 0);
  EXPECT_EQ(list.at("withdrawn").as_int64(), 1);
  // The organization may endorse again.
  EXPECT_EQ(Endorse(ana_, key_, Text(7)).status, 201);
}

TEST_F(ApiEndorsementsTest, WithdrawalMustNameTheEndorsement) {
  json::value e = Json(Endorse(ana_, key_, Text()));
  json::object w{
      {"format", "accord-withdrawal-v1"},
      {"endorsement_sha256", Sha256Hex("something else")},
      {"manifest_sha256", manifest_},
      {"organization", json::object{{"id", cgt_.id}}},
      {"reason", ""},
      {"signed_at", FormatTime(now_)},
      {"nonce", Base64(std::string(16, 'w'))},
  };
  const std::string text = Jcs(w);
  const std::string path = std::string(kParis) + "/endorsements/" +
                           std::to_string(e.at("id").as_int64()) + "/withdrawal";
  EXPECT_EQ(ProblemType(Post(ana_, path, SignedBody("withdrawal", text, key_.Sign(text), key_.id))),
            "withdrawal-mismatch");
  EXPECT_EQ(Post(ana_, std::string(kParis) + "/endorsements/999/withdrawal",
                 SignedBody("withdrawal", text, key_.Sign(text), key_.id))
                .status,
            404);
}

TEST_F(ApiEndorsementsTest, ListIsPublicOnlyOnceThereIsAManifest) {
  EXPECT_EQ(Call(Req("GET", "/api/v1/statements/nope/endorsements")).status, 404);
  ASSERT_TRUE(store_->CreateStatement("draft", "Draft", "en", now_).ok());
  EXPECT_EQ(Call(Req("GET", "/api/v1/statements/draft/endorsements")).status, 404);
  EXPECT_EQ(Call(Req("GET", std::string(kParis) + "/endorsements")).status, 200);
}

}  // namespace
}  // namespace accord::server::testing
