// commit_queue.h: group commit. Rooms hand it updates; one thread makes them durable in
// batches and reports each one done.
//
// Append never blocks the caller: the update joins the open batch. The commit thread takes a
// batch when the previous transaction has finished and at most Limits::commit_interval after
// the batch's first update arrived, writes it with DocumentStore::AppendBatch (one SQLite
// transaction, one fsync), then calls every update's `done` with the outcome, in append order.
// After each batch it compacts documents whose stored updates have grown past the compaction
// thresholds (snapshot + updates merged into one v1 update, in one transaction).
//
// Backpressure: pending_bytes() is what waits for the disk; sessions stop reading from their
// sockets while it is above Limits::max_pending_commit_bytes (see overloaded()).
//
// Thread-safe. `done` runs on the commit thread and must not block: post the work elsewhere.
#ifndef ACCORD_SERVER_COMMIT_QUEUE_H_
#define ACCORD_SERVER_COMMIT_QUEUE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "accord/server/limits.h"
#include "accord/status.h"
#include "document_store.h"
#include "metrics.h"

namespace accord::server {

struct CompactionPolicy {
  // Compact a document when this many updates follow its snapshot...
  size_t max_updates = 1000;
  // ...or when they take more bytes than this plus the snapshot's own size.
  size_t min_update_bytes = 1024 * 1024;
};

class CommitQueue {
 public:
  CommitQueue(DocumentStore& store, const Limits& limits, Metrics& metrics,
              CompactionPolicy compaction = {});
  ~CommitQueue();  // Stop()s
  CommitQueue(const CommitQueue&) = delete;
  CommitQueue& operator=(const CommitQueue&) = delete;

  // Starts the commit thread.
  void Start();
  // Queues `update` (a v1 update) for document `name`. `done` is called exactly once: OK when
  // the update is durable, an error when it could not be stored (or the queue was stopped
  // before it was). Updates of one document are stored in the order appended.
  void Append(std::string name, std::vector<uint8_t> update, std::function<void(Status)> done);
  // The same with the authors of its new client ids (PendingUpdate::new_authors).
  void Append(PendingUpdate update, std::function<void(Status)> done);
  // Replaces what is stored for `name` up to update `up_to_seq` by `snapshot` (its full state,
  // built from exactly those rows), on the commit thread after the next batch. A room that has
  // just loaded a document from a snapshot plus updates hands its encoded state here, so that
  // the next load reads one snapshot. Best effort: a stale or failed compaction is logged and
  // the rows stay; one still queued when the queue stops is done before the thread exits.
  void CompactLater(std::string name, std::vector<uint8_t> snapshot, int64_t up_to_seq);
  // Blocks until everything appended before the call is durable (or failed).
  void Flush();
  // Flushes, then stops the thread; later Appends fail with Unavailable. Idempotent.
  void Stop();

  size_t pending_bytes() const;
  bool overloaded() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_COMMIT_QUEUE_H_
