// Tests of instance_key.cc: the CSRF key is made once, kept in the database, and a damaged
// stored value is reported rather than silently replaced.
#include "instance_key.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "database.h"

namespace accord::server {
namespace {

class InstanceKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-instance-key-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Database> Open(const std::filesystem::path& dir) {
    auto db = Database::Open(dir.string());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }
  std::string StoredHex(Database& db) {
    auto hex = db.QueryText("SELECT value FROM instance_settings WHERE key = 'csrf_key';");
    EXPECT_TRUE(hex.ok());
    return hex.ok() ? *hex : "";
  }
  void Store(Database& db, const std::string& value) {
    ASSERT_TRUE(db.Exec("INSERT OR REPLACE INTO instance_settings(key, value) VALUES "
                        "('csrf_key', '" +
                        value + "');")
                    .ok());
  }

  std::filesystem::path dir_;
};

TEST_F(InstanceKeyTest, AFreshInstanceGetsA32ByteKeyStoredAsHex) {
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(StoredHex(*db), "");
  auto key = LoadOrCreateInstanceKey(*db);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->size(), 32u);
  EXPECT_NE(*key, std::string(32, '\0'));
  std::string hex = StoredHex(*db);
  ASSERT_EQ(hex.size(), 64u);
  std::string expected;
  for (unsigned char c : *key) {
    static const char* kDigits = "0123456789abcdef";
    expected += kDigits[c >> 4];
    expected += kDigits[c & 15];
  }
  EXPECT_EQ(hex, expected);
}

TEST_F(InstanceKeyTest, TheKeyIsMadeOnlyOnce) {
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  auto first = LoadOrCreateInstanceKey(*db);
  auto second = LoadOrCreateInstanceKey(*db);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  EXPECT_EQ(*db->QueryText("SELECT count(*) FROM instance_settings WHERE key = 'csrf_key';"), "1");
}

TEST_F(InstanceKeyTest, TheKeySurvivesReopeningTheDataDirectory) {
  std::string first;
  {
    auto db = Open(dir_);
    ASSERT_NE(db, nullptr);
    auto key = LoadOrCreateInstanceKey(*db);
    ASSERT_TRUE(key.ok());
    first = *key;
  }
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  auto again = LoadOrCreateInstanceKey(*db);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, first);
}

TEST_F(InstanceKeyTest, TwoInstancesGetDifferentKeys) {
  auto a = Open(dir_ / "a");
  auto b = Open(dir_ / "b");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto ka = LoadOrCreateInstanceKey(*a);
  auto kb = LoadOrCreateInstanceKey(*b);
  ASSERT_TRUE(ka.ok() && kb.ok());
  EXPECT_NE(*ka, *kb);
}

TEST_F(InstanceKeyTest, AStoredKeyIsReadBack) {
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  Store(*db, std::string(62, '0') + "Ab");  // upper-case hex digits are hex too
  auto key = LoadOrCreateInstanceKey(*db);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(*key, std::string(31, '\0') + "\xAB");
}

TEST_F(InstanceKeyTest, ACorruptStoredKeyIsCorruptionAndIsKept) {
  for (std::string bad : {std::string(63, 'a'), std::string(66, 'a'), std::string(64, 'g'),
                          std::string(62, 'a') + " a", std::string("x")}) {
    auto db = Open(dir_);
    ASSERT_NE(db, nullptr);
    Store(*db, bad);
    auto key = LoadOrCreateInstanceKey(*db);
    ASSERT_FALSE(key.ok()) << bad;
    EXPECT_EQ(key.status().code(), Status::Code::kCorruption) << bad;
    EXPECT_EQ(StoredHex(*db), bad) << "a damaged key must not be replaced silently";
  }
}

TEST_F(InstanceKeyTest, TheLogSignerIsMadeOnceKeptApartFromTheCsrfKeyAndNamedByTheOrigin) {
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  auto csrf = LoadOrCreateInstanceKey(*db);
  ASSERT_TRUE(csrf.ok());
  auto signer = LoadOrCreateLogSigner(*db, "accord.example.org/log");
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->name(), "accord.example.org/log");
  auto hex = db->QueryText("SELECT value FROM instance_settings WHERE key = 'log_signing_key';");
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(hex->size(), 64u);
  EXPECT_NE(*hex, StoredHex(*db)) << "the log key is a secret of its own";

  // Read back after reopening: the same key signs, so old checkpoints still verify.
  std::string verifier = signer->Verifier().ToString();
  db.reset();
  db = Open(dir_);
  ASSERT_NE(db, nullptr);
  auto again = LoadOrCreateLogSigner(*db, "accord.example.org/log");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Verifier().ToString(), verifier);
  std::string signature = again->Sign("hello\n");
  auto parsed = signon::NoteVerifier::Parse(verifier);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->Verify("hello\n", signature));
}

TEST_F(InstanceKeyTest, AChangedLogOriginIsReportedAndRecorded) {
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  std::string previous = "unset";
  ASSERT_TRUE(LoadOrCreateLogSigner(*db, "a.example/log", &previous).ok());
  EXPECT_EQ(previous, "") << "the first origin is no change";
  ASSERT_TRUE(LoadOrCreateLogSigner(*db, "a.example/log", &previous).ok());
  EXPECT_EQ(previous, "");
  auto renamed = LoadOrCreateLogSigner(*db, "b.example/log", &previous);
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(previous, "a.example/log");
  EXPECT_EQ(renamed->name(), "b.example/log");
  ASSERT_TRUE(LoadOrCreateLogSigner(*db, "b.example/log", &previous).ok());
  EXPECT_EQ(previous, "") << "reported once";
  EXPECT_EQ(*db->QueryText("SELECT value FROM instance_settings WHERE key = 'log_origin';"),
            "b.example/log");
}

TEST_F(InstanceKeyTest, ALogOriginThatIsNotAKeyNameIsRefused) {
  auto db = Open(dir_);
  ASSERT_NE(db, nullptr);
  for (std::string bad : {"", "accord example", "a+b", "it's/log"}) {
    auto signer = LoadOrCreateLogSigner(*db, bad);
    ASSERT_FALSE(signer.ok()) << bad;
    EXPECT_EQ(signer.status().code(), Status::Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace accord::server
