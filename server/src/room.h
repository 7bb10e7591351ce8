// room.h: one loaded document and its connections, serialised on the document's strand.
//
// Room puts a RoomCore (the protocol logic) on an Asio strand: sessions call Join, Receive and
// Leave from their own strands, and the work runs here one message at a time, in order.
// Updates go to the CommitQueue; its completions come back onto the strand. Relays are flushed
// by a handler posted to the strand (RoomCore batches what was applied before it runs). When
// nobody is connected and nothing waits to be stored, the room asks the registry to unload it after
// Limits::room_idle_unload (at once if storing failed, so that the next join reloads it from
// what is really stored).
//
// Lifetime: shared by the RoomRegistry and the sessions that joined it. Entry points are
// thread-safe.
#ifndef ACCORD_SERVER_ROOM_H_
#define ACCORD_SERVER_ROOM_H_

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "beast_pch.h"
#include "peer.h"
#include "room_core.h"

namespace accord::server {

class CommitQueue;
class RoomRegistry;

class Room : public std::enable_shared_from_this<Room>,
             private Persister,
             private FlushScheduler,
             private DocumentBuilder {
 public:
  Room(boost::asio::io_context& ioc, std::string name, std::unique_ptr<crdt::Doc> doc,
       size_t stored_bytes, const Limits& limits, Metrics& metrics, CommitQueue& commits,
       RoomRegistry& registry, std::vector<uint8_t> full_state = {});
  // A room of a document stored as a snapshot alone: RoomCore builds the document when first
  // needed, decoded on the io_context off the strand (BuildDocument).
  Room(boost::asio::io_context& ioc, std::string name, UnbuiltDocument unbuilt, size_t stored_bytes,
       const Limits& limits, Metrics& metrics, CommitQueue& commits, RoomRegistry& registry);
  ~Room() override;

  const std::string& name() const { return name_; }

  void Join(std::shared_ptr<Peer> peer);
  void Receive(std::shared_ptr<Peer> peer, std::string message);
  void Leave(uint64_t peer_id);
  void CloseAll(CloseCode code, std::string reason);
  // RoomCore::ApplyServerUpdate on the strand; `done` runs there too.
  void ApplyServerUpdate(std::vector<uint8_t> update, std::vector<ClientAuthor> new_authors,
                         std::function<void(Status)> done);
  // Runs `task` on the room's strand, in order with the protocol messages (e.g. to read the
  // document's current state), once the document is built; `task` checks RoomCore::failed().
  void Run(std::function<void(RoomCore&)> task);
  // Closes the connections `match` selects; the room stays open.
  void CloseWhere(std::function<bool(const PeerInfo&)> match, CloseCode code, std::string reason);
  // Forgets every peer without telling them, breaking the room <-> session references. Only
  // once no thread runs the io_context any more (server teardown).
  void DropPeersAfterShutdown() { core_.ForgetPeers(); }
  // Before the room is shared (the registry, right after loading).
  void SeedAuthors(const std::vector<ClientAuthor>& authors) { core_.SeedAuthors(authors); }

  // Connections that acquired the room and have not left. Incremented under the registry's
  // lock, so an unload (also under it) never races a join.
  std::atomic<size_t>& users() { return users_; }

 private:
  void Persist(std::vector<uint8_t> update, std::vector<ClientAuthor> new_authors,
               std::function<void(Status)> done) override;
  // Posts RoomCore::Flush to the strand: it runs after the messages already queued there, so
  // updates that arrived together are relayed together, with no timer in between.
  void ScheduleFlush() override;
  // Decodes `snapshot` on the io_context, off the strand (which goes on answering what the
  // snapshot can answer), then hands the document to RoomCore::FinishBuild on the strand.
  void BuildDocument(std::shared_ptr<const std::vector<uint8_t>> snapshot) override;
  void ScheduleUnload();

  const std::string name_;
  const Limits& limits_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::steady_timer idle_timer_;
  CommitQueue& commits_;
  RoomRegistry& registry_;
  RoomCore core_;
  std::atomic<size_t> users_{0};
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_ROOM_H_
