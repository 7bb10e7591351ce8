// shared_state.h: what every session of one running server shares.
//
// Created once by the server and handed to each session by shared_ptr, as in Beast's
// chat-multi example: limits, metrics, the HTTP router, the REST API service (which also
// authenticates WebSocket upgrades), the worker pool for blocking work, the commit queue and
// the loaded documents. Its members are immutable after construction or internally
// synchronised, so any thread may use it.
#ifndef ACCORD_SERVER_SHARED_STATE_H_
#define ACCORD_SERVER_SHARED_STATE_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "accord/server/limits.h"
#include "metrics.h"
#include "router.h"

namespace accord::server {

class CommitQueue;
class RoomRegistry;
class ApiService;
class SharedState;

// One admitted TCP connection, counted in total and per remote address until destroyed. Moves
// from the HTTP session to the WebSocket session that takes the connection over.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  ConnectionSlot(std::shared_ptr<SharedState> state, std::string ip)
      : state_(std::move(state)), ip_(std::move(ip)) {}
  ConnectionSlot(ConnectionSlot&&) noexcept = default;
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept;
  ~ConnectionSlot();
  const std::string& ip() const { return ip_; }

 private:
  void Release();
  std::shared_ptr<SharedState> state_;
  std::string ip_;
};

struct SharedStateParts {
  ApiService* api = nullptr;  // must outlive the SharedState
  // Runs a blocking task (SQLite, Argon2id) off the network threads; the task posts its
  // result back to the session's strand.
  std::function<void(std::function<void()>)> run_blocking;
  CommitQueue* commits = nullptr;                   // must outlive the SharedState
  std::shared_ptr<const StaticFiles> static_files;  // null: no web client
};

class SharedState : public std::enable_shared_from_this<SharedState> {
 public:
  SharedState(const Limits& limits, SharedStateParts parts);
  ~SharedState();

  const Limits& limits() const { return limits_; }
  const Router& router() const { return router_; }
  Metrics& metrics() { return metrics_; }
  ApiService& api() { return *parts_.api; }
  void RunBlocking(std::function<void()> task) { parts_.run_blocking(std::move(task)); }
  CommitQueue& commits() { return *parts_.commits; }
  // Set once by the server before it accepts connections.
  void set_rooms(RoomRegistry* rooms) { rooms_ = rooms; }
  void set_commits(CommitQueue* commits) { parts_.commits = commits; }
  RoomRegistry& rooms() { return *rooms_; }

  // Admits a connection from `ip` unless the total or per-address limit is reached.
  std::optional<ConnectionSlot> TryAdmit(const std::string& ip);
  size_t connections() const;
  size_t documents_loaded() const;

  // Set when the server begins to shut down: no new WebSocket is accepted.
  bool stopping() const { return stopping_.load(); }
  void set_stopping() { stopping_.store(true); }

  // A process-unique id for a peer.
  uint64_t NextPeerId() { return next_peer_id_.fetch_add(1) + 1; }

 private:
  friend class ConnectionSlot;
  void ReleaseConnection(const std::string& ip);

  const Limits limits_;
  Metrics metrics_;
  SharedStateParts parts_;
  const Router router_;
  std::atomic<RoomRegistry*> rooms_{nullptr};
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> next_peer_id_{0};
  mutable std::mutex mu_;
  size_t connections_ = 0;
  std::unordered_map<std::string, size_t> per_ip_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_SHARED_STATE_H_
