// The final manifest and its log entry (sign-on contract, sections 1 and 2).
#include "manifest.h"

#include "accord/signon/canonical_json.h"
#include "api_json.h"
#include "signon_encoding.h"

namespace accord::server {
namespace json = boost::json;

Result<BuiltManifest> BuildManifest(const ManifestInput& in) {
  if (in.public_key.size() != 32) {
    return Status::InvalidArgument("the instance key must be 32 bytes");
  }
  if (in.text_sha256.empty() || !in.text_sha256.contains(in.source_language)) {
    return Status::InvalidArgument("the manifest needs the source language's text");
  }
  json::object languages;
  for (const auto& [language, sha] : in.text_sha256) {
    if (!IsSha256Hex(sha)) return Status::InvalidArgument("a text hash is not lower-case hex");
    languages[language] = json::object{{"sha256", sha}};
  }
  BuiltManifest out;
  out.manifest = json::object{
      {"format", "accord-manifest-v1"},
      {"instance", json::object{{"origin", in.origin}, {"public_key", Base64(in.public_key)}}},
      {"statement", json::object{{"id", in.statement_id}, {"slug", in.slug}, {"title", in.title}}},
      {"version", json::object{{"id", in.version_id}, {"number", in.version_number}}},
      {"source_language", in.source_language},
      {"languages", std::move(languages)},
      {"created_at", FormatTime(in.created_at)},
  };
  auto canonical = signon::CanonicalizeJsonValue(out.manifest);
  if (!canonical.ok()) return canonical.status();
  out.canonical = std::move(*canonical);
  out.sha256 = Sha256Hex(out.canonical);
  auto body = signon::CanonicalizeJsonValue(json::object{
      {"kind", "final-version"}, {"manifest", out.manifest}, {"manifest_sha256", out.sha256}});
  if (!body.ok()) return body.status();
  out.log_body = std::move(*body);
  return out;
}

}  // namespace accord::server
