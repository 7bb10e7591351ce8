// The group-commit writer against a recording SignonStore: every write gets its own outcome,
// writes queued while a batch commits go together into the next one, and a stopped writer
// drains what it holds.
#include "signon_writer.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace accord::server {
namespace {

// Records the batches it is given and can hold the first one until released, so that the test
// can queue writes behind it. Only CommitBatch is used by the writer.
class RecordingStore final : public SignonStore {
 public:
  Result<SigningKey> CreateKey(const SigningKey&) override { return Status::Internal("unused"); }
  Result<SigningKey> GetKey(auth::Id) override { return Status::Internal("unused"); }
  Result<std::vector<SigningKey>> ListKeys(const KeyFilter&) override {
    return Status::Internal("unused");
  }
  Result<SigningKey> ApproveKey(auth::Id, auth::Id, auth::UnixTime, std::string_view,
                                std::string_view) override {
    return Status::Internal("unused");
  }
  Result<SigningKey> RejectKey(auth::Id, auth::Id, auth::UnixTime, std::string_view) override {
    return Status::Internal("unused");
  }
  Result<SigningKey> RevokeKey(auth::Id, auth::UnixTime, std::string_view,
                               std::string_view) override {
    return Status::Internal("unused");
  }
  Result<FinalManifest> PublishManifest(const FinalManifest&, std::string_view) override {
    return Status::Internal("unused");
  }
  Result<FinalManifest> CurrentManifest(auth::Id) override { return Status::Internal("unused"); }
  Result<Endorsement> GetEndorsement(auth::Id, auth::Id) override {
    return Status::Internal("unused");
  }
  Result<std::vector<Endorsement>> ListEndorsements(auth::Id) override {
    return Status::Internal("unused");
  }
  Result<int64_t> CountRows() override { return Status::Internal("unused"); }

  std::vector<SignonOutcome> CommitBatch(std::span<const SignonWrite> writes) override {
    std::unique_lock lock(mu_);
    sizes_.push_back(writes.size());
    entered_.notify_all();
    released_cv_.wait(lock, [&] { return released_; });
    std::vector<SignonOutcome> out;
    for (const SignonWrite& w : writes) {
      SignonOutcome o;
      o.endorsement.id = w.endorsement.id;  // echo, so each caller sees its own
      if (w.endorsement.id < 0) {
        o.status = Status::FailedPrecondition("refused");
        o.refusal = SignonRefusal::kReplayed;
      }
      out.push_back(o);
    }
    return out;
  }

  void WaitForBatches(size_t n) {
    std::unique_lock lock(mu_);
    entered_.wait(lock, [&] { return sizes_.size() >= n; });
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    released_cv_.notify_all();
  }
  std::vector<size_t> sizes() {
    std::lock_guard lock(mu_);
    return sizes_;
  }

 private:
  std::mutex mu_;
  std::condition_variable entered_, released_cv_;
  bool released_ = false;
  std::vector<size_t> sizes_;
};

SignonWrite Write(auth::Id id) {
  SignonWrite w;
  w.endorsement.id = id;
  return w;
}

TEST(SignonWriterTest, QueuedWritesShareTheNextBatchAndGetTheirOwnOutcome) {
  RecordingStore store;
  std::vector<SignonOutcome> outcomes(5);
  {
    SignonWriter writer(store);
    std::thread first([&] { outcomes[0] = writer.Commit(Write(1)); });
    store.WaitForBatches(1);  // the first batch is being committed (held)
    std::vector<std::thread> more;
    for (int i = 1; i < 5; ++i) {
      more.emplace_back([&, i] { outcomes[i] = writer.Commit(Write(i % 2 ? -(i + 1) : i + 1)); });
    }
    // Every Commit enqueues before it waits: once four are queued behind the held batch, the
    // writer must take them together.
    while (writer.queued() < 4) std::this_thread::yield();
    store.Release();
    first.join();
    for (auto& t : more) t.join();
    EXPECT_EQ(writer.batches(), 2u);
  }
  EXPECT_EQ(store.sizes(), (std::vector<size_t>{1, 4}));
  EXPECT_TRUE(outcomes[0].status.ok());
  EXPECT_EQ(outcomes[0].endorsement.id, 1);
  for (int i = 1; i < 5; ++i) {
    if (i % 2) {
      EXPECT_EQ(outcomes[i].refusal, SignonRefusal::kReplayed) << i;
    } else {
      EXPECT_TRUE(outcomes[i].status.ok()) << i;
      EXPECT_EQ(outcomes[i].endorsement.id, i + 1);
    }
  }
  size_t total = 0;
  for (size_t n : store.sizes()) total += n;
  EXPECT_EQ(total, 5u);
}

TEST(SignonWriterTest, DestructionJoinsAndANewWriterWorks) {
  RecordingStore store;
  store.Release();
  auto writer = std::make_unique<SignonWriter>(store);
  EXPECT_TRUE(writer->Commit(Write(1)).status.ok());
  writer.reset();  // joins; a new writer on the same store still works
  SignonWriter again(store);
  EXPECT_TRUE(again.Commit(Write(2)).status.ok());
  EXPECT_EQ(store.sizes().size(), 2u);
}

}  // namespace
}  // namespace accord::server
