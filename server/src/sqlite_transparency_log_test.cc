// Tests of the SQLite transparency log: entries are checked, numbered and kept; roots and
// proofs agree with merkle.h's own computation and verify; checkpoints open with the verifier
// key; the table refuses changes by plain SQL, and a change that gets past the triggers stops
// the log from opening rather than being served.
#include "sqlite_transparency_log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "accord/signon/checkpoint.h"
#include "accord/signon/merkle.h"
#include "database.h"

namespace accord::server {
namespace {

namespace fs = std::filesystem;
using signon::Hash;

constexpr char kOrigin[] = "accord.example.org/log";

std::string Body(const std::string& kind, int n) {
  return "{\"kind\":\"" + kind + "\",\"n\":" + std::to_string(n) + "}";
}

class SqliteTransparencyLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("accord-tlog-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto signer = signon::NoteSigner::FromSeed(kOrigin, std::string(32, '\xaa'));
    ASSERT_TRUE(signer.ok());
    signer_.emplace(*signer);
    Reopen();
  }
  void TearDown() override {
    log_.reset();
    fs::remove_all(dir_);
  }

  void Reopen() {
    log_.reset();
    auto log = OpenSqliteTransparencyLog(dir_.string(), *signer_, [this] { return now_; });
    ASSERT_TRUE(log.ok()) << log.status().ToString();
    log_ = std::move(*log);
  }
  std::unique_ptr<Database> Raw() {
    auto db = Database::Open(dir_.string());
    EXPECT_TRUE(db.ok());
    return db.ok() ? std::move(*db) : nullptr;
  }
  void AppendMany(int n) {
    for (int i = 0; i < n; ++i) {
      auto index = log_->Append("endorsement", Body("endorsement", i));
      ASSERT_TRUE(index.ok()) << index.status().ToString();
    }
  }
  std::vector<Hash> LeafHashes() {
    std::vector<Hash> out;
    auto size = log_->Size();
    EXPECT_TRUE(size.ok());
    for (uint64_t i = 0; size.ok() && i < *size; ++i) {
      auto h = log_->LeafHash(i);
      EXPECT_TRUE(h.ok());
      out.push_back(h.ok() ? *h : Hash{});
    }
    return out;
  }

  fs::path dir_;
  std::optional<signon::NoteSigner> signer_;
  std::unique_ptr<TransparencyLog> log_;
  int64_t now_ = 1'796'000'000;
};

TEST_F(SqliteTransparencyLogTest, AnEmptyLogHasTheEmptyRootAndASignedCheckpoint) {
  EXPECT_EQ(*log_->Size(), 0u);
  EXPECT_EQ(*log_->Root(0), signon::Sha256(""));
  auto note = log_->Checkpoint();
  ASSERT_TRUE(note.ok()) << note.status().ToString();
  auto checkpoint = signon::OpenCheckpoint(*note, log_->verifier());
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString() << "\n" << *note;
  EXPECT_EQ(checkpoint->origin, kOrigin);
  EXPECT_EQ(checkpoint->tree_size, 0u);
  EXPECT_EQ(checkpoint->root_hash, signon::Sha256(""));
  EXPECT_EQ(checkpoint->extensions, std::vector<std::string>{"Timestamp: 1796000000"});
  EXPECT_EQ(log_->verifier().ToString(), signer_->Verifier().ToString());
}

// The example of server/signon/LOG.md, stored through the log: same root, same proofs.
TEST_F(SqliteTransparencyLogTest, ReproducesTheLogMdExample) {
  ASSERT_EQ(*log_->Append("final", "{\"kind\":\"final\",\"n\":1}"), 0u);
  ASSERT_EQ(*log_->Append("endorsement", "{\"kind\":\"endorsement\",\"n\":2}"), 1u);
  ASSERT_EQ(*log_->Append("endorsement", "{\"kind\":\"endorsement\",\"n\":3}"), 2u);
  auto note = log_->Checkpoint();
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note,
            "accord.example.org/log\n3\nARgD/LkhdUGV5swMybkgqpNdq1immIie1iqqL4/OqCg=\n"
            "Timestamp: 1796000000\n\n"
            "\xe2\x80\x94 accord.example.org/log "
            "gwcChFp8Ou+C1ypkRoAFx5QC6cSqr6jZcWd9QssO+BpnYYdLvZXKcuAvUWUbTZ+6Cs/XRzqTVw5o1pOMhnyuQ2"
            "pBEwA=\n");
  EXPECT_EQ(log_->verifier().ToString(),
            "accord.example.org/log+83070284+Aec06mwrYlfecjVeRyqgWkxIfmtGPAKe0wbfLwG1Y2tY");
}

TEST_F(SqliteTransparencyLogTest, EntriesAreNumberedFromZeroAndReadBackExactly) {
  ASSERT_EQ(*log_->Append("final", Body("final", 0)), 0u);
  ASSERT_EQ(*log_->Append("endorsement", Body("endorsement", 1)), 1u);
  auto e = log_->Entry(1);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->index, 1u);
  EXPECT_EQ(e->kind, "endorsement");
  EXPECT_EQ(e->body, Body("endorsement", 1));
  EXPECT_EQ(e->leaf_hash, signon::HashLeaf(Body("endorsement", 1)));
  EXPECT_EQ(e->created_at, now_);
  EXPECT_EQ(log_->Entry(2).status().code(), Status::Code::kNotFound);
  auto all = log_->Entries(0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].kind, "final");
  EXPECT_TRUE(log_->Entries(2, 5)->empty());
  EXPECT_EQ(log_->Entries(3, 2).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(SqliteTransparencyLogTest, OnlyCanonicalObjectsOfTheirKindAreAppended) {
  struct Case {
    const char* kind;
    const char* body;
  };
  const Case bad[] = {
      {"endorsement", "{\"n\":1,\"kind\":\"endorsement\"}"},    // members out of order
      {"endorsement", "{\"kind\": \"endorsement\"}"},           // whitespace
      {"endorsement", "{\"kind\":\"endorsement\",\"n\":1.0}"},  // not the shortest number
      {"endorsement", "{\"kind\":\"final\"}"},                  // another kind
      {"endorsement", "{\"n\":1}"},                             // no kind
      {"endorsement", "{\"kind\":1}"},                          // not a string
      {"endorsement", "[\"endorsement\"]"},                     // not an object
      {"endorsement", "not json"},
      {"", "{\"kind\":\"\"}"},
      {"End", "{\"kind\":\"End\"}"},
      {"a b", "{\"kind\":\"a b\"}"},
  };
  for (const Case& c : bad) {
    auto index = log_->Append(c.kind, c.body);
    ASSERT_FALSE(index.ok()) << c.body;
    EXPECT_EQ(index.status().code(), Status::Code::kInvalidArgument) << c.body;
  }
  EXPECT_EQ(*log_->Size(), 0u) << "nothing refused is stored";
  EXPECT_TRUE(
      log_->Append("key-approval", "{\"a\":[1,\"\\u0000\"],\"kind\":\"key-approval\"}").ok());
}

// Every inclusion proof for every size up to 13 and every consistency proof between them, from
// the log, verifies against the root merkle.h computes from the leaf hashes.
TEST_F(SqliteTransparencyLogTest, ProofsVerifyForEverySizeAndIndex) {
  constexpr int kEntries = 13;
  AppendMany(kEntries);
  std::vector<Hash> leaves = LeafHashes();
  ASSERT_EQ(leaves.size(), static_cast<size_t>(kEntries));
  for (uint64_t size = 0; size <= kEntries; ++size) {
    Hash root = signon::RootFromLeafHashes(std::span(leaves).first(size));
    ASSERT_EQ(*log_->Root(size), root) << size;
    for (uint64_t i = 0; i < size; ++i) {
      auto path = log_->InclusionProof(i, size);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      EXPECT_TRUE(signon::VerifyInclusion(leaves[i], i, size, *path, root).ok())
          << i << " in " << size;
    }
    for (uint64_t from = 0; from <= size; ++from) {
      auto path = log_->ConsistencyProof(from, size);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      Hash old_root = signon::RootFromLeafHashes(std::span(leaves).first(from));
      EXPECT_TRUE(signon::VerifyConsistency(from, size, old_root, root, *path).ok())
          << from << " to " << size;
    }
  }
  auto note = log_->Checkpoint();
  ASSERT_TRUE(note.ok());
  auto checkpoint = signon::OpenCheckpoint(*note, signer_->Verifier());
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(checkpoint->tree_size, static_cast<uint64_t>(kEntries));
  EXPECT_EQ(checkpoint->root_hash, signon::RootFromLeafHashes(leaves));
}

TEST_F(SqliteTransparencyLogTest, OutOfRangeProofsAreInvalidArgument) {
  AppendMany(3);
  EXPECT_EQ(log_->InclusionProof(3, 3).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->InclusionProof(0, 4).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->InclusionProof(0, 0).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->ConsistencyProof(2, 1).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->ConsistencyProof(1, 4).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->Root(4).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(log_->LeafHash(3).status().code(), Status::Code::kNotFound);
}

TEST_F(SqliteTransparencyLogTest, TheLogSurvivesReopening) {
  AppendMany(5);
  Hash root = *log_->Root(5);
  Reopen();
  EXPECT_EQ(*log_->Size(), 5u);
  EXPECT_EQ(*log_->Root(5), root);
  EXPECT_EQ(*log_->Append("endorsement", Body("endorsement", 5)), 5u);
}

TEST_F(SqliteTransparencyLogTest, PlainSqlCannotChangeRemoveOrSkipEntries) {
  AppendMany(3);
  Hash root = *log_->Root(3);
  auto db = Raw();
  ASSERT_NE(db, nullptr);
  const char* attacks[] = {
      "UPDATE log_entries SET body = '{\"kind\":\"endorsement\",\"n\":9}' WHERE idx = 1;",
      "UPDATE log_entries SET kind = 'final' WHERE idx = 0;",
      "DELETE FROM log_entries WHERE idx = 2;",
      "DELETE FROM log_entries;",
      // A gap, an index taken again, a negative index.
      "INSERT INTO log_entries VALUES (4, 'endorsement', '{}', zeroblob(32), 0);",
      "INSERT OR REPLACE INTO log_entries VALUES (1, 'endorsement', '{}', zeroblob(32), 0);",
      "INSERT INTO log_entries VALUES (-1, 'endorsement', '{}', zeroblob(32), 0);",
      "INSERT INTO log_entries VALUES (3, 'endorsement', '{}', zeroblob(31), 0);",
  };
  for (const char* sql : attacks) {
    EXPECT_FALSE(db->Exec(sql).ok()) << sql;
  }
  EXPECT_EQ(*log_->Size(), 3u);
  EXPECT_EQ(*log_->Root(3), root);
  EXPECT_EQ(log_->Entry(1)->body, Body("endorsement", 1));
}

// Someone with the file drops the trigger and rewrites a row: the log refuses to serve it and
// will not open, instead of signing a tree that contradicts what it published.
TEST_F(SqliteTransparencyLogTest, ARowChangedBehindTheTriggersIsCorruption) {
  AppendMany(3);
  auto db = Raw();
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(db->Exec("DROP TRIGGER log_entries_no_update;"
                       "UPDATE log_entries SET body = '{\"kind\":\"endorsement\",\"n\":9}'"
                       " WHERE idx = 1;")
                  .ok());
  EXPECT_EQ(log_->Entry(1).status().code(), Status::Code::kCorruption);
  log_.reset();
  auto reopened = OpenSqliteTransparencyLog(dir_.string(), *signer_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), Status::Code::kCorruption);
}

// Another store appends inside its own transaction: a rollback leaves no trace, a commit is
// seen by the log at its next call.
TEST_F(SqliteTransparencyLogTest, AppendLogEntryJoinsTheCallersTransaction) {
  AppendMany(1);
  auto db = Raw();
  ASSERT_NE(db, nullptr);
  {
    sqlite::StatementCache statements(db->handle());
    auto outside = AppendLogEntry(statements, "final", Body("final", 1), now_);
    EXPECT_EQ(outside.status().code(), Status::Code::kFailedPrecondition);

    sqlite::Transaction rolled_back(db->handle());
    ASSERT_TRUE(rolled_back.Begin().ok());
    EXPECT_EQ(*AppendLogEntry(statements, "final", Body("final", 1), now_), 1u);
  }  // rolled back
  EXPECT_EQ(*log_->Size(), 1u);
  {
    sqlite::StatementCache statements(db->handle());
    sqlite::Transaction txn(db->handle());
    ASSERT_TRUE(txn.Begin().ok());
    EXPECT_EQ(AppendLogEntry(statements, "final", "{\"kind\":\"other\"}", now_).status().code(),
              Status::Code::kInvalidArgument);
    EXPECT_EQ(*AppendLogEntry(statements, "final", Body("final", 2), now_), 1u);
    ASSERT_TRUE(txn.Commit().ok());
  }
  EXPECT_EQ(*log_->Size(), 2u);
  EXPECT_EQ(log_->Entry(1)->body, Body("final", 2));
  EXPECT_EQ(*log_->Append("endorsement", Body("endorsement", 3)), 2u);
}

TEST_F(SqliteTransparencyLogTest, ConcurrentAppendsGetDistinctIndicesAndAllAreKept) {
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::vector<uint64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto index = log_->Append("endorsement", Body("endorsement", t * 1000 + i));
        if (index.ok()) got[t].push_back(*index);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<uint64_t> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  EXPECT_EQ(*all.rbegin(), static_cast<uint64_t>(kThreads * kEach - 1));
  Reopen();
  EXPECT_EQ(*log_->Size(), static_cast<uint64_t>(kThreads * kEach));
}

}  // namespace
}  // namespace accord::server
