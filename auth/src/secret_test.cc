#include "accord/auth/secret.h"

#include <gtest/gtest.h>

#include <set>

namespace accord::auth {
namespace {

class SecretTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Initialize().ok()); }
};

TEST_F(SecretTest, TokensCarryPrefixAnd256BitsOfBase64Url) {
  std::string token = GenerateToken("acc_");
  ASSERT_EQ(token.rfind("acc_", 0), 0u);
  std::string body = token.substr(4);
  EXPECT_EQ(body.size(), 43u);  // ceil(256 / 6)
  for (char c : body) {
    EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
  }
}

TEST_F(SecretTest, TokensDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(GenerateToken("")).second);
}

TEST_F(SecretTest, HashIsSha256Hex) {
  // SHA-256("abc") from FIPS 180-2.
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(HashToken("acc_a"), HashToken("acc_b"));
}

TEST_F(SecretTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("same", "same"));
  EXPECT_FALSE(ConstantTimeEquals("same", "sane"));
  EXPECT_FALSE(ConstantTimeEquals("short", "longer"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace accord::auth
