#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <set>
#include <string>

#include "accord/signon/bundle.h"
#include "bundle_test_support.h"

namespace accord::signon {
namespace {

using testing::BundleBuilder;
using testing::Org;
using testing::SigningKey;
namespace json = boost::json;

const Org kCgt{3, "CGT", "FR"};
const Org kUgt{4, "UGT", "ES"};

VerifyOptions Pinned(std::string key) { return {std::move(key), std::nullopt}; }
VerifyOptions Previous(std::string checkpoint) { return {std::nullopt, std::move(checkpoint)}; }

VerifyReport Verify(const json::object& bundle, VerifyOptions options = {}) {
  auto parsed = ParseBundle(json::serialize(bundle));
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  if (!parsed.ok()) return {};
  return VerifyBundle(parsed.value(), options);
}

std::multiset<std::string> Checks(const VerifyReport& report) {
  std::multiset<std::string> out;
  for (const Finding& f : report.findings) out.insert(f.check);
  return out;
}

std::string Describe(const VerifyReport& report) {
  std::string out;
  for (const Finding& f : report.findings) out += f.check + ": " + f.message + "\n";
  return out;
}

// The finding of that check (about that entry, if given); fails the test if there is none.
Finding Named(const VerifyReport& report, const std::string& check,
              std::optional<uint64_t> entry = std::nullopt) {
  for (const Finding& f : report.findings) {
    if (f.check == check && (!entry || f.entry == entry)) return f;
  }
  ADD_FAILURE() << "no finding " << check << " in:\n" << Describe(report);
  return {};
}

// Entry bodies of a bundle object, to rewrite one (re-canonicalized, as a forger would).
json::object Body(const json::object& bundle, size_t pos) {
  return json::parse(bundle.at("entries").as_array()[pos].at("body").as_string()).as_object();
}
void SetBody(json::object& bundle, size_t pos, const json::object& body) {
  bundle["entries"].as_array()[pos].as_object()["body"] = testing::Jcs(body);
}
// Changes one character of a string member of the body at `pos`, as a forger would.
void ChangeOneCharacter(json::object& bundle, size_t pos, const char* member, size_t at) {
  json::object body = Body(bundle, pos);
  std::string value(body[member].as_string());
  value[at] = value[at] == 'a' || value[at] == 'A' ? 'B' : 'A';
  body[member] = value;
  SetBody(bundle, pos, body);
}
size_t Position(const json::object& bundle, uint64_t index) {
  const auto& entries = bundle.at("entries").as_array();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].at("index").to_number<uint64_t>() == index) return i;
  }
  ADD_FAILURE() << "no entry " << index;
  return 0;
}

// A log with entries of other statements around ours: the manifest, two approved keys, an
// endorsement without and one with reservations.
class BundleVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    b.AddForeignEntry();
    manifest = b.PublishManifest();
    cgt_key = b.ApproveKey(7, kCgt);
    cgt_approval = b.size() - 1;
    b.AddForeignEntry();
    ugt_key = b.ApproveKey(8, kUgt);
    cgt_endorsement = b.Endorse(cgt_key, kCgt);
    cgt_sha256 = b.last_endorsement_sha256();
    b.AddForeignEntry();
    ugt_endorsement = b.Endorse(ugt_key, kUgt, "Not the paragraph on nuclear power.");
    b.AddForeignEntry();
  }

  BundleBuilder b;
  uint64_t manifest = 0, cgt_approval = 0;
  SigningKey cgt_key, ugt_key;
  uint64_t cgt_endorsement = 0, ugt_endorsement = 0;
  std::string cgt_sha256;
};

TEST_F(BundleVerifyTest, AValidBundleVerifiesAndListsItsSignatories) {
  VerifyReport r = Verify(b.Object(), Pinned(b.verifier_key()));
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_TRUE(r.checkpoint_verified);
  EXPECT_EQ(r.log_size, 9u);
  EXPECT_EQ(r.entries_checked, 9u);  // every entry of the log
  EXPECT_EQ(r.manifest_sha256, b.manifest_sha256());
  EXPECT_EQ(r.statement_slug, "paris-2026");
  EXPECT_EQ(r.endorsements_valid, 2u);
  EXPECT_EQ(r.with_reservations, 1u);
  EXPECT_EQ(r.withdrawn, 0u);
  ASSERT_EQ(r.signatories.size(), 2u);
  EXPECT_EQ(r.signatories[0].organization, "CGT");
  EXPECT_EQ(r.signatories[0].country, "FR");
  EXPECT_EQ(r.signatories[0].signatory, "Ana Pérez");
  EXPECT_EQ(r.signatories[0].kind, "adheres");
  EXPECT_EQ(r.signatories[0].log_index, cgt_endorsement);
  EXPECT_EQ(r.signatories[1].kind, "adheres-with-reservations");
  EXPECT_EQ(r.signatories[1].reservations, "Not the paragraph on nuclear power.");
  EXPECT_TRUE(r.signatories[1].valid);
  // Without a pinned key the bundle's own key is used.
  EXPECT_TRUE(Verify(b.Object()).ok());
}

TEST_F(BundleVerifyTest, OneChangedByteOfTheTextIsNamed) {
  json::object bundle = b.Object();
  std::string text(bundle["texts"].as_object()["en"].as_string());
  text[10] ^= 0x01;
  bundle["texts"].as_object()["en"] = text;
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"text-hash"}) << Describe(r);
  EXPECT_NE(Named(r, "text-hash").message.find("text 'en'"), std::string::npos);
}

TEST_F(BundleVerifyTest, ATextNobodySignedOrAMissingTextIsNamed) {
  json::object bundle = b.Object();
  bundle["texts"].as_object()["fr"] = "Nous, soussignés...";
  EXPECT_EQ(Checks(Verify(bundle)), std::multiset<std::string>{"text-extra"});
  bundle["texts"].as_object().erase("en");
  bundle["texts"].as_object().erase("fr");
  EXPECT_EQ(Checks(Verify(bundle)), std::multiset<std::string>{"text-missing"});
}

TEST(BundleVerify, AnEndorsementLoggedWithABadSignatureIsNamed) {
  BundleBuilder b;
  b.PublishManifest();
  SigningKey key = b.ApproveKey(7, kCgt);
  uint64_t at = b.Endorse(key, kCgt, "", [](json::object& e) {
    e["signatory"].as_object()["title"] = "President";  // changed after signing
  });
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"endorsement-signature"}) << Describe(r);
  EXPECT_EQ(Named(r, "endorsement-signature", at).message,
            "entry " + std::to_string(at) + ": endorsement signature does not verify with key 7");
  EXPECT_EQ(r.endorsements_valid, 0u);
  ASSERT_EQ(r.signatories.size(), 1u);
  EXPECT_FALSE(r.signatories[0].valid);
}

TEST_F(BundleVerifyTest, ASignatureChangedInTheBundleIsNamed) {
  json::object bundle = b.Object();
  ChangeOneCharacter(bundle, Position(bundle, cgt_endorsement), "signature", 5);
  VerifyReport r = Verify(bundle);
  Named(r, "endorsement-signature", cgt_endorsement);
  Named(r, "log-root");
  Named(r, "inclusion-proof", cgt_endorsement);
  EXPECT_EQ(r.endorsements_valid, 1u);
}

TEST_F(BundleVerifyTest, AChangedEntryIsNamed) {
  json::object bundle = b.Object();
  size_t pos = Position(bundle, ugt_endorsement);
  json::object body = Body(bundle, pos);
  body["endorsement"].as_object()["organization"].as_object()["name"] = "UGT-Renamed";
  SetBody(bundle, pos, body);
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), (std::multiset<std::string>{"endorsement-hash", "endorsement-signature",
                                                   "inclusion-proof", "log-root"}))
      << Describe(r);
  EXPECT_NE(Named(r, "inclusion-proof", ugt_endorsement).message.find("the entry was changed"),
            std::string::npos);
}

TEST_F(BundleVerifyTest, AnEntryThatIsNotCanonicalJsonIsNamed) {
  json::object bundle = b.Object();
  size_t pos = Position(bundle, manifest);
  std::string body(bundle["entries"].as_array()[pos].as_object()["body"].as_string());
  bundle["entries"].as_array()[pos].as_object()["body"] = " " + body;
  Named(Verify(bundle), "entry-canonical", manifest);
}

TEST_F(BundleVerifyTest, SwappedEntriesAreNamed) {
  json::object bundle = b.Object();
  auto& entries = bundle["entries"].as_array();
  std::swap(entries[1], entries[2]);
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), (std::multiset<std::string>{"entry-order", "log-root"})) << Describe(r);
  EXPECT_EQ(Named(r, "entry-order").entry, 1u);

  // Bodies swapped between two log positions: neither is proven at its index.
  bundle = b.Object();
  auto& e = bundle["entries"].as_array();
  std::swap(e[cgt_endorsement].as_object()["body"], e[ugt_endorsement].as_object()["body"]);
  r = Verify(bundle);
  Named(r, "log-root");
  Named(r, "inclusion-proof", cgt_endorsement);
  Named(r, "inclusion-proof", ugt_endorsement);

  // An entry listed twice in place of the next one.
  bundle = b.Object();
  auto& twice = bundle["entries"].as_array();
  twice[3] = twice[2];
  r = Verify(bundle);
  EXPECT_EQ(Named(r, "entry-order").message, "entry 2: listed twice (again at position 3)");
  EXPECT_EQ(Named(r, "entry-missing").message, "entry 3: missing from the bundle");
}

TEST_F(BundleVerifyTest, AnEndorsementDroppedFromTheBundleIsNamed) {
  // The flaw of a bundle carrying only some entries: a dropped endorsement left no trace.
  json::object bundle = b.Object();
  auto& entries = bundle["entries"].as_array();
  entries.erase(entries.begin() + Position(bundle, cgt_endorsement));
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), (std::multiset<std::string>{"entry-missing", "log-root", "log-size"}))
      << Describe(r);
  EXPECT_EQ(Named(r, "entry-missing").message,
            "entry " + std::to_string(cgt_endorsement) + ": missing from the bundle");
  EXPECT_EQ(Named(r, "entry-missing").entry, cgt_endorsement);
  EXPECT_NE(Named(r, "log-size")
                .message.find("the bundle has 8 entries but the checkpoint's "
                              "tree has 9: entries are missing"),
            std::string::npos);
  EXPECT_EQ(r.endorsements_valid, 1u);
}

TEST_F(BundleVerifyTest, AnEntryDroppedFromTheBundleIsNamed) {
  // The approval of the key that signed an endorsement.
  json::object bundle = b.Object();
  auto& entries = bundle["entries"].as_array();
  entries.erase(entries.begin() + Position(bundle, cgt_approval));
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), (std::multiset<std::string>{"entry-missing", "key-not-approved", "log-root",
                                                   "log-size"}))
      << Describe(r);
  EXPECT_EQ(Named(r, "key-not-approved").entry, cgt_endorsement);
  EXPECT_EQ(Named(r, "entry-missing").entry, cgt_approval);
  // The manifest.
  bundle = b.Object();
  bundle["entries"].as_array().erase(bundle["entries"].as_array().begin() + manifest);
  r = Verify(bundle);
  Named(r, "manifest-missing", manifest);
  Named(r, "entry-missing", manifest);
  // Many entries: one line for the range.
  bundle = b.Object();
  bundle["entries"].as_array().resize(3);
  EXPECT_EQ(Named(Verify(bundle), "entry-missing").message,
            "entry 3: entries 3 to 8 are missing from the bundle");
}

TEST_F(BundleVerifyTest, AnEntryDroppedWithTheSizeLoweredIsNamed) {
  // log.size lowered alone: the signed checkpoint still says 9.
  json::object bundle = b.Object();
  auto& entries = bundle["entries"].as_array();
  entries.erase(entries.begin() + Position(bundle, cgt_endorsement));
  bundle["log"].as_object()["size"] = b.size() - 1;
  VerifyReport r = Verify(bundle);
  Named(r, "log-size");
  Named(r, "log-root");
  Named(r, "entry-missing", cgt_endorsement);
  // The entries renumbered and a checkpoint of 8 forged: it does not verify with the log key.
  for (size_t i = 0; i < entries.size(); ++i) entries[i].as_object()["index"] = i;
  std::string note(bundle["log"].as_object()["checkpoint"].as_string());
  size_t at = note.find('\n');  // after the origin line: the size
  ASSERT_EQ(note.substr(at, 3), "\n9\n");
  note.replace(at + 1, 1, "8");
  bundle["log"].as_object()["checkpoint"] = note;
  r = Verify(bundle, Pinned(b.verifier_key()));
  Named(r, "checkpoint-signature");
  EXPECT_FALSE(r.checkpoint_verified);
}

// Entries of other statements carry no proof, but the proofs of this statement's entries attest
// the subtrees around them: each foreign entry here is one such subtree, so it is named exactly.
TEST_F(BundleVerifyTest, AByteChangedInAnotherStatementsEntryIsNamed) {
  for (uint64_t foreign : {0u, 3u, 6u, 8u}) {
    SCOPED_TRACE("entry " + std::to_string(foreign));
    json::object bundle = b.Object();
    ChangeOneCharacter(bundle, Position(bundle, foreign), "manifest_sha256", 0);
    VerifyReport r = Verify(bundle);
    EXPECT_EQ(Checks(r), (std::multiset<std::string>{"entry-changed", "log-root"})) << Describe(r);
    EXPECT_NE(Named(r, "entry-changed", foreign).message.find("the entry was changed"),
              std::string::npos)
        << Describe(r);
  }
}

// Far from any proof, the change is narrowed to the smallest attested subtree holding it.
TEST(BundleVerify, AChangedEntryFarFromAnyProofIsNarrowedToARange) {
  BundleBuilder b;
  for (int i = 0; i < 8; ++i) b.AddForeignEntry();
  b.PublishManifest();  // entry 8: its proof attests the subtree of entries 0..7
  json::object bundle = b.Object();
  ChangeOneCharacter(bundle, 5, "manifest_sha256", 0);
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), (std::multiset<std::string>{"entry-changed", "log-root"})) << Describe(r);
  EXPECT_NE(Named(r, "entry-changed", 0).message.find("entries 0 to 7 do not hash"),
            std::string::npos)
      << Describe(r);
}

// A changed entry that carries its own proof is named by that proof, not twice.
TEST_F(BundleVerifyTest, AnEntryWithAFailedProofIsNotNamedAgainAsChanged) {
  json::object bundle = b.Object();
  size_t pos = Position(bundle, cgt_approval);
  json::object body = Body(bundle, pos);
  body["approved_at"] = "2026-12-03T20:01:01Z";
  SetBody(bundle, pos, body);
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r).count("entry-changed"), 0u) << Describe(r);
  Named(r, "inclusion-proof", cgt_approval);
}

TEST(BundleVerify, AnEndorsementByAKeyRevokedBeforeItIsNamed) {
  BundleBuilder b;
  b.PublishManifest();
  SigningKey key = b.ApproveKey(7, kCgt);
  uint64_t revoked = b.RevokeKey(key);
  uint64_t at = b.Endorse(key, kCgt);
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"key-revoked"}) << Describe(r);
  EXPECT_NE(Named(r, "key-revoked", at).message.find("revoked at entry " + std::to_string(revoked)),
            std::string::npos);
  EXPECT_EQ(r.endorsements_valid, 0u);
}

TEST(BundleVerify, AKeyRevokedAfterTheEndorsementDoesNotInvalidateIt) {
  BundleBuilder b;
  b.PublishManifest();
  SigningKey key = b.ApproveKey(7, kCgt);
  b.Endorse(key, kCgt);
  b.RevokeKey(key);
  VerifyReport r = Verify(b.Object());
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.endorsements_valid, 1u);
}

TEST(BundleVerify, AnEndorsementWithoutKeyApprovalIsNamed) {
  BundleBuilder b;
  b.PublishManifest();
  SigningKey key = BundleBuilder::NewKey(9, kCgt);
  uint64_t at = b.Endorse(key, kCgt);
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"key-not-approved"}) << Describe(r);
  EXPECT_EQ(Named(r, "key-not-approved").entry, at);
}

TEST(BundleVerify, AKeyOfAnotherOrganizationIsNamed) {
  BundleBuilder b;
  b.PublishManifest();
  SigningKey key = b.ApproveKey(7, kCgt);
  b.Endorse(key, kUgt);
  EXPECT_EQ(Checks(Verify(b.Object())), std::multiset<std::string>{"key-organization"});
}

TEST_F(BundleVerifyTest, AWithdrawnEndorsementIsCountedAsWithdrawn) {
  b.Withdraw(cgt_key, kCgt.id, cgt_sha256);
  VerifyReport r = Verify(b.Object());
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.endorsements_valid, 1u);
  EXPECT_EQ(r.withdrawn, 1u);
  EXPECT_TRUE(r.signatories[0].withdrawn);
  EXPECT_EQ(r.signatories[0].withdrawn_at, "2026-12-03T20:09:00Z");
  EXPECT_FALSE(r.signatories[1].withdrawn);
  // Withdrawing again, or for another organization, is flagged.
  b.Withdraw(cgt_key, kCgt.id, cgt_sha256);
  Named(Verify(b.Object()), "withdrawal-target");
}

TEST_F(BundleVerifyTest, AWithdrawalOfAnUnknownEndorsementIsNamed) {
  uint64_t at = b.Withdraw(cgt_key, kCgt.id, testing::HexSha256("no such endorsement"));
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"withdrawal-target"}) << Describe(r);
  EXPECT_EQ(Named(r, "withdrawal-target").entry, at);
  EXPECT_EQ(r.withdrawn, 0u);
}

TEST_F(BundleVerifyTest, ASecondActiveEndorsementOfOneOrganizationIsFlagged) {
  uint64_t at = b.Endorse(cgt_key, kCgt);
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"duplicate-endorsement"}) << Describe(r);
  EXPECT_EQ(Named(r, "duplicate-endorsement").entry, at);
  EXPECT_EQ(r.endorsements_valid, 2u);
}

TEST_F(BundleVerifyTest, AnEndorsementOfAnEarlierManifestIsStale) {
  std::string earlier = b.manifest_sha256();
  b.PublishManifest();  // final -> consolidation -> final: a new manifest
  b.Endorse(cgt_key, kCgt);
  // The endorsements of the earlier manifest, logged while it was current, are history: only
  // the new one counts.
  VerifyReport r = Verify(b.Object());
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.endorsements_valid, 1u);
  ASSERT_EQ(r.signatories.size(), 1u);
  // One naming the earlier manifest logged after the new one is what the server must refuse.
  b.NameManifest(earlier);
  uint64_t at = b.Endorse(ugt_key, kUgt);
  r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"stale-manifest"}) << Describe(r);
  EXPECT_EQ(Named(r, "stale-manifest").entry, at);
}

TEST_F(BundleVerifyTest, EndorsementsOfAnotherStatementAreOnlyHashed) {
  std::string ours = b.manifest_sha256();
  b.NameManifest(testing::HexSha256("another statement's manifest"));
  b.Endorse(cgt_key, kCgt);  // CGT signs another statement too: not a duplicate here
  b.NameManifest(ours);
  VerifyReport r = Verify(b.Object());
  EXPECT_TRUE(r.ok()) << Describe(r);
  EXPECT_EQ(r.signatories.size(), 2u);
  EXPECT_EQ(r.entries_checked, b.size());
}

TEST_F(BundleVerifyTest, AReplayedEndorsementIsNamed) {
  uint64_t again = b.Relog(cgt_endorsement);
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), (std::multiset<std::string>{"duplicate-endorsement", "replayed"}))
      << Describe(r);
  EXPECT_EQ(Named(r, "replayed").entry, again);
  EXPECT_EQ(r.endorsements_valid, 2u);
}

TEST_F(BundleVerifyTest, AManifestThatDoesNotMatchTheBundleIsNamed) {
  json::object bundle = b.Object();
  bundle["statement"].as_object()["title"] = "Paris 2027";
  EXPECT_EQ(Checks(Verify(bundle)), std::multiset<std::string>{"statement"});

  // The manifest edited in its entry (a new text hash, say): its hash no longer matches.
  bundle = b.Object();
  size_t pos = Position(bundle, manifest);
  json::object body = Body(bundle, pos);
  body["manifest"].as_object()["created_at"] = "2026-12-04T00:00:00Z";
  SetBody(bundle, pos, body);
  VerifyReport r = Verify(bundle);
  Named(r, "manifest-hash", manifest);
  Named(r, "inclusion-proof", manifest);

  // manifest_index pointing elsewhere.
  bundle = b.Object();
  bundle["manifest_index"] = cgt_approval;
  Named(Verify(bundle), "manifest-entry", cgt_approval);
}

TEST_F(BundleVerifyTest, AWithdrawalByAnotherOrganizationIsNamed) {
  uint64_t at = b.Withdraw(ugt_key, kUgt.id, cgt_sha256);
  VerifyReport r = Verify(b.Object());
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"withdrawal-organization"}) << Describe(r);
  EXPECT_EQ(Named(r, "withdrawal-organization").entry, at);
  EXPECT_EQ(r.withdrawn, 0u);
}

TEST_F(BundleVerifyTest, AnEntryBeyondTheLogOrNotJsonIsNamed) {
  json::object bundle = b.Object();
  json::array& entries = bundle["entries"].as_array();
  entries.push_back(json::object{{"index", 50}, {"body", "not json"}, {"proof", json::array()}});
  VerifyReport r = Verify(bundle);
  Named(r, "entry-index", 50);
  Named(r, "entry-json", 50);
}

TEST_F(BundleVerifyTest, AWrongPinnedKeyIsNamed) {
  BundleBuilder other;
  VerifyReport r = Verify(b.Object(), Pinned(other.verifier_key()));
  Named(r, "pinned-key");
  Named(r, "checkpoint-signature");
  EXPECT_FALSE(r.checkpoint_verified);
}

TEST_F(BundleVerifyTest, ACheckpointSignedByAnotherKeyIsNamed) {
  NoteSigner impostor = testing::NewLogSigner(BundleBuilder::kOrigin);
  json::object bundle = b.Object();
  bundle["log"].as_object()["checkpoint"] = b.SignedCheckpoint(b.size(), &impostor);
  VerifyReport r = Verify(bundle);
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"checkpoint-signature"}) << Describe(r);
  // Replacing the key too is caught by the pinned key and the manifest's instance key.
  bundle["log"].as_object()["key"] = impostor.Verifier().ToString();
  r = Verify(bundle, Pinned(b.verifier_key()));
  Named(r, "pinned-key");
  Named(r, "checkpoint-signature");
  r = Verify(bundle);
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"instance-key"}) << Describe(r);
}

TEST_F(BundleVerifyTest, APreviousCheckpointThatIsAPrefixVerifies) {
  for (uint64_t m : {uint64_t{0}, uint64_t{1}, uint64_t{4}, uint64_t{7}, b.size()}) {
    VerifyReport r = Verify(b.Object(), Previous(b.SignedCheckpoint(m)));
    EXPECT_TRUE(r.ok()) << m << "\n" << Describe(r);
    EXPECT_EQ(r.previous_size, m);
  }
}

TEST_F(BundleVerifyTest, APreviousCheckpointThatIsNotAPrefixIsNamed) {
  BundleBuilder fork = b;  // same key, then another history
  fork.AddForeignEntry();
  b.AddForeignEntry();
  b.AddForeignEntry();
  std::string previous = fork.SignedCheckpoint(fork.size());
  VerifyReport r = Verify(b.Object(), Previous(previous));
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"log-not-extension"}) << Describe(r);
  EXPECT_NE(Named(r, "log-not-extension")
                .message.find("the log is not an extension of the earlier checkpoint of size " +
                              std::to_string(fork.size())),
            std::string::npos);
  // Larger than the log: it lost entries.
  fork.AddForeignEntry();
  fork.AddForeignEntry();
  r = Verify(b.Object(), Previous(fork.SignedCheckpoint(fork.size())));
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"previous-checkpoint-size"}) << Describe(r);
  // Signed by someone else.
  NoteSigner impostor = testing::NewLogSigner(BundleBuilder::kOrigin);
  r = Verify(b.Object(), Previous(b.SignedCheckpoint(3, &impostor)));
  EXPECT_EQ(Checks(r), std::multiset<std::string>{"previous-checkpoint-signature"});
}

}  // namespace
}  // namespace accord::signon
