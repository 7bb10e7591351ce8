// endorsement.h: reading the signed objects of sign-on (sign-on contract, section 3) — an
// endorsement of a manifest and the withdrawal of one — from the JCS text a client sends, and
// checking their detached Ed25519 signatures.
//
// The client signs the exact bytes it sends: the text must already be RFC 8785 canonical (so
// what is signed, stored and logged is one byte string), at most kMaxSignedObjectBytes, with
// exactly the members of its format and nothing else. The checks that need the stored world
// (the key, the organization, the current manifest, replays) are the API's and the store's.
//
// Pure functions; safe from any thread.
#ifndef ACCORD_SERVER_ENDORSEMENT_H_
#define ACCORD_SERVER_ENDORSEMENT_H_

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

inline constexpr size_t kMaxSignedObjectBytes = 16 * 1024;
inline constexpr size_t kMaxReservationChars = 4000;
inline constexpr size_t kMaxWithdrawalReasonChars = 2000;

struct SignedEndorsement {
  std::string canonical;  // the text as received (canonical)
  boost::json::object object;
  std::string sha256;  // of `canonical`
  std::string manifest_sha256;
  auth::Id organization_id = 0;
  std::string organization_name;
  std::string country;
  std::string signatory_name;
  std::string signatory_title;
  std::string kind;                         // "adheres" | "adheres-with-reservations"
  std::optional<std::string> reservations;  // only with reservations
  auth::UnixTime signed_at = 0;
  std::string signed_at_text;
  std::string nonce;  // base64 of 16 bytes
};

struct SignedWithdrawal {
  std::string canonical;
  boost::json::object object;
  std::string sha256;
  std::string endorsement_sha256;
  std::string manifest_sha256;
  auth::Id organization_id = 0;
  std::string reason;
  auth::UnixTime signed_at = 0;
  std::string nonce;
};

// InvalidArgument (ResourceExhausted when too large) saying what is wrong.
Result<SignedEndorsement> ParseEndorsement(std::string_view text);
Result<SignedWithdrawal> ParseWithdrawal(std::string_view text);

// Whether `signature_b64` (base64 of 64 bytes) is `public_key_b64`'s (base64 of 32 bytes)
// Ed25519 signature of `message`. False for malformed input.
bool VerifySignature(std::string_view message, std::string_view signature_b64,
                     std::string_view public_key_b64);

}  // namespace accord::server

#endif  // ACCORD_SERVER_ENDORSEMENT_H_
