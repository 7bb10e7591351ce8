// manifest.h: the manifest a statement publishes when it enters `final` (sign-on contract,
// section 1) — what signatories sign the hash of — and its final-version log entry.
//
// The manifest names the instance (log origin and Ed25519 public key), the statement, the
// version frozen as final and, per language, the SHA-256 of that version's canonical text.
// Languages are a map so that translations can join later; today there is the source language.
//
// Pure functions; safe from any thread.
#ifndef ACCORD_SERVER_MANIFEST_H_
#define ACCORD_SERVER_MANIFEST_H_

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

struct ManifestInput {
  std::string origin;      // the log's origin (its verifier key's name)
  std::string public_key;  // the 32-byte instance log key, raw
  auth::Id statement_id = 0;
  std::string slug;
  std::string title;
  auth::Id version_id = 0;
  int64_t version_number = 0;
  std::string source_language;
  std::map<std::string, std::string> text_sha256;  // language -> lower-case hex SHA-256
  auth::UnixTime created_at = 0;
};

struct BuiltManifest {
  boost::json::object manifest;
  std::string canonical;  // JCS of `manifest`
  std::string sha256;     // of `canonical`, lower-case hex
  std::string log_body;   // JCS of {"kind":"final-version","manifest":...,"manifest_sha256":...}
};

// InvalidArgument if the input cannot make a manifest (no languages, the source language
// missing from them, a malformed hash or key).
Result<BuiltManifest> BuildManifest(const ManifestInput& input);

}  // namespace accord::server

#endif  // ACCORD_SERVER_MANIFEST_H_
