#include "manifest.h"

#include <gtest/gtest.h>

#include "signon_encoding.h"

namespace accord::server {
namespace {

ManifestInput Input() {
  ManifestInput in;
  in.origin = "accord.test/log";
  in.public_key = std::string(32, '\x01');
  in.statement_id = 12;
  in.slug = "paris-2026";
  in.title = "Déclaration de Paris";
  in.version_id = 40;
  in.version_number = 7;
  in.source_language = "fr";
  in.text_sha256["fr"] = Sha256Hex("Nous déclarons.");
  in.created_at = 1'796'313'600;  // 2026-12-03T16:00:00Z
  return in;
}

TEST(ManifestTest, IsTheContractsCanonicalObject) {
  auto built = BuildManifest(Input());
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  const std::string expected =
      R"({"created_at":"2026-12-03T16:00:00Z","format":"accord-manifest-v1",)"
      R"("instance":{"origin":"accord.test/log","public_key":")" +
      Base64(std::string(32, '\x01')) + R"("},"languages":{"fr":{"sha256":")" +
      Sha256Hex("Nous déclarons.") +
      R"("}},"source_language":"fr",)"
      R"("statement":{"id":12,"slug":"paris-2026","title":"Déclaration de Paris"},)"
      R"("version":{"id":40,"number":7}})";
  EXPECT_EQ(built->canonical, expected);
  EXPECT_EQ(built->sha256, Sha256Hex(expected));
  EXPECT_EQ(built->log_body, R"({"kind":"final-version","manifest":)" + expected +
                                 R"(,"manifest_sha256":")" + built->sha256 + R"("})");
}

TEST(ManifestTest, ChangesWithTheText) {
  ManifestInput other = Input();
  other.text_sha256["fr"] = Sha256Hex("Nous déclarons!");
  EXPECT_NE(BuildManifest(Input())->sha256, BuildManifest(other)->sha256);
}

TEST(ManifestTest, RefusesIncompleteInput) {
  ManifestInput no_source = Input();
  no_source.source_language = "en";
  EXPECT_EQ(BuildManifest(no_source).status().code(), Status::Code::kInvalidArgument);
  ManifestInput bad_hash = Input();
  bad_hash.text_sha256["fr"] = "ABC";
  EXPECT_EQ(BuildManifest(bad_hash).status().code(), Status::Code::kInvalidArgument);
  ManifestInput short_key = Input();
  short_key.public_key = "short";
  EXPECT_EQ(BuildManifest(short_key).status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace accord::server
