#include "bundle_fields.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace accord::signon {
namespace {

namespace json = boost::json;

json::object Endorsement() {
  return json::parse(R"({"format":"accord-endorsement-v1",
    "manifest_sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "organization":{"id":3,"name":"CGT","country":""},
    "signatory":{"name":"Ana Pérez","title":"General Secretary"},
    "kind":"adheres","signed_at":"2026-12-03T20:00:00Z","nonce":"AAAAAAAAAAAAAAAAAAAAAA=="})")
      .as_object();
}

json::object Withdrawal() {
  return json::parse(R"({"format":"accord-withdrawal-v1",
    "endorsement_sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "manifest_sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "organization":{"id":3},"reason":"","signed_at":"2026-12-03T20:00:00Z",
    "nonce":"AAAAAAAAAAAAAAAAAAAAAA=="})")
      .as_object();
}

TEST(BundleFields, AcceptsTheContractsEndorsementAndWithdrawal) {
  EXPECT_EQ(EndorsementFormatProblem(Endorsement()), "");
  json::object e = Endorsement();
  e["kind"] = "adheres-with-reservations";
  e["reservations"] = "Not paragraph 3.";
  EXPECT_EQ(EndorsementFormatProblem(e), "");
  EXPECT_EQ(WithdrawalFormatProblem(Withdrawal()), "");
}

TEST(BundleFields, NamesWhatIsWrongWithAnEndorsement) {
  json::object e = Endorsement();
  e["extra"] = 1;
  EXPECT_EQ(EndorsementFormatProblem(e), "the endorsement has an unexpected member \"extra\"");
  e = Endorsement();
  e.erase("nonce");
  EXPECT_EQ(EndorsementFormatProblem(e), "the endorsement lacks the member \"nonce\"");
  e = Endorsement();
  e["reservations"] = "but";
  EXPECT_EQ(EndorsementFormatProblem(e), "an endorsement of kind adheres has reservations");
  e = Endorsement();
  e["kind"] = "adheres-with-reservations";
  EXPECT_EQ(EndorsementFormatProblem(e),
            "an endorsement with reservations has no reservation text");
  e["reservations"] = std::string(4001, 'x');
  EXPECT_EQ(EndorsementFormatProblem(e), "the reservations are longer than 4000 characters");
  e = Endorsement();
  e["kind"] = "opposes";
  EXPECT_NE(EndorsementFormatProblem(e).find("\"opposes\""), std::string::npos);
  e = Endorsement();
  e["signed_at"] = "2026-12-03 20:00:00";
  EXPECT_NE(EndorsementFormatProblem(e).find("signed_at"), std::string::npos);
  e = Endorsement();
  e["nonce"] = "AAAA";
  EXPECT_NE(EndorsementFormatProblem(e).find("nonce"), std::string::npos);
  e = Endorsement();
  e["organization"].as_object()["short"] = "x";
  EXPECT_NE(EndorsementFormatProblem(e).find("\"short\""), std::string::npos);
  e = Endorsement();
  e["manifest_sha256"] = "ABC";
  EXPECT_NE(EndorsementFormatProblem(e).find("manifest_sha256"), std::string::npos);
}

TEST(BundleFields, CountsReservationsInCharactersNotBytes) {
  json::object e = Endorsement();
  e["kind"] = "adheres-with-reservations";
  std::string four_thousand_e_acute;
  for (int i = 0; i < 4000; ++i) four_thousand_e_acute += "é";
  e["reservations"] = four_thousand_e_acute;
  EXPECT_EQ(EndorsementFormatProblem(e), "");
}

TEST(BundleFields, NamesWhatIsWrongWithAWithdrawal) {
  json::object w = Withdrawal();
  w["organization"].as_object()["name"] = "CGT";
  EXPECT_NE(WithdrawalFormatProblem(w).find("\"name\""), std::string::npos);
  w = Withdrawal();
  w["reason"] = std::string(2001, 'x');
  EXPECT_EQ(WithdrawalFormatProblem(w), "the withdrawal's reason is longer than 2000 characters");
  w = Withdrawal();
  w["format"] = "accord-endorsement-v1";
  EXPECT_NE(WithdrawalFormatProblem(w).find("format"), std::string::npos);
}

TEST(BundleFields, ReadsTypedMembers) {
  json::object o = json::parse(R"({"s":"x","i":7,"d":7.5,"o":{},"k":"AAAA"})").as_object();
  EXPECT_EQ(StrField(o, "s"), "x");
  EXPECT_EQ(StrField(o, "i"), std::nullopt);
  EXPECT_EQ(IntField(o, "i"), 7);
  EXPECT_EQ(IntField(o, "d"), std::nullopt);
  EXPECT_NE(ObjField(o, "o"), nullptr);
  EXPECT_EQ(ObjField(o, "s"), nullptr);
  EXPECT_EQ(KeyBytes(o), std::nullopt);  // no public_key
}

TEST(BundleFields, ReadsASignedEntry) {
  json::object body{{"kind", "endorsement"},
                    {"endorsement", Endorsement()},
                    {"endorsement_sha256", "ab"},
                    {"key_id", 7},
                    {"public_key", std::string(43, 'A') + "="},
                    {"signature", "AAAA"}};
  SignedEntry s = ReadSignedEntry(body, "endorsement");
  ASSERT_NE(s.object, nullptr);
  EXPECT_EQ(s.canonical.substr(0, 10), "{\"format\":");
  EXPECT_EQ(s.canonical_sha256.size(), 64u);
  EXPECT_EQ(s.stated_sha256, "ab");
  EXPECT_EQ(s.key_id, 7);
  ASSERT_TRUE(s.public_key.has_value());
  EXPECT_EQ(s.public_key->size(), 32u);
  EXPECT_EQ(s.signature, std::nullopt);  // not 64 bytes
}

}  // namespace
}  // namespace accord::signon
