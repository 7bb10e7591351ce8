#include "accord/auth/password.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "accord/auth/secret.h"

namespace accord::auth {
namespace {

// "é" is two bytes, "€" three, "𝄞" four: lengths below count code points, not bytes.
std::string Repeat(std::string_view piece, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += piece;
  return out;
}

TEST(PasswordRulesTest, CountsCodePointsNotBytes) {
  EXPECT_TRUE(CheckPasswordRules("abcdefghijkl").ok());  // 12 ASCII
  const Status eleven = CheckPasswordRules("abcdefghijk");
  EXPECT_EQ(eleven.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(eleven.message().find("too short"), std::string::npos) << eleven.message();

  // 11 code points in 22..44 bytes: still too short.
  EXPECT_FALSE(CheckPasswordRules(Repeat("é", 11)).ok());
  EXPECT_FALSE(CheckPasswordRules(Repeat("€", 11)).ok());
  EXPECT_FALSE(CheckPasswordRules(Repeat("𝄞", 11)).ok());
  EXPECT_FALSE(CheckPasswordRules(Repeat("a€é", 3) + "𝄞𝄞").ok());
  // 12 code points.
  EXPECT_TRUE(CheckPasswordRules(Repeat("é", 12)).ok());
  EXPECT_TRUE(CheckPasswordRules(Repeat("€", 12)).ok());
  EXPECT_TRUE(CheckPasswordRules(Repeat("𝄞", 12)).ok());
  EXPECT_TRUE(CheckPasswordRules(Repeat("a€é", 3) + "𝄞𝄞𝄞").ok());
}

TEST(PasswordRulesTest, AtMost128CodePoints) {
  EXPECT_TRUE(CheckPasswordRules(Repeat("a", 128)).ok());
  EXPECT_TRUE(CheckPasswordRules(Repeat("𝄞", 128)).ok());  // 512 bytes
  const Status long_ascii = CheckPasswordRules(Repeat("a", 129));
  EXPECT_EQ(long_ascii.code(), Status::Code::kInvalidArgument);
  EXPECT_NE(long_ascii.message().find("too long"), std::string::npos) << long_ascii.message();
  EXPECT_FALSE(CheckPasswordRules(Repeat("é", 129)).ok());
}

TEST(PasswordRulesTest, RejectsInvalidUtf8) {
  const std::string good = "abcdefghijkl";
  const std::vector<std::string> bad = {
      good + "\xC3",              // truncated two-byte sequence
      good + "\x80",              // lone continuation byte
      good + "\xC0\xAF",          // overlong '/'
      good + "\xE0\x80\xAF",      // overlong, three bytes
      good + "\xED\xA0\x80",      // UTF-16 surrogate U+D800
      good + "\xF4\x90\x80\x80",  // above U+10FFFF
      good + "\xFF",              // never valid
      good + "\xE2\x82",          // truncated "€"
  };
  for (const std::string& password : bad) {
    const Status status = CheckPasswordRules(password);
    EXPECT_EQ(status.code(), Status::Code::kInvalidArgument);
    EXPECT_NE(status.message().find("UTF-8"), std::string::npos) << status.message();
  }
}

class PasswordHasherTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Initialize().ok()); }
};

TEST_F(PasswordHasherTest, ParamsAreRaisedToInteractive) {
  PasswordHasher hasher({.opslimit = 1, .memlimit = 8192, .max_concurrent = 0});
  EXPECT_EQ(hasher.params().opslimit, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  EXPECT_EQ(hasher.params().memlimit, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  EXPECT_EQ(hasher.params().max_concurrent, 1);

  PasswordHasher stronger({.opslimit = 3, .memlimit = 128u << 20, .max_concurrent = 4});
  EXPECT_EQ(stronger.params().opslimit, 3u);
  EXPECT_EQ(stronger.params().memlimit, 128u << 20);
  EXPECT_EQ(stronger.params().max_concurrent, 4);
}

TEST_F(PasswordHasherTest, HashVerifyRoundTrip) {
  PasswordHasher hasher;
  const std::string password = "correct horse battery staple ✓";
  Result<std::string> hash = hasher.Hash(password);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u) << *hash;
  EXPECT_NE(hash->find("m=65536,t=2"), std::string::npos) << *hash;

  VerifyResult right = hasher.Verify(password, *hash);
  EXPECT_TRUE(right.matches);
  EXPECT_FALSE(right.needs_rehash);

  VerifyResult wrong = hasher.Verify("correct horse battery stapl ✓", *hash);
  EXPECT_FALSE(wrong.matches);
  EXPECT_FALSE(wrong.needs_rehash);

  // A fresh salt every time.
  Result<std::string> again = hasher.Hash(password);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *hash);
}

TEST_F(PasswordHasherTest, HashChecksTheRulesFirst) {
  PasswordHasher hasher;
  Result<std::string> short_hash = hasher.Hash("short");
  ASSERT_FALSE(short_hash.ok());
  EXPECT_EQ(short_hash.status().code(), Status::Code::kInvalidArgument);
  EXPECT_FALSE(hasher.Hash("abcdefghijkl\xFF").ok());
}

TEST_F(PasswordHasherTest, NeedsRehashWhenMadeWithOtherParams) {
  PasswordHasher hasher;  // interactive: t=2, 64 MiB
  const std::string password = "a long enough passphrase";

  // Made directly by libsodium with a higher opslimit.
  char stronger[crypto_pwhash_STRBYTES];
  ASSERT_EQ(crypto_pwhash_str_alg(stronger, password.data(), password.size(), 3,
                                  crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13),
            0);
  VerifyResult result = hasher.Verify(password, stronger);
  EXPECT_TRUE(result.matches);
  EXPECT_TRUE(result.needs_rehash);
  // The wrong password never asks for a rehash.
  result = hasher.Verify("another long passphrase", stronger);
  EXPECT_FALSE(result.matches);
  EXPECT_FALSE(result.needs_rehash);

  // A hasher configured with those stronger params finds the default hasher's output weak.
  PasswordHasher upgraded({.opslimit = 3});
  result = upgraded.Verify(password, stronger);
  EXPECT_TRUE(result.matches);
  EXPECT_FALSE(result.needs_rehash);
  Result<std::string> weak = hasher.Hash(password);
  ASSERT_TRUE(weak.ok());
  result = upgraded.Verify(password, *weak);
  EXPECT_TRUE(result.matches);
  EXPECT_TRUE(result.needs_rehash);
}

TEST_F(PasswordHasherTest, MalformedStoredStringsDoNotMatch) {
  PasswordHasher hasher;
  const std::string password = "a long enough passphrase";
  const std::vector<std::string> stored = {
      "",
      "garbage",
      "$argon2id$",
      "$argon2id$v=19$m=65536,t=2,p=1$",
      "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$notbase64!!",
      "$argon2id$v=19$m=abc,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$aGFzaA",
      std::string("$argon2id$\0v=19", 15),
      "$argon2id$" + std::string(1000, 'A'),
      "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",  // bcrypt
      "5f4dcc3b5aa765d61d8327deb882cf99",                              // a bare digest
  };
  for (const std::string& s : stored) {
    VerifyResult result = hasher.Verify(password, s);
    EXPECT_FALSE(result.matches) << s;
    EXPECT_FALSE(result.needs_rehash) << s;
  }
}

// Runs `threads` hashes at once and returns the most slots seen held at the same time.
int MaxConcurrentHashes(int max_concurrent, int threads) {
  PasswordHasher hasher({.max_concurrent = max_concurrent});
  std::atomic<int> holding{0};
  std::atomic<int> max_seen{0};
  hasher.SetSlotObserverForTesting([&](bool taken) {
    if (!taken) {
      --holding;
      return;
    }
    const int now = ++holding;
    int seen = max_seen.load();
    while (now > seen && !max_seen.compare_exchange_weak(seen, now)) {
    }
  });
  std::atomic<int> ok{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < threads; ++i) {
    workers.emplace_back([&, i] {
      if (hasher.Hash("concurrent passphrase " + std::to_string(i)).ok()) ++ok;
    });
  }
  for (std::thread& t : workers) t.join();
  EXPECT_EQ(ok.load(), threads);
  EXPECT_EQ(holding.load(), 0);
  return max_seen.load();
}

TEST_F(PasswordHasherTest, ConcurrencyIsCapped) {
  // Each hash holds its slot for ~0.1 s, so four threads started together overlap unless the
  // cap serialises them.
  EXPECT_EQ(MaxConcurrentHashes(/*max_concurrent=*/1, /*threads=*/4), 1);
  const int two = MaxConcurrentHashes(/*max_concurrent=*/2, /*threads=*/4);
  EXPECT_GE(two, 1);
  EXPECT_LE(two, 2);
}

TEST_F(PasswordHasherTest, VerifyTakesASlotToo) {
  PasswordHasher hasher({.max_concurrent = 1});
  Result<std::string> hash = hasher.Hash("a long enough passphrase");
  ASSERT_TRUE(hash.ok());
  int taken = 0;
  hasher.SetSlotObserverForTesting([&](bool t) { taken += t ? 1 : 0; });
  EXPECT_TRUE(hasher.Verify("a long enough passphrase", *hash).matches);
  EXPECT_FALSE(hasher.Verify("not the passphrase", *hash).matches);
  EXPECT_FALSE(hasher.Verify("a long enough passphrase", "garbage").matches);  // no hashing
  EXPECT_EQ(taken, 2);
}

}  // namespace
}  // namespace accord::auth
