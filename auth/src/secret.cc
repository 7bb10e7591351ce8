#include "accord/auth/secret.h"

#include <sodium.h>

#include <array>

namespace accord::auth {

Status Initialize() {
  // sodium_init is itself thread-safe and returns 1 when already initialised.
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  return Status::Ok();
}

std::string GenerateToken(std::string_view prefix) {
  std::array<unsigned char, 32> raw;
  randombytes_buf(raw.data(), raw.size());
  const size_t b64_len =
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string b64(b64_len, '\0');
  sodium_bin2base64(b64.data(), b64.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(b64_len - 1);  // drop the terminating NUL that the length includes
  sodium_memzero(raw.data(), raw.size());
  return std::string(prefix) + b64;
}

std::string HashToken(std::string_view token) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace accord::auth
