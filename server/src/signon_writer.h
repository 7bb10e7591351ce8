// signon_writer.h: group commit for endorsements and withdrawals. HTTP handlers hand their
// write to Commit() and wait; one writer thread takes every write queued while the previous
// transaction ran and makes them durable together with SignonStore::CommitBatch (one
// transaction, one fsync), then wakes each handler with its own outcome. Under load the cost of
// the fsync is shared by the whole batch, which is what makes many durable endorsements per
// second possible on one disk.
//
// Thread-safe. Commit() blocks its caller (an API worker thread) until the batch holding its
// write has committed or failed; the destructor drains the queue and joins the thread.
#ifndef ACCORD_SERVER_SIGNON_WRITER_H_
#define ACCORD_SERVER_SIGNON_WRITER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "signon_store.h"

namespace accord::server {

class SignonWriter {
 public:
  explicit SignonWriter(SignonStore& store);
  ~SignonWriter();
  SignonWriter(const SignonWriter&) = delete;
  SignonWriter& operator=(const SignonWriter&) = delete;

  // Makes `write` durable (or refuses it) and returns its outcome; Unavailable once stopping.
  SignonOutcome Commit(SignonWrite write);
  // How many batches the thread has committed (for tests and metrics).
  uint64_t batches() const;
  // How many writes wait for the next batch (not counting the one being committed).
  size_t queued() const;

 private:
  struct Pending {
    SignonWrite write;
    SignonOutcome outcome;
    bool done = false;
  };
  void Run();

  SignonStore& store_;
  mutable std::mutex mu_;
  std::condition_variable work_;  // the writer waits for writes
  std::condition_variable done_;  // handlers wait for their outcome
  std::deque<Pending*> queue_;
  bool stopping_ = false;
  uint64_t batches_ = 0;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_SIGNON_WRITER_H_
