#include "accord/auth/rate_limiter.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace accord::auth {
namespace {

using std::chrono::seconds;
using Clock = RateLimiter::Clock;

// A fixed origin plus seconds: the limiter never reads the clock itself.
Clock::time_point At(double s) {
  return Clock::time_point{} +
         std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s + 1'000'000));
}

RateLimit Limit() {
  RateLimit limit;
  limit.burst = 3;
  limit.window = seconds(600);
  limit.first_block = seconds(30);
  limit.max_block = seconds(200);
  limit.max_keys = 1000;
  return limit;
}

TEST(RateLimiterTest, BurstIsAllowedThenBlocked) {
  RateLimiter limiter(Limit());
  EXPECT_EQ(limiter.RetryAfter("ip:1", At(0)), seconds(0));  // unknown key
  limiter.Record("ip:1", At(0));
  EXPECT_EQ(limiter.RetryAfter("ip:1", At(0)), seconds(0));
  limiter.Record("ip:1", At(1));
  EXPECT_EQ(limiter.RetryAfter("ip:1", At(1)), seconds(0));
  limiter.Record("ip:1", At(2));  // the third event spends the burst
  EXPECT_EQ(limiter.RetryAfter("ip:1", At(2)), seconds(30));
  EXPECT_EQ(limiter.RetryAfter("ip:1", At(31)), seconds(1));
  EXPECT_EQ(limiter.RetryAfter("ip:1", At(32)), seconds(0));
  // Other keys are unaffected.
  EXPECT_EQ(limiter.RetryAfter("ip:2", At(2)), seconds(0));
}

TEST(RateLimiterTest, RetryAfterRoundsUpAndIsAtLeastOneSecond) {
  RateLimiter limiter(Limit());
  for (int i = 0; i < 3; ++i) limiter.Record("k", At(0));
  EXPECT_EQ(limiter.RetryAfter("k", At(0.5)), seconds(30));    // 29.5 s left
  EXPECT_EQ(limiter.RetryAfter("k", At(29.001)), seconds(1));  // 0.999 s left
  EXPECT_EQ(limiter.RetryAfter("k", At(29.999)), seconds(1));
  EXPECT_EQ(limiter.RetryAfter("k", At(30)), seconds(0));
}

TEST(RateLimiterTest, EventsWhileBlockedDoubleTheBlockUpToTheCap) {
  RateLimiter limiter(Limit());
  for (int i = 0; i < 3; ++i) limiter.Record("k", At(0));
  EXPECT_EQ(limiter.RetryAfter("k", At(0)), seconds(30));
  limiter.Record("k", At(10));  // while blocked: 60 s from now
  EXPECT_EQ(limiter.RetryAfter("k", At(10)), seconds(60));
  limiter.Record("k", At(20));  // 120 s
  EXPECT_EQ(limiter.RetryAfter("k", At(20)), seconds(120));
  limiter.Record("k", At(30));  // 240 s, capped at 200
  EXPECT_EQ(limiter.RetryAfter("k", At(30)), seconds(200));
  limiter.Record("k", At(40));
  EXPECT_EQ(limiter.RetryAfter("k", At(40)), seconds(200));
  EXPECT_EQ(limiter.RetryAfter("k", At(240)), seconds(0));
}

TEST(RateLimiterTest, AnEventAfterTheBlockButBeyondTheBurstBlocksAgainForLonger) {
  RateLimiter limiter(Limit());
  for (int i = 0; i < 3; ++i) limiter.Record("k", At(0));
  ASSERT_EQ(limiter.RetryAfter("k", At(30)), seconds(0));
  limiter.Record("k", At(30));  // same window, burst spent: 60 s
  EXPECT_EQ(limiter.RetryAfter("k", At(30)), seconds(60));
  EXPECT_EQ(limiter.RetryAfter("k", At(90)), seconds(0));
  limiter.Record("k", At(90));  // 120 s
  EXPECT_EQ(limiter.RetryAfter("k", At(90)), seconds(120));
}

TEST(RateLimiterTest, ANewWindowResetsTheCount) {
  RateLimiter limiter(Limit());
  limiter.Record("k", At(0));
  limiter.Record("k", At(100));
  // The window (600 s from the first event) ends; the count starts again.
  limiter.Record("k", At(600));
  limiter.Record("k", At(601));
  EXPECT_EQ(limiter.RetryAfter("k", At(601)), seconds(0));
  limiter.Record("k", At(602));  // third in the new window
  EXPECT_EQ(limiter.RetryAfter("k", At(602)), seconds(30));
}

TEST(RateLimiterTest, BusyKeyKeepsItsBackoffAcrossWindowsQuietKeyForgetsIt) {
  RateLimiter limiter(Limit());
  for (int i = 0; i < 3; ++i) limiter.Record("busy", At(0));  // block 30
  limiter.Record("busy", At(40));                             // block 60
  // New window at 600 but the key was active 560 s ago: the block length stays.
  for (int i = 0; i < 3; ++i) limiter.Record("busy", At(600));
  EXPECT_EQ(limiter.RetryAfter("busy", At(600)), seconds(120));

  for (int i = 0; i < 3; ++i) limiter.Record("quiet", At(0));  // block 30
  limiter.Record("quiet", At(40));                             // block 60
  // Nothing for a whole window after the last event: a fresh start.
  for (int i = 0; i < 3; ++i) limiter.Record("quiet", At(640));
  EXPECT_EQ(limiter.RetryAfter("quiet", At(640)), seconds(30));
}

TEST(RateLimiterTest, BlockOutlastingTheWindowStillCounts) {
  RateLimit limit = Limit();
  limit.window = seconds(60);
  limit.first_block = seconds(100);
  limit.max_block = seconds(400);
  RateLimiter limiter(limit);
  for (int i = 0; i < 3; ++i) limiter.Record("k", At(0));  // blocked until 100
  limiter.Record("k", At(90));                             // while blocked: 200 s more
  EXPECT_EQ(limiter.RetryAfter("k", At(90)), seconds(200));
}

TEST(RateLimiterTest, ResetForgetsTheKey) {
  RateLimiter limiter(Limit());
  for (int i = 0; i < 3; ++i) limiter.Record("account:7", At(0));
  ASSERT_GT(limiter.RetryAfter("account:7", At(0)), seconds(0));
  limiter.Reset("account:7");
  EXPECT_EQ(limiter.RetryAfter("account:7", At(0)), seconds(0));
  EXPECT_EQ(limiter.size(), 0u);
  limiter.Record("account:7", At(1));
  EXPECT_EQ(limiter.RetryAfter("account:7", At(1)), seconds(0));
  limiter.Reset("never-seen");  // harmless
}

TEST(RateLimiterTest, QuietEntriesAreDropped) {
  RateLimiter limiter(Limit());
  limiter.Record("a", At(0));
  limiter.Record("b", At(300));
  for (int i = 0; i < 3; ++i) limiter.Record("blocked", At(590));  // blocked until 620
  limiter.Record("blocked", At(595));                              // ... now until 655
  EXPECT_EQ(limiter.size(), 3u);
  // At 650: "a" has been quiet for 650 s (dropped); "b" for 350 s (kept); "blocked" is quiet
  // for less than a window and still blocked (kept).
  limiter.Record("c", At(650));
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_EQ(limiter.RetryAfter("blocked", At(650)), seconds(5));
  // At 1300 all but the new key have been quiet for a window and are not blocked.
  limiter.Record("d", At(1300));
  EXPECT_EQ(limiter.size(), 1u);
}

TEST(RateLimiterTest, MaxKeysForgetsTheOldestFirst) {
  RateLimit limit = Limit();
  limit.max_keys = 3;
  RateLimiter limiter(limit);
  for (int i = 0; i < 3; ++i) limiter.Record("old", At(0));  // blocked until 30
  limiter.Record("mid", At(1));
  limiter.Record("new", At(2));
  limiter.Record("old", At(3));  // still blocked: now the most recent event
  EXPECT_EQ(limiter.size(), 3u);
  limiter.Record("newest", At(4));  // full: "mid" has the oldest last event
  EXPECT_EQ(limiter.size(), 3u);
  EXPECT_GT(limiter.RetryAfter("old", At(4)), seconds(0));
  limiter.Record("mid", At(5));  // it was forgotten, so this is its first event again
  EXPECT_EQ(limiter.size(), 3u);
  // "new" (last event at 2) went to make room; "old", "newest" and "mid" remain.
  for (int i = 0; i < 2; ++i) limiter.Record("mid", At(6));
  EXPECT_EQ(limiter.RetryAfter("mid", At(6)), seconds(30));  // three events since it came back
}

TEST(RateLimiterTest, ManyKeysStayBounded) {
  RateLimit limit = Limit();
  limit.max_keys = 100;
  RateLimiter limiter(limit);
  for (int i = 0; i < 1000; ++i) {
    limiter.Record("ip:" + std::to_string(i), At(i * 0.01));
    ASSERT_LE(limiter.size(), 100u);
  }
  // The most recent key is always kept.
  limiter.Record("ip:999", At(10));
  limiter.Record("ip:999", At(10));
  EXPECT_EQ(limiter.RetryAfter("ip:999", At(10)), seconds(30));
}

TEST(RateLimiterTest, ConcurrentUseIsSafe) {
  RateLimiter limiter(Limit());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&limiter, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = "k" + std::to_string((i + t) % 50);
        limiter.Record(key, At(i));
        (void)limiter.RetryAfter(key, At(i));
        if (i % 97 == 0) limiter.Reset(key);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(limiter.size(), 50u);
}

}  // namespace
}  // namespace accord::auth
