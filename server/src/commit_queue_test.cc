#include "commit_queue.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "database.h"
#include "document_loader.h"

namespace accord::server {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<uint8_t> Bytes(std::string_view s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// Wraps the real store to count transactions, hold them at a gate, or make them fail.
class TestStore : public DocumentStore {
 public:
  explicit TestStore(DocumentStore& inner) : inner_(inner) {}

  Result<StoredDocument> Load(std::string_view name) override {
    auto r = inner_.Load(name);
    if (after_load) after_load();
    return r;
  }
  Status AppendBatch(std::span<const PendingUpdate> batch) override {
    std::unique_lock lock(mu_);
    batch_sizes_.push_back(batch.size());
    entered_cv_.notify_all();
    gate_cv_.wait(lock, [&] { return gate_open_; });
    if (fail) return Status::IOError("disk on fire");
    lock.unlock();
    return inner_.AppendBatch(batch);
  }
  Status Compact(std::string_view name, std::span<const uint8_t> snapshot,
                 int64_t up_to_seq) override {
    compactions++;
    return inner_.Compact(name, snapshot, up_to_seq);
  }
  Result<std::vector<ClientAuthor>> Authors(std::string_view name) override {
    return inner_.Authors(name);
  }
  Result<DocumentInfo> Info(std::string_view name) override { return inner_.Info(name); }
  Result<std::vector<DocumentInfo>> List() override { return inner_.List(); }
  Status CheckIntegrity() override { return inner_.CheckIntegrity(); }

  void CloseGate() {
    std::lock_guard lock(mu_);
    gate_open_ = false;
  }
  void OpenGate() {
    std::lock_guard lock(mu_);
    gate_open_ = true;
    gate_cv_.notify_all();
  }
  // Waits until `n` transactions have started.
  void WaitForBatches(size_t n) {
    std::unique_lock lock(mu_);
    entered_cv_.wait(lock, [&] { return batch_sizes_.size() >= n; });
  }
  std::vector<size_t> batch_sizes() {
    std::lock_guard lock(mu_);
    return batch_sizes_;
  }

  std::atomic<bool> fail{false};
  std::atomic<int> compactions{0};
  std::function<void()> after_load;

 private:
  DocumentStore& inner_;
  std::mutex mu_;
  std::condition_variable gate_cv_, entered_cv_;
  bool gate_open_ = true;
  std::vector<size_t> batch_sizes_;
};

// Collects the outcomes of `done` callbacks (called on the commit thread).
struct Outcomes {
  std::function<void(Status)> Callback(int id) {
    return [this, id](Status s) {
      std::lock_guard lock(mu);
      order.push_back(id);
      statuses.push_back(s);
    };
  }
  std::mutex mu;
  std::vector<int> order;
  std::vector<Status> statuses;
};

// A text document edited locally, recording its v1 updates.
struct Editor {
  Editor() : doc(crdt::DocOptions{.client_id = 7, .gc = true, .guid = {}}) {
    doc.OnUpdate([this](std::span<const uint8_t> u, const void*) {
      updates.emplace_back(u.begin(), u.end());
    });
  }
  crdt::Doc doc;
  std::vector<std::vector<uint8_t>> updates;
};

class CommitQueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-commit-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto s = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    inner_ = std::move(*s);
    store_ = std::make_unique<TestStore>(*inner_);
  }
  void TearDown() override {
    store_.reset();
    inner_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::vector<std::vector<uint8_t>> Rows(std::string_view name) {
    auto d = inner_->Load(name);
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->updates : std::vector<std::vector<uint8_t>>{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<DocumentStore> inner_;
  std::unique_ptr<TestStore> store_;
  Limits limits_;
  Metrics metrics_;
};

TEST_F(CommitQueueTest, StoresEverythingInOrderAndReportsInOrder) {
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Outcomes out;
  constexpr int kN = 200;
  for (int i = 0; i < kN; ++i) {
    q.Append("doc" + std::to_string(i % 3), Bytes(std::to_string(i)), out.Callback(i));
  }
  q.Flush();
  std::lock_guard lock(out.mu);
  ASSERT_EQ(out.order.size(), size_t{kN});
  for (int i = 0; i < kN; ++i) {
    EXPECT_EQ(out.order[i], i);
    EXPECT_TRUE(out.statuses[i].ok());
  }
  for (int d = 0; d < 3; ++d) {
    std::vector<std::vector<uint8_t>> expected;
    for (int i = d; i < kN; i += 3) expected.push_back(Bytes(std::to_string(i)));
    EXPECT_EQ(Rows("doc" + std::to_string(d)), expected);
  }
  EXPECT_EQ(metrics_.updates_stored.load(), uint64_t{kN});
  std::string rendered;
  metrics_.commit_latency.Render(rendered, "lat", "help");
  EXPECT_THAT(rendered, HasSubstr("lat_count 200\n"));
  EXPECT_EQ(q.pending_bytes(), 0u);
}

TEST_F(CommitQueueTest, UpdatesArrivingDuringACommitShareTheNextTransaction) {
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Outcomes out;
  store_->CloseGate();
  q.Append("d", Bytes("first"), out.Callback(0));
  store_->WaitForBatches(1);  // the first transaction is under way (held at the gate)
  for (int i = 1; i < 100; ++i) q.Append("d", Bytes("u"), out.Callback(i));
  store_->OpenGate();
  q.Flush();
  EXPECT_THAT(store_->batch_sizes(), ElementsAre(1u, 99u));
  EXPECT_EQ(Rows("d").size(), 100u);
  EXPECT_EQ(out.order.size(), 100u);
}

TEST_F(CommitQueueTest, GathersAppendsWithinTheCommitInterval) {
  limits_.commit_interval = std::chrono::milliseconds(200);
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  for (int i = 0; i < 100; ++i) q.Append("d", Bytes("x"), nullptr);
  q.Flush();
  // Appending 100 small updates takes far less than the interval: one transaction (two if the
  // machine stalled for 200 ms in between).
  EXPECT_LE(store_->batch_sizes().size(), 2u);
  EXPECT_EQ(Rows("d").size(), 100u);
}

TEST_F(CommitQueueTest, FlushDoesNotWaitForTheInterval) {
  limits_.commit_interval = std::chrono::seconds(30);
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Outcomes out;
  q.Append("d", Bytes("x"), out.Callback(0));
  const auto start = std::chrono::steady_clock::now();
  q.Flush();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(out.order.size(), 1u);
  EXPECT_EQ(Rows("d").size(), 1u);
  q.Flush();  // nothing pending: returns at once
}

TEST_F(CommitQueueTest, AFailedTransactionFailsEveryUpdateInIt) {
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Outcomes out;
  store_->fail = true;
  for (int i = 0; i < 10; ++i) q.Append("d" + std::to_string(i % 2), Bytes("x"), out.Callback(i));
  q.Flush();
  {
    std::lock_guard lock(out.mu);
    ASSERT_EQ(out.statuses.size(), 10u);
    for (const Status& s : out.statuses) {
      EXPECT_EQ(s.code(), Status::Code::kIOError);
      EXPECT_THAT(s.message(), HasSubstr("disk on fire"));
    }
  }
  EXPECT_TRUE(Rows("d0").empty());
  EXPECT_EQ(metrics_.updates_stored.load(), 0u);
  EXPECT_EQ(q.pending_bytes(), 0u);
  // The queue carries on once the store recovers.
  store_->fail = false;
  q.Append("d0", Bytes("y"), out.Callback(10));
  q.Flush();
  EXPECT_TRUE(out.statuses.back().ok());
  EXPECT_THAT(Rows("d0"), ElementsAre(Bytes("y")));
}

TEST_F(CommitQueueTest, AnUpdateTheDatabaseRefusesLeavesNoneOfItsBatchStored) {
  ASSERT_TRUE((*Database::Open(dir_.string()))
                  ->Exec("CREATE TRIGGER refuse BEFORE INSERT ON document_updates"
                         " WHEN NEW.data = X'BAD0' BEGIN SELECT RAISE(ABORT, 'refused'); END;")
                  .ok());
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Outcomes out;
  store_->CloseGate();
  q.Append("a", Bytes("before"), out.Callback(0));
  store_->WaitForBatches(1);
  q.Append("a", Bytes("good"), out.Callback(1));
  q.Append("b", Bytes("good"), out.Callback(2));
  q.Append("a", {0xBA, 0xD0}, out.Callback(3));
  q.Append("b", Bytes("after"), out.Callback(4));
  store_->OpenGate();
  q.Flush();
  ASSERT_THAT(store_->batch_sizes(), ElementsAre(1u, 4u));
  std::lock_guard lock(out.mu);
  EXPECT_THAT(out.order, ElementsAre(0, 1, 2, 3, 4));
  EXPECT_TRUE(out.statuses[0].ok());
  for (int i = 1; i < 5; ++i) EXPECT_FALSE(out.statuses[i].ok()) << i;
  EXPECT_THAT(Rows("a"), ElementsAre(Bytes("before")));
  EXPECT_TRUE(Rows("b").empty());
}

TEST_F(CommitQueueTest, StopFlushesThenRefusesAppends) {
  limits_.commit_interval = std::chrono::seconds(30);
  Outcomes out;
  {
    CommitQueue q(*store_, limits_, metrics_);
    q.Start();
    for (int i = 0; i < 5; ++i) q.Append("d", Bytes("x"), out.Callback(i));
    q.Stop();
    EXPECT_EQ(out.order.size(), 5u);
    for (const Status& s : out.statuses) EXPECT_TRUE(s.ok());
    q.Append("d", Bytes("late"), out.Callback(5));  // refused at once, on this thread
    ASSERT_EQ(out.statuses.size(), 6u);
    EXPECT_EQ(out.statuses[5].code(), Status::Code::kFailedPrecondition);
    q.Stop();  // idempotent
    q.Flush();
  }
  EXPECT_EQ(Rows("d").size(), 5u);
}

TEST_F(CommitQueueTest, WithoutAThreadFlushAndDestructionCommitInline) {
  Outcomes out;
  {
    CommitQueue q(*store_, limits_, metrics_);
    q.Append("d", Bytes("1"), out.Callback(0));
    q.Flush();
    EXPECT_EQ(out.order.size(), 1u);
    q.Append("d", Bytes("2"), out.Callback(1));
  }  // destroyed without Start: Stop commits what is queued
  EXPECT_THAT(out.order, ElementsAre(0, 1));
  EXPECT_THAT(Rows("d"), ElementsAre(Bytes("1"), Bytes("2")));
}

TEST_F(CommitQueueTest, FlushAndStopFromADoneCallbackDoNotDeadlock) {
  limits_.commit_interval = std::chrono::seconds(30);  // both appends join one batch
  Outcomes out;
  {
    CommitQueue q(*store_, limits_, metrics_);
    q.Start();
    q.Append("d", Bytes("1"), [&](Status s) {
      q.Flush();  // returns at once on the commit thread
      q.Stop();
      out.Callback(0)(s);
    });
    q.Append("d", Bytes("2"), out.Callback(1));
    q.Flush();
    q.Append("d", Bytes("3"), out.Callback(2));  // refused: stopped
  }
  std::lock_guard lock(out.mu);
  ASSERT_THAT(out.order, ElementsAre(0, 1, 2));
  EXPECT_TRUE(out.statuses[0].ok());
  EXPECT_TRUE(out.statuses[1].ok());
  EXPECT_EQ(out.statuses[2].code(), Status::Code::kFailedPrecondition);
  EXPECT_THAT(Rows("d"), ElementsAre(Bytes("1"), Bytes("2")));
}

TEST_F(CommitQueueTest, PendingBytesDriveBackpressure) {
  limits_.max_pending_commit_bytes = 1000;
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  store_->CloseGate();
  q.Append("d", std::vector<uint8_t>(600, 1), nullptr);
  store_->WaitForBatches(1);
  EXPECT_EQ(q.pending_bytes(), 600u);  // in the transaction, not yet durable
  EXPECT_FALSE(q.overloaded());
  q.Append("d", std::vector<uint8_t>(600, 2), nullptr);
  EXPECT_EQ(q.pending_bytes(), 1200u);
  EXPECT_TRUE(q.overloaded());
  store_->OpenGate();
  q.Flush();
  EXPECT_EQ(q.pending_bytes(), 0u);
  EXPECT_FALSE(q.overloaded());
}

TEST_F(CommitQueueTest, CompactionKeepsTheContentAndBoundsTheRows) {
  CommitQueue q(*store_, limits_, metrics_, CompactionPolicy{.max_updates = 10});
  q.Start();
  Editor e;
  auto text = *e.doc.GetText("t");
  for (int i = 0; i < 35; ++i) {
    ASSERT_TRUE(text.Insert(text.Length(), "w" + std::to_string(i) + " ").ok());
    if (i % 7 == 3) {
      ASSERT_TRUE(text.Delete(0, 2).ok());
    }
    while (!e.updates.empty()) {
      q.Append("d", std::move(e.updates.front()), nullptr);
      e.updates.erase(e.updates.begin());
      q.Flush();  // one update per batch, so the threshold is met exactly
    }
  }
  q.Stop();
  EXPECT_GE(store_->compactions.load(), 3);
  auto info = inner_->Info("d");
  ASSERT_TRUE(info.ok());
  EXPECT_GT(info->snapshot_bytes, 0u);
  EXPECT_LT(info->update_count, 10u);
  auto loaded = LoadDocument(*inner_, "d");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->doc->GetText("t")->ToString(), text.ToString());
  EXPECT_EQ(*loaded->doc->EncodeStateAsUpdate(), *e.doc.EncodeStateAsUpdate());
  EXPECT_EQ(inner_->Load("d")->last_seq, 35 + 5);  // sequence numbers were not reused
  EXPECT_TRUE(inner_->CheckIntegrity().ok());
}

TEST_F(CommitQueueTest, CompactionByBytesAndUpdatesStoredMeanwhileSurvive) {
  CommitQueue q(*store_, limits_, metrics_,
                CompactionPolicy{.max_updates = 1000, .min_update_bytes = 200});
  q.Start();
  Editor e;
  auto text = *e.doc.GetText("t");
  ASSERT_TRUE(text.Insert(0, "start ").ok());
  // An update that reaches the store between compaction's read and its write (as if stored by
  // another writer) must outlive the compaction.
  Editor other;
  ASSERT_TRUE(other.doc.ApplyUpdate(e.updates[0]).ok());
  other.doc.set_client_id(8);
  ASSERT_TRUE(other.doc.GetText("t")->Insert(0, "[late]").ok());
  const std::vector<uint8_t> late = other.updates.back();
  bool injected = false;
  store_->after_load = [&] {
    if (injected) return;
    injected = true;
    std::vector<PendingUpdate> batch{{"d", late}};
    ASSERT_TRUE(inner_->AppendBatch(batch).ok());
  };
  ASSERT_TRUE(text.Insert(text.Length(), std::string(300, 'z')).ok());
  for (auto& u : e.updates) q.Append("d", u, nullptr);
  q.Flush();
  q.Stop();
  EXPECT_EQ(store_->compactions.load(), 1);
  ASSERT_TRUE(injected);
  StoredDocument stored = *inner_->Load("d");
  EXPECT_THAT(stored.updates, ElementsAre(late));
  ASSERT_TRUE(e.doc.ApplyUpdate(late).ok());
  auto loaded = LoadDocument(*inner_, "d");
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->doc->GetText("t")->ToString(), text.ToString());
  EXPECT_THAT(text.ToString(), HasSubstr("[late]"));
}

TEST_F(CommitQueueTest, ACorruptDocumentIsNotCompacted) {
  CommitQueue q(*store_, limits_, metrics_, CompactionPolicy{.max_updates = 2});
  q.Start();
  q.Append("d", {0xFF, 0xFF}, nullptr);
  q.Append("d", {0xFF, 0xFE}, nullptr);
  q.Flush();
  q.Stop();
  EXPECT_EQ(store_->compactions.load(), 0);
  EXPECT_EQ(Rows("d").size(), 2u);  // the rows stay as they were, for the operator
}

TEST_F(CommitQueueTest, CompactLaterReplacesTheRowsItCoversAndKeepsLaterOnes) {
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Editor e;
  auto text = *e.doc.GetText("t");
  ASSERT_TRUE(text.Insert(0, "one ").ok());
  ASSERT_TRUE(text.Insert(4, "two ").ok());
  for (auto& u : e.updates) q.Append("d", std::move(u), nullptr);
  e.updates.clear();
  q.Flush();
  // A room loaded the two rows and hands back their encoded state; meanwhile a third arrives.
  auto loaded = LoadDocument(*inner_, "d");
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->update_rows, 2u);
  std::vector<uint8_t> state = *loaded->doc->EncodeStateAsUpdate();
  ASSERT_TRUE(text.Insert(8, "three").ok());
  q.Append("d", std::move(e.updates.front()), nullptr);
  q.CompactLater("d", state, loaded->last_seq);
  q.Stop();  // runs what is queued before the thread exits
  EXPECT_EQ(store_->compactions.load(), 1);
  auto stored = inner_->Load("d");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->snapshot, state);
  EXPECT_EQ(stored->updates.size(), 1u);  // the third update kept its row
  auto reloaded = LoadDocument(*inner_, "d");
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ(reloaded->doc->GetText("t")->ToString(), "one two three");
  EXPECT_TRUE(inner_->CheckIntegrity().ok());
}

TEST_F(CommitQueueTest, AStaleCompactLaterChangesNothing) {
  CommitQueue q(*store_, limits_, metrics_);
  q.Start();
  Editor e;
  auto text = *e.doc.GetText("t");
  ASSERT_TRUE(text.Insert(0, "a").ok());
  ASSERT_TRUE(text.Insert(1, "b").ok());
  for (auto& u : e.updates) q.Append("d", std::move(u), nullptr);
  q.Flush();
  auto full = LoadDocument(*inner_, "d");
  ASSERT_TRUE(full.ok());
  ASSERT_TRUE(inner_->Compact("d", *full->doc->EncodeStateAsUpdate(), 2).ok());
  q.CompactLater("d", Bytes("older state"), 1);  // built before that snapshot: refused
  q.Stop();
  auto reloaded = LoadDocument(*inner_, "d");
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(reloaded->doc->GetText("t")->ToString(), "ab");
}

}  // namespace
}  // namespace accord::server
