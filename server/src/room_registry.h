// room_registry.h: the documents loaded in memory, by name.
//
// Acquire loads a document on first use (snapshot + later updates, document_loader.h) and
// returns its Room, counting the caller as a user. A document stored as a snapshot alone is
// only checked to decode; its room builds it in the background and meanwhile sends new clients
// the snapshot (Room::DecodeInBackground); Room::Leave uncounts it. An idle room asks
// to be unloaded, which happens only if nobody acquired it meanwhile. A document that fails to
// load is refused with the error, and nothing is written.
//
// Thread-safe: one mutex guards the map. A load runs outside it, behind a per-name latch, so
// that a large document loading does not hold up joins to other documents.
#ifndef ACCORD_SERVER_ROOM_REGISTRY_H_
#define ACCORD_SERVER_ROOM_REGISTRY_H_

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "accord/server/limits.h"
#include "accord/status.h"
#include "beast_pch.h"
#include "metrics.h"
#include "peer.h"

namespace accord::server {

class CommitQueue;
class DocumentStore;
class Room;

class RoomRegistry {
 public:
  RoomRegistry(boost::asio::io_context& ioc, const Limits& limits, Metrics& metrics,
               DocumentStore& store, CommitQueue& commits);
  ~RoomRegistry();

  // The room of document `name`, loaded if needed; the caller counts as a user until it calls
  // Room::Leave. Unavailable while shutting down; the loader's error if the document cannot be
  // loaded.
  Result<std::shared_ptr<Room>> Acquire(const std::string& name);
  // The room of `name` if it is loaded, else null; loads nothing and counts nobody.
  std::shared_ptr<Room> Find(const std::string& name) const;
  // Drops `room` if nobody uses it (called by the room when idle).
  void Unload(const std::shared_ptr<Room>& room);
  // Closes every connection of every room and refuses new ones (shutdown).
  void CloseAll(CloseCode code, const std::string& reason);
  // Closes every connection of the loaded documents `match` selects, leaving the rooms open for
  // reconnection (rights changed: clients reconnect and are authorized afresh).
  // Only the connections `peer_match` selects are closed.
  void CloseMatching(const std::function<bool(const std::string&)>& match,
                     std::function<bool(const PeerInfo&)> peer_match, CloseCode code,
                     const std::string& reason);
  size_t size() const;
  // Drops every room (and the rooms' references to their sessions). Only once no thread runs
  // the io_context any more (server teardown).
  void ReleaseAllAfterShutdown();

 private:
  boost::asio::io_context& ioc_;
  const Limits& limits_;
  Metrics& metrics_;
  DocumentStore& store_;
  CommitQueue& commits_;
  mutable std::mutex mu_;
  std::condition_variable loaded_;
  std::map<std::string, std::shared_ptr<Room>> rooms_;
  std::set<std::string> loading_;
  bool closed_ = false;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_ROOM_REGISTRY_H_
