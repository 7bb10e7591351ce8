#include "accord/server/limits.h"

#include <gtest/gtest.h>

namespace accord::server {
namespace {

TEST(LimitsTest, SetsSizesWithUnits) {
  Limits l;
  ASSERT_TRUE(SetLimit(l, "max_message_bytes", "64K").ok());
  EXPECT_EQ(l.max_message_bytes, 64u * 1024);
  ASSERT_TRUE(SetLimit(l, "send_queue_bytes", "2M").ok());
  EXPECT_EQ(l.send_queue_bytes, 2u * 1024 * 1024);
  ASSERT_TRUE(SetLimitFromFlag(l, "max_connections=12").ok());
  EXPECT_EQ(l.max_connections, 12u);
}

TEST(LimitsTest, SetsDurationsWithUnits) {
  Limits l;
  ASSERT_TRUE(SetLimit(l, "handshake_timeout", "1s").ok());
  EXPECT_EQ(l.handshake_timeout.count(), 1000);
  ASSERT_TRUE(SetLimit(l, "commit_interval", "250ms").ok());
  EXPECT_EQ(l.commit_interval.count(), 250);
  ASSERT_TRUE(SetLimit(l, "room_idle_unload", "2m").ok());
  EXPECT_EQ(l.room_idle_unload.count(), 120'000);
  ASSERT_TRUE(SetLimit(l, "session_lifetime", "48h").ok());
  EXPECT_EQ(l.session_lifetime, std::chrono::hours(48));
  ASSERT_TRUE(SetLimit(l, "login_failures_per_account", "3").ok());
  EXPECT_EQ(l.login_failures_per_account, 3u);
}

TEST(LimitsTest, RejectsBadInputWithClearErrors) {
  Limits l;
  Status s = SetLimit(l, "no_such_limit", "1");
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(s.message().find("no_such_limit"), std::string::npos);
  EXPECT_FALSE(SetLimit(l, "handshake_timeout", "10").ok());  // unit required
  EXPECT_FALSE(SetLimit(l, "max_message_bytes", "lots").ok());
  EXPECT_FALSE(SetLimit(l, "max_message_bytes", "5X").ok());
  EXPECT_FALSE(SetLimit(l, "max_message_bytes", "0").ok());
  EXPECT_FALSE(SetLimit(l, "max_message_bytes", "99999999999999999999G").ok());
  EXPECT_FALSE(SetLimitFromFlag(l, "max_message_bytes").ok());
  EXPECT_EQ(l.max_message_bytes, Limits().max_message_bytes) << "failed sets change nothing";
}

TEST(LimitsTest, DescribesEveryLimit) {
  std::string text = DescribeLimits();
  EXPECT_NE(text.find("max_message_bytes (default 16777216)"), std::string::npos);
  EXPECT_NE(text.find("handshake_timeout (default 10000ms)"), std::string::npos);
}

}  // namespace
}  // namespace accord::server
