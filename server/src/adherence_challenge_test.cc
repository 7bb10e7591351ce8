// Tests of the adherence proof-of-work challenge (adherence_challenge.h): a solved challenge
// passes; a wrong nonce, an early or late one, another statement's, a forged or altered one
// each fail with their own answer. Single use is the store's (sqlite_adherence_store_test.cc,
// api_adherence_test.cc).
#include "adherence_challenge.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <string>

#include "accord/auth/secret.h"

namespace accord::server {
namespace {

const std::string kKey(32, 'k');
constexpr auth::UnixTime kNow = 1'800'000'000;
constexpr auth::Id kStatement = 7;

int Bits(const std::string& challenge, const std::string& nonce) {
  std::string text = challenge + ":" + nonce;
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(text.data()),
                     text.size());
  return LeadingZeroBits(digest.data(), digest.size());
}

// The first decimal nonce that solves `challenge` (what a client does), and one that does not.
std::string Solve(const std::string& challenge, int difficulty) {
  for (int i = 0;; ++i) {
    if (Bits(challenge, std::to_string(i)) >= difficulty) return std::to_string(i);
  }
}
std::string Unsolved(const std::string& challenge, int difficulty) {
  for (int i = 0;; ++i) {
    if (Bits(challenge, std::to_string(i)) < difficulty) return std::to_string(i);
  }
}

class AdherenceChallengeTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(auth::Initialize().ok()); }
};

TEST_F(AdherenceChallengeTest, ASolvedChallengePassesWithinItsWindow) {
  IssuedChallenge issued = IssueChallenge(kKey, kStatement, 8, kNow);
  EXPECT_EQ(issued.difficulty, 8);
  EXPECT_EQ(issued.expires_at, kNow + 30 * 60);
  std::string nonce = Solve(issued.challenge, 8);
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, nonce, kStatement, kNow + 3),
            ChallengeCheck::kOk);
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, nonce, kStatement, kNow + 30 * 60 - 1),
            ChallengeCheck::kOk);
}

TEST_F(AdherenceChallengeTest, AWrongNonceIsNotASolution) {
  IssuedChallenge issued = IssueChallenge(kKey, kStatement, 8, kNow);
  EXPECT_EQ(
      CheckChallenge(kKey, issued.challenge, Unsolved(issued.challenge, 8), kStatement, kNow + 10),
      ChallengeCheck::kNotSolved);
}

TEST_F(AdherenceChallengeTest, TooEarlyAndExpired) {
  IssuedChallenge issued = IssueChallenge(kKey, kStatement, 4, kNow);
  std::string nonce = Solve(issued.challenge, 4);
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, nonce, kStatement, kNow),
            ChallengeCheck::kTooEarly);
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, nonce, kStatement, kNow + 2),
            ChallengeCheck::kTooEarly);
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, nonce, kStatement, kNow + 30 * 60),
            ChallengeCheck::kExpired);
}

TEST_F(AdherenceChallengeTest, AnotherStatementsChallengeIsRefused) {
  IssuedChallenge issued = IssueChallenge(kKey, kStatement + 1, 4, kNow);
  EXPECT_EQ(
      CheckChallenge(kKey, issued.challenge, Solve(issued.challenge, 4), kStatement, kNow + 10),
      ChallengeCheck::kWrongStatement);
}

TEST_F(AdherenceChallengeTest, AlteredChallengesFailTheirMac) {
  IssuedChallenge issued = IssueChallenge(kKey, kStatement, 4, kNow);
  // Another key: not this instance's challenge.
  EXPECT_EQ(CheckChallenge(std::string(32, 'x'), issued.challenge, Solve(issued.challenge, 4),
                           kStatement, kNow + 10),
            ChallengeCheck::kBadMac);
  // A lower difficulty, an earlier issue time, a flipped MAC digit: each breaks the MAC.
  std::string& c = issued.challenge;
  size_t d1 = c.find('.'), d2 = c.find('.', d1 + 1), d3 = c.find('.', d2 + 1);
  std::string easier = c.substr(0, d2 + 1) + "0" + c.substr(d3);
  EXPECT_EQ(CheckChallenge(kKey, easier, "0", kStatement, kNow + 10), ChallengeCheck::kBadMac);
  std::string older = c.substr(0, d1 + 1) + std::to_string(kNow - 20) + c.substr(d2);
  EXPECT_EQ(CheckChallenge(kKey, older, Solve(older, 4), kStatement, kNow),
            ChallengeCheck::kBadMac);
  std::string flipped = c;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(CheckChallenge(kKey, flipped, Solve(flipped, 4), kStatement, kNow + 10),
            ChallengeCheck::kBadMac);
}

TEST_F(AdherenceChallengeTest, MalformedChallengesAndNonces) {
  IssuedChallenge issued = IssueChallenge(kKey, kStatement, 0, kNow);
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, "ok", kStatement, kNow + 10),
            ChallengeCheck::kOk);  // difficulty 0: any well-formed nonce
  for (const char* nonce : {"", "has space", "a:b", "é"}) {
    EXPECT_EQ(CheckChallenge(kKey, issued.challenge, nonce, kStatement, kNow + 10),
              ChallengeCheck::kMalformed)
        << nonce;
  }
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge, std::string(65, 'a'), kStatement, kNow + 10),
            ChallengeCheck::kMalformed);
  for (const char* challenge : {"", "1.2.3", "x.1800000000.4.00.00", "7.1800000000.4.zz.zz"}) {
    EXPECT_EQ(CheckChallenge(kKey, challenge, "1", kStatement, kNow + 10),
              ChallengeCheck::kMalformed)
        << challenge;
  }
  EXPECT_EQ(CheckChallenge(kKey, issued.challenge + ".extra", "1", kStatement, kNow + 10),
            ChallengeCheck::kMalformed);
}

TEST_F(AdherenceChallengeTest, ChallengesAreUniqueAndDifficultyIsClamped) {
  IssuedChallenge a = IssueChallenge(kKey, kStatement, 99, kNow);
  IssuedChallenge b = IssueChallenge(kKey, kStatement, -3, kNow);
  EXPECT_NE(a.challenge, b.challenge);
  EXPECT_EQ(a.difficulty, kMaxChallengeDifficulty);
  EXPECT_EQ(b.difficulty, 0);
  EXPECT_EQ(ChallengeSha256(a.challenge).size(), 64u);
  EXPECT_NE(ChallengeSha256(a.challenge), ChallengeSha256(b.challenge));
  EXPECT_EQ(ChallengeSha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(AdherenceChallengeTest, LeadingZeroBits) {
  const unsigned char zero[3] = {0, 0, 0};
  const unsigned char a[3] = {0, 0x10, 0xff};
  const unsigned char b[2] = {0x80, 0};
  const unsigned char c[2] = {0x01, 0};
  EXPECT_EQ(LeadingZeroBits(zero, 3), 24);
  EXPECT_EQ(LeadingZeroBits(a, 3), 11);
  EXPECT_EQ(LeadingZeroBits(b, 2), 0);
  EXPECT_EQ(LeadingZeroBits(c, 2), 7);
  EXPECT_EQ(ChallengeCheckName(ChallengeCheck::kNotSolved), "not-solved");
}

}  // namespace
}  // namespace accord::server
