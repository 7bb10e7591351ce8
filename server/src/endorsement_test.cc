#include "endorsement.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <boost/json.hpp>
#include <string>

#include "accord/signon/canonical_json.h"
#include "signon_encoding.h"

namespace accord::server {
namespace {

const std::string kManifest = Sha256Hex("manifest");
const std::string kNonce = Base64(std::string(16, '\x05'));

namespace json = boost::json;

// The JCS text of a valid endorsement with `changes` applied (a null value removes a member).
std::string Endorsement(const json::object& changes = {}) {
  json::object o{
      {"format", "accord-endorsement-v1"},
      {"manifest_sha256", kManifest},
      {"organization", json::object{{"id", 3}, {"name", "CGT"}, {"country", "FR"}}},
      {"signatory", json::object{{"name", "Ana Pérez"}, {"title", "General Secretary"}}},
      {"kind", "adheres"},
      {"signed_at", "2026-12-03T20:00:00Z"},
      {"nonce", kNonce},
  };
  for (const auto& [key, value] : changes) {
    if (value.is_null()) {
      o.erase(key);
    } else {
      o[key] = value;
    }
  }
  auto text = signon::CanonicalizeJsonValue(o);
  EXPECT_TRUE(text.ok());
  return text.ok() ? *text : "";
}

json::object WithReservations(const std::string& text) {
  return json::object{{"kind", "adheres-with-reservations"}, {"reservations", text}};
}

TEST(EndorsementTest, ReadsAValidEndorsement) {
  auto e = ParseEndorsement(Endorsement());
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->manifest_sha256, kManifest);
  EXPECT_EQ(e->organization_id, 3);
  EXPECT_EQ(e->organization_name, "CGT");
  EXPECT_EQ(e->country, "FR");
  EXPECT_EQ(e->signatory_name, "Ana Pérez");
  EXPECT_EQ(e->signatory_title, "General Secretary");
  EXPECT_EQ(e->kind, "adheres");
  EXPECT_FALSE(e->reservations);
  EXPECT_EQ(e->signed_at, 1'796'328'000);
  EXPECT_EQ(e->signed_at_text, "2026-12-03T20:00:00Z");
  EXPECT_EQ(e->nonce, kNonce);
  EXPECT_EQ(e->sha256, Sha256Hex(Endorsement()));
}

TEST(EndorsementTest, ReservationsOnlyWithThatKind) {
  auto with = ParseEndorsement(Endorsement(WithReservations("Not §3.")));
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_EQ(with->kind, "adheres-with-reservations");
  EXPECT_EQ(with->reservations, "Not §3.");
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"reservations", "Not §3."}})).ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"kind", "adheres-with-reservations"}})).ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement(WithReservations(""))).ok());
  EXPECT_TRUE(
      ParseEndorsement(Endorsement(WithReservations(std::string(kMaxReservationChars, 'x')))).ok());
  EXPECT_FALSE(
      ParseEndorsement(Endorsement(WithReservations(std::string(kMaxReservationChars + 1, 'x'))))
          .ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"kind", "maybe"}})).ok());
}

TEST(EndorsementTest, RefusesNonCanonicalText) {
  std::string spaced = Endorsement();
  spaced.insert(1, " ");
  auto e = ParseEndorsement(spaced);
  EXPECT_EQ(e.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(e.status().message().find("canonical"), std::string::npos);
  // Members out of order are not canonical either.
  EXPECT_FALSE(ParseEndorsement(R"({"kind":"adheres","format":"accord-endorsement-v1"})").ok());
  EXPECT_FALSE(ParseEndorsement("not json").ok());
  EXPECT_FALSE(ParseEndorsement("[]").ok());
}

TEST(EndorsementTest, RefusesExtraAndMissingMembers) {
  auto extra = ParseEndorsement(Endorsement({{"note", "hi"}}));
  EXPECT_EQ(extra.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(extra.status().message().find("\"note\""), std::string::npos);
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"nonce", nullptr}})).ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"signatory", json::object{{"name", "Ana"}}}})).ok());
  EXPECT_FALSE(
      ParseEndorsement(
          Endorsement({{"organization",
                        json::object{{"id", 3}, {"name", "CGT"}, {"country", "FR"}, {"x", 1}}}}))
          .ok());
}

TEST(EndorsementTest, RefusesBadFields) {
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"format", "accord-endorsement-v2"}})).ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"manifest_sha256", "ABC"}})).ok());
  EXPECT_FALSE(ParseEndorsement(
                   Endorsement({{"organization",
                                 json::object{{"id", -3}, {"name", "CGT"}, {"country", "FR"}}}}))
                   .ok());
  EXPECT_FALSE(ParseEndorsement(
                   Endorsement({{"organization",
                                 json::object{{"id", "3"}, {"name", "CGT"}, {"country", "FR"}}}}))
                   .ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"signed_at", "2026-12-03 20:00:00"}})).ok());
  EXPECT_FALSE(ParseEndorsement(Endorsement({{"nonce", Base64(std::string(8, 'x'))}})).ok());
  EXPECT_FALSE(
      ParseEndorsement(Endorsement({{"signatory", json::object{{"name", ""}, {"title", ""}}}}))
          .ok());
}

TEST(EndorsementTest, RefusesOversizedText) {
  std::string big = Endorsement(WithReservations(std::string(kMaxSignedObjectBytes, 'x')));
  EXPECT_EQ(ParseEndorsement(big).status().code(), Status::Code::kResourceExhausted);
}

TEST(EndorsementTest, ReadsAWithdrawal) {
  std::string text = R"({"endorsement_sha256":")" + Sha256Hex("e") +
                     R"(","format":"accord-withdrawal-v1","manifest_sha256":")" + kManifest +
                     R"(","nonce":")" + kNonce +
                     R"(","organization":{"id":3},"reason":"","signed_at":"2026-12-03T20:00:00Z"})";
  auto w = ParseWithdrawal(text);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->endorsement_sha256, Sha256Hex("e"));
  EXPECT_EQ(w->organization_id, 3);
  EXPECT_EQ(w->sha256, Sha256Hex(text));
  std::string extra = text;
  extra.replace(extra.find(R"({"id":3})"), 8, R"({"id":3,"name":"CGT"})");
  EXPECT_FALSE(ParseWithdrawal(extra).ok());
  EXPECT_FALSE(ParseWithdrawal(Endorsement()).ok());
}

TEST(EndorsementTest, VerifiesEd25519Signatures) {
  ASSERT_GE(sodium_init(), 0);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  std::string message = Endorsement();
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), sk);
  std::string key = Base64(std::string(reinterpret_cast<char*>(pk), sizeof pk));
  std::string signature = Base64(std::string(reinterpret_cast<char*>(sig), sizeof sig));
  EXPECT_TRUE(VerifySignature(message, signature, key));
  EXPECT_FALSE(VerifySignature(message + " ", signature, key));
  std::string tampered = signature;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(VerifySignature(message, tampered, key));
  EXPECT_FALSE(VerifySignature(message, signature, Base64(std::string(32, 'k'))));
  EXPECT_FALSE(VerifySignature(message, "garbage", key));
}

}  // namespace
}  // namespace accord::server
