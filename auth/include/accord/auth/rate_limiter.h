// accord/auth/rate_limiter.h: counts failures (or requests) per key and says when to back off.
//
// Used for failed logins (keyed by account and by IP), invitation and reset requests. A key
// may have `burst` events per `window`; beyond that it is blocked, and every further event
// while blocked doubles the block (exponential backoff, capped at `max_block`). Reset() forgets
// a key (a successful login clears its account's failures). Entries that have been quiet for
// a whole window are dropped, so memory stays bounded by the number of active keys, and
// `max_keys` caps it outright (the oldest keys are forgotten first).
//
// Precisely: the window starts at a key's first event. The event that brings the count to
// `burst` blocks the key for `first_block`; an event while blocked, or one after the block has
// run out but still beyond the burst of the same window, blocks it again for twice the last
// block (at most `max_block`). Once the window is over and the key is not blocked, counting
// starts afresh (a key quiet for a whole window also forgets its block length). Quiet entries
// are swept lazily, at most once per window or whenever `max_keys` is exceeded.
//
// Thread-safe: one mutex. Times are passed in (steady_clock time points) so tests can move
// them.
#ifndef ACCORD_AUTH_RATE_LIMITER_H_
#define ACCORD_AUTH_RATE_LIMITER_H_

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace accord::auth {

struct RateLimit {
  int burst = 5;                            // events allowed per window
  std::chrono::seconds window{15 * 60};     // the counting window
  std::chrono::seconds first_block{30};     // the first block once the burst is spent
  std::chrono::seconds max_block{15 * 60};  // backoff never exceeds this
  size_t max_keys = 100'000;                // memory bound
};

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit RateLimiter(RateLimit limit) : limit_(limit) {}

  // 0 if `key` may proceed now, else how many seconds until it may (for Retry-After, >= 1).
  std::chrono::seconds RetryAfter(std::string_view key, Clock::time_point now);
  // Records one event (a failure, or a request for the endpoints limited on every request).
  void Record(std::string_view key, Clock::time_point now);
  // Forgets the key.
  void Reset(std::string_view key);
  size_t size();

 private:
  struct Entry {
    int count = 0;  // events in the current window
    Clock::time_point window_start{};
    Clock::time_point blocked_until{};
    std::chrono::seconds block{0};  // the last block's length (doubles while hammered)
    Clock::time_point last_event{};
  };
  void Evict(Clock::time_point now);  // drops quiet entries; then the oldest beyond max_keys
  RateLimit limit_;
  std::mutex mu_;
  Clock::time_point next_sweep_{};  // when Evict next looks for quiet entries
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace accord::auth

#endif  // ACCORD_AUTH_RATE_LIMITER_H_
