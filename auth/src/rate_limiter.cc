#include "accord/auth/rate_limiter.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace accord::auth {

std::chrono::seconds RateLimiter::RetryAfter(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end() || now >= it->second.blocked_until) return std::chrono::seconds(0);
  // Rounded up, so a client that waits the advertised time is never refused again.
  const auto left = std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now);
  return std::max(left, std::chrono::seconds(1));
}

void RateLimiter::Record(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  std::string k(key);
  if (now >= next_sweep_ || (entries_.size() >= std::max<size_t>(limit_.max_keys, 1) &&
                             entries_.find(k) == entries_.end())) {
    Evict(now);
  }
  auto [it, inserted] = entries_.try_emplace(std::move(k));
  Entry& e = it->second;
  const bool blocked = now < e.blocked_until;
  if (inserted || (!blocked && now - e.last_event >= limit_.window)) {
    e = Entry{};  // new, or quiet for a whole window: forget everything, block length included
    e.window_start = now;
  } else if (!blocked && now - e.window_start >= limit_.window) {
    e.count = 0;  // a new window, but the key was busy: keep the block length for backoff
    e.window_start = now;
  }
  e.last_event = now;
  ++e.count;
  if (blocked || e.count >= limit_.burst) {
    const std::chrono::seconds next = e.block.count() == 0 ? limit_.first_block : e.block * 2;
    e.block = std::min(next, limit_.max_block);
    e.blocked_until = now + e.block;
  }
}

void RateLimiter::Reset(std::string_view key) {
  std::lock_guard lock(mu_);
  entries_.erase(std::string(key));
}

size_t RateLimiter::size() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void RateLimiter::Evict(Clock::time_point now) {
  // Caller holds mu_.
  std::erase_if(entries_, [&](const auto& kv) {
    const Entry& e = kv.second;
    return now >= e.blocked_until && now - e.last_event >= limit_.window;
  });
  next_sweep_ = now + limit_.window;

  // Still full: forget the keys whose last event is oldest, a tenth of the cap at once so that
  // a flood of new keys costs one sort per many insertions, and leave room for one more.
  const size_t max_keys = std::max<size_t>(limit_.max_keys, 1);
  if (entries_.size() < max_keys) return;
  const size_t keep = max_keys - 1 - max_keys / 10;
  std::vector<std::pair<Clock::time_point, const std::string*>> by_age;
  by_age.reserve(entries_.size());
  for (const auto& [key, e] : entries_) by_age.emplace_back(e.last_event, &key);
  const size_t drop = entries_.size() - keep;
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<ptrdiff_t>(drop), by_age.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> victims;
  victims.reserve(drop);
  for (size_t i = 0; i < drop; ++i) victims.push_back(*by_age[i].second);
  for (const std::string& key : victims) entries_.erase(key);
}

}  // namespace accord::auth
