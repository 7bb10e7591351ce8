// Tests of the transparency log's public API (api_log.cc) through ApiService::Handle: anyone
// may read it; what it serves verifies with signon's checkpoint, note and Merkle code alone
// (as an outside auditor would check it); bad parameters are 400s that say what is wrong.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>
#include <vector>

#include "accord/signon/canonical_json.h"
#include "accord/signon/checkpoint.h"
#include "accord/signon/merkle.h"
#include "api_test_support.h"

namespace accord::server {
namespace {

namespace json = boost::json;
using signon::Hash;

class ApiLogTest : public testing::ApiTest {
 protected:
  // The verifier key as GET /api/v1/log/key serves it, parsed.
  signon::NoteVerifier Verifier() {
    HttpResponse res = Call(Req("GET", "/api/v1/log/key"));
    EXPECT_EQ(res.status, 200) << res.body;
    std::string key(Json(res).at("verifier_key").as_string());
    auto verifier = signon::NoteVerifier::Parse(key);
    EXPECT_TRUE(verifier.ok()) << key;
    return *verifier;
  }
  signon::Checkpoint FetchCheckpoint(const signon::NoteVerifier& verifier) {
    HttpResponse res = Call(Req("GET", "/api/v1/log/checkpoint"));
    EXPECT_EQ(res.status, 200) << res.body;
    EXPECT_EQ(res.content_type, "text/plain; charset=utf-8");
    auto checkpoint = signon::OpenCheckpoint(res.body, verifier);
    EXPECT_TRUE(checkpoint.ok()) << checkpoint.status().ToString() << "\n" << res.body;
    return checkpoint.ok() ? *checkpoint : signon::Checkpoint{};
  }
  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      std::string kind = i % 3 == 0 ? "final" : "endorsement";
      auto index = log_->Append(kind, "{\"kind\":\"" + kind + "\",\"n\":" + std::to_string(i) +
                                          ",\"text\":\"caf\xc3\xa9 \\u001f\"}");
      ASSERT_TRUE(index.ok()) << index.status().ToString();
    }
  }
  static Hash FromHex(const json::value& v) {
    std::string hex(v.as_string());
    EXPECT_EQ(hex.size(), 64u) << hex;
    Hash h{};
    for (size_t i = 0; i < h.size() && i * 2 + 1 < hex.size(); ++i) {
      h[i] = static_cast<unsigned char>(std::stoi(hex.substr(i * 2, 2), nullptr, 16));
    }
    return h;
  }
  static std::vector<Hash> Path(const json::value& v) {
    std::vector<Hash> out;
    for (const auto& h : v.at("path").as_array()) out.push_back(FromHex(h));
    return out;
  }
};

TEST_F(ApiLogTest, TheEmptyLogsCheckpointAndKeyArePublic) {
  HttpResponse key = Call(Req("GET", "/api/v1/log/key"));
  ASSERT_EQ(key.status, 200) << key.body;
  EXPECT_EQ(Header(key, "Cache-Control"), "no-store");
  EXPECT_EQ(std::string(Json(key).at("origin").as_string()), testing::kLogOrigin);
  EXPECT_EQ(std::string(Json(key).at("verifier_key").as_string()), log_->verifier().ToString());
  signon::Checkpoint checkpoint = FetchCheckpoint(Verifier());
  EXPECT_EQ(checkpoint.origin, testing::kLogOrigin);
  EXPECT_EQ(checkpoint.tree_size, 0u);
  EXPECT_EQ(checkpoint.root_hash, signon::Sha256(""));
  EXPECT_EQ(checkpoint.extensions, std::vector<std::string>{"Timestamp: " + std::to_string(now_)});
  HttpResponse entries = Call(Req("GET", "/api/v1/log/entries?start=0"));
  ASSERT_EQ(entries.status, 200) << entries.body;
  EXPECT_TRUE(Json(entries).at("entries").as_array().empty());
}

TEST_F(ApiLogTest, StaleCredentialsDoNotStopAnAudit) {
  ApiRequest r = Req("GET", "/api/v1/log/checkpoint");
  r.headers["authorization"] = "Bearer acc_not-a-token";
  EXPECT_EQ(Call(r).status, 200);
  testing::Browser sec = SignIn("sec@example.org");
  EXPECT_EQ(Call(As(sec, "GET", "/api/v1/log/checkpoint")).status, 200);
  EXPECT_EQ(Call(Req("POST", "/api/v1/log/checkpoint")).status, 405);
}

// An auditor's walk: take a checkpoint, read every entry, recompute each leaf hash from the
// body (re-canonicalized from the parsed JSON), check each inclusion proof against the
// checkpoint's root; later take another checkpoint and check it extends the first.
TEST_F(ApiLogTest, EntriesAndProofsVerifyAgainstTheSignedCheckpoint) {
  signon::NoteVerifier verifier = Verifier();
  Append(5);
  signon::Checkpoint first = FetchCheckpoint(verifier);
  ASSERT_EQ(first.tree_size, 5u);

  HttpResponse page = Call(Req("GET", "/api/v1/log/entries?start=0&end=5"));
  ASSERT_EQ(page.status, 200) << page.body;
  json::value v = Json(page);
  EXPECT_EQ(v.at("tree_size").as_int64(), 5);
  EXPECT_EQ(v.at("end").as_int64(), 5);
  const json::array& entries = v.at("entries").as_array();
  ASSERT_EQ(entries.size(), 5u);
  for (size_t i = 0; i < entries.size(); ++i) {
    const json::value& e = entries[i];
    EXPECT_EQ(e.at("index").as_int64(), static_cast<int64_t>(i));
    auto canonical = signon::CanonicalizeJsonValue(e.at("body"));
    ASSERT_TRUE(canonical.ok());
    Hash leaf = signon::HashLeaf(*canonical);
    EXPECT_EQ(FromHex(e.at("leaf_hash")), leaf);
    EXPECT_EQ(e.at("body").at("kind"), e.at("kind"));

    HttpResponse proof =
        Call(Req("GET", "/api/v1/log/proof/inclusion?index=" + std::to_string(i) + "&size=5"));
    ASSERT_EQ(proof.status, 200) << proof.body;
    json::value p = Json(proof);
    EXPECT_EQ(FromHex(p.at("root")), first.root_hash);
    EXPECT_TRUE(signon::VerifyInclusion(leaf, i, 5, Path(p), first.root_hash).ok()) << i;
  }

  Append(4);
  signon::Checkpoint second = FetchCheckpoint(verifier);
  ASSERT_EQ(second.tree_size, 9u);
  HttpResponse consistency = Call(Req("GET", "/api/v1/log/proof/consistency?from=5&to=9"));
  ASSERT_EQ(consistency.status, 200) << consistency.body;
  json::value c = Json(consistency);
  EXPECT_EQ(c.at("from").as_int64(), 5);
  EXPECT_EQ(c.at("to").as_int64(), 9);
  EXPECT_TRUE(signon::VerifyConsistency(5, 9, first.root_hash, second.root_hash, Path(c)).ok());
  // A proof of the earlier tree does not pass for the later one.
  HttpResponse old_proof = Call(Req("GET", "/api/v1/log/proof/inclusion?index=0&size=5"));
  EXPECT_FALSE(signon::VerifyInclusion(signon::HashLeaf(log_->Entry(0)->body), 0, 9,
                                       Path(Json(old_proof)), second.root_hash)
                   .ok());
  // size and to default to the current tree.
  json::value latest = Json(Call(Req("GET", "/api/v1/log/proof/inclusion?index=8")));
  EXPECT_EQ(latest.at("size").as_int64(), 9);
  EXPECT_EQ(FromHex(latest.at("root")), second.root_hash);
  EXPECT_EQ(Json(Call(Req("GET", "/api/v1/log/proof/consistency?from=2"))).at("to").as_int64(), 9);
}

TEST_F(ApiLogTest, EntriesArePagedAtMost100) {
  Append(105);
  json::value page = Json(Call(Req("GET", "/api/v1/log/entries?start=3")));
  EXPECT_EQ(page.at("entries").as_array().size(), 100u);
  EXPECT_EQ(page.at("end").as_int64(), 103);
  json::value tail = Json(Call(Req("GET", "/api/v1/log/entries?start=100&end=200")));
  EXPECT_EQ(tail.at("entries").as_array().size(), 5u);
  EXPECT_EQ(tail.at("end").as_int64(), 105);
  EXPECT_EQ(tail.at("entries").as_array()[0].at("index").as_int64(), 100);
  EXPECT_TRUE(
      Json(Call(Req("GET", "/api/v1/log/entries?start=105"))).at("entries").as_array().empty());
}

TEST_F(ApiLogTest, BadParametersAre400WithTheReason) {
  Append(3);
  struct Case {
    const char* target;
    const char* type;
    const char* says;
  };
  const Case cases[] = {
      {"/api/v1/log/entries", "bad-request", "'start' is required"},
      {"/api/v1/log/entries?start=x", "bad-request", "non-negative integer"},
      {"/api/v1/log/entries?start=-1", "bad-request", "non-negative integer"},
      {"/api/v1/log/entries?start=1e3", "bad-request", "non-negative integer"},
      {"/api/v1/log/entries?start=", "bad-request", "non-negative integer"},
      {"/api/v1/log/entries?start=99999999999999999999", "bad-request", "non-negative integer"},
      {"/api/v1/log/entries?start=2&end=1", "bad-request", "smaller than start"},
      {"/api/v1/log/entries?start=0&end=101", "bad-request", "at most 100"},
      {"/api/v1/log/entries?start=4", "bad-request", "beyond the log"},
      {"/api/v1/log/entries?start=0&limit=5", "unknown-field", "'limit'"},
      {"/api/v1/log/proof/inclusion", "bad-request", "'index' is required"},
      {"/api/v1/log/proof/inclusion?index=3", "bad-request", "not in a tree of size 3"},
      {"/api/v1/log/proof/inclusion?index=0&size=4", "bad-request", "larger than the log"},
      {"/api/v1/log/proof/inclusion?index=0&size=0", "bad-request", "not in a tree"},
      {"/api/v1/log/proof/consistency", "bad-request", "'from' is required"},
      {"/api/v1/log/proof/consistency?from=3&to=2", "bad-request", "larger than to"},
      {"/api/v1/log/proof/consistency?from=1&to=4", "bad-request", "larger than the log"},
      {"/api/v1/log/checkpoint?size=1", "unknown-field", "'size'"},
      {"/api/v1/log/key?x=1", "unknown-field", "'x'"},
  };
  for (const Case& c : cases) {
    HttpResponse res = Call(Req("GET", c.target));
    EXPECT_EQ(res.status, 400) << c.target << " " << res.body;
    EXPECT_EQ(ProblemType(res), c.type) << c.target;
    EXPECT_NE(res.body.find(c.says), std::string::npos) << c.target << " " << res.body;
  }
}

}  // namespace
}  // namespace accord::server
