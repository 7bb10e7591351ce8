#include "ws_target.h"

#include <gtest/gtest.h>

namespace accord::server {
namespace {

TEST(WsTargetTest, ReadsNameTokenAndExtensions) {
  auto t = ParseWsTarget("/ws/declaration-2026?token=acc_abc&ext=foo,saved");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->document, "declaration-2026");
  EXPECT_EQ(t->token, "acc_abc");
  EXPECT_TRUE(t->wants_saved);
  auto plain = ParseWsTarget("/ws/a.b_c");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->token, "");
  EXPECT_FALSE(plain->wants_saved);
}

TEST(WsTargetTest, DecodesEscapesBeforeValidating) {
  auto t = ParseWsTarget("/ws/%41bc?token=a%2Bb");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->document, "Abc");
  EXPECT_EQ(t->token, "a+b");
  EXPECT_FALSE(ParseWsTarget("/ws/%2e%2e").ok());     // ".." after decoding
  EXPECT_FALSE(ParseWsTarget("/ws/a%2Fb").ok());      // '/' after decoding
  EXPECT_FALSE(ParseWsTarget("/ws/ab%4").ok());       // truncated escape
  EXPECT_FALSE(ParseWsTarget("/ws/ab%zz").ok());      // not hex
  EXPECT_FALSE(ParseWsTarget("/ws/a?token=%").ok());  // truncated in the query
}

TEST(WsTargetTest, RejectsMissingAndInvalidNames) {
  EXPECT_FALSE(ParseWsTarget("/ws/").ok());
  EXPECT_FALSE(ParseWsTarget("/ws").ok());
  EXPECT_FALSE(ParseWsTarget("/ws/a/b").ok());
  EXPECT_FALSE(ParseWsTarget("/ws/.hidden").ok());
  EXPECT_FALSE(ParseWsTarget("/ws/" + std::string(129, 'a')).ok());
  EXPECT_FALSE(ParseWsTarget("/ws/sp%20ace").ok());
}

TEST(WsTargetTest, RecognisesTheEndpoint) {
  EXPECT_TRUE(IsWsTarget("/ws/x"));
  EXPECT_TRUE(IsWsTarget("/ws?x"));
  EXPECT_FALSE(IsWsTarget("/wsx"));
  EXPECT_FALSE(IsWsTarget("/d/ws/x"));
}

TEST(WsTargetTest, BearerTokens) {
  EXPECT_EQ(BearerToken("Bearer acc_x"), "acc_x");
  EXPECT_EQ(BearerToken("bearer   acc_y "), "acc_y");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer"), "");
}

}  // namespace
}  // namespace accord::server
