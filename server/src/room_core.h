// room_core.h: the y-websocket protocol for one document, without threads or sockets.
//
// A RoomCore holds the document (a crdt::Doc), its awareness states and its peers. It answers
// sync step 1 with step 2, applies client updates and relays what they changed, relays
// awareness to everyone (the sender included), hands each effective update to a Persister, and
// tells peers that asked for the "saved" extension what is durable once the Persister says so.
// Bad input closes the offending peer with the code proto/PROTOCOL.md names and changes
// nothing.
//
// Relaying is batched without a timer: an applied update asks the FlushScheduler for one Flush,
// and every update applied before that Flush runs goes out merged into one sync update, one
// shared buffer for all peers (a client that sent some of them gets the others only). On an idle
// server the Flush runs right after the update; under load, updates that queued up meanwhile
// share one message per peer instead of one each, which is what fan-out costs (a send per
// message per peer). Awareness relays are batched the same way (one message with the latest
// entry per changed client, after the batch's updates). Storage and "saved" stay per update;
// "saved" and closes flush what is pending first, so they never overtake it.
//
// A RoomCore can start from a stored snapshot alone (UnbuiltDocument), which it builds into a
// document only when something first needs one. Until then it greets peers with the snapshot's
// state vector, answers a step 1 with an empty state vector with the snapshot itself (a cold
// open costs a read, not a decode), ignores empty updates and relays awareness; anything else
// asks the DocumentBuilder for the document and waits for FinishBuild, in order: messages,
// server updates, RunWhenBuilt tasks. A build that fails closes everyone with 1011 and marks the
// room failed.
//
// Not thread-safe: Room calls it only on the document's strand. Tests drive it directly.
#ifndef ACCORD_SERVER_ROOM_CORE_H_
#define ACCORD_SERVER_ROOM_CORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/proto/awareness.h"
#include "accord/proto/messages.h"
#include "accord/server/limits.h"
#include "document_store.h"
#include "metrics.h"
#include "peer.h"

namespace accord::server {

// Where a room's updates go to become durable. Persist must not block; `done` is called once
// with the outcome, on the thread that drives the RoomCore (Room posts it to its strand).
class Persister {
 public:
  virtual ~Persister() = default;
  // `new_authors`: who wrote under the client ids whose first structs `update` brings.
  virtual void Persist(std::vector<uint8_t> update, std::vector<ClientAuthor> new_authors,
                       std::function<void(Status)> done) = 0;
};

// Where a RoomCore asks to have its pending relays sent: ScheduleFlush must arrange one call of
// RoomCore::Flush on the thread that drives the RoomCore, after the work already waiting there
// (Room posts it to its strand). Called at most once until that Flush runs.
class FlushScheduler {
 public:
  virtual ~FlushScheduler() = default;
  virtual void ScheduleFlush() = 0;
};

// Where a RoomCore made from an UnbuiltDocument asks for its document, once: BuildDocument must
// decode `snapshot` elsewhere and hand the outcome to RoomCore::FinishBuild on the thread that
// drives the RoomCore (Room decodes on the io_context and posts back to its strand).
class DocumentBuilder {
 public:
  virtual ~DocumentBuilder() = default;
  virtual void BuildDocument(std::shared_ptr<const std::vector<uint8_t>> snapshot) = 0;
};

// A document known by its stored snapshot (a v1 update holding all of it, checked to decode)
// and the snapshot's encoded state vector.
struct UnbuiltDocument {
  std::vector<uint8_t> snapshot;
  std::vector<uint8_t> state_vector;
};

class RoomCore {
 public:
  // `stored_bytes`: the size of what storage already holds for this document (snapshot plus
  // updates), the start of the document size accounting.
  // `full_state`, if not empty: a v1 update holding the whole of `doc` (e.g. the snapshot it
  // was loaded from), sent as is to clients that have nothing until the document changes.
  RoomCore(std::string name, std::unique_ptr<crdt::Doc> doc, const Limits& limits, Metrics& metrics,
           Persister& persister, FlushScheduler& flushes, size_t stored_bytes,
           std::vector<uint8_t> full_state = {});
  // A room whose document `builder` builds from `unbuilt.snapshot` when it is first needed.
  RoomCore(std::string name, UnbuiltDocument unbuilt, DocumentBuilder& builder,
           const Limits& limits, Metrics& metrics, Persister& persister, FlushScheduler& flushes,
           size_t stored_bytes);
  ~RoomCore();
  RoomCore(const RoomCore&) = delete;
  RoomCore& operator=(const RoomCore&) = delete;

  const std::string& name() const { return name_; }
  size_t peer_count() const { return peers_.size(); }
  // Updates handed to the Persister whose outcome is not known yet.
  size_t persists_in_flight() const { return in_flight_; }
  // Whether the room holds work that unloading it would lose: updates being stored, or
  // messages and tasks waiting for the document to be built.
  bool has_pending_work() const { return in_flight_ > 0 || !when_built_.empty(); }
  // Whether storing (or loading) failed: the room then refuses everyone until it is unloaded
  // and reloaded.
  bool failed() const { return persist_failed_ || load_failed_; }
  // Whether the document is built (always, except for a room made from an UnbuiltDocument
  // before FinishBuild).
  bool built() const { return doc_ != nullptr; }
  // Whether the document was asked of the DocumentBuilder.
  bool build_requested() const { return build_requested_; }
  // The document; only once built (RunWhenBuilt). Empty after a failed build.
  crdt::Doc& doc() { return *doc_; }

  // The document built from the snapshot (or why it could not be): replays what waited for it,
  // in order.
  void FinishBuild(Result<std::unique_ptr<crdt::Doc>> doc);
  // Runs `task` now, or once the document is built (after the messages that came first).
  void RunWhenBuilt(std::function<void()> task);

  // A new connection: sends it the server's sync step 1, the current awareness states and,
  // if it asked for the extension, what is saved.
  void Join(std::shared_ptr<Peer> peer);
  // One binary WebSocket message from `peer`.
  void Receive(const std::shared_ptr<Peer>& peer, std::span<const uint8_t> message);
  // The connection closed: its awareness states are removed and everyone is told.
  void Leave(uint64_t peer_id);
  // Closes every peer (server shutdown, or storage failed).
  void CloseAll(CloseCode code, const std::string& reason);
  // Closes the peers `match` selects (their rights changed); the others stay.
  void CloseWhere(const std::function<bool(const PeerInfo&)>& match, CloseCode code,
                  const std::string& reason);
  // Drops every peer without a word (teardown, once nothing can be sent any more).
  void ForgetPeers() { peers_.clear(); }
  // Applies an update the server itself makes (an amendment merged into the draft): relayed to
  // every peer, stored with `new_authors` recorded for client ids that have no author yet, and
  // `done` called once it is durable (or with why it is not: it does not apply, the document
  // would be too large, storing failed). Rights are the caller's business. An update that
  // brings nothing new is done at once.
  void ApplyServerUpdate(std::span<const uint8_t> update, std::vector<ClientAuthor> new_authors,
                         std::function<void(Status)> done);
  // The recorded authors of client ids (from storage, before any peer joins).
  void SeedAuthors(const std::vector<ClientAuthor>& authors);
  // Sends the updates applied since the last flush, merged into one message, then the
  // awareness changes merged into one. The FlushScheduler's callback.
  void Flush();
  // Updates applied but not relayed yet.
  size_t pending_relays() const { return pending_updates_.size(); }

 private:
  void OnPersisted(uint64_t ticket, Status status);
  // Takes `doc` as the room's document: observes its updates; its state counts as saved.
  void AttachDoc(std::unique_ptr<crdt::Doc> doc);
  // Before the document is built: answers what the snapshot can answer and keeps the rest for
  // FinishBuild (at most send_queue_bytes of it; a peer that sends more is closed with 1013).
  void ReceiveUnbuilt(const std::shared_ptr<Peer>& peer, std::span<const uint8_t> frame,
                      const proto::Message& message);
  void HandleAwareness(const std::shared_ptr<Peer>& peer, const proto::Message& message);
  // Keeps `task` for FinishBuild and asks for the document, once.
  void WaitForBuild(std::function<void()> task);
  // The encoded state vector of the document (or of the snapshot it is built from).
  std::vector<uint8_t> EncodedStateVector() const;
  void HandleSync(const std::shared_ptr<Peer>& peer, const proto::Message& message);
  void ApplyClientUpdate(const std::shared_ptr<Peer>& peer, std::span<const uint8_t> update);
  // Queues produced_ (the update just applied) for the next flush, to every peer but `sender`
  // (0: none), records the authors of client ids that have none, and hands it to the Persister;
  // `done` (may be empty) follows the outcome.
  void RelayAndPersist(uint64_t sender, std::vector<ClientAuthor> new_authors,
                       std::function<void(Status)> done);
  // The client ids whose new structs `update` brings, or an error naming one that belongs to
  // another user than `user`. OK with nothing for an update that does not parse (ApplyUpdate
  // then says why).
  Status CheckAuthorship(std::span<const uint8_t> update, int64_t user,
                         std::vector<ClientAuthor>* new_authors) const;
  void Broadcast(const std::shared_ptr<const std::string>& message, uint64_t except_peer);
  // Queues an awareness relay (an encoded awareness update) for the next flush, which sends
  // the batch's latest entry per client to everyone, after the batch's updates (a cursor must
  // not arrive before the text it points into).
  void QueueAwareness(std::vector<uint8_t> relay);
  void RelayAwareness(std::vector<std::vector<uint8_t>> relays);
  // Sends the pending updates, then the pending awareness (the flush the scheduler runs, or an
  // earlier one when something must follow them at once).
  void SendPending();
  // Sends `updates` (applied in this order, each from the peer at the same index of `senders`,
  // 0 for the server) merged into one sync update.
  void RelayMerged(const std::vector<uint64_t>& senders,
                   const std::vector<std::vector<uint8_t>>& updates);
  // Asks the FlushScheduler for a Flush unless one is already on its way.
  void RequestFlush();
  void Reject(const std::shared_ptr<Peer>& peer, CloseCode code, const std::string& reason,
              std::atomic<uint64_t>& counter);
  bool WouldExceedSizeLimit(size_t update_bytes);

  const std::string name_;
  std::unique_ptr<crdt::Doc> doc_;
  const Limits& limits_;
  Metrics& metrics_;
  Persister& persister_;
  FlushScheduler& flushes_;
  proto::AwarenessRegistry awareness_;
  std::map<uint64_t, std::shared_ptr<Peer>> peers_;

  // Upper bound of the document's encoded size (stored bytes plus accepted updates); recomputed
  // exactly when it reaches the limit, since merged edits take less room than their sum.
  size_t size_estimate_;
  // Sync step 2 for a client whose state vector is empty (the whole document), kept until the
  // document changes: new clients of an unchanged document cost no encoding.
  std::shared_ptr<const std::string> full_state_step2_;
  // Relays waiting for the flush: the effective updates in the order applied, the peer each
  // came from (0: the server) at the same index, and awareness relays.
  std::vector<uint64_t> pending_senders_;
  std::vector<std::vector<uint8_t>> pending_updates_;
  std::vector<std::vector<uint8_t>> pending_awareness_;
  size_t pending_bytes_ = 0;
  bool flush_scheduled_ = false;
  // The update produced by the transaction being applied (set by the observer).
  std::vector<uint8_t> produced_;
  uint64_t observer_id_ = 0;
  // client id -> the user who wrote under it. An update bringing structs of a client id that
  // belongs to another user is refused: nobody writes in someone else's name (authorship is
  // what the "who wrote what" view and amendments rely on).
  std::map<uint64_t, int64_t> authors_;

  // Durability: tickets are handed out in order; the saved state vector advances only over a
  // contiguous prefix of completed tickets, so "saved" never claims more than is stored.
  uint64_t next_ticket_ = 1;
  struct Ticket {
    std::vector<uint8_t> state_vector_after;  // encoded
    bool done = false;
  };
  std::map<uint64_t, Ticket> open_tickets_;
  std::vector<uint8_t> saved_state_vector_;  // encoded; what the last "saved" said
  size_t in_flight_ = 0;
  bool persist_failed_ = false;

  // Unbuilt (doc_ null): the snapshot and its state vector, the builder, and what waits.
  DocumentBuilder* builder_ = nullptr;
  std::shared_ptr<const std::vector<uint8_t>> unbuilt_snapshot_;
  std::vector<uint8_t> unbuilt_state_vector_;
  bool build_requested_ = false;
  std::vector<std::function<void()>> when_built_;
  size_t when_built_bytes_ = 0;
  bool load_failed_ = false;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_ROOM_CORE_H_
