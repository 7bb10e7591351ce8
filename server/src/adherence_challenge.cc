#include "adherence_challenge.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace accord::server {
namespace {

// Keeps these MACs apart from every other MAC made with the instance key (CSRF tokens).
constexpr std::string_view kLabel = "accord adherence challenge v1\n";
constexpr size_t kRandomBytes = 16;

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> Mac(std::string_view key,
                                                            std::string_view payload) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(kLabel.data()),
                                kLabel.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(payload.data()),
                                payload.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac;
  crypto_auth_hmacsha256_final(&state, mac.data());
  return mac;
}

// A decimal number of at most 18 digits without sign or leading zeros ("0" itself is fine).
bool ParseDecimal(std::string_view text, int64_t* out) {
  if (text.empty() || text.size() > 18 || (text.size() > 1 && text[0] == '0')) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool NonceWellFormed(std::string_view nonce) {
  if (nonce.empty() || nonce.size() > 64) return false;
  return std::all_of(nonce.begin(), nonce.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace

IssuedChallenge IssueChallenge(std::string_view key, auth::Id statement_id, int difficulty,
                               auth::UnixTime now) {
  difficulty = std::clamp(difficulty, 0, kMaxChallengeDifficulty);
  std::array<unsigned char, kRandomBytes> random;
  randombytes_buf(random.data(), random.size());
  std::string payload = std::to_string(statement_id) + "." + std::to_string(now) + "." +
                        std::to_string(difficulty) + "." + Hex(random.data(), random.size());
  auto mac = Mac(key, payload);
  IssuedChallenge out;
  out.challenge = payload + "." + Hex(mac.data(), mac.size());
  out.difficulty = difficulty;
  out.expires_at = now + kChallengeLifetime;
  return out;
}

std::string_view ChallengeCheckName(ChallengeCheck check) {
  switch (check) {
    case ChallengeCheck::kOk:
      return "ok";
    case ChallengeCheck::kMalformed:
      return "malformed";
    case ChallengeCheck::kBadMac:
      return "bad-mac";
    case ChallengeCheck::kWrongStatement:
      return "wrong-statement";
    case ChallengeCheck::kTooEarly:
      return "too-early";
    case ChallengeCheck::kExpired:
      return "expired";
    case ChallengeCheck::kNotSolved:
      return "not-solved";
  }
  return "malformed";
}

ChallengeCheck CheckChallenge(std::string_view key, std::string_view challenge,
                              std::string_view nonce, auth::Id statement_id, auth::UnixTime now) {
  if (challenge.size() > 256 || !NonceWellFormed(nonce)) return ChallengeCheck::kMalformed;
  auto parts = Split(challenge, '.');
  if (parts.size() != 5) return ChallengeCheck::kMalformed;
  int64_t id = 0, issued = 0, difficulty = 0;
  if (!ParseDecimal(parts[0], &id) || !ParseDecimal(parts[1], &issued) ||
      !ParseDecimal(parts[2], &difficulty) || difficulty > kMaxChallengeDifficulty ||
      parts[3].size() != 2 * kRandomBytes || !IsLowerHex(parts[3]) ||
      parts[4].size() != 2 * crypto_auth_hmacsha256_BYTES || !IsLowerHex(parts[4])) {
    return ChallengeCheck::kMalformed;
  }
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> given;
  if (sodium_hex2bin(given.data(), given.size(), parts[4].data(), parts[4].size(), nullptr, nullptr,
                     nullptr) != 0) {
    return ChallengeCheck::kMalformed;
  }
  std::string_view payload = challenge.substr(0, challenge.size() - parts[4].size() - 1);
  auto expected = Mac(key, payload);
  if (sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
    return ChallengeCheck::kBadMac;
  }
  if (id != statement_id) return ChallengeCheck::kWrongStatement;
  if (now < issued + kChallengeMinAge) return ChallengeCheck::kTooEarly;
  if (now >= issued + kChallengeLifetime) return ChallengeCheck::kExpired;
  std::string solved = std::string(challenge) + ":" + std::string(nonce);
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(solved.data()),
                     solved.size());
  if (LeadingZeroBits(digest.data(), digest.size()) < difficulty) {
    return ChallengeCheck::kNotSolved;
  }
  return ChallengeCheck::kOk;
}

std::string ChallengeSha256(std::string_view challenge) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(challenge.data()),
                     challenge.size());
  return Hex(digest.data(), digest.size());
}

int LeadingZeroBits(const unsigned char* bytes, size_t size) {
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] == 0) {
      bits += 8;
      continue;
    }
    for (int b = 7; b >= 0 && (bytes[i] & (1u << b)) == 0; --b) ++bits;
    break;
  }
  return bits;
}

}  // namespace accord::server
