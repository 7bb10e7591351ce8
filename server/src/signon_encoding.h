// signon_encoding.h: the encodings sign-on's JSON uses (the sign-on contract's conventions) —
// lower-case hex SHA-256 digests and standard base64 with padding for keys, signatures and
// nonces. Internal to the server.
//
// Pure functions; safe from any thread.
#ifndef ACCORD_SERVER_SIGNON_ENCODING_H_
#define ACCORD_SERVER_SIGNON_ENCODING_H_

#include <optional>
#include <string>
#include <string_view>

#include "accord/signon/merkle.h"

namespace accord::server {

// A digest (a Merkle log hash, a SHA-256) as 64 lower-case hex digits.
std::string HashHex(const signon::Hash& hash);
// SHA-256 of `bytes` as 64 lower-case hex digits.
std::string Sha256Hex(std::string_view bytes);
// Whether `text` is 64 lower-case hex digits.
bool IsSha256Hex(std::string_view text);
// Standard base64 (RFC 4648 section 4) with padding.
std::string Base64(std::string_view bytes);
// The bytes of standard base64 text with padding, if it is exactly that (canonical: re-encoding
// gives the same text) and decodes to `size` bytes; nullopt otherwise.
std::optional<std::string> DecodeBase64(std::string_view text, size_t size);

}  // namespace accord::server

#endif  // ACCORD_SERVER_SIGNON_ENCODING_H_
