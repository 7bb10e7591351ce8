#include "utf8.h"

#include <gtest/gtest.h>

namespace accord::signon {
namespace {

TEST(Utf8, AcceptsScalarValuesAndRefusesTheRest) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // a é € 😀
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));                       // U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                              // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));                          // overlong, 3 bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                          // U+D800 encoded
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));                      // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));                              // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));                                  // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8, RoundTripsThroughAppendAndConvertsToUtf16) {
  std::string s;
  for (char32_t cp : {U'a', U'\u00E9', U'\uFFFF', U'\U0001F600'}) AppendUtf8(cp, s);
  EXPECT_EQ(s, "a\xC3\xA9\xEF\xBF\xBF\xF0\x9F\x98\x80");
  EXPECT_EQ(Utf8ToUtf16(s), (std::u16string{u'a', 0xE9, 0xFFFF, 0xD83D, 0xDE00}));
}

TEST(Hex, EncodesLowercaseAndDecodesEitherCase) {
  EXPECT_EQ(HexEncode(std::string("\x00\x7f\xff", 3)), "007fff");
  EXPECT_EQ(HexDecode("007FfF"), std::string("\x00\x7f\xff", 3));
  EXPECT_FALSE(HexDecode("abc").has_value());
  EXPECT_FALSE(HexDecode("zz").has_value());
}

TEST(Base64, StandardAlphabetWithPaddingOnly) {
  // RFC 4648 section 10 test vectors.
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("\xfb\xff"), "+/8=");
  EXPECT_EQ(Base64Decode("Zm8="), "fo");
  EXPECT_EQ(Base64Decode("+/8="), "\xfb\xff");
  EXPECT_FALSE(Base64Decode("Zm8").has_value());    // padding missing
  EXPECT_FALSE(Base64Decode("Zm9=").has_value());   // stray low bits
  EXPECT_FALSE(Base64Decode("-_8=").has_value());   // URL alphabet
  EXPECT_FALSE(Base64Decode("Zm8= ").has_value());  // whitespace
}

}  // namespace
}  // namespace accord::signon
