// accord/signon/checkpoint.h: log checkpoints in the transparency-dev / C2SP tlog-checkpoint
// form — the body of the signed note a log publishes for each tree head:
//
//   <origin>\n                   the log's identity, e.g. "accord.example.org/log"
//   <tree size>\n                decimal, no sign, no leading zeros
//   <base64 root hash>\n         standard base64 (with padding) of the 32-byte RFC 9162 root
//   [<extension line>\n]...      optional, opaque, non-empty (Accord puts the time here)
//
// A checkpoint is trusted only as a signed note whose key name is the origin.
// Plain values and pure functions; safe from any thread.
#ifndef ACCORD_SIGNON_CHECKPOINT_H_
#define ACCORD_SIGNON_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "accord/signon/merkle.h"
#include "accord/signon/signed_note.h"
#include "accord/status.h"

namespace accord::signon {

struct Checkpoint {
  std::string origin;
  uint64_t tree_size = 0;
  Hash root_hash{};
  std::vector<std::string> extensions;  // without their newlines

  bool operator==(const Checkpoint&) const = default;
};

// The note text. kInvalidArgument if the origin or an extension line is empty, contains a
// newline, or is not valid note text.
Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint);

// Reads a note text written by FormatCheckpoint (strictly: kCorruption otherwise).
Result<Checkpoint> ParseCheckpoint(std::string_view text);

// FormatCheckpoint signed by `signer`, whose name must be the origin.
Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer);

// Opens a signed checkpoint: it must carry a valid signature by `verifier` (other signatures,
// e.g. witnesses' cosignatures, are ignored) and its origin must be the verifier's name.
// kUnauthenticated on a missing or bad signature or another origin, kCorruption if malformed.
Result<Checkpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& verifier);

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_CHECKPOINT_H_
