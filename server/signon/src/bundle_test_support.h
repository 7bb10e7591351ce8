// bundle_test_support.h: builds verification bundles from scratch for the verifier's tests — a
// log of real entries (JCS bodies), signatory keys made with libsodium that really sign
// endorsements and withdrawals, and a checkpoint signed by an instance log key — so the tests
// exercise the verifier without the server. Tests only; one builder per test thread.
#ifndef ACCORD_SIGNON_BUNDLE_TEST_SUPPORT_H_
#define ACCORD_SIGNON_BUNDLE_TEST_SUPPORT_H_

#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accord/signon/canonical_json.h"
#include "accord/signon/checkpoint.h"
#include "accord/signon/merkle.h"
#include "accord/signon/signed_note.h"
#include "utf8.h"

namespace accord::signon::testing {

namespace json = boost::json;

inline std::string RandomBytes(size_t n) {
  if (sodium_init() < 0) std::abort();
  std::string out(n, '\0');
  randombytes_buf(out.data(), out.size());
  return out;
}

inline NoteSigner NewLogSigner(const std::string& origin) {
  return NoteSigner::FromSeed(origin, RandomBytes(32)).value();
}

inline std::string Jcs(const json::object& obj) {
  return CanonicalizeJsonValue(json::value(obj)).value();
}

inline std::string HexSha256(std::string_view bytes) {
  Hash h = Sha256(bytes);
  return HexEncode({reinterpret_cast<const char*>(h.data()), h.size()});
}

inline std::string B64Hash(const Hash& h) {
  return Base64Encode({reinterpret_cast<const char*>(h.data()), h.size()});
}

struct Org {
  int64_t id;
  std::string name;
  std::string country;
};

struct SigningKey {
  int64_t id = 0;
  int64_t organization_id = 0;
  std::string public_key;  // 32 raw bytes
  std::string secret_key;  // 64 raw bytes (libsodium layout)
};

class BundleBuilder {
 public:
  static constexpr const char* kOrigin = "accord.example.org/log";

  explicit BundleBuilder(std::string text = "We, the undersigned, demand a fair transition.\n")
      : log_(NewLogSigner(kOrigin)), text_(std::move(text)) {}

  const NoteSigner& log_signer() const { return log_; }
  std::string verifier_key() const { return log_.Verifier().ToString(); }
  const std::string& manifest_sha256() const { return manifest_sha256_; }
  // Endorsements and withdrawals logged from now on name `sha` (to forge stale ones).
  void NameManifest(std::string sha) { manifest_sha256_ = std::move(sha); }
  uint64_t size() const { return leaves_.size(); }

  // An entry of another statement: in the bundle, without an inclusion proof.
  uint64_t AddForeignEntry() {
    json::object body{{"kind", "final-version"},
                      {"manifest", {{"statement", {{"id", 99}}}}},
                      {"manifest_sha256", HexSha256(RandomBytes(8))}};  // every one different
    return Append(Jcs(body), false);
  }

  uint64_t PublishManifest() {
    json::object manifest{
        {"format", "accord-manifest-v1"},
        {"instance",
         {{"origin", kOrigin}, {"public_key", Base64Encode(log_.Verifier().public_key())}}},
        {"statement", {{"id", 12}, {"slug", "paris-2026"}, {"title", "Paris 2026"}}},
        {"version", {{"id", 40 + published_}, {"number", 7 + published_}}},  // each one new
        {"source_language", "en"},
        {"languages", {{"en", {{"sha256", HexSha256(text_)}}}}},
        {"created_at", "2026-12-03T20:00:00Z"}};
    manifest_sha256_ = HexSha256(Jcs(manifest));
    json::object body{
        {"kind", "final-version"}, {"manifest", manifest}, {"manifest_sha256", manifest_sha256_}};
    manifest_index_ = Append(Jcs(body), true);
    ++published_;
    return manifest_index_;
  }

  // A key pair that the log never approved.
  static SigningKey NewKey(int64_t key_id, const Org& org) {
    if (sodium_init() < 0) std::abort();
    SigningKey key;
    key.id = key_id;
    key.organization_id = org.id;
    key.public_key.resize(crypto_sign_PUBLICKEYBYTES);
    key.secret_key.resize(crypto_sign_SECRETKEYBYTES);
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(key.public_key.data()),
                        reinterpret_cast<unsigned char*>(key.secret_key.data()));
    return key;
  }

  SigningKey ApproveKey(int64_t key_id, const Org& org) {
    SigningKey key = NewKey(key_id, org);
    json::object body{
        {"kind", "key-approval"},
        {"key_id", key_id},
        {"public_key", Base64Encode(key.public_key)},
        {"organization", {{"id", org.id}, {"name", org.name}, {"country", org.country}}},
        {"signatory", {{"user_id", 5}, {"name", "Ana Pérez"}}},
        {"approved_at", "2026-12-03T20:01:00Z"},
        {"replaces", nullptr}};
    Append(Jcs(body), true);
    return key;
  }

  uint64_t RevokeKey(const SigningKey& key) {
    json::object body{{"kind", "key-revocation"},
                      {"key_id", key.id},
                      {"public_key", Base64Encode(key.public_key)},
                      {"organization", {{"id", key.organization_id}}},
                      {"revoked_at", "2026-12-03T20:02:00Z"},
                      {"reason", "lost"}};
    return Append(Jcs(body), true);
  }

  // Signs and logs an endorsement of the current manifest. `tamper` changes the object after
  // it is signed (what a dishonest server would log).
  uint64_t Endorse(const SigningKey& key, const Org& org, const std::string& reservations = "",
                   const std::function<void(json::object&)>& tamper = nullptr) {
    json::object e{{"format", "accord-endorsement-v1"},
                   {"manifest_sha256", manifest_sha256_},
                   {"organization", {{"id", org.id}, {"name", org.name}, {"country", org.country}}},
                   {"signatory", {{"name", "Ana Pérez"}, {"title", "General Secretary"}}},
                   {"kind", reservations.empty() ? "adheres" : "adheres-with-reservations"},
                   {"signed_at", "2026-12-03T20:05:00Z"},
                   {"nonce", Base64Encode(RandomBytes(16))}};
    if (!reservations.empty()) e["reservations"] = reservations;
    last_sha256_ = LogSigned("endorsement", e, key, tamper);
    return leaves_.size() - 1;
  }
  const std::string& last_endorsement_sha256() const { return last_sha256_; }

  uint64_t Withdraw(const SigningKey& key, int64_t org_id, const std::string& endorsement_sha256) {
    json::object w{
        {"format", "accord-withdrawal-v1"},           {"endorsement_sha256", endorsement_sha256},
        {"manifest_sha256", manifest_sha256_},        {"organization", {{"id", org_id}}},
        {"reason", "our congress decided otherwise"}, {"signed_at", "2026-12-03T20:09:00Z"},
        {"nonce", Base64Encode(RandomBytes(16))}};
    LogSigned("withdrawal", w, key, nullptr);
    return leaves_.size() - 1;
  }

  // Logs the entry at `index` again, byte for byte (a replay the log should have refused).
  uint64_t Relog(uint64_t index) { return Append(bodies_[index], true); }

  // The checkpoint of the first `size` leaves, signed by `signer` (default: the log key).
  std::string SignedCheckpoint(uint64_t size, const NoteSigner* signer = nullptr) const {
    Checkpoint cp;
    cp.origin = kOrigin;
    cp.tree_size = size;
    cp.root_hash = RootFromLeafHashes(std::span<const Hash>(leaves_).first(size));
    cp.extensions = {"Timestamp: 1796000000"};
    return SignCheckpoint(cp, signer ? *signer : log_).value();
  }

  json::object Object() const {
    json::array entries;
    // Every entry; a proof on those about the statement (the others are "foreign").
    for (uint64_t i = 0; i < bodies_.size(); ++i) {
      json::object entry{{"index", i}, {"body", bodies_[i]}};
      if (in_bundle_[i]) {
        json::array proof;
        std::vector<Hash> path = InclusionProof(leaves_, i).value();  // not a temporary in for
        for (const Hash& h : path) proof.push_back(json::value(B64Hash(h)));
        entry["proof"] = std::move(proof);
      }
      entries.push_back(std::move(entry));
    }
    return json::object{
        {"format", "accord-bundle-v1"},
        {"statement", {{"id", 12}, {"slug", "paris-2026"}, {"title", "Paris 2026"}}},
        {"log",
         {{"origin", kOrigin},
          {"key", verifier_key()},
          {"checkpoint", SignedCheckpoint(leaves_.size())},
          {"size", leaves_.size()}}},
        {"manifest_index", manifest_index_},
        {"texts", {{"en", text_}}},
        {"entries", entries}};
  }
  std::string Json() const { return json::serialize(Object()); }

 private:
  uint64_t Append(std::string body, bool in_bundle) {
    leaves_.push_back(HashLeaf(body));
    bodies_.push_back(std::move(body));
    in_bundle_.push_back(in_bundle);
    return leaves_.size() - 1;
  }

  std::string LogSigned(const std::string& kind, json::object object, const SigningKey& key,
                        const std::function<void(json::object&)>& tamper) {
    std::string jcs = Jcs(object);
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(jcs.data()), jcs.size(),
                         reinterpret_cast<const unsigned char*>(key.secret_key.data()));
    if (tamper) tamper(object);
    std::string sha = HexSha256(Jcs(object));
    json::object body{{"kind", kind},
                      {kind, object},
                      {kind + "_sha256", sha},
                      {"key_id", key.id},
                      {"public_key", Base64Encode(key.public_key)},
                      {"signature", Base64Encode(signature)}};
    Append(Jcs(body), true);
    return sha;
  }

  NoteSigner log_;
  std::string text_;
  std::string manifest_sha256_;
  uint64_t manifest_index_ = 0;
  int published_ = 0;
  std::string last_sha256_;
  std::vector<std::string> bodies_;
  std::vector<Hash> leaves_;
  std::vector<bool> in_bundle_;
};

}  // namespace accord::signon::testing

#endif  // ACCORD_SIGNON_BUNDLE_TEST_SUPPORT_H_
