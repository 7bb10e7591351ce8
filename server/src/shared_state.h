// shared_state.h: what every session of one running server shares.
//
// Created once by the server and handed to each session by shared_ptr, as in Beast's
// chat-multi example. Its members are immutable after construction or internally synchronised,
// so any thread may use it.
#ifndef ACCORD_SERVER_SHARED_STATE_H_
#define ACCORD_SERVER_SHARED_STATE_H_

#include <atomic>
#include <cstddef>

#include "accord/server/limits.h"
#include "router.h"

namespace accord::server {

class SharedState {
 public:
  explicit SharedState(const Limits& limits) : limits_(limits) {}

  const Limits& limits() const { return limits_; }
  const Router& router() const { return router_; }

  // Connection accounting; TryAddConnection fails when the total limit is reached.
  bool TryAddConnection() {
    size_t n = connections_.fetch_add(1) + 1;
    if (n > limits_.max_connections) {
      connections_.fetch_sub(1);
      return false;
    }
    return true;
  }
  void RemoveConnection() { connections_.fetch_sub(1); }
  size_t connections() const { return connections_.load(); }

 private:
  const Limits limits_;
  const Router router_{};
  std::atomic<size_t> connections_{0};
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_SHARED_STATE_H_
