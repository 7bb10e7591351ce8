// The final manifest and the verification bundle: entering `final` publishes the manifest and
// its final-version log entry; GET manifest serves it and its texts to anyone; the bundle
// carries every log entry, whose root is its signed checkpoint's, with proofs on its own.
#include <gtest/gtest.h>

#include "accord/signon/checkpoint.h"
#include "accord/signon/merkle.h"
#include "api_signon_test_support.h"

namespace accord::server::testing {
namespace {

namespace json = boost::json;

using ApiManifestTest = ApiSignonTest;

signon::Hash HashFromBase64(const json::value& v) {
  auto bytes = DecodeBase64(std::string(v.as_string()), 32);
  EXPECT_TRUE(bytes);
  signon::Hash h{};
  if (bytes) std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

TEST_F(ApiManifestTest, EnteringFinalPublishesTheManifest) {
  EXPECT_EQ(Call(Req("GET", std::string(kParis) + "/manifest")).status, 404);
  StoreParagraphs("statement.paris", {"We declare.", "Peace and bread."});
  HttpResponse patched = Call(As(sec_b_, "PATCH", kParis, R"({"phase":"final"})"));
  ASSERT_EQ(patched.status, 200) << patched.body;
  json::object from_patch = Json(patched).at("manifest").as_object();
  const std::string sha(from_patch.at("manifest_sha256").as_string());
  const int64_t index = from_patch.at("log_index").as_int64();

  HttpResponse r = Call(Req("GET", std::string(kParis) + "/manifest"));  // no caller: public
  ASSERT_EQ(r.status, 200) << r.body;
  json::value got = Json(r);
  const std::string canonical(got.at("canonical").as_string());
  EXPECT_EQ(Jcs(got.at("manifest")), canonical);
  EXPECT_EQ(Sha256Hex(canonical), sha);
  EXPECT_EQ(got.at("manifest_sha256").as_string(), sha);
  EXPECT_EQ(got.at("log_index").as_int64(), index);
  EXPECT_FALSE(got.at("open_for_signature").as_bool());
  const json::value& m = got.at("manifest");
  EXPECT_EQ(m.at("format").as_string(), "accord-manifest-v1");
  EXPECT_EQ(m.at("instance").at("origin").as_string(), kLogOrigin);
  EXPECT_EQ(m.at("instance").at("public_key").as_string(), Base64(log_->verifier().public_key()));
  EXPECT_EQ(m.at("statement").at("slug").as_string(), "paris");
  EXPECT_EQ(m.at("statement").at("title").as_string(), "Paris declaration");
  EXPECT_EQ(m.at("source_language").as_string(), "en");
  const std::string text(got.at("texts").at("en").as_string());
  EXPECT_NE(text.find("Peace and bread."), std::string::npos);
  EXPECT_EQ(m.at("languages").at("en").at("sha256").as_string(), Sha256Hex(text));
  EXPECT_NE(got.at("html").at("en").as_string().find("<p>"), std::string::npos);
  auto version = drafting_->LatestVersion(paris_.id);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(m.at("version").at("id").as_int64(), version->id);
  EXPECT_EQ(m.at("version").at("number").as_int64(), version->number);
  // The log entry.
  auto entry = log_->Entry(index);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->kind, "final-version");
  EXPECT_EQ(entry->body, Jcs(json::object{{"kind", "final-version"},
                                          {"manifest", got.at("manifest")},
                                          {"manifest_sha256", sha}}));
}

TEST_F(ApiManifestTest, EachEntryIntoFinalPublishesANewManifest) {
  std::string first = GoFinal();
  // Changing only the deadline while final publishes nothing.
  ASSERT_EQ(
      Call(As(sec_b_, "PATCH", kParis, R"({"phase_deadline":"2030-01-01T00:00:00Z"})")).status,
      200);
  EXPECT_EQ(LogSize(), 1u);
  ASSERT_EQ(SetPhase("consolidation").status, 200);
  EXPECT_EQ(Call(Req("GET", std::string(kParis) + "/manifest")).status, 200);  // still served
  std::string second = GoFinal({"We declare.", "Bread."});
  EXPECT_NE(first, second);
  EXPECT_EQ(Json(Call(Req("GET", std::string(kParis) + "/manifest"))).at("manifest_sha256"),
            json::value(second));
  EXPECT_EQ(LogSize(), 2u);
}

TEST_F(ApiManifestTest, BundleHoldsTheEntriesWithProofsThatVerify) {
  TestKey key = Approved(ana_, cgt_.id);
  TestKey unrelated = Approved(bea_, mst_.id);  // logged, but used by no endorsement
  std::string manifest = GoFinal();
  const std::string text = Jcs(EndorsementObject(manifest));
  ASSERT_EQ(Endorse(ana_, key, text).status, 201);
  EXPECT_EQ(Call(Req("GET", "/api/v1/statements/nope/bundle")).status, 404);

  HttpResponse r = Call(Req("GET", std::string(kParis) + "/bundle"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Header(r, "Content-Disposition"), "attachment; filename=\"paris-bundle.json\"");
  json::value b = Json(r);
  EXPECT_EQ(b.at("format").as_string(), "accord-bundle-v1");
  EXPECT_EQ(b.at("statement").at("slug").as_string(), "paris");
  EXPECT_EQ(b.at("log").at("origin").as_string(), kLogOrigin);
  EXPECT_EQ(b.at("log").at("key").as_string(), log_->verifier().ToString());
  auto checkpoint = signon::OpenCheckpoint(std::string(b.at("log").at("checkpoint").as_string()),
                                           log_->verifier());
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  const uint64_t size = b.at("log").at("size").as_int64();
  EXPECT_EQ(checkpoint->tree_size, size);
  EXPECT_EQ(size, 4u);  // two approvals, the manifest, the endorsement
  // EVERY entry, index order; the root of their bodies is the checkpoint's.
  const json::array& entries = b.at("entries").as_array();
  ASSERT_EQ(entries.size(), size);
  std::vector<signon::Hash> leaves;
  for (const auto& e : entries) {
    EXPECT_EQ(e.at("index").as_int64(), static_cast<int64_t>(leaves.size()));
    leaves.push_back(signon::HashLeaf(std::string(e.at("body").as_string())));
  }
  EXPECT_EQ(signon::RootFromLeafHashes(leaves), checkpoint->root_hash);
  // Proofs on the manifest, the endorsement and its key's approval; not the unrelated key's.
  std::vector<std::string> kinds;
  for (const auto& e : entries) {
    const int64_t index = e.at("index").as_int64();
    const std::string body(e.at("body").as_string());
    if (body.find(unrelated.PublicKey()) != std::string::npos) {
      EXPECT_FALSE(e.as_object().contains("proof"));
      continue;
    }
    ASSERT_TRUE(e.as_object().contains("proof")) << body;
    std::vector<signon::Hash> proof;
    for (const auto& h : e.at("proof").as_array()) proof.push_back(HashFromBase64(h));
    EXPECT_TRUE(
        signon::VerifyInclusion(leaves[index], index, size, proof, checkpoint->root_hash).ok());
    kinds.push_back(std::string(json::parse(body).at("kind").as_string()));
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"key-approval", "final-version", "endorsement"}));
  EXPECT_EQ(json::parse(entries[b.at("manifest_index").as_int64()].at("body").as_string())
                .at("kind")
                .as_string(),
            "final-version");
  EXPECT_NE(b.at("texts").at("en").as_string().find("We declare."), std::string::npos);
}

}  // namespace
}  // namespace accord::server::testing
