#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <string>

#include "accord/signon/bundle.h"
#include "bundle_test_support.h"

namespace accord::signon {
namespace {

using testing::BundleBuilder;
namespace json = boost::json;

std::string ErrorOf(const json::object& bundle) {
  auto parsed = ParseBundle(json::serialize(bundle));
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), Status::Code::kCorruption);
  return parsed.status().message();
}

class BundleParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    b.PublishManifest();
    key = b.ApproveKey(7, {3, "CGT", "FR"});
    b.AddForeignEntry();
    b.Endorse(key, {3, "CGT", "FR"});
  }
  BundleBuilder b;
  testing::SigningKey key;
};

TEST_F(BundleParseTest, ReadsEveryField) {
  auto parsed = ParseBundle(b.Json());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Bundle& bundle = parsed.value();
  EXPECT_EQ(bundle.statement_id, 12);
  EXPECT_EQ(bundle.statement_slug, "paris-2026");
  EXPECT_EQ(bundle.statement_title, "Paris 2026");
  EXPECT_EQ(bundle.log_origin, BundleBuilder::kOrigin);
  EXPECT_EQ(bundle.log_key, b.verifier_key());
  EXPECT_EQ(bundle.log_checkpoint, b.SignedCheckpoint(4));
  EXPECT_EQ(bundle.log_size, 4u);
  EXPECT_EQ(bundle.manifest_index, 0u);
  ASSERT_EQ(bundle.texts.size(), 1u);
  EXPECT_EQ(bundle.texts.at("en").substr(0, 6), "We, th");
  ASSERT_EQ(bundle.entries.size(), 4u);  // every entry of the log
  EXPECT_EQ(bundle.entries[3].index, 3u);
  ASSERT_TRUE(bundle.entries[3].proof);
  EXPECT_EQ(bundle.entries[3].proof->size(), 2u);
  EXPECT_FALSE(bundle.entries[2].proof);  // another statement's entry: no proof
}

TEST_F(BundleParseTest, RefusesWhatIsNotJson) {
  for (std::string bad : {"", "{", "[]", "null", "{\"format\":\"accord-bundle-v1\"}}"}) {
    auto parsed = ParseBundle(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), Status::Code::kCorruption);
  }
  EXPECT_NE(ParseBundle("[]").status().message().find("not an object"), std::string::npos);
  // Duplicate member names would let two verifiers read two different bundles.
  std::string text = b.Json();
  std::string doubled = "{\"format\":\"x\"," + text.substr(1);
  EXPECT_NE(ParseBundle(doubled).status().message().find("not valid JSON"), std::string::npos);
}

TEST_F(BundleParseTest, NamesTheMissingOrMistypedField) {
  json::object bundle = b.Object();
  bundle["log"].as_object().erase("checkpoint");
  EXPECT_EQ(ErrorOf(bundle), "bundle: log.checkpoint is missing");

  bundle = b.Object();
  bundle["format"] = "accord-bundle-v2";
  EXPECT_NE(ErrorOf(bundle).find("\"accord-bundle-v2\""), std::string::npos);

  bundle = b.Object();
  bundle["manifest_index"] = -1;
  EXPECT_EQ(ErrorOf(bundle), "bundle: bundle.manifest_index is not a non-negative integer");

  bundle = b.Object();
  bundle["entries"].as_array()[1].as_object()["proof"].as_array()[0] = "AAAA";
  EXPECT_EQ(ErrorOf(bundle), "bundle: entries[1].proof[0] is not base64 of a 32-byte hash");

  bundle = b.Object();
  bundle["entries"].as_array()[0].as_object()["body"] = 5;
  EXPECT_EQ(ErrorOf(bundle), "bundle: entries[0].body is not a string");

  bundle = b.Object();
  bundle["texts"].as_object()["en"] = json::array();
  EXPECT_EQ(ErrorOf(bundle), "bundle: texts.en is not a string");

  bundle = b.Object();
  bundle.erase("entries");
  EXPECT_EQ(ErrorOf(bundle), "bundle: bundle.entries is missing");

  bundle = b.Object();
  bundle["statement"] = "paris";
  EXPECT_EQ(ErrorOf(bundle), "bundle: bundle.statement is not an object");
}

}  // namespace
}  // namespace accord::signon
