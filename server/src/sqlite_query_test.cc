#include "sqlite_query.h"

#include <gtest/gtest.h>

namespace accord::server::sqlite {
namespace {

// An in-memory database with one table is all the plumbing needs.
class SqliteQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_,
                           "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                           " n INTEGER, data BLOB, CHECK (name <> '')) STRICT;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    cache_ = std::make_unique<StatementCache>(db_);
  }
  void TearDown() override {
    cache_.reset();
    sqlite3_close(db_);
  }
  static Result<std::vector<uint8_t>> ReadData(sqlite3_stmt* st) { return ColumnBlob(st, 0); }
  static Result<std::optional<int64_t>> ReadN(sqlite3_stmt* st) { return ColumnOptInt(st, 0); }

  sqlite3* db_ = nullptr;
  std::unique_ptr<StatementCache> cache_;
};

constexpr char kInsert[] = "INSERT INTO t (name, n, data) VALUES (?1, ?2, ?3)";
constexpr char kData[] = "SELECT data FROM t WHERE name = ?1";
constexpr char kN[] = "SELECT n FROM t ORDER BY id";

TEST_F(SqliteQueryTest, BindsTextIntegersNullsAndBlobsAndReadsThemBack) {
  std::vector<uint8_t> bytes = {0, 1, 2, 255};
  ASSERT_EQ(*Query(*cache_, kInsert).Bind("a", int64_t{7}, bytes).Run("insert"), 1);
  ASSERT_EQ(*Query(*cache_, kInsert)
                 .Bind("b", std::optional<int64_t>(), std::vector<uint8_t>())
                 .Run("insert"),
            1);
  EXPECT_EQ(*Query(*cache_, kData).Bind("a").One(&ReadData, "read", Status::NotFound("x")), bytes);
  // An empty blob stays a blob (not NULL) and reads back empty.
  EXPECT_TRUE(
      Query(*cache_, kData).Bind("b").One(&ReadData, "read", Status::NotFound("x"))->empty());
  auto ns = Query(*cache_, kN).All(&ReadN, "list");
  ASSERT_TRUE(ns.ok());
  ASSERT_EQ(ns->size(), 2u);
  EXPECT_EQ((*ns)[0], 7);
  EXPECT_FALSE((*ns)[1].has_value());
  EXPECT_EQ(Query(*cache_, kData)
                .Bind("zz")
                .One(&ReadData, "read", Status::NotFound("none"))
                .status()
                .code(),
            Status::Code::kNotFound);
}

TEST_F(SqliteQueryTest, ConstraintFailuresBecomeStatusCodes) {
  ASSERT_TRUE(Query(*cache_, kInsert).Bind("a", int64_t{1}, std::vector<uint8_t>()).Run("i").ok());
  auto clash = Query(*cache_, kInsert)
                   .Bind("a", int64_t{2}, std::vector<uint8_t>())
                   .OnClash("t.name", "that name is taken")
                   .Run("insert");
  EXPECT_EQ(clash.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(clash.status().message(), "that name is taken");
  auto check = Query(*cache_, kInsert).Bind("", int64_t{2}, std::vector<uint8_t>()).Run("insert");
  EXPECT_EQ(check.status().code(), Status::Code::kInvalidArgument);
  // The cached statement is reset after a failure and works again.
  EXPECT_TRUE(Query(*cache_, kInsert).Bind("c", int64_t{3}, std::vector<uint8_t>()).Run("i").ok());
}

TEST_F(SqliteQueryTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction txn(db_);
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(
        Query(*cache_, kInsert).Bind("gone", int64_t{1}, std::vector<uint8_t>()).Run("i").ok());
  }
  {
    Transaction txn(db_);
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(
        Query(*cache_, kInsert).Bind("kept", int64_t{2}, std::vector<uint8_t>()).Run("i").ok());
    ASSERT_TRUE(txn.Commit().ok());
  }
  auto ns = Query(*cache_, kN).All(&ReadN, "list");
  ASSERT_EQ(ns->size(), 1u);
  EXPECT_EQ((*ns)[0], 2);
}

}  // namespace
}  // namespace accord::server::sqlite
