#include "shared_state.h"

#include "room_registry.h"

namespace accord::server {

ConnectionSlot& ConnectionSlot::operator=(ConnectionSlot&& other) noexcept {
  if (this != &other) {
    Release();
    state_ = std::move(other.state_);
    ip_ = std::move(other.ip_);
  }
  return *this;
}

ConnectionSlot::~ConnectionSlot() { Release(); }

void ConnectionSlot::Release() {
  if (state_) {
    state_->ReleaseConnection(ip_);
    state_.reset();
  }
}

SharedState::SharedState(const Limits& limits, SharedStateParts parts)
    : limits_(limits),
      parts_(std::move(parts)),
      router_(RouterOptions{&metrics_,
                            [this] {
                              return Gauges{static_cast<uint64_t>(connections()),
                                            static_cast<uint64_t>(documents_loaded())};
                            },
                            parts_.static_files}) {}

SharedState::~SharedState() = default;

std::optional<ConnectionSlot> SharedState::TryAdmit(const std::string& ip) {
  {
    std::lock_guard lock(mu_);
    if (connections_ >= limits_.max_connections) return std::nullopt;
    size_t& n = per_ip_[ip];
    if (n >= limits_.max_connections_per_ip) {
      if (n == 0) per_ip_.erase(ip);
      return std::nullopt;
    }
    ++n;
    ++connections_;
  }
  return ConnectionSlot(shared_from_this(), ip);
}

void SharedState::ReleaseConnection(const std::string& ip) {
  std::lock_guard lock(mu_);
  --connections_;
  auto it = per_ip_.find(ip);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
}

size_t SharedState::connections() const {
  std::lock_guard lock(mu_);
  return connections_;
}

size_t SharedState::documents_loaded() const {
  RoomRegistry* rooms = rooms_.load();
  return rooms ? rooms->size() : 0;
}

}  // namespace accord::server
