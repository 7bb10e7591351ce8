// instance_key.h: the instance's secret key, made on first start and kept in the database.
//
// It keys the CSRF tokens (auth/web_security.h), so that they can be checked without being
// stored, and survives restarts so that signed-in browsers keep working. It is not a user
// secret (those are stored hashed); whoever can read accord.db could forge CSRF tokens but
// would need a session cookie as well, which the database holds only hashed.
//
// The transparency log's signing key (an Ed25519 seed, "log_signing_key") is kept the same way.
// Unlike everything else in the database it cannot be stored hashed: whoever reads it can sign
// checkpoints in the instance's name, and losing it means the log can no longer be extended
// under the verifier key auditors know. server/STORAGE.md says how to back it up.
//
// Thread-compatible: called once at startup.
#ifndef ACCORD_SERVER_INSTANCE_KEY_H_
#define ACCORD_SERVER_INSTANCE_KEY_H_

#include <string>
#include <string_view>

#include "accord/signon/signed_note.h"
#include "accord/status.h"
#include "database.h"

namespace accord::server {

// 32 raw bytes: read from instance_settings ("csrf_key", hex), or made and stored there.
Result<std::string> LoadOrCreateInstanceKey(Database& db);

// The log's signer named `origin` (the log's identity, e.g. "accord.example.org/log"), its
// 32-byte seed read from instance_settings ("log_signing_key", hex) or made and stored there.
// InvalidArgument if `origin` is not a valid note key name. The origin is recorded too
// ("log_origin"); if it differs from the one recorded before, *previous_origin (when given) is
// set to the old one — the caller warns: auditors who pinned the old verifier key will refuse
// the new checkpoints — and the new origin is recorded. Otherwise *previous_origin is cleared.
Result<signon::NoteSigner> LoadOrCreateLogSigner(Database& db, std::string_view origin,
                                                 std::string* previous_origin = nullptr);

}  // namespace accord::server

#endif  // ACCORD_SERVER_INSTANCE_KEY_H_
