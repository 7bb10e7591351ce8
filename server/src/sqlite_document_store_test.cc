#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <thread>

#include "database.h"
#include "document_store.h"
#include "scratch_dir_test_support.h"

namespace accord::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<uint8_t> Bytes(std::string_view s) { return std::vector<uint8_t>(s.begin(), s.end()); }

class SqliteDocumentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::ScratchDir("store");
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto s = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  // A second connection, for looking at (or damaging) the rows directly.
  std::unique_ptr<Database> Raw() {
    auto db = Database::Open(dir_.string());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }
  Status Append(std::vector<PendingUpdate> batch) { return store_->AppendBatch(batch); }
  StoredDocument Load(std::string_view name) {
    auto r = store_->Load(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(*r) : StoredDocument{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<DocumentStore> store_;
};

TEST_F(SqliteDocumentStoreTest, MigrationCreatesTheDocumentTables) {
  auto raw = Raw();
  EXPECT_GE(raw->schema_version(), 3);
  EXPECT_EQ(*raw->QueryText("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
                            " ('documents', 'document_updates');"),
            "2");
}

TEST_F(SqliteDocumentStoreTest, NothingStoredIsANewDocument) {
  StoredDocument d = Load("nothing");
  EXPECT_FALSE(d.exists);
  EXPECT_TRUE(d.snapshot.empty());
  EXPECT_TRUE(d.updates.empty());
  EXPECT_EQ(d.last_seq, 0);
  EXPECT_EQ(store_->Info("nothing").status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(store_->List()->empty());
  EXPECT_TRUE(Append({}).ok());
}

TEST_F(SqliteDocumentStoreTest, AppendsKeepOrderPerDocumentAndNumberThem) {
  ASSERT_TRUE(Append({{"a", Bytes("a1")}, {"b", Bytes("b1")}, {"a", Bytes("a2")}}).ok());
  ASSERT_TRUE(Append({{"a", Bytes("a3")}, {"a", {}}}).ok());
  StoredDocument a = Load("a");
  EXPECT_TRUE(a.exists);
  EXPECT_TRUE(a.snapshot.empty());
  EXPECT_THAT(a.updates, ElementsAre(Bytes("a1"), Bytes("a2"), Bytes("a3"), Bytes("")));
  EXPECT_EQ(a.last_seq, 4);
  EXPECT_EQ(a.stored_bytes, 6u);
  StoredDocument b = Load("b");
  EXPECT_THAT(b.updates, ElementsAre(Bytes("b1")));
  EXPECT_EQ(b.last_seq, 1);
  EXPECT_EQ(*Raw()->QueryText("SELECT group_concat(seq) FROM (SELECT seq FROM document_updates"
                              " WHERE name = 'a' ORDER BY seq);"),
            "1,2,3,4");
}

TEST_F(SqliteDocumentStoreTest, DataSurvivesReopen) {
  ASSERT_TRUE(Append({{"doc", Bytes("one")}}).ok());
  ASSERT_TRUE(store_->Compact("doc", Bytes("snap"), 1).ok());
  ASSERT_TRUE(Append({{"doc", Bytes("two")}}).ok());
  Reopen();
  StoredDocument d = Load("doc");
  EXPECT_EQ(d.snapshot, Bytes("snap"));
  EXPECT_THAT(d.updates, ElementsAre(Bytes("two")));
  EXPECT_EQ(d.last_seq, 2);
}

TEST_F(SqliteDocumentStoreTest, NamesAreOpaqueUtf8) {
  const std::string odd =
      "it's \"quoted\" -- ; DROP TABLE documents; \xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80";
  ASSERT_TRUE(Append({{odd, Bytes("x")}}).ok());
  EXPECT_THAT(Load(odd).updates, ElementsAre(Bytes("x")));
  auto list = store_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, odd);
}

TEST_F(SqliteDocumentStoreTest, AFailingBatchStoresNothing) {
  ASSERT_TRUE(Append({{"a", Bytes("kept")}}).ok());
  // Make the database refuse one particular update, in the middle of a batch.
  ASSERT_TRUE(Raw()
                  ->Exec("CREATE TRIGGER refuse BEFORE INSERT ON document_updates"
                         " WHEN NEW.data = X'BAD0' BEGIN SELECT RAISE(ABORT, 'refused'); END;")
                  .ok());
  Status s =
      Append({{"a", Bytes("first")}, {"new", Bytes("n")}, {"a", {0xBA, 0xD0}}, {"a", Bytes("z")}});
  EXPECT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("refused"));
  StoredDocument a = Load("a");
  EXPECT_THAT(a.updates, ElementsAre(Bytes("kept")));
  EXPECT_EQ(a.last_seq, 1);
  EXPECT_FALSE(Load("new").exists);
  // The store stays usable, and numbering continues where the last good batch ended.
  ASSERT_TRUE(Append({{"a", Bytes("next")}}).ok());
  EXPECT_EQ(Load("a").last_seq, 2);
}

TEST_F(SqliteDocumentStoreTest, CompactReplacesCoveredUpdatesAndKeepsLaterOnes) {
  ASSERT_TRUE(Append({{"d", Bytes("1")}, {"d", Bytes("2")}, {"d", Bytes("3")}}).ok());
  ASSERT_TRUE(store_->Compact("d", Bytes("S12"), 2).ok());
  StoredDocument d = Load("d");
  EXPECT_EQ(d.snapshot, Bytes("S12"));
  EXPECT_THAT(d.updates, ElementsAre(Bytes("3")));
  EXPECT_EQ(d.last_seq, 3);
  EXPECT_EQ(d.stored_bytes, 4u);

  // Sequence numbers never go back, even after every update was compacted away.
  ASSERT_TRUE(store_->Compact("d", Bytes("S123"), 3).ok());
  EXPECT_TRUE(Load("d").updates.empty());
  ASSERT_TRUE(Append({{"d", Bytes("4")}}).ok());
  d = Load("d");
  EXPECT_EQ(d.snapshot, Bytes("S123"));
  EXPECT_THAT(d.updates, ElementsAre(Bytes("4")));
  EXPECT_EQ(d.last_seq, 4);
  EXPECT_TRUE(store_->CheckIntegrity().ok());
}

TEST_F(SqliteDocumentStoreTest, CompactRefusesStaleOrFutureSequenceNumbers) {
  ASSERT_TRUE(Append({{"d", Bytes("1")}, {"d", Bytes("2")}}).ok());
  ASSERT_TRUE(store_->Compact("d", Bytes("S2"), 2).ok());
  EXPECT_EQ(store_->Compact("d", Bytes("old"), 1).code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(store_->Compact("d", Bytes("future"), 3).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->Compact("d", Bytes("neg"), -1).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(Load("d").snapshot, Bytes("S2"));
}

TEST_F(SqliteDocumentStoreTest, CompactOfANewDocumentStoresItsSnapshot) {
  EXPECT_EQ(store_->Compact("imported", Bytes("state"), 1).code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(store_->Compact("imported", Bytes("state"), 0).ok());
  StoredDocument d = Load("imported");
  EXPECT_TRUE(d.exists);
  EXPECT_EQ(d.snapshot, Bytes("state"));
  EXPECT_EQ(d.last_seq, 0);
  ASSERT_TRUE(Append({{"imported", Bytes("u")}}).ok());
  EXPECT_EQ(Load("imported").last_seq, 1);
}

TEST_F(SqliteDocumentStoreTest, InfoAndListReportSizes) {
  ASSERT_TRUE(Append({{"b", Bytes("123")}, {"a", Bytes("1")}, {"b", Bytes("45")}}).ok());
  ASSERT_TRUE(store_->Compact("a", Bytes("snapshot"), 1).ok());
  auto b = store_->Info("b");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->name, "b");
  EXPECT_EQ(b->snapshot_bytes, 0u);
  EXPECT_EQ(b->update_count, 2u);
  EXPECT_EQ(b->update_bytes, 5u);
  auto list = store_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "a");
  EXPECT_EQ((*list)[0].snapshot_bytes, 8u);
  EXPECT_EQ((*list)[0].update_count, 0u);
  EXPECT_EQ((*list)[0].update_bytes, 0u);
  EXPECT_EQ((*list)[1].name, "b");
  EXPECT_EQ((*list)[1].update_count, 2u);
}

TEST_F(SqliteDocumentStoreTest, CheckIntegrityReportsBrokenInvariants) {
  EXPECT_TRUE(store_->CheckIntegrity().ok());
  ASSERT_TRUE(Append({{"d", Bytes("1")}, {"d", Bytes("2")}}).ok());
  ASSERT_TRUE(store_->Compact("d", Bytes("S"), 1).ok());
  EXPECT_TRUE(store_->CheckIntegrity().ok());
  auto raw = Raw();
  // An update row the snapshot already covers, and one beyond last_seq.
  ASSERT_TRUE(raw->Exec("INSERT INTO document_updates VALUES ('d', 1, X'00');"
                        "INSERT INTO document_updates VALUES ('d', 9, X'00');")
                  .ok());
  // An update row of a document that has no row (foreign keys off on this connection only).
  ASSERT_TRUE(raw->Exec("PRAGMA foreign_keys=OFF;"
                        "INSERT INTO document_updates VALUES ('ghost', 1, X'00');")
                  .ok());
  Status s = store_->CheckIntegrity();
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_THAT(s.message(), HasSubstr("document 'd': update 1 is outside"));
  EXPECT_THAT(s.message(), HasSubstr("document 'd': update 9 is outside"));
  EXPECT_THAT(s.message(), HasSubstr("foreign key violation: document_updates"));
}

TEST_F(SqliteDocumentStoreTest, CheckIntegrityFindsADamagedPage) {
  std::vector<PendingUpdate> batch;
  for (int i = 0; i < 300; ++i) batch.push_back({"d", std::vector<uint8_t>(100, uint8_t(i))});
  ASSERT_TRUE(Append(batch).ok());
  store_.reset();  // the last connection closing checkpoints the WAL into accord.db
  const auto db_file = dir_ / "accord.db";
  const auto size = std::filesystem::file_size(db_file);
  ASSERT_GE(size, 8 * 4096u);
  {
    // Overwrite one page of rows near the end with garbage (not the header page).
    std::FILE* f = std::fopen(db_file.c_str(), "r+b");
    ASSERT_NE(f, nullptr);
    std::vector<uint8_t> garbage(4096, 0x5A);
    ASSERT_EQ(std::fseek(f, static_cast<long>(size - 2 * 4096), SEEK_SET), 0);
    ASSERT_EQ(std::fwrite(garbage.data(), 1, garbage.size(), f), garbage.size());
    std::fclose(f);
  }
  auto reopened = OpenSqliteDocumentStore(dir_.string());
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();  // the schema pages are intact
  Status s = (*reopened)->CheckIntegrity();
  EXPECT_EQ(s.code(), Status::Code::kCorruption);
  EXPECT_FALSE(s.message().empty());
}

TEST_F(SqliteDocumentStoreTest, ForeignKeysAndChecksGuardTheRows) {
  auto raw = Raw();
  EXPECT_FALSE(raw->Exec("INSERT INTO document_updates VALUES ('ghost', 1, X'00');").ok());
  EXPECT_FALSE(raw->Exec("INSERT INTO documents (name, snapshot_seq, last_seq, created_at,"
                         " updated_at) VALUES ('x', 5, 2, 0, 0);")
                   .ok());
  EXPECT_FALSE(raw->Exec("INSERT INTO documents (name, created_at, updated_at)"
                         " VALUES ('x', 'not a number', 0);")
                   .ok());  // STRICT
}

TEST_F(SqliteDocumentStoreTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 4, kBatches = 25, kPerBatch = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<PendingUpdate> batch;
        for (int i = 0; i < kPerBatch; ++i) {
          batch.push_back({"doc" + std::to_string(t % 2), Bytes(std::to_string(t))});
        }
        EXPECT_TRUE(store_->AppendBatch(batch).ok());
      }
    });
  }
  std::thread reader([&] {
    size_t last = 0;
    for (int i = 0; i < 50; ++i) {
      auto d = store_->Load("doc0");
      ASSERT_TRUE(d.ok());
      EXPECT_GE(d->updates.size(), last);  // committed rows never disappear
      EXPECT_EQ(static_cast<int64_t>(d->updates.size()), d->last_seq);
      last = d->updates.size();
    }
  });
  for (auto& t : threads) t.join();
  reader.join();
  EXPECT_EQ(Load("doc0").last_seq, 2 * kBatches * kPerBatch);
  EXPECT_EQ(Load("doc1").updates.size(), size_t{2 * kBatches * kPerBatch});
}

}  // namespace
}  // namespace accord::server
