// The signing-key API: a signatory registers its browser's public key, the instance
// secretariat approves (logged as key-approval) or rejects it, owners and the secretariat
// revoke (logged), rotation revokes the replaced key in the same step; nobody else sees or
// touches someone's keys.
#include <gtest/gtest.h>

#include "api_signon_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

using ApiSigningKeysTest = ApiSignonTest;

TEST_F(ApiSigningKeysTest, SignatoryRegistersAPendingKey) {
  TestKey key = Register(ana_, cgt_.id);
  HttpResponse r = Get(ana_, "/api/v1/signing-keys/" + std::to_string(key.id));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value k = Json(r);
  EXPECT_EQ(k.at("state").as_string(), "pending");
  EXPECT_EQ(k.at("public_key").as_string(), key.PublicKey());
  EXPECT_EQ(k.at("organization").at("name").as_string(), cgt_.name);
  EXPECT_EQ(k.at("organization").at("country").as_string(), "FR");
  EXPECT_EQ(k.at("user").at("display_name").as_string(), "Ana Pérez");
  EXPECT_TRUE(k.at("approval_log_index").is_null());
  EXPECT_TRUE(k.at("decided_at").is_null());
  EXPECT_EQ(AuditCount("signing-key-registered"), 1);
  EXPECT_EQ(LogSize(), 0u);  // registering is not logged; approval is
}

TEST_F(ApiSigningKeysTest, OnlySignatoriesOfTheOrganizationRegister) {
  TestKey key;
  crypto_sign_keypair(key.pk, key.sk);
  auto body = [&](auth::Id org) {
    return json::serialize(
        json::object{{"organization_id", org}, {"public_key", key.PublicKey()}, {"label", "x"}});
  };
  EXPECT_EQ(ProblemType(Post(del_, "/api/v1/signing-keys", body(cgt_.id))), "forbidden");
  EXPECT_EQ(ProblemType(Post(ana_, "/api/v1/signing-keys", body(mst_.id))), "forbidden");
  // Malformed keys and unknown fields.
  EXPECT_EQ(ProblemType(Post(ana_, "/api/v1/signing-keys",
                             R"({"organization_id":)" + std::to_string(cgt_.id) +
                                 R"(,"public_key":"not-a-key","label":"x"})")),
            "validation-failed");
  EXPECT_EQ(ProblemType(Post(ana_, "/api/v1/signing-keys", R"({"owner":1})")), "unknown-field");
  EXPECT_EQ(Rows(), 0);
  // The same public key twice.
  ASSERT_EQ(Post(ana_, "/api/v1/signing-keys", body(cgt_.id)).status, 201);
  EXPECT_EQ(Post(ana_, "/api/v1/signing-keys", body(cgt_.id)).status, 409);
  EXPECT_EQ(Rows(), 1);
}

TEST_F(ApiSigningKeysTest, SecretariatApprovesAndTheLogRecordsIt) {
  TestKey key = Register(ana_, cgt_.id);
  // Not the owner, not another signatory.
  EXPECT_EQ(
      ProblemType(Post(ana_, "/api/v1/signing-keys/" + std::to_string(key.id) + "/approve", "")),
      "forbidden");
  HttpResponse r = Approve(key);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value k = Json(r);
  EXPECT_EQ(k.at("state").as_string(), "approved");
  ASSERT_TRUE(k.at("approval_log_index").is_int64());
  auto entry = log_->Entry(k.at("approval_log_index").as_int64());
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->kind, "key-approval");
  EXPECT_EQ(
      entry->body,
      Jcs(json::object{
          {"kind", "key-approval"},
          {"key_id", key.id},
          {"public_key", key.PublicKey()},
          {"organization", json::object{{"id", cgt_.id}, {"name", cgt_.name}, {"country", "FR"}}},
          {"signatory", json::object{{"user_id", ana_user_.id}, {"name", "Ana Pérez"}}},
          {"approved_at", FormatTime(now_)},
          {"replaces", nullptr},
      }));
  // Approving twice is a state error and logs nothing more.
  EXPECT_EQ(ProblemType(Approve(key)), "bad-state");
  EXPECT_EQ(LogSize(), 1u);
}

TEST_F(ApiSigningKeysTest, RejectionIsAuditedNotLogged) {
  TestKey key = Register(ana_, cgt_.id);
  const std::string path = "/api/v1/signing-keys/" + std::to_string(key.id) + "/reject";
  EXPECT_EQ(ProblemType(Post(ana_, path, R"({"reason":"mine"})")), "forbidden");
  HttpResponse r = Post(sec_b_, path, R"({"reason":"not the organization's"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("state").as_string(), "rejected");
  EXPECT_EQ(Json(r).at("reason").as_string(), "not the organization's");
  EXPECT_EQ(AuditCount("signing-key-rejected"), 1);
  EXPECT_EQ(LogSize(), 0u);
  EXPECT_EQ(ProblemType(Approve(key)), "bad-state");
}

TEST_F(ApiSigningKeysTest, OwnerRevokesAndTheLogRecordsIt) {
  TestKey key = Approved(ana_, cgt_.id);
  const std::string path = "/api/v1/signing-keys/" + std::to_string(key.id) + "/revoke";
  // Someone else's key is not even visible.
  EXPECT_EQ(Post(bea_, path, R"({"reason":"x"})").status, 404);
  HttpResponse r = Post(ana_, path, R"({"reason":"laptop stolen"})");
  ASSERT_EQ(r.status, 200) << r.body;
  json::value k = Json(r);
  EXPECT_EQ(k.at("state").as_string(), "revoked");
  auto entry = log_->Entry(k.at("revocation_log_index").as_int64());
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->body, Jcs(json::object{
                             {"kind", "key-revocation"},
                             {"key_id", key.id},
                             {"public_key", key.PublicKey()},
                             {"organization", json::object{{"id", cgt_.id}}},
                             {"revoked_at", FormatTime(now_)},
                             {"reason", "laptop stolen"},
                         }));
  EXPECT_EQ(ProblemType(Post(ana_, path, "")), "bad-state");
  EXPECT_EQ(LogSize(), 2u);
}

TEST_F(ApiSigningKeysTest, SecretariatRevokesAnyKey) {
  TestKey key = Approved(bea_, mst_.id);
  HttpResponse r = Post(sec_b_, "/api/v1/signing-keys/" + std::to_string(key.id) + "/revoke", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("state").as_string(), "revoked");
}

TEST_F(ApiSigningKeysTest, RotationRevokesTheReplacedKey) {
  TestKey old_key = Approved(ana_, cgt_.id);
  TestKey next = Register(ana_, cgt_.id, old_key.id);
  HttpResponse r = Approve(next);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).at("replaces").as_int64(), old_key.id);
  json::value old_now = Json(Get(ana_, "/api/v1/signing-keys/" + std::to_string(old_key.id)));
  EXPECT_EQ(old_now.at("state").as_string(), "revoked");
  EXPECT_EQ(old_now.at("reason").as_string(), "rotated");
  EXPECT_EQ(old_now.at("replaced_by").as_int64(), next.id);
  auto entry = log_->Entry(old_now.at("revocation_log_index").as_int64());
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->kind, "key-revocation");
  EXPECT_NE(entry->body.find(R"("reason":"rotated")"), std::string::npos);
  EXPECT_EQ(LogSize(), 3u);  // approval, approval, revocation
  // A key can only replace an approved key of the caller's for the same organization.
  TestKey other = Approved(bea_, mst_.id);
  TestKey bad;
  crypto_sign_keypair(bad.pk, bad.sk);
  EXPECT_EQ(ProblemType(Post(ana_, "/api/v1/signing-keys",
                             json::serialize(json::object{{"organization_id", cgt_.id},
                                                          {"public_key", bad.PublicKey()},
                                                          {"label", ""},
                                                          {"replaces", other.id}}))),
            "validation-failed");
}

TEST_F(ApiSigningKeysTest, ListsShowOwnKeysAndTheSecretariatSeesAll) {
  Register(ana_, cgt_.id);
  TestKey b = Approved(bea_, mst_.id);
  EXPECT_EQ(Json(Get(ana_, "/api/v1/signing-keys")).at("keys").as_array().size(), 1u);
  EXPECT_EQ(Json(Get(sec_b_, "/api/v1/signing-keys")).at("keys").as_array().size(), 2u);
  json::array pending =
      Json(Get(sec_b_, "/api/v1/signing-keys?state=pending")).at("keys").as_array();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].at("user").at("id").as_int64(), ana_user_.id);
  EXPECT_EQ(Json(Get(sec_b_, "/api/v1/signing-keys?organization_id=" + std::to_string(mst_.id)))
                .at("keys")
                .as_array()
                .size(),
            1u);
  EXPECT_EQ(ProblemType(Get(sec_b_, "/api/v1/signing-keys?state=lost")), "bad-request");
  EXPECT_EQ(ProblemType(Get(sec_b_, "/api/v1/signing-keys?owner=1")), "unknown-field");
  EXPECT_EQ(Get(ana_, "/api/v1/signing-keys/" + std::to_string(b.id)).status, 404);
  EXPECT_EQ(Get(sec_b_, "/api/v1/signing-keys/" + std::to_string(b.id)).status, 200);
  EXPECT_EQ(Call(Req("GET", "/api/v1/signing-keys")).status, 401);
}

}  // namespace
}  // namespace accord::server::testing
