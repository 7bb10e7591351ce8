#include "database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace accord::server {
namespace {

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-db-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(DatabaseTest, CreatesDirectoryAndFileInWalMode) {
  auto db = Database::Open((dir_ / "nested").string());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir_ / "nested" / "accord.db"));
  EXPECT_EQ(*(*db)->QueryText("PRAGMA journal_mode;"), "wal");
  EXPECT_EQ(*(*db)->QueryText("PRAGMA synchronous;"), "2");  // FULL
  EXPECT_GE((*db)->schema_version(), 1);
}

TEST_F(DatabaseTest, MigrationsApplyOnceAndDataSurvivesReopen) {
  int version = 0;
  {
    auto db = Database::Open(dir_.string());
    ASSERT_TRUE(db.ok());
    version = (*db)->schema_version();
    ASSERT_TRUE((*db)->Exec("INSERT INTO instance_settings VALUES ('name', 'test');").ok());
  }
  auto db = Database::Open(dir_.string());
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EXPECT_EQ((*db)->schema_version(), version);
  EXPECT_EQ(*(*db)->QueryText("SELECT COUNT(*) FROM schema_migrations;"), std::to_string(version));
  EXPECT_EQ(*(*db)->QueryText("SELECT value FROM instance_settings WHERE key='name';"), "test");
}

TEST_F(DatabaseTest, RefusesANewerSchema) {
  {
    auto db = Database::Open(dir_.string());
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO schema_migrations(version) VALUES (9999);").ok());
  }
  auto db = Database::Open(dir_.string());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), Status::Code::kFailedPrecondition);
}

TEST_F(DatabaseTest, ReportsBadSql) {
  auto db = Database::Open(dir_.string());
  ASSERT_TRUE(db.ok());
  Status s = (*db)->Exec("SELEC nonsense;");
  EXPECT_EQ(s.code(), Status::Code::kIOError);
  EXPECT_NE(s.message().find("syntax error"), std::string::npos);
}

}  // namespace
}  // namespace accord::server
