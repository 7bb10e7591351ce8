// accord/auth/password.h: password rules and Argon2id hashing (libsodium crypto_pwhash_str).
//
// Hashing costs `memlimit` bytes of memory and ~0.1 s of CPU, so at most `max_concurrent`
// hashes run at once (others wait their turn); on a 1 GB VPS the default of 2 bounds the
// memory to 128 MiB. Verify() also says whether the stored hash was made with weaker
// parameters than today's, so the caller re-hashes on a successful login.
//
// Thread-safe: one PasswordHasher is shared by all threads; hashing blocks the calling thread,
// so the server calls it from its worker pool, never from a network thread.
#ifndef ACCORD_AUTH_PASSWORD_H_
#define ACCORD_AUTH_PASSWORD_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "accord/status.h"

namespace accord::auth {

// Length rules (counted in Unicode code points of the UTF-8 text; no composition rules).
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 128;

// OK, or InvalidArgument saying what is wrong: not UTF-8, too short, too long.
Status CheckPasswordRules(std::string_view password);

struct PasswordParams {
  uint64_t opslimit = 2;                  // crypto_pwhash_OPSLIMIT_INTERACTIVE
  size_t memlimit = 64u * 1024u * 1024u;  // crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB)
  int max_concurrent = 2;                 // hashes running at once
};

struct VerifyResult {
  bool matches = false;
  bool needs_rehash = false;  // matches, but made with other parameters than today's
};

class PasswordHasher {
 public:
  // Params below libsodium's INTERACTIVE limits are raised to them (tests may not go lower).
  explicit PasswordHasher(PasswordParams params = {});

  // The crypto_pwhash_str string (self-describing: algorithm, parameters, salt, hash).
  // Checks the rules first (InvalidArgument); ResourceExhausted if memory is short.
  Result<std::string> Hash(std::string_view password);
  // Compares in constant time. A malformed stored string is not a match.
  VerifyResult Verify(std::string_view password, std::string_view stored);

  const PasswordParams& params() const { return params_; }

  // Test hook: called with true right after a hash slot is taken and with false right before
  // it is given back, by the thread that holds it. Set before the hasher is shared.
  void SetSlotObserverForTesting(std::function<void(bool taken)> observer) {
    slot_observer_ = std::move(observer);
  }

 private:
  class Slot;  // RAII hold on one of the concurrent-hash slots
  PasswordParams params_;
  std::mutex mu_;
  std::condition_variable cv_;
  int running_ = 0;
  std::function<void(bool)> slot_observer_;
};

}  // namespace accord::auth

#endif  // ACCORD_AUTH_PASSWORD_H_
