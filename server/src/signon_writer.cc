// Group commit of endorsements and withdrawals (signon_writer.h).
#include "signon_writer.h"

#include <vector>

namespace accord::server {

SignonWriter::SignonWriter(SignonStore& store) : store_(store), thread_([this] { Run(); }) {}

SignonWriter::~SignonWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  thread_.join();
}

SignonOutcome SignonWriter::Commit(SignonWrite write) {
  Pending pending{std::move(write), {}, false};
  std::unique_lock lock(mu_);
  if (stopping_) {
    SignonOutcome out;
    out.status = Status::Unavailable("the server is stopping");
    return out;
  }
  queue_.push_back(&pending);
  work_.notify_one();
  done_.wait(lock, [&] { return pending.done; });
  return std::move(pending.outcome);
}

uint64_t SignonWriter::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

size_t SignonWriter::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

void SignonWriter::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything queued is done
    std::vector<Pending*> batch(queue_.begin(), queue_.end());
    queue_.clear();
    lock.unlock();
    std::vector<SignonWrite> writes;
    writes.reserve(batch.size());
    for (Pending* p : batch) writes.push_back(std::move(p->write));
    std::vector<SignonOutcome> outcomes = store_.CommitBatch(writes);
    lock.lock();
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i]->outcome = std::move(outcomes[i]);
      batch[i]->done = true;
    }
    ++batches_;
    done_.notify_all();
  }
}

}  // namespace accord::server
