// adherence_challenge.h: the proof-of-work challenge that guards the public form to adhere to a
// final statement (issue 8, SIGNON-CONTRACT.md section 5) against automated spam without a
// third-party service.
//
// A challenge is stateless: "<statement id>.<issued at>.<difficulty>.<random>.<mac>", where
// <random> is 16 random bytes and <mac> HMAC-SHA-256 under the instance key over the part
// before it (with a label of its own, so that no other MAC made with that key can pass for
// one), all in lower-case hex or decimal. The client must find a nonce (1 to 64 characters of
// [A-Za-z0-9_-]) such that SHA-256(challenge || ":" || nonce) starts with `difficulty` zero
// bits: about 2^difficulty hashes of work, a fraction of a second at 18 bits for a browser,
// expensive for a bulk sender. A challenge is accepted from kChallengeMinAge after its issue (a
// person takes longer than that to fill in the form; a script that posts at once is refused)
// until kChallengeLifetime after it.
//
// Single use is not this module's: the request that spends a challenge stores its SHA-256
// (ChallengeSha256) in a UNIQUE column (adherence_store.h), durably and in the same
// transaction as the request.
//
// Thread-safe: pure functions (IssueChallenge draws from libsodium's thread-safe randomness;
// auth::Initialize() must have run).
#ifndef ACCORD_SERVER_ADHERENCE_CHALLENGE_H_
#define ACCORD_SERVER_ADHERENCE_CHALLENGE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "accord/auth/model.h"

namespace accord::server {

inline constexpr auth::UnixTime kChallengeLifetime = 30 * 60;
inline constexpr auth::UnixTime kChallengeMinAge = 3;
inline constexpr int kMaxChallengeDifficulty = 32;

struct IssuedChallenge {
  std::string challenge;
  int difficulty = 0;
  auth::UnixTime expires_at = 0;
};

// A challenge for `statement_id` issued at `now`; `difficulty` is clamped to
// 0..kMaxChallengeDifficulty. `key` is the instance key (any length; 32 bytes in accordd).
IssuedChallenge IssueChallenge(std::string_view key, auth::Id statement_id, int difficulty,
                               auth::UnixTime now);

enum class ChallengeCheck {
  kOk,
  kMalformed,       // not a challenge, or the nonce is not 1..64 of [A-Za-z0-9_-]
  kBadMac,          // not issued by this instance (or altered)
  kWrongStatement,  // issued for another statement
  kTooEarly,        // sent sooner than kChallengeMinAge after the issue
  kExpired,         // sent kChallengeLifetime or more after the issue
  kNotSolved,       // SHA-256(challenge ":" nonce) lacks the leading zero bits
};
std::string_view ChallengeCheckName(ChallengeCheck check);

// Whether `nonce` solves `challenge` for `statement_id` at `now` (checked in the order of the
// enum: a forged challenge is never reported as merely early or unsolved).
ChallengeCheck CheckChallenge(std::string_view key, std::string_view challenge,
                              std::string_view nonce, auth::Id statement_id, auth::UnixTime now);

// Lower-case hex SHA-256 of the challenge text: what a spent challenge is remembered by.
std::string ChallengeSha256(std::string_view challenge);

// The number of leading zero bits of `bytes` (8 * size if all are zero).
int LeadingZeroBits(const unsigned char* bytes, size_t size);

}  // namespace accord::server

#endif  // ACCORD_SERVER_ADHERENCE_CHALLENGE_H_
