#include "room_registry.h"

#include "commit_queue.h"
#include "document_loader.h"
#include "log.h"
#include "room.h"

namespace accord::server {

RoomRegistry::RoomRegistry(boost::asio::io_context& ioc, const Limits& limits, Metrics& metrics,
                           DocumentStore& store, CommitQueue& commits)
    : ioc_(ioc), limits_(limits), metrics_(metrics), store_(store), commits_(commits) {}

RoomRegistry::~RoomRegistry() = default;

Result<std::shared_ptr<Room>> RoomRegistry::Acquire(const std::string& name) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (closed_) return Status::Unavailable("the server is shutting down");
    auto it = rooms_.find(name);
    if (it != rooms_.end()) {
      it->second->users().fetch_add(1);
      return it->second;
    }
    if (!loading_.contains(name)) break;
    loaded_.wait(lock);  // another session is loading this document
  }
  loading_.insert(name);
  lock.unlock();
  auto loaded = LoadForRoom(store_, name);
  // What a client with nothing receives in its first sync: the stored snapshot when no update
  // follows it; otherwise the state is encoded once here, and the same bytes become the new
  // snapshot (they are built from exactly the stored rows), so the next load reads one row.
  // A snapshot alone is built into a document by the room, when first needed.
  std::vector<uint8_t> full_state;
  if (loaded.ok() && loaded->doc) {
    if (loaded->update_rows == 0) {
      full_state = std::move(loaded->snapshot);
    } else if (auto state = loaded->doc->EncodeStateAsUpdate(); state.ok()) {
      full_state = std::move(*state);
      commits_.CompactLater(name, full_state, loaded->last_seq);
    }
  }
  lock.lock();
  loading_.erase(name);
  loaded_.notify_all();
  if (!loaded.ok()) {
    Log("error", "document cannot be loaded",
        {{"doc", name}, {"error", loaded.status().ToString()}});
    return loaded.status();
  }
  if (closed_) return Status::Unavailable("the server is shutting down");
  std::shared_ptr<Room> room;
  if (loaded->doc) {
    room = std::make_shared<Room>(ioc_, name, std::move(loaded->doc), loaded->stored_bytes, limits_,
                                  metrics_, commits_, *this, std::move(full_state));
  } else {
    room = std::make_shared<Room>(
        ioc_, name,
        UnbuiltDocument{std::move(loaded->snapshot), std::move(loaded->snapshot_state_vector)},
        loaded->stored_bytes, limits_, metrics_, commits_, *this);
  }
  room->SeedAuthors(loaded->authors);
  room->users().fetch_add(1);
  rooms_[name] = room;
  Log("info", "document loaded",
      {{"doc", name}, {"stored_bytes", std::to_string(loaded->stored_bytes)}});
  return room;
}

std::shared_ptr<Room> RoomRegistry::Find(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = rooms_.find(name);
  return it == rooms_.end() ? nullptr : it->second;
}

void RoomRegistry::Unload(const std::shared_ptr<Room>& room) {
  std::lock_guard lock(mu_);
  auto it = rooms_.find(room->name());
  if (it == rooms_.end() || it->second != room || room->users().load() > 0) return;
  rooms_.erase(it);
  Log("info", "document unloaded", {{"doc", room->name()}});
}

void RoomRegistry::CloseAll(CloseCode code, const std::string& reason) {
  std::map<std::string, std::shared_ptr<Room>> rooms;
  {
    std::lock_guard lock(mu_);
    closed_ = true;
    rooms = rooms_;
  }
  for (auto& [name, room] : rooms) room->CloseAll(code, reason);
}

void RoomRegistry::CloseMatching(const std::function<bool(const std::string&)>& match,
                                 std::function<bool(const PeerInfo&)> peer_match, CloseCode code,
                                 const std::string& reason) {
  std::vector<std::shared_ptr<Room>> rooms;
  {
    std::lock_guard lock(mu_);
    for (auto& [name, room] : rooms_) {
      if (match(name)) rooms.push_back(room);
    }
  }
  for (auto& room : rooms) room->CloseWhere(peer_match, code, reason);
}

void RoomRegistry::ReleaseAllAfterShutdown() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (auto& [name, room] : rooms_) room->DropPeersAfterShutdown();
  rooms_.clear();
}

size_t RoomRegistry::size() const {
  std::lock_guard lock(mu_);
  return rooms_.size();
}

}  // namespace accord::server
