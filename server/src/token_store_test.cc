#include "token_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

namespace accord::server {
namespace {

class TokenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() /
        ("accord-token-test-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
         "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = TokenStore::Open(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<TokenStore> store_;
};

TEST_F(TokenStoreTest, GrantsWhatWasCreatedForCoveredDocuments) {
  auto w = store_->Create("team-*", Access::kWrite, std::nullopt);
  ASSERT_TRUE(w.ok());
  auto r = store_->Create("minutes", Access::kRead, std::nullopt);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*store_->Check(*w, "team-a"), Access::kWrite);
  EXPECT_EQ(*store_->Check(*r, "minutes"), Access::kRead);
  EXPECT_EQ(store_->Check(*w, "other").status().code(), Status::Code::kPermissionDenied);
  EXPECT_EQ(store_->Check(*r, "minutes2").status().code(), Status::Code::kPermissionDenied);
}

TEST_F(TokenStoreTest, WrongMalformedAndExpiredTokensAreUnauthenticated) {
  auto t = store_->Create("*", Access::kWrite, std::chrono::seconds(1));
  ASSERT_TRUE(t.ok());
  std::string wrong = *t;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(store_->Check(wrong, "x").status().code(), Status::Code::kUnauthenticated);
  EXPECT_EQ(store_->Check("", "x").status().code(), Status::Code::kUnauthenticated);
  EXPECT_EQ(store_->Check("not a token", "x").status().code(), Status::Code::kUnauthenticated);
  EXPECT_TRUE(store_->Check(*t, "x").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  Status expired = store_->Check(*t, "x").status();
  EXPECT_EQ(expired.code(), Status::Code::kUnauthenticated);
  EXPECT_NE(expired.message().find("expired"), std::string::npos);
}

TEST_F(TokenStoreTest, RejectsBadPatternsAndTtl) {
  EXPECT_FALSE(store_->Create("", Access::kRead, std::nullopt).ok());
  EXPECT_FALSE(store_->Create("..", Access::kRead, std::nullopt).ok());
  EXPECT_FALSE(store_->Create("a/b", Access::kRead, std::nullopt).ok());
  EXPECT_FALSE(store_->Create("a*b", Access::kRead, std::nullopt).ok());
  EXPECT_FALSE(store_->Create("x", Access::kRead, std::chrono::seconds(0)).ok());
}

TEST_F(TokenStoreTest, OnlyTheHashIsStoredAndTokensSurviveReopening) {
  auto t = store_->Create("doc", Access::kWrite, std::nullopt);
  ASSERT_TRUE(t.ok());
  store_.reset();
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(*t), std::string::npos) << entry.path();
  }
  auto reopened = TokenStore::Open(dir_.string());
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(*(*reopened)->Check(*t, "doc"), Access::kWrite);
}

TEST(TokenPatternTest, Covers) {
  EXPECT_TRUE(TokenStore::PatternCovers("*", "anything"));
  EXPECT_TRUE(TokenStore::PatternCovers("a*", "a"));
  EXPECT_TRUE(TokenStore::PatternCovers("a*", "abc"));
  EXPECT_FALSE(TokenStore::PatternCovers("a*", "ba"));
  EXPECT_TRUE(TokenStore::PatternCovers("abc", "abc"));
  EXPECT_FALSE(TokenStore::PatternCovers("abc", "abcd"));
}

}  // namespace
}  // namespace accord::server
