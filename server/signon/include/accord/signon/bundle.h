// accord/signon/bundle.h: the verification bundle of a final statement (format
// "accord-bundle-v1", server/signon/BUNDLE.md) and its offline verifier — what `accord verify`
// and any third party run to check, without trusting the instance, that the published text, the
// endorsements and the keys that signed them are all in the instance's append-only log.
//
// ParseBundle reads the bundle's JSON structure (an unreadable bundle is an error, not a
// finding). VerifyBundle then runs every check and reports each failure as a Finding with a
// stable check name, so a tampered bundle says exactly what is wrong ("entry 12: endorsement
// signature does not verify with key 7"), and derives the signatory list from the entries.
//
// Pure functions of their input (libsodium must be initialisable); safe from any thread.
#ifndef ACCORD_SIGNON_BUNDLE_H_
#define ACCORD_SIGNON_BUNDLE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/signon/merkle.h"
#include "accord/status.h"

namespace accord::signon {

inline constexpr std::string_view kBundleFormat = "accord-bundle-v1";

struct BundleEntry {
  uint64_t index = 0;
  std::string body;  // the entry's bytes as logged (JCS text)
  // The RFC 9162 inclusion proof, present on the entries about the statement only (BUNDLE.md).
  std::optional<std::vector<Hash>> proof;
};

struct Bundle {
  int64_t statement_id = 0;
  std::string statement_slug;
  std::string statement_title;
  std::string log_origin;
  std::string log_key;         // note verifier key text
  std::string log_checkpoint;  // signed note text
  uint64_t log_size = 0;
  uint64_t manifest_index = 0;
  std::map<std::string, std::string> texts;  // language tag -> canonical text
  std::vector<BundleEntry> entries;          // every log entry, index order
};

// Reads the JSON of a bundle. kCorruption naming the first problem (not JSON, duplicate member
// names, a missing or mistyped field, a hash that is not base64 of 32 bytes, another format).
// Whether the entries are complete and in order is a check of VerifyBundle, not a parse error.
// Entry bodies are kept as text: their content is checked by VerifyBundle.
Result<Bundle> ParseBundle(std::string_view json_text);

struct VerifyOptions {
  // A note verifier key the log must be signed with ("--key"): otherwise the bundle's own
  // log.key is used, which proves consistency but not that it is the instance you meant.
  std::optional<std::string> pinned_key;
  // A signed checkpoint seen earlier: the bundle's log must be an extension of it.
  std::optional<std::string> previous_checkpoint;
};

struct Finding {
  std::string check;              // stable name, e.g. "endorsement-signature" (BUNDLE.md)
  std::optional<uint64_t> entry;  // log index of the entry concerned, if any
  std::string message;            // for people: what differs, as precisely as known
};

struct Signatory {
  uint64_t log_index = 0;
  int64_t organization_id = 0;
  std::string organization;
  std::string country;
  std::string signatory;
  std::string title;
  std::string kind;  // "adheres" | "adheres-with-reservations"
  std::string reservations;
  std::string signed_at;
  int64_t key_id = 0;
  bool valid = false;  // every check of this endorsement passed
  bool withdrawn = false;
  std::string withdrawn_at;  // the withdrawal's signed_at
};

struct VerifyReport {
  std::vector<Finding> findings;
  std::string statement_slug;
  std::string statement_title;
  std::string manifest_sha256;  // hex, as the manifest entry states it ("" if none)
  std::string log_origin;
  uint64_t log_size = 0;
  bool checkpoint_verified = false;       // signed by the (pinned) key
  std::optional<uint64_t> previous_size;  // set when a previous checkpoint was given
  size_t entries_checked = 0;
  std::vector<Signatory> signatories;  // every endorsement entry, in log order
  size_t endorsements_valid = 0;       // valid and not withdrawn
  size_t with_reservations = 0;        // of those
  size_t withdrawn = 0;                // valid endorsements withdrawn by a valid withdrawal

  bool ok() const { return findings.empty(); }
};

VerifyReport VerifyBundle(const Bundle& bundle, const VerifyOptions& options);

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_BUNDLE_H_
