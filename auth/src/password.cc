#include "accord/auth/password.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <optional>

#include "accord/auth/secret.h"

namespace accord::auth {
namespace {

// The number of code points in `text`, or nullopt if it is not well-formed UTF-8 (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF, no truncated sequences).
std::optional<size_t> CountCodePoints(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      min = 0x80;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      min = 0x800;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      min = 0x10000;
      cp = lead & 0x07;
    } else {
      return std::nullopt;  // a continuation byte where a sequence should start, or 0xF8..0xFF
    }
    if (text.size() - i - 1 < extra) return std::nullopt;  // truncated
    for (size_t k = 1; k <= extra; ++k) {
      const auto byte = static_cast<unsigned char>(text[i + k]);
      if ((byte & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (byte & 0x3F);
    }
    if (cp < min) return std::nullopt;                      // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return std::nullopt;  // UTF-16 surrogate
    if (cp > 0x10FFFF) return std::nullopt;
    i += extra + 1;
    ++count;
  }
  return count;
}

constexpr std::string_view kArgon2idPrefix = "$argon2id$";

}  // namespace

Status CheckPasswordRules(std::string_view password) {
  const std::optional<size_t> length = CountCodePoints(password);
  if (!length) return Status::InvalidArgument("the password is not valid UTF-8 text");
  if (*length < kMinPasswordLength) {
    return Status::InvalidArgument("the password is too short: it has " + std::to_string(*length) +
                                   " characters, at least " + std::to_string(kMinPasswordLength) +
                                   " are required");
  }
  if (*length > kMaxPasswordLength) {
    return Status::InvalidArgument("the password is too long: it has " + std::to_string(*length) +
                                   " characters, at most " + std::to_string(kMaxPasswordLength) +
                                   " are allowed");
  }
  return Status::Ok();
}

// Holds one of the `max_concurrent` hashing slots for its lifetime; waits for a free one.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& hasher) : hasher_(hasher) {
    std::unique_lock lock(hasher_.mu_);
    hasher_.cv_.wait(lock, [this] { return hasher_.running_ < hasher_.params_.max_concurrent; });
    ++hasher_.running_;
    lock.unlock();
    if (hasher_.slot_observer_) hasher_.slot_observer_(true);
  }
  ~Slot() {
    if (hasher_.slot_observer_) hasher_.slot_observer_(false);
    {
      std::lock_guard lock(hasher_.mu_);
      --hasher_.running_;
    }
    hasher_.cv_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& hasher_;
};

PasswordHasher::PasswordHasher(PasswordParams params) : params_(params) {
  // Argon2id is usable without sodium_init, but the init picks the fast implementation; its
  // failure would only cost speed, and Hash reports any real failure.
  (void)Initialize();
  params_.opslimit =
      std::max<uint64_t>(params_.opslimit, crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
  params_.memlimit =
      std::max<size_t>(params_.memlimit, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
  params_.max_concurrent = std::max(params_.max_concurrent, 1);
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  ACCORD_RETURN_IF_ERROR(CheckPasswordRules(password));
  std::array<char, crypto_pwhash_argon2id_STRBYTES> out{};
  int rc;
  {
    Slot slot(*this);
    rc = crypto_pwhash_str_alg(out.data(), password.data(), password.size(), params_.opslimit,
                               params_.memlimit, crypto_pwhash_ALG_ARGON2ID13);
  }
  // The only failure for valid parameters is an allocation of `memlimit` bytes.
  if (rc != 0) {
    return Status::ResourceExhausted("not enough memory to hash the password (" +
                                     std::to_string(params_.memlimit >> 20) + " MiB needed)");
  }
  return std::string(out.data());
}

VerifyResult PasswordHasher::Verify(std::string_view password, std::string_view stored) {
  VerifyResult result;
  // libsodium reads a NUL-terminated string of at most STRBYTES - 1 characters; anything else
  // (an embedded NUL, an overlong value, another algorithm) cannot be one of our hashes.
  if (stored.size() >= crypto_pwhash_argon2id_STRBYTES) return result;
  if (stored.find('\0') != std::string_view::npos) return result;
  if (stored.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix) return result;
  std::array<char, crypto_pwhash_argon2id_STRBYTES> str{};
  std::copy(stored.begin(), stored.end(), str.begin());
  int rc;
  {
    Slot slot(*this);  // verifying costs as much memory and time as hashing
    rc = crypto_pwhash_str_verify(str.data(), password.data(), password.size());
  }
  if (rc != 0) return result;
  result.matches = true;
  // 1: other parameters than ours; -1: unparsable (cannot happen after a successful verify).
  result.needs_rehash =
      crypto_pwhash_str_needs_rehash(str.data(), params_.opslimit, params_.memlimit) != 0;
  return result;
}

}  // namespace accord::auth
