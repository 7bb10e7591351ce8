#include "signon_encoding.h"

#include <gtest/gtest.h>

namespace accord::server {
namespace {

TEST(SignonEncodingTest, Sha256HexOfKnownInputs) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(IsSha256Hex(Sha256Hex("x")));
  EXPECT_FALSE(IsSha256Hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_FALSE(IsSha256Hex("abc"));
}

TEST(SignonEncodingTest, HashHexWritesEveryByteAsTwoLowerCaseDigits) {
  signon::Hash hash{};
  for (size_t i = 0; i < hash.size(); ++i) hash[i] = static_cast<unsigned char>(i * 8 + 7);
  EXPECT_EQ(HashHex(hash), "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
  EXPECT_EQ(HashHex(signon::Sha256("abc")), Sha256Hex("abc"));
}

TEST(SignonEncodingTest, Base64RoundTripsAndRefusesOtherForms) {
  EXPECT_EQ(Base64("hello"), "aGVsbG8=");
  EXPECT_EQ(DecodeBase64("aGVsbG8=", 5), "hello");
  EXPECT_FALSE(DecodeBase64("aGVsbG8", 5));    // no padding
  EXPECT_FALSE(DecodeBase64("aGVsbG9=", 5));   // unused bits set: not canonical
  EXPECT_FALSE(DecodeBase64("aGVsbG8=", 4));   // wrong size
  EXPECT_FALSE(DecodeBase64("aGV sbG8=", 5));  // space
  EXPECT_FALSE(DecodeBase64("-_8=", 2));       // URL-safe alphabet
  std::string key(32, '\x7f');
  EXPECT_EQ(DecodeBase64(Base64(key), 32), key);
}

}  // namespace
}  // namespace accord::server
