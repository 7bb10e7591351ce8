#include "accord/auth/web_security.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "accord/auth/secret.h"

namespace accord::auth {
namespace {

using std::chrono::seconds;

TEST(SessionCookieTest, NamesCarryTheHostPrefixOnlyWhenSecure) {
  EXPECT_EQ(SessionCookieName(true), "__Host-accord_session");
  EXPECT_EQ(SessionCookieName(false), "accord_session");
}

TEST(SessionCookieTest, BuildsTheSetCookieValue) {
  EXPECT_EQ(BuildSessionCookie("acs_abc", /*secure=*/true, seconds(86400)),
            "__Host-accord_session=acs_abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=86400; "
            "Secure");
  EXPECT_EQ(BuildSessionCookie("acs_abc", /*secure=*/false, seconds(3600)),
            "accord_session=acs_abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600");
  // A negative lifetime never reaches the header.
  EXPECT_EQ(BuildSessionCookie("t", false, seconds(-5)),
            "accord_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
}

TEST(SessionCookieTest, ClearCookieExpiresAtOnce) {
  EXPECT_EQ(BuildClearSessionCookie(true),
            "__Host-accord_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure");
  EXPECT_EQ(BuildClearSessionCookie(false),
            "accord_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
}

TEST(FindCookieTest, FindsValuesInACookieHeader) {
  EXPECT_EQ(FindCookie("a=1; b=2", "a"), "1");
  EXPECT_EQ(FindCookie("a=1; b=2", "b"), "2");
  EXPECT_EQ(FindCookie("a=1;b=2", "b"), "2");
  EXPECT_EQ(FindCookie("  a = 1 ;\tb=2  ", "a"), "1");
  EXPECT_EQ(FindCookie("a=1; b=2", "c"), std::nullopt);
  EXPECT_EQ(FindCookie("", "a"), std::nullopt);
  EXPECT_EQ(FindCookie("a=1", ""), std::nullopt);
}

TEST(FindCookieTest, HandlesQuotesEmptyValuesAndOddPairs) {
  EXPECT_EQ(FindCookie("a=\"quoted\"; b=2", "a"), "quoted");
  EXPECT_EQ(FindCookie("a=\"", "a"), "\"");  // a lone quote is just a character
  EXPECT_EQ(FindCookie("a=; b=2", "a"), "");
  EXPECT_EQ(FindCookie("flag; a=1", "flag"), std::nullopt);
  EXPECT_EQ(FindCookie("flag; a=1", "a"), "1");
  EXPECT_EQ(FindCookie(";;; a=1;;", "a"), "1");
  EXPECT_EQ(FindCookie("a=x=y", "a"), "x=y");  // the value is everything after the first '='
}

TEST(FindCookieTest, NamesMatchExactly) {
  EXPECT_EQ(FindCookie("xaccord_session=1; accord_session=2", "accord_session"), "2");
  EXPECT_EQ(FindCookie("Accord_Session=1", "accord_session"), std::nullopt);
  EXPECT_EQ(FindCookie("__Host-accord_session=tok; accord_session=old", "__Host-accord_session"),
            "tok");
  EXPECT_EQ(FindCookie("a=first; a=second", "a"), "first");
}

TEST(OriginTest, ExactAndCaseInsensitiveMatches) {
  const std::vector<std::string> allowed = {"https://accord.example.org", "http://localhost:8080"};
  EXPECT_TRUE(OriginAllowed("https://accord.example.org", allowed));
  EXPECT_TRUE(OriginAllowed("HTTPS://Accord.Example.ORG", allowed));
  EXPECT_TRUE(OriginAllowed("http://localhost:8080", allowed));
  EXPECT_TRUE(OriginAllowed("http://LOCALHOST:8080", allowed));
  EXPECT_FALSE(OriginAllowed("http://accord.example.org", allowed));  // scheme differs
  EXPECT_FALSE(OriginAllowed("https://evil.example.org", allowed));
  EXPECT_FALSE(OriginAllowed("https://accord.example.org.evil.com", allowed));
  EXPECT_FALSE(OriginAllowed("https://example.org", allowed));
  EXPECT_FALSE(OriginAllowed("http://localhost:8081", allowed));
  EXPECT_FALSE(OriginAllowed("http://localhost", allowed));  // port 80 is not 8080
}

TEST(OriginTest, DefaultPortsEqualTheirAbsence) {
  EXPECT_TRUE(OriginAllowed("https://a.example:443", {"https://a.example"}));
  EXPECT_TRUE(OriginAllowed("https://a.example", {"https://a.example:443"}));
  EXPECT_TRUE(OriginAllowed("http://a.example:80", {"http://a.example"}));
  EXPECT_FALSE(OriginAllowed("https://a.example:80", {"https://a.example"}));
  EXPECT_FALSE(OriginAllowed("http://a.example:443", {"http://a.example"}));
  EXPECT_FALSE(OriginAllowed("https://a.example:8443", {"https://a.example"}));
}

TEST(OriginTest, TrailingSlashInTheAllowListIsTolerated) {
  EXPECT_TRUE(OriginAllowed("https://a.example", {"https://a.example/"}));
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:8080", {"http://127.0.0.1:8080/"}));
  EXPECT_FALSE(OriginAllowed("https://a.example/", {"https://a.example"}));  // not an Origin
  EXPECT_FALSE(OriginAllowed("https://a.example", {"https://a.example/path"}));
}

TEST(OriginTest, Ipv6Literals) {
  EXPECT_TRUE(OriginAllowed("http://[::1]:8080", {"http://[::1]:8080"}));
  EXPECT_TRUE(OriginAllowed("https://[2001:DB8::1]", {"https://[2001:db8::1]:443"}));
  EXPECT_FALSE(OriginAllowed("http://[::1]:8080", {"http://[::2]:8080"}));
  EXPECT_FALSE(OriginAllowed("http://[::1", {"http://[::1"}));
}

TEST(OriginTest, NullEmptyAndGarbageAreNeverAllowed) {
  // Even an allow-list that (wrongly) contains them does not let them through.
  const std::vector<std::string> allowed = {"null", "", "https://a.example", "*"};
  for (const char* origin : {"null",
                             "",
                             "*",
                             "https://",
                             "https://:443",
                             "a.example",
                             "//a.example",
                             "https://a.example:",
                             "https://a.example:0",
                             "https://a.example:65536",
                             "https://a.example:12345678",
                             "https://a.example:44x",
                             "https://user@a.example",
                             "https://a.example?x",
                             "https://a.example#x",
                             "https://a .example",
                             "ftp://a.example",
                             "javascript://a.example",
                             "https://a.example\n",
                             " https://a.example"}) {
    EXPECT_FALSE(OriginAllowed(origin, allowed)) << origin;
  }
  EXPECT_TRUE(OriginAllowed("https://a.example", allowed));
  EXPECT_FALSE(OriginAllowed("https://a.example", {}));
}

class CsrfTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Initialize().ok()); }
  // bytes 0x00..0x1f
  std::string key_ = [] {
    std::string k;
    for (int i = 0; i < 32; ++i) k += static_cast<char>(i);
    return k;
  }();
};

TEST_F(CsrfTest, KnownAnswers) {
  // Python: base64.urlsafe_b64encode(hashlib.blake2b(msg, key=bytes(range(32)),
  //                                                  digest_size=32).digest()).rstrip(b"=")
  EXPECT_EQ(CsrfTokenFor(key_, "acs_example-session-token"),
            "mUyWc2hSlQXhbI_689VeSC44E6HGWvFjH6wQ-zECFEk");
  EXPECT_EQ(CsrfTokenFor(key_, "acs_other"), "m5piyscE120Ek8wGfarQISubU1axJoWPzSx0PfwubzI");
}

TEST_F(CsrfTest, TokensAreBase64UrlWithoutPadding) {
  const std::string token = CsrfTokenFor(key_, GenerateToken("acs_"));
  EXPECT_EQ(token.size(), 43u);  // 32 bytes
  for (char c : token) {
    EXPECT_TRUE(isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') << c;
  }
}

TEST_F(CsrfTest, TokensDependOnKeyAndSession) {
  std::string other_key = key_;
  other_key[0] = 'x';
  EXPECT_NE(CsrfTokenFor(key_, "acs_one"), CsrfTokenFor(key_, "acs_two"));
  EXPECT_NE(CsrfTokenFor(key_, "acs_one"), CsrfTokenFor(other_key, "acs_one"));
  EXPECT_EQ(CsrfTokenFor(key_, "acs_one"), CsrfTokenFor(key_, "acs_one"));
}

TEST_F(CsrfTest, Validation) {
  const std::string session = GenerateToken("acs_");
  const std::string token = CsrfTokenFor(key_, session);
  EXPECT_TRUE(CsrfTokenValid(key_, session, token));
  EXPECT_FALSE(CsrfTokenValid(key_, session, ""));
  EXPECT_FALSE(CsrfTokenValid(key_, session, token.substr(0, 42)));
  EXPECT_FALSE(CsrfTokenValid(key_, session, token + "A"));
  std::string flipped = token;
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(CsrfTokenValid(key_, session, flipped));
  EXPECT_FALSE(CsrfTokenValid(key_, GenerateToken("acs_"), token));  // another session's
}

TEST_F(CsrfTest, BadKeysAndEmptySessionsFailClosed) {
  const std::string hex_key(64, 'a');  // hex text instead of raw bytes
  EXPECT_EQ(CsrfTokenFor(hex_key, "acs_one"), "");
  EXPECT_EQ(CsrfTokenFor(key_.substr(0, 16), "acs_one"), "");
  EXPECT_EQ(CsrfTokenFor("", "acs_one"), "");
  EXPECT_EQ(CsrfTokenFor(key_, ""), "");
  EXPECT_FALSE(CsrfTokenValid(hex_key, "acs_one", ""));
  EXPECT_FALSE(CsrfTokenValid("", "", ""));
  EXPECT_FALSE(CsrfTokenValid(key_, "", ""));
}

}  // namespace
}  // namespace accord::auth
