#include "room_core.h"

#include "accord/crdt/snapshot.h"
#include "accord/crdt/updates.h"

#include <algorithm>
#include <ctime>

#include "accord/proto/messages.h"
#include "log.h"

namespace accord::server {
namespace {

std::shared_ptr<const std::string> Shared(const std::vector<uint8_t>& bytes) {
  return std::make_shared<const std::string>(bytes.begin(), bytes.end());
}

// A message with a byte-array payload, encoded once into the buffer every peer shares (no
// intermediate copy: the payload may be a whole document).
std::shared_ptr<const std::string> SharedMessage(proto::Message::Kind kind,
                                                 std::span<const uint8_t> payload) {
  return std::make_shared<const std::string>(proto::EncodeToString(kind, payload));
}

// An update that carries nothing (no structs, empty delete set): what Yjs sends as step 2 when
// it has nothing the other side lacks.
bool IsEmptyUpdate(std::span<const uint8_t> update) {
  return update.size() == 2 && update[0] == 0 && update[1] == 0;
}

// A step 1 whose state vector is empty (one varint 0): a new client, which needs the whole
// document.
bool WantsAll(const proto::Message& m) {
  return m.kind == proto::Message::Kind::kSyncStep1 && m.payload.size() == 1 && m.payload[0] == 0;
}

// Past this many bytes of pending updates the batch goes out at once rather than at the flush.
constexpr size_t kMaxPendingBytes = 64 * 1024;

}  // namespace

RoomCore::RoomCore(std::string name, std::unique_ptr<crdt::Doc> doc, const Limits& limits,
                   Metrics& metrics, Persister& persister, FlushScheduler& flushes,
                   size_t stored_bytes, std::vector<uint8_t> full_state)
    : name_(std::move(name)),
      limits_(limits),
      metrics_(metrics),
      persister_(persister),
      flushes_(flushes),
      awareness_(limits.awareness_state_bytes),
      size_estimate_(stored_bytes) {
  if (!full_state.empty()) {
    full_state_step2_ = SharedMessage(proto::Message::Kind::kSyncStep2, full_state);
  }
  if (doc) AttachDoc(std::move(doc));
}

RoomCore::~RoomCore() {
  if (doc_) doc_->Unobserve(observer_id_);
}

void RoomCore::AttachDoc(std::unique_ptr<crdt::Doc> doc) {
  doc_ = std::move(doc);
  // What was loaded from storage is durable by definition.
  saved_state_vector_ = doc_->EncodeStateVector();
  observer_id_ = doc_->OnUpdate([this](std::span<const uint8_t> update, const void*) {
    produced_.assign(update.begin(), update.end());
  });
}

RoomCore::RoomCore(std::string name, UnbuiltDocument unbuilt, DocumentBuilder& builder,
                   const Limits& limits, Metrics& metrics, Persister& persister,
                   FlushScheduler& flushes, size_t stored_bytes)
    : RoomCore(std::move(name), nullptr, limits, metrics, persister, flushes, stored_bytes) {
  full_state_step2_ = SharedMessage(proto::Message::Kind::kSyncStep2, unbuilt.snapshot);
  builder_ = &builder;
  unbuilt_snapshot_ = std::make_shared<const std::vector<uint8_t>>(std::move(unbuilt.snapshot));
  unbuilt_state_vector_ = std::move(unbuilt.state_vector);
  // The snapshot is what storage holds: durable.
  saved_state_vector_ = unbuilt_state_vector_;
}

std::vector<uint8_t> RoomCore::EncodedStateVector() const {
  return doc_ ? doc_->EncodeStateVector() : unbuilt_state_vector_;
}

void RoomCore::FinishBuild(Result<std::unique_ptr<crdt::Doc>> doc) {
  if (built()) return;
  unbuilt_snapshot_.reset();
  auto waiting = std::exchange(when_built_, {});
  when_built_bytes_ = 0;
  if (doc.ok()) {
    AttachDoc(std::move(*doc));
  } else {
    // The snapshot decoded (the registry checked it) but does not build a document. Nothing
    // is written; the room refuses everyone and is unloaded once they are gone.
    Log("error", "document cannot be loaded", {{"doc", name_}, {"error", doc.status().ToString()}});
    load_failed_ = true;
    AttachDoc(std::make_unique<crdt::Doc>());  // never null, so that late tasks are harmless
    full_state_step2_.reset();
    CloseAll(CloseCode::kInternal,
             "the stored document cannot be loaded; the operator has been told (see the "
             "server log)");
  }
  for (auto& task : waiting) task();
}

void RoomCore::RunWhenBuilt(std::function<void()> task) {
  if (built()) return task();
  WaitForBuild(std::move(task));
}

void RoomCore::WaitForBuild(std::function<void()> task) {
  when_built_.push_back(std::move(task));
  if (build_requested_) return;
  build_requested_ = true;
  builder_->BuildDocument(unbuilt_snapshot_);
}

void RoomCore::Join(std::shared_ptr<Peer> peer) {
  if (failed()) {
    peer->Close(CloseCode::kInternal, load_failed_
                                          ? "the stored document cannot be loaded"
                                          : "the server cannot store changes to this document");
    return;
  }
  // The greeting's state vector and awareness states already hold what waits for the next
  // flush; sent now, it goes to the peers that lack it and never reaches the newcomer as a
  // relay of what it was just told the server has.
  SendPending();
  peer->Send(Shared(proto::EncodeSyncStep1(EncodedStateVector())));
  std::vector<uint8_t> states = awareness_.EncodeAll();
  if (!states.empty()) peer->Send(Shared(proto::EncodeAwareness(states)));
  if (peer->info().wants_saved) peer->Send(Shared(proto::EncodeSaved(saved_state_vector_)));
  peers_[peer->info().id] = std::move(peer);
}

void RoomCore::ReceiveUnbuilt(const std::shared_ptr<Peer>& peer, std::span<const uint8_t> frame,
                              const proto::Message& m) {
  using Kind = proto::Message::Kind;
  // A new client: the snapshot is all there is.
  if (WantsAll(m) && full_state_step2_) return peer->Send(full_state_step2_);
  // A client with nothing new answering our step 1: nothing to apply.
  const bool empty_update =
      (m.kind == Kind::kSyncStep2 || m.kind == Kind::kSyncUpdate) && IsEmptyUpdate(m.payload);
  if (empty_update) return;
  // Awareness needs no document; it may go at once unless messages before it wait.
  const bool awareness = m.kind == Kind::kAwareness || m.kind == Kind::kQueryAwareness;
  if (awareness && when_built_.empty()) return HandleAwareness(peer, m);
  if (when_built_bytes_ + frame.size() > limits_.send_queue_bytes) {
    return Reject(peer, CloseCode::kTryAgainLater,
                  "too much sent while the document is loading; try again",
                  metrics_.rejections_limit);
  }
  when_built_bytes_ += frame.size();
  const bool edit = m.kind == Kind::kSyncStep2 || m.kind == Kind::kSyncUpdate;
  WaitForBuild([this, peer, edit, bytes = std::vector<uint8_t>(frame.begin(), frame.end())] {
    if (peers_.contains(peer->info().id)) return Receive(peer, bytes);
    // The peer left while the document was being built. What it wrote is applied, relayed
    // and stored all the same, as a built room would have done on receipt (a client may
    // close its tab right after typing); nothing else is answered. Not when the build failed:
    // that closed everyone, and nothing may be written over what is stored.
    if (!edit || failed()) return;
    auto decoded = proto::DecodeMessage(bytes, limits_.max_message_bytes);
    if (decoded.ok()) ApplyClientUpdate(peer, decoded->payload);
  });
}

void RoomCore::Reject(const std::shared_ptr<Peer>& peer, CloseCode code, const std::string& reason,
                      std::atomic<uint64_t>& counter) {
  counter.fetch_add(1, std::memory_order_relaxed);
  Log("warn", "message rejected",
      {{"doc", name_},
       {"peer", std::to_string(peer->info().id)},
       {"code", std::to_string(static_cast<int>(code))},
       {"reason", reason}});
  // Keep the peer alive past Leave (which drops the room's reference).
  std::shared_ptr<Peer> keep = peer;
  Leave(keep->info().id);
  keep->Close(code, reason);
}

void RoomCore::Receive(const std::shared_ptr<Peer>& peer, std::span<const uint8_t> frame) {
  if (!peers_.contains(peer->info().id)) return;  // already rejected; late messages are dropped
  auto decoded = proto::DecodeMessage(frame, limits_.max_message_bytes);
  if (!decoded.ok()) {
    const bool too_big = decoded.status().code() == Status::Code::kResourceExhausted;
    return Reject(peer, too_big ? CloseCode::kTooBig : CloseCode::kPolicy,
                  decoded.status().message(),
                  too_big ? metrics_.rejections_too_big : metrics_.rejections_protocol);
  }
  const proto::Message& m = *decoded;
  if (!built()) return ReceiveUnbuilt(peer, frame, m);
  switch (m.kind) {
    case proto::Message::Kind::kSyncStep1:
    case proto::Message::Kind::kSyncStep2:
    case proto::Message::Kind::kSyncUpdate:
      return HandleSync(peer, m);
    case proto::Message::Kind::kAwareness:
    case proto::Message::Kind::kQueryAwareness:
      return HandleAwareness(peer, m);
    case proto::Message::Kind::kPermissionDenied:
    case proto::Message::Kind::kSaved:
      return Reject(peer, CloseCode::kPolicy, "clients may not send auth or saved messages",
                    metrics_.rejections_protocol);
  }
}

void RoomCore::HandleAwareness(const std::shared_ptr<Peer>& peer, const proto::Message& m) {
  switch (m.kind) {
    case proto::Message::Kind::kAwareness: {
      auto relay = awareness_.Apply(peer->info().id, m.payload);
      if (!relay.ok()) {
        const bool too_big = relay.status().code() == Status::Code::kResourceExhausted;
        return Reject(peer, too_big ? CloseCode::kTooBig : CloseCode::kPolicy,
                      "awareness update refused: " + relay.status().message(),
                      too_big ? metrics_.rejections_limit : metrics_.rejections_protocol);
      }
      // Everyone hears it, the sender included: y-websocket reconnects a socket that hears
      // nothing for 30 s, and a lone client's own renewals are all it hears.
      if (!relay->empty()) QueueAwareness(std::move(*relay));
      return;
    }
    case proto::Message::Kind::kQueryAwareness: {
      std::vector<uint8_t> states = awareness_.EncodeAll();
      if (!states.empty()) peer->Send(Shared(proto::EncodeAwareness(states)));
      return;
    }
    default:
      return;  // Receive sends only awareness messages here
  }
}

void RoomCore::HandleSync(const std::shared_ptr<Peer>& peer, const proto::Message& m) {
  if (m.kind == proto::Message::Kind::kSyncStep1) {
    const bool wants_all = WantsAll(m);
    if (wants_all && full_state_step2_) return peer->Send(full_state_step2_);
    auto diff = doc_->EncodeStateAsUpdate(m.payload);
    if (!diff.ok()) {
      return Reject(peer, CloseCode::kPolicy,
                    "sync step 1 carries an invalid state vector: " + diff.status().message(),
                    metrics_.rejections_protocol);
    }
    auto reply = SharedMessage(proto::Message::Kind::kSyncStep2, *diff);
    if (wants_all) full_state_step2_ = reply;
    peer->Send(std::move(reply));
    return;
  }
  ApplyClientUpdate(peer, m.payload);
}

bool RoomCore::WouldExceedSizeLimit(size_t update_bytes) {
  if (size_estimate_ + update_bytes <= limits_.max_document_bytes) return false;
  auto state = doc_->EncodeStateAsUpdate();
  if (state.ok()) size_estimate_ = state->size();
  return size_estimate_ + update_bytes > limits_.max_document_bytes;
}

void RoomCore::ApplyClientUpdate(const std::shared_ptr<Peer>& peer,
                                 std::span<const uint8_t> update) {
  if (IsEmptyUpdate(update)) return;  // a client answering our step 1 with nothing new
  const PeerInfo& info = peer->info();
  const bool lapsed = info.write_until != 0 && std::time(nullptr) >= info.write_until;
  if (info.read_only || lapsed) {
    // A client answering our step 1 sends its whole delete set even when it has nothing new
    // (a reader reloading a draft with deletions, say): only an update that would change the
    // document is a write to refuse.
    auto contained = crdt::SnapshotContainsUpdate(crdt::TakeSnapshot(*doc_), update);
    if (contained.ok() && *contained) return;
    metrics_.rejections_read_only.fetch_add(1, std::memory_order_relaxed);
    std::string reason = lapsed                          ? "the deadline of this phase has passed"
                         : info.read_only_reason.empty() ? "read-only"
                                                         : info.read_only_reason;
    peer->Send(Shared(proto::EncodePermissionDenied(reason)));
    return;
  }
  if (WouldExceedSizeLimit(update.size())) {
    return Reject(peer, CloseCode::kDocumentTooLarge,
                  "the document would exceed its size limit; the update was not applied",
                  metrics_.rejections_limit);
  }
  std::vector<ClientAuthor> new_authors;
  if (info.user_id != 0) {
    Status mine = CheckAuthorship(update, info.user_id, &new_authors);
    if (!mine.ok()) {
      return Reject(peer, CloseCode::kPolicy, "update refused: " + mine.message(),
                    metrics_.rejections_invalid_update);
    }
  }
  produced_.clear();
  Status s = doc_->ApplyUpdate(update, crdt::UpdateFormat::kV1, peer.get());
  if (!s.ok()) {
    return Reject(peer, CloseCode::kPolicy, "update refused: " + s.message(),
                  metrics_.rejections_invalid_update);
  }
  // Even an update parked until its dependencies may change what a full encoding carries.
  full_state_step2_.reset();
  if (produced_.empty()) return;  // nothing new (a duplicate), or parked until its dependencies
  metrics_.updates_in.fetch_add(1, std::memory_order_relaxed);
  RelayAndPersist(peer->info().id, std::move(new_authors), nullptr);
}

void RoomCore::RelayAndPersist(uint64_t sender, std::vector<ClientAuthor> new_authors,
                               std::function<void(Status)> done) {
  std::vector<uint8_t> effective = std::move(produced_);
  produced_.clear();
  size_estimate_ += effective.size();
  // Relayed at the next flush, before it is durable; "saved" follows the commit. The flush is
  // asked for before the commit, so on the strand it comes first.
  pending_bytes_ += effective.size();
  pending_senders_.push_back(sender);
  pending_updates_.push_back(effective);
  if (pending_bytes_ >= kMaxPendingBytes) {
    SendPending();  // a large batch is not worth merging further (a whole document, say)
  } else {
    RequestFlush();
  }
  // Only client ids without an author get one (a client id's first author stays).
  std::vector<ClientAuthor> recorded;
  for (const ClientAuthor& a : new_authors) {
    if (a.user_id > 0 && authors_.emplace(a.client_id, a.user_id).second) recorded.push_back(a);
  }
  const uint64_t ticket = next_ticket_++;
  open_tickets_[ticket] = Ticket{doc_->EncodeStateVector(), false};
  ++in_flight_;
  persister_.Persist(std::move(effective), std::move(recorded),
                     [this, ticket, done = std::move(done)](Status st) {
                       OnPersisted(ticket, st);
                       if (done) done(std::move(st));
                     });
}

void RoomCore::ApplyServerUpdate(std::span<const uint8_t> update,
                                 std::vector<ClientAuthor> new_authors,
                                 std::function<void(Status)> done) {
  if (failed()) {
    done(Status::Unavailable(load_failed_
                                 ? "the stored document cannot be loaded"
                                 : "the server cannot store changes to this document right now"));
    return;
  }
  if (!built()) {
    WaitForBuild([this, bytes = std::vector<uint8_t>(update.begin(), update.end()),
                  new_authors = std::move(new_authors), done = std::move(done)]() mutable {
      ApplyServerUpdate(bytes, std::move(new_authors), std::move(done));
    });
    return;
  }
  if (WouldExceedSizeLimit(update.size())) {
    done(Status::ResourceExhausted("the document would exceed its size limit"));
    return;
  }
  produced_.clear();
  Status s = doc_->ApplyUpdate(update, crdt::UpdateFormat::kV1, this);
  if (!s.ok()) {
    done(s);
    return;
  }
  full_state_step2_.reset();
  if (produced_.empty()) {
    done(Status::Ok());
    return;
  }
  RelayAndPersist(0, std::move(new_authors), std::move(done));  // 0: every peer hears it
}

void RoomCore::SeedAuthors(const std::vector<ClientAuthor>& authors) {
  for (const auto& a : authors) authors_[a.client_id] = a.user_id;
}

Status RoomCore::CheckAuthorship(std::span<const uint8_t> update, int64_t user,
                                 std::vector<ClientAuthor>* new_authors) const {
  auto meta = crdt::ParseUpdateMeta(update);
  if (!meta.ok()) return Status::Ok();
  // The document's state vector is needed only for client ids that are not already this
  // user's (a delegate typing under their own id, the usual case, needs none).
  std::optional<crdt::StateVector> known;
  for (const auto& [client, end] : meta->to) {
    auto a = authors_.find(client);
    if (a != authors_.end() && a->second == user) continue;
    if (!known) known = doc_->GetStateVector();
    auto k = known->find(client);
    if (k != known->end() && k->second >= end) continue;  // nothing new from this client
    if (a == authors_.end()) {
      new_authors->push_back(ClientAuthor{client, user, 0});
    } else if (a->second != user) {
      return Status::PermissionDenied("it writes under client id " + std::to_string(client) +
                                      ", which another account writes under");
    }
  }
  return Status::Ok();
}

void RoomCore::OnPersisted(uint64_t ticket, Status status) {
  --in_flight_;
  if (!status.ok()) {
    // Nothing from here on can be reported saved. Drop every connection and refuse new ones
    // until the room is reloaded from storage: clients keep their edits and send them again
    // when they reconnect and sync.
    if (!persist_failed_) {
      persist_failed_ = true;
      Log("error", "cannot store update", {{"doc", name_}, {"error", status.ToString()}});
      CloseAll(CloseCode::kInternal, "the server cannot store changes right now");
    }
    return;
  }
  auto it = open_tickets_.find(ticket);
  if (it == open_tickets_.end()) return;
  // "saved" must not reach a peer before the updates it covers.
  SendPending();
  it->second.done = true;
  bool advanced = false;
  while (!open_tickets_.empty() && open_tickets_.begin()->second.done) {
    saved_state_vector_ = std::move(open_tickets_.begin()->second.state_vector_after);
    open_tickets_.erase(open_tickets_.begin());
    advanced = true;
  }
  if (!advanced || persist_failed_) return;
  std::shared_ptr<const std::string> message;
  for (auto& [id, p] : peers_) {
    if (!p->info().wants_saved) continue;
    if (!message) message = Shared(proto::EncodeSaved(saved_state_vector_));
    p->Send(message);
  }
}

void RoomCore::Flush() {
  flush_scheduled_ = false;
  SendPending();
}

void RoomCore::QueueAwareness(std::vector<uint8_t> relay) {
  pending_awareness_.push_back(std::move(relay));
  RequestFlush();
}

void RoomCore::RequestFlush() {
  if (flush_scheduled_) return;
  flush_scheduled_ = true;
  flushes_.ScheduleFlush();
}

void RoomCore::SendPending() {
  if (pending_updates_.empty() && pending_awareness_.empty()) return;
  auto senders = std::exchange(pending_senders_, {});
  auto updates = std::exchange(pending_updates_, {});
  pending_bytes_ = 0;
  auto awareness = std::exchange(pending_awareness_, {});
  if (!updates.empty()) RelayMerged(senders, updates);
  if (!awareness.empty()) RelayAwareness(std::move(awareness));
}

void RoomCore::RelayAwareness(std::vector<std::vector<uint8_t>> relays) {
  if (relays.size() == 1) return Broadcast(Shared(proto::EncodeAwareness(relays[0])), 0);
  // Each relay holds the current entries of the clients it changed, so the latest entry per
  // client is the batch's net change (what y-protocols peers would end with anyway).
  std::map<uint64_t, proto::AwarenessEntry> latest;
  for (const auto& relay : relays) {
    auto entries = proto::DecodeAwarenessUpdate(relay, limits_.awareness_state_bytes);
    if (!entries.ok()) {  // cannot happen: the registry encoded them; send them as they are
      for (const auto& r : relays) Broadcast(Shared(proto::EncodeAwareness(r)), 0);
      return;
    }
    for (auto& e : *entries) latest[e.client_id] = std::move(e);
  }
  std::vector<proto::AwarenessEntry> merged;
  merged.reserve(latest.size());
  for (auto& [client, e] : latest) merged.push_back(std::move(e));
  Broadcast(Shared(proto::EncodeAwareness(proto::EncodeAwarenessUpdate(merged))), 0);
}

void RoomCore::RelayMerged(const std::vector<uint64_t>& senders,
                           const std::vector<std::vector<uint8_t>>& updates) {
  auto one = [](std::span<const uint8_t> update) {
    return SharedMessage(proto::Message::Kind::kSyncUpdate, update);
  };
  // The usual case: one source (a peer, or 0 for the server), which hears nothing back.
  const bool one_source =
      std::all_of(senders.begin(), senders.end(), [&](uint64_t s) { return s == senders.front(); });
  auto all = crdt::MergeUpdates(updates);
  if (!all.ok()) {
    // Cannot happen with updates the document produced; relay them one by one all the same.
    Log("warn", "cannot merge updates for relay", {{"doc", name_}});
    for (size_t i = 0; i < updates.size(); ++i) Broadcast(one(updates[i]), senders[i]);
    return;
  }
  std::shared_ptr<const std::string> to_all = one(*all);
  if (one_source) return Broadcast(to_all, senders.front());
  // Several sources: each sending peer gets the batch without its own updates (no echo).
  std::vector<uint64_t> sending_peers;
  for (uint64_t s : senders) {
    if (s != 0 && std::find(sending_peers.begin(), sending_peers.end(), s) == sending_peers.end()) {
      sending_peers.push_back(s);
    }
  }
  for (uint64_t peer : sending_peers) {
    auto it = peers_.find(peer);
    if (it == peers_.end()) continue;  // left (or was rejected) meanwhile
    std::vector<std::vector<uint8_t>> others;
    for (size_t i = 0; i < updates.size(); ++i) {
      if (senders[i] != peer) others.push_back(updates[i]);
    }
    auto merged = crdt::MergeUpdates(others);
    it->second->Send(merged.ok() ? one(*merged)
                                 : to_all);  // an echo is harmless, if it comes to that
  }
  for (auto& [id, p] : peers_) {
    if (std::find(sending_peers.begin(), sending_peers.end(), id) == sending_peers.end()) {
      p->Send(to_all);
    }
  }
}

void RoomCore::Broadcast(const std::shared_ptr<const std::string>& message, uint64_t except_peer) {
  for (auto& [id, p] : peers_) {
    if (id != except_peer) p->Send(message);
  }
}

void RoomCore::Leave(uint64_t peer_id) {
  auto it = peers_.find(peer_id);
  if (it == peers_.end()) return;
  peers_.erase(it);
  std::vector<uint8_t> removed = awareness_.RemoveConnection(peer_id);
  if (!removed.empty()) QueueAwareness(std::move(removed));
}

void RoomCore::CloseWhere(const std::function<bool(const PeerInfo&)>& match, CloseCode code,
                          const std::string& reason) {
  SendPending();  // what the closing peers were owed goes out before the close
  std::vector<std::shared_ptr<Peer>> closing;
  for (auto& [id, p] : peers_) {
    if (match(p->info())) closing.push_back(p);
  }
  // Each closes as a normal leave would: the session calls Leave, which removes its awareness
  // states and tells the others.
  for (auto& p : closing) p->Close(code, reason);
}

void RoomCore::CloseAll(CloseCode code, const std::string& reason) {
  SendPending();
  auto peers = std::move(peers_);
  peers_.clear();
  for (auto& [id, p] : peers) p->Close(code, reason);
}

}  // namespace accord::server
