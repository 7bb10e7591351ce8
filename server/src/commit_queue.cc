#include "commit_queue.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

#include "document_loader.h"
#include "log.h"

namespace accord::server {
namespace {

using Clock = std::chrono::steady_clock;

// The compaction thresholds are checked against these per-document counts, kept across batches
// so that deciding costs no query; a document seen for the first time is read with Info().
struct DocStats {
  size_t snapshot_bytes = 0;
  size_t update_count = 0;
  size_t update_bytes = 0;
};

// Forget the counts of every document beyond this many (they are re-read when next touched),
// so that an instance with many documents does not keep one entry per document forever.
constexpr size_t kMaxTrackedDocuments = 4096;

}  // namespace

struct CommitQueue::Impl {
  enum class State { kIdle, kRunning, kStopped };

  struct Entry {
    PendingUpdate update;
    std::function<void(Status)> done;
    Clock::time_point appended;
  };

  struct CompactionJob {
    std::string name;
    std::vector<uint8_t> snapshot;
    int64_t up_to_seq = 0;
  };

  Impl(DocumentStore& s, const Limits& l, Metrics& m, CompactionPolicy c)
      : store(s), limits(l), metrics(m), compaction(c) {}

  void Run();
  // Whether the gathering batch should be committed before commit_interval has passed.
  bool CommitEarly() const {
    return stop_requested || flush_target > completed ||
           queued_bytes >= std::max<size_t>(1, limits.max_pending_commit_bytes / 2);
  }
  // Takes the whole queue and commits it. Called with commit_mu held.
  void CommitQueued();
  void Commit(std::deque<Entry> batch);
  // Runs the compactions handed to CompactLater. Called with commit_mu held.
  void RunQueuedCompactions();
  void MaybeCompact(const std::vector<PendingUpdate>& batch);
  Status CompactDocument(const std::string& name);

  DocumentStore& store;
  const Limits limits;
  Metrics& metrics;
  const CompactionPolicy compaction;

  // Lock order: commit_mu, then mu. commit_mu serialises commits (the thread, or the caller of
  // Flush/Stop when no thread runs), so batches reach the store in append order.
  std::mutex commit_mu;
  mutable std::mutex mu;
  std::condition_variable work_cv;        // the commit thread waits for work
  std::condition_variable done_cv;        // Flush waits for completions
  std::deque<Entry> queue;                // appended, not yet taken by a commit
  std::deque<CompactionJob> compactions;  // from CompactLater, not yet run
  size_t queued_bytes = 0;
  uint64_t appended = 0;      // entries ever queued
  uint64_t completed = 0;     // entries whose done has run
  uint64_t flush_target = 0;  // commit without waiting until `completed` reaches this
  State state = State::kIdle;
  bool stop_requested = false;
  std::thread thread;
  std::atomic<size_t> pending_bytes{0};

  // Only touched under commit_mu.
  std::unordered_map<std::string, DocStats> stats;
};

void CommitQueue::Impl::Run() {
  std::unique_lock lock(mu);
  for (;;) {
    work_cv.wait(lock, [&] { return stop_requested || !queue.empty() || !compactions.empty(); });
    if (queue.empty() && compactions.empty()) break;  // stop requested and nothing left
    if (!queue.empty()) {
      const Clock::time_point deadline = queue.front().appended + limits.commit_interval;
      work_cv.wait_until(lock, deadline, [&] { return CommitEarly(); });
    }
    lock.unlock();
    {
      std::lock_guard commit_lock(commit_mu);
      CommitQueued();
      RunQueuedCompactions();
    }
    lock.lock();
  }
}

void CommitQueue::Impl::CommitQueued() {
  std::deque<Entry> batch;
  {
    std::lock_guard lock(mu);
    batch.swap(queue);
    queued_bytes = 0;
  }
  if (!batch.empty()) Commit(std::move(batch));
}

void CommitQueue::Impl::Commit(std::deque<Entry> batch) {
  std::vector<PendingUpdate> updates;
  updates.reserve(batch.size());
  size_t bytes = 0;
  for (Entry& e : batch) {
    bytes += e.update.update.size();
    updates.push_back(std::move(e.update));
  }
  const Status status = store.AppendBatch(updates);
  const Clock::time_point now = Clock::now();
  if (status.ok()) {
    metrics.updates_stored.fetch_add(batch.size(), std::memory_order_relaxed);
    for (const Entry& e : batch) {
      metrics.commit_latency.Observe(
          std::chrono::duration_cast<std::chrono::microseconds>(now - e.appended));
    }
  } else {
    Log("error", "storing updates failed",
        {{"error", status.ToString()}, {"updates", std::to_string(batch.size())}});
  }
  pending_bytes.fetch_sub(bytes, std::memory_order_relaxed);
  for (Entry& e : batch) {
    if (e.done) e.done(status);
  }
  {
    std::lock_guard lock(mu);
    completed += batch.size();
  }
  done_cv.notify_all();
  if (status.ok()) MaybeCompact(updates);
}

void CommitQueue::Impl::MaybeCompact(const std::vector<PendingUpdate>& batch) {
  // What this batch added, per document.
  std::unordered_map<std::string_view, DocStats> added;
  for (const PendingUpdate& u : batch) {
    DocStats& a = added[u.name];
    a.update_count += 1;
    a.update_bytes += u.update.size();
  }
  if (stats.size() + added.size() > kMaxTrackedDocuments) stats.clear();
  for (const auto& [name_view, a] : added) {
    std::string name(name_view);
    auto it = stats.find(name);
    if (it == stats.end()) {
      // The first time this document is seen: its rows already include this batch.
      auto info = store.Info(name);
      if (!info.ok()) continue;
      it =
          stats
              .emplace(name, DocStats{info->snapshot_bytes, info->update_count, info->update_bytes})
              .first;
    } else {
      it->second.update_count += a.update_count;
      it->second.update_bytes += a.update_bytes;
    }
    const DocStats& s = it->second;
    if (s.update_count == 0) continue;
    if (s.update_count < compaction.max_updates &&
        s.update_bytes <= compaction.min_update_bytes + s.snapshot_bytes) {
      continue;
    }
    Status st = CompactDocument(name);
    if (st.ok()) {
      stats.erase(it);  // re-read on next touch
    } else {
      // Keep the rows (they are still the truth) and try again only after as many updates
      // again, rather than reloading the document after every batch.
      Log("warn", "compaction failed", {{"document", name}, {"error", st.ToString()}});
      it->second.update_count = 0;
      it->second.update_bytes = 0;
    }
  }
}

void CommitQueue::Impl::RunQueuedCompactions() {
  for (;;) {
    CompactionJob job;
    {
      std::lock_guard lock(mu);
      if (compactions.empty()) return;
      job = std::move(compactions.front());
      compactions.pop_front();
    }
    Status st = store.Compact(job.name, job.snapshot, job.up_to_seq);
    // Its counts are re-read when the document is next touched.
    stats.erase(job.name);
    if (!st.ok() && st.code() != Status::Code::kFailedPrecondition) {
      // A stale job (a newer snapshot is stored already) is expected and harmless.
      Log("warn", "compaction failed", {{"document", job.name}, {"error", st.ToString()}});
    }
  }
}

Status CommitQueue::Impl::CompactDocument(const std::string& name) {
  auto stored = store.Load(name);
  if (!stored.ok()) return stored.status();
  if (!stored->exists || stored->updates.empty()) return Status::Ok();
  auto loaded = BuildDocument(name, *stored);
  if (!loaded.ok()) return loaded.status();
  auto state = loaded->doc->EncodeStateAsUpdate();
  if (!state.ok()) return state.status();
  // Only the updates read above are replaced; any appended since keep their rows.
  return store.Compact(name, *state, stored->last_seq);
}

CommitQueue::CommitQueue(DocumentStore& store, const Limits& limits, Metrics& metrics,
                         CompactionPolicy compaction)
    : impl_(std::make_unique<Impl>(store, limits, metrics, compaction)) {}

CommitQueue::~CommitQueue() {
  Stop();
  // Stop() called from a `done` callback could not join its own thread; join it now.
  if (impl_->thread.joinable()) impl_->thread.join();
}

void CommitQueue::Start() {
  std::lock_guard lock(impl_->mu);
  if (impl_->state != Impl::State::kIdle) return;
  impl_->state = Impl::State::kRunning;
  impl_->thread = std::thread([impl = impl_.get()] { impl->Run(); });
}

void CommitQueue::Append(std::string name, std::vector<uint8_t> update,
                         std::function<void(Status)> done) {
  Append(PendingUpdate{std::move(name), std::move(update)}, std::move(done));
}

void CommitQueue::Append(PendingUpdate pending, std::function<void(Status)> done) {
  const size_t bytes = pending.update.size();
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->state != Impl::State::kStopped) {
      const bool wake = impl_->queue.empty() ||
                        impl_->queued_bytes + bytes >= impl_->limits.max_pending_commit_bytes / 2;
      impl_->queue.push_back(Impl::Entry{std::move(pending), std::move(done), Clock::now()});
      impl_->queued_bytes += bytes;
      impl_->appended += 1;
      impl_->pending_bytes.fetch_add(bytes, std::memory_order_relaxed);
      if (wake) impl_->work_cv.notify_one();
      return;
    }
  }
  if (done) done(Status::FailedPrecondition("the commit queue is stopped"));
}

void CommitQueue::CompactLater(std::string name, std::vector<uint8_t> snapshot, int64_t up_to_seq) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->state == Impl::State::kStopped) return;  // optional work: nothing is lost
    impl_->compactions.push_back(
        Impl::CompactionJob{std::move(name), std::move(snapshot), up_to_seq});
  }
  impl_->work_cv.notify_one();
}

void CommitQueue::Flush() {
  std::unique_lock lock(impl_->mu);
  // From a `done` callback the wait could never end: this thread is the one that would commit.
  if (std::this_thread::get_id() == impl_->thread.get_id()) return;
  if (impl_->state == Impl::State::kRunning) {
    const uint64_t target = impl_->appended;
    impl_->flush_target = std::max(impl_->flush_target, target);
    impl_->work_cv.notify_one();
    impl_->done_cv.wait(lock, [&] { return impl_->completed >= target; });
    return;
  }
  // No thread to wait for (not started, or stopping): commit on this thread.
  lock.unlock();
  std::lock_guard commit_lock(impl_->commit_mu);
  impl_->CommitQueued();
}

void CommitQueue::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->state == Impl::State::kStopped) return;
    impl_->state = Impl::State::kStopped;  // later Appends fail
    impl_->stop_requested = true;
    // From a `done` callback: the thread sees stop_requested, drains the queue and exits; the
    // destructor joins it.
    if (std::this_thread::get_id() == impl_->thread.get_id()) return;
    thread = std::move(impl_->thread);
  }
  impl_->work_cv.notify_all();
  if (thread.joinable()) {
    thread.join();  // the thread drains the queue before it exits
  } else {
    std::lock_guard commit_lock(impl_->commit_mu);
    impl_->CommitQueued();
  }
}

size_t CommitQueue::pending_bytes() const {
  return impl_->pending_bytes.load(std::memory_order_relaxed);
}

bool CommitQueue::overloaded() const {
  return pending_bytes() > impl_->limits.max_pending_commit_bytes;
}

}  // namespace accord::server
