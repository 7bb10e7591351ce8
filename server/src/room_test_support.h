// room_test_support.h: test doubles shared by the room and registry tests (test code only).
//
// GatedStore wraps a real DocumentStore so a test can hold loads or appends at a gate, count
// them, or make appends fail; TestPeer stands for a connection and records what the room sends
// it. Both may be used from any thread.
#ifndef ACCORD_SERVER_ROOM_TEST_SUPPORT_H_
#define ACCORD_SERVER_ROOM_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>
#include <filesystem>
#include <memory>
#include <optional>

#include "accord/crdt/doc.h"
#include "accord/proto/messages.h"
#include "commit_queue.h"
#include "document_store.h"
#include "peer.h"
#include "room.h"
#include "room_registry.h"

namespace accord::server::test_support {

// Generous: only reached when the behaviour under test is broken.
inline constexpr auto kWait = std::chrono::seconds(10);

class GatedStore : public DocumentStore {
 public:
  explicit GatedStore(DocumentStore& inner) : inner_(inner) {}

  Result<StoredDocument> Load(std::string_view name) override {
    std::unique_lock lock(mu_);
    ++loads_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return load_gate_open_; });
    lock.unlock();
    return inner_.Load(name);
  }
  Status AppendBatch(std::span<const PendingUpdate> batch) override {
    std::unique_lock lock(mu_);
    ++appends_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return append_gate_open_; });
    lock.unlock();
    if (fail_appends) return Status::IOError("disk on fire");
    return inner_.AppendBatch(batch);
  }
  Status Compact(std::string_view name, std::span<const uint8_t> snapshot,
                 int64_t up_to_seq) override {
    return inner_.Compact(name, snapshot, up_to_seq);
  }
  Result<std::vector<ClientAuthor>> Authors(std::string_view name) override {
    return inner_.Authors(name);
  }
  Result<DocumentInfo> Info(std::string_view name) override { return inner_.Info(name); }
  Result<std::vector<DocumentInfo>> List() override { return inner_.List(); }
  Status CheckIntegrity() override { return inner_.CheckIntegrity(); }

  void CloseGate() { SetGate(append_gate_open_, false); }  // holds appends
  void OpenGate() { SetGate(append_gate_open_, true); }
  void CloseLoadGate() { SetGate(load_gate_open_, false); }
  void OpenLoadGate() { SetGate(load_gate_open_, true); }
  // Wait until `n` appends / loads have started.
  bool WaitForAppends(int n) { return WaitCount(appends_, n); }
  bool WaitForLoads(int n) { return WaitCount(loads_, n); }
  int loads() {
    std::lock_guard lock(mu_);
    return loads_;
  }

  std::atomic<bool> fail_appends{false};

 private:
  void SetGate(bool& gate, bool open) {
    std::lock_guard lock(mu_);
    gate = open;
    cv_.notify_all();
  }
  bool WaitCount(const int& count, int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return count >= n; });
  }

  DocumentStore& inner_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool load_gate_open_ = true;
  bool append_gate_open_ = true;
  int loads_ = 0;
  int appends_ = 0;
};

class TestPeer : public Peer {
 public:
  explicit TestPeer(uint64_t id, bool wants_saved = false) {
    info_.id = id;
    info_.wants_saved = wants_saved;
  }
  const PeerInfo& info() const override { return info_; }
  void Send(std::shared_ptr<const std::string> message) override {
    auto m = proto::DecodeMessage(
        std::span(reinterpret_cast<const uint8_t*>(message->data()), message->size()));
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    std::lock_guard lock(mu_);
    if (m.ok()) messages_.push_back(std::move(*m));
    cv_.notify_all();
  }
  void Close(CloseCode code, std::string reason) override {
    std::lock_guard lock(mu_);
    closes_.push_back(code);
    cv_.notify_all();
  }

  // Waits until `n` messages have arrived; returns them all.
  std::vector<proto::Message> WaitMessages(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kWait, [&] { return messages_.size() >= n; });
    return messages_;
  }
  // The `index`-th message received, once it has arrived.
  std::optional<proto::Message> WaitMessage(size_t index) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kWait, [&] { return messages_.size() > index; })) return std::nullopt;
    return messages_[index];
  }
  std::vector<proto::Message> Messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  std::optional<CloseCode> WaitClose() {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kWait, [&] { return !closes_.empty(); })) return std::nullopt;
    return closes_.front();
  }

 private:
  PeerInfo info_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<proto::Message> messages_;
  std::vector<CloseCode> closes_;
};

// A v1 update inserting `text` into root text "t", made by client `client`.
inline std::vector<uint8_t> MakeUpdate(uint64_t client, const std::string& text) {
  crdt::Doc d;
  d.set_client_id(client);
  EXPECT_TRUE(d.GetText("t")->Insert(0, text).ok());
  return *d.EncodeStateAsUpdate();
}

// The root text "t" of a document holding `update`.
inline std::string TextOf(std::span<const uint8_t> update) {
  crdt::Doc d;
  EXPECT_TRUE(d.ApplyUpdate(update).ok());
  return d.GetText("t")->ToString();
}

// Polls `condition` every millisecond for up to kWait.
inline bool WaitUntil(const std::function<bool()>& condition) {
  auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// A fresh directory under the system's temp dir, named after the running test.
inline std::filesystem::path FreshTestDir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             (prefix + "-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  return dir;
}

// A real SQLite store behind a GatedStore, a commit queue, a registry and two event-loop threads.
class RoomFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir("accord-room-test");
    auto s = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    inner_ = std::move(*s);
    store_ = std::make_unique<GatedStore>(*inner_);
    limits_.commit_interval = std::chrono::milliseconds(1);
  }
  // Starts the commit thread, the registry and the event loop, after the test set its limits.
  void Start() {
    commits_ = std::make_unique<CommitQueue>(*store_, limits_, metrics_);
    commits_->Start();
    registry_ = std::make_unique<RoomRegistry>(ioc_, limits_, metrics_, *store_, *commits_);
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
  }
  void StopLoop() {
    work_.reset();
    ioc_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  void TearDown() override {
    store_->OpenGate();
    store_->OpenLoadGate();
    if (commits_) commits_->Stop();
    StopLoop();
    if (registry_) registry_->ReleaseAllAfterShutdown();
    registry_.reset();
    commits_.reset();
    store_.reset();
    inner_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::shared_ptr<Room> Acquire(const std::string& name) {
    auto r = registry_->Acquire(name);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : nullptr;
  }
  std::vector<std::vector<uint8_t>> StoredUpdates(std::string_view name) {
    auto d = inner_->Load(name);
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->updates : std::vector<std::vector<uint8_t>>{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<DocumentStore> inner_;
  std::unique_ptr<GatedStore> store_;
  Limits limits_;
  Metrics metrics_;
  boost::asio::io_context ioc_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
      ioc_.get_executor()};
  std::unique_ptr<CommitQueue> commits_;
  std::unique_ptr<RoomRegistry> registry_;
  std::vector<std::thread> threads_;
};

}  // namespace accord::server::test_support

#endif  // ACCORD_SERVER_ROOM_TEST_SUPPORT_H_
