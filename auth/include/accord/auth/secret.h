// accord/auth/secret.h: random bearer secrets and how they are stored.
//
// Tokens (API tokens, session ids, invitation links) are 256 random bits from libsodium,
// printed as URL-safe base64 without padding behind a short kind prefix ("acc_" for API tokens)
// so a leaked one is recognisable. Only their SHA-256 is stored; lookups hash the presented
// token and compare in constant time. Thread-safe after Initialize() has returned once.
#ifndef ACCORD_AUTH_SECRET_H_
#define ACCORD_AUTH_SECRET_H_

#include <string>
#include <string_view>

#include "accord/status.h"

namespace accord::auth {

// Initialises libsodium; call once before anything else here (idempotent, thread-safe).
Status Initialize();

// A fresh token: `prefix` followed by 43 characters of base64url (256 random bits).
std::string GenerateToken(std::string_view prefix);

// Lower-case hex SHA-256 of the token: what is stored at rest.
std::string HashToken(std::string_view token);

// Constant-time comparison of two equal-length strings (false if the lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace accord::auth

#endif  // ACCORD_AUTH_SECRET_H_
