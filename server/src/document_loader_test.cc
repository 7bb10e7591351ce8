#include "document_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace accord::server {
namespace {

using ::testing::HasSubstr;

// A document edited locally, recording every v1 update it produces.
struct Editor {
  explicit Editor(uint64_t client)
      : doc(crdt::DocOptions{.client_id = client, .gc = true, .guid = {}}) {
    doc.OnUpdate([this](std::span<const uint8_t> u, const void*) {
      updates.emplace_back(u.begin(), u.end());
    });
  }
  void Insert(uint64_t index, std::string_view text) {
    ASSERT_TRUE(doc.GetText("t")->Insert(index, text).ok());
  }
  std::string Text() { return doc.GetText("t")->ToString(); }
  std::vector<uint8_t> State() { return *doc.EncodeStateAsUpdate(); }
  crdt::Doc doc;
  std::vector<std::vector<uint8_t>> updates;
};

class DocumentLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-loader-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Store(std::string_view name, const std::vector<std::vector<uint8_t>>& updates) {
    std::vector<PendingUpdate> batch;
    for (const auto& u : updates) batch.push_back({std::string(name), u});
    ASSERT_TRUE(store_->AppendBatch(batch).ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<DocumentStore> store_;
};

TEST_F(DocumentLoaderTest, NothingStoredGivesAnEmptyDocument) {
  auto loaded = LoadDocument(*store_, "new");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->doc->GetText("t")->ToString(), "");
  EXPECT_EQ(loaded->stored_bytes, 0u);
  EXPECT_EQ(ExportDocument(*store_, "new").status().code(), Status::Code::kNotFound);
}

TEST_F(DocumentLoaderTest, LoadsSnapshotThenUpdates) {
  Editor e(1);
  e.Insert(0, "hello");
  e.Insert(5, " world");
  Store("d", e.updates);
  // Compact the first two into a snapshot, then add more updates after it.
  Editor early(2);
  ASSERT_TRUE(early.doc.ApplyUpdate(e.updates[0]).ok());
  ASSERT_TRUE(early.doc.ApplyUpdate(e.updates[1]).ok());
  ASSERT_TRUE(store_->Compact("d", early.State(), 2).ok());
  e.updates.clear();
  e.Insert(0, ">> ");
  Store("d", e.updates);

  auto loaded = LoadDocument(*store_, "d");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->doc->GetText("t")->ToString(), ">> hello world");
  EXPECT_EQ(loaded->stored_bytes, store_->Load("d")->stored_bytes);
  EXPECT_EQ(*loaded->doc->EncodeStateAsUpdate(), e.State());
}

TEST_F(DocumentLoaderTest, ExportIsTheWholeStateAsOneUpdate) {
  Editor a(1), b(2);
  a.Insert(0, "abc");
  ASSERT_TRUE(b.doc.ApplyUpdate(a.updates[0]).ok());
  b.Insert(1, "XY");
  // b.updates[0] is a's insert as b received it; b's own edit is the last one.
  Store("d", a.updates);
  Store("d", {b.updates.back()});
  ASSERT_TRUE(a.doc.ApplyUpdate(b.updates.back()).ok());
  auto exported = ExportDocument(*store_, "d");
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  EXPECT_EQ(*exported, a.State());
  crdt::Doc fresh;
  ASSERT_TRUE(fresh.ApplyUpdate(*exported).ok());
  EXPECT_EQ(fresh.GetText("t")->ToString(), "aXYbc");
}

TEST_F(DocumentLoaderTest, ACorruptUpdateNamesDocumentAndRowAndWritesNothing) {
  Editor e(1);
  e.Insert(0, "ok");
  Store("broken doc", e.updates);
  Store("broken doc", {{0xFF, 0xFF, 0xFF}});
  const StoredDocument before = *store_->Load("broken doc");
  auto loaded = LoadDocument(*store_, "broken doc");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(loaded.status().message(), HasSubstr("'broken doc'"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("update seq 2"));
  EXPECT_EQ(ExportDocument(*store_, "broken doc").status().code(), Status::Code::kCorruption);
  const StoredDocument after = *store_->Load("broken doc");
  EXPECT_EQ(after.updates, before.updates);
  EXPECT_EQ(after.last_seq, before.last_seq);
}

TEST_F(DocumentLoaderTest, ACorruptSnapshotIsReported) {
  ASSERT_TRUE(store_->Compact("d", std::vector<uint8_t>{0x01, 0x05}, 0).ok());
  auto loaded = LoadDocument(*store_, "d");
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(loaded.status().message(), HasSubstr("snapshot"));
}

TEST_F(DocumentLoaderTest, UpdatesWithMissingDependenciesAreReported) {
  Editor e(1);
  e.Insert(0, "a");
  e.Insert(1, "b");
  Store("d", {e.updates[1]});  // the second edit without the first
  auto loaded = LoadDocument(*store_, "d");
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(loaded.status().message(), HasSubstr("depend"));
}

TEST_F(DocumentLoaderTest, LoadForRoomLeavesASnapshotAloneForTheRoomToDecode) {
  Editor e(1);
  e.Insert(0, "compacted");
  ASSERT_TRUE(store_->Compact("d", e.State(), 0).ok());
  auto loaded = LoadForRoom(*store_, "d");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->doc, nullptr);
  EXPECT_EQ(loaded->snapshot, e.State());
  EXPECT_EQ(loaded->update_rows, 0u);
  auto doc = DecodeSnapshot("d", loaded->snapshot);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)->GetText("t")->ToString(), "compacted");

  // With an update after the snapshot, the document is built right away, as LoadDocument does.
  e.updates.clear();
  e.Insert(0, ">> ");
  Store("d", e.updates);
  loaded = LoadForRoom(*store_, "d");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_NE(loaded->doc, nullptr);
  EXPECT_EQ(loaded->doc->GetText("t")->ToString(), ">> compacted");
}

TEST_F(DocumentLoaderTest, LoadForRoomServesANewDocumentAsTheEmptyDocumentUnbuilt) {
  auto loaded = LoadForRoom(*store_, "new");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->doc, nullptr);
  // Exactly what Yjs and our crdt encode for an empty document, and its state vector.
  crdt::Doc empty;
  EXPECT_EQ(loaded->snapshot, empty.EncodeStateAsUpdate().value());
  EXPECT_EQ(loaded->snapshot_state_vector, empty.EncodeStateVector());
  EXPECT_EQ(loaded->stored_bytes, 0u);
  EXPECT_EQ(loaded->last_seq, 0);
  auto doc = DecodeSnapshot("new", loaded->snapshot);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ((*doc)->EncodeStateVector(), empty.EncodeStateVector());
  // LoadDocument still builds one.
  auto built = LoadDocument(*store_, "new");
  ASSERT_TRUE(built.ok());
  ASSERT_NE(built->doc, nullptr);
}

TEST_F(DocumentLoaderTest, LoadForRoomRefusesASnapshotThatDoesNotDecode) {
  const std::vector<uint8_t> garbage = {0x01, 0x05, 0xff, 0xff, 0xff};
  ASSERT_TRUE(store_->Compact("bad", garbage, 0).ok());
  auto loaded = LoadForRoom(*store_, "bad");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(loaded.status().message(), HasSubstr("stored document 'bad'"));
  EXPECT_THAT(loaded.status().message(), HasSubstr("snapshot"));
}

TEST_F(DocumentLoaderTest, DecodeSnapshotRefusesOneThatWaitsOnMissingStructs) {
  Editor e(1);
  e.Insert(0, "base");
  Editor other(2);
  ASSERT_TRUE(other.doc.ApplyUpdate(e.State()).ok());
  other.updates.clear();
  other.Insert(2, "XX");  // its origin is client 1's text, which the snapshot will lack
  auto doc = DecodeSnapshot("d", other.updates[0]);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), Status::Code::kCorruption);
  EXPECT_THAT(doc.status().message(), HasSubstr("lacks structs"));
}

}  // namespace
}  // namespace accord::server
