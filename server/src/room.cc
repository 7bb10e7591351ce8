#include "room.h"

#include <chrono>

#include "commit_queue.h"
#include "document_loader.h"
#include "log.h"
#include "room_registry.h"

namespace accord::server {

namespace net = boost::asio;

Room::Room(net::io_context& ioc, std::string name, std::unique_ptr<crdt::Doc> doc,
           size_t stored_bytes, const Limits& limits, Metrics& metrics, CommitQueue& commits,
           RoomRegistry& registry, std::vector<uint8_t> full_state)
    : name_(std::move(name)),
      limits_(limits),
      strand_(net::make_strand(ioc)),
      idle_timer_(strand_),
      commits_(commits),
      registry_(registry),
      core_(name_, std::move(doc), limits, metrics, *this, *this, stored_bytes,
            std::move(full_state)) {}

Room::Room(net::io_context& ioc, std::string name, UnbuiltDocument unbuilt, size_t stored_bytes,
           const Limits& limits, Metrics& metrics, CommitQueue& commits, RoomRegistry& registry)
    : name_(std::move(name)),
      limits_(limits),
      strand_(net::make_strand(ioc)),
      idle_timer_(strand_),
      commits_(commits),
      registry_(registry),
      core_(name_, std::move(unbuilt), *this, limits, metrics, *this, *this, stored_bytes) {}

Room::~Room() = default;

void Room::Join(std::shared_ptr<Peer> peer) {
  net::post(strand_, [self = shared_from_this(), peer = std::move(peer)]() mutable {
    self->idle_timer_.cancel();
    self->core_.Join(std::move(peer));
  });
}

void Room::Receive(std::shared_ptr<Peer> peer, std::string message) {
  net::post(
      strand_, [self = shared_from_this(), peer = std::move(peer), message = std::move(message)] {
        self->core_.Receive(
            peer, std::span(reinterpret_cast<const uint8_t*>(message.data()), message.size()));
      });
}

void Room::Leave(uint64_t peer_id) {
  net::post(strand_, [self = shared_from_this(), peer_id] {
    self->core_.Leave(peer_id);
    self->users_.fetch_sub(1);
    self->ScheduleUnload();
  });
}

void Room::ApplyServerUpdate(std::vector<uint8_t> update, std::vector<ClientAuthor> new_authors,
                             std::function<void(Status)> done) {
  net::post(strand_, [self = shared_from_this(), update = std::move(update),
                      new_authors = std::move(new_authors), done = std::move(done)]() mutable {
    self->idle_timer_.cancel();
    self->core_.ApplyServerUpdate(update, std::move(new_authors), std::move(done));
  });
}

void Room::Run(std::function<void(RoomCore&)> task) {
  net::post(strand_, [self = shared_from_this(), task = std::move(task)]() mutable {
    self->core_.RunWhenBuilt([self, task = std::move(task)] { task(self->core_); });
  });
}

void Room::BuildDocument(std::shared_ptr<const std::vector<uint8_t>> snapshot) {
  net::post(strand_.get_inner_executor(),
            [self = shared_from_this(), snapshot = std::move(snapshot)]() mutable {
              const auto start = std::chrono::steady_clock::now();
              auto doc = DecodeSnapshot(self->name_, *snapshot);
              snapshot.reset();
              const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
              if (doc.ok())
                Log("info", "document built", {{"doc", self->name_}, {"ms", std::to_string(ms)}});
              net::post(self->strand_, [self, doc = std::move(doc)]() mutable {
                self->core_.FinishBuild(std::move(doc));
                self->ScheduleUnload();  // a failed room goes at once, when nobody uses it
              });
            });
}

void Room::CloseAll(CloseCode code, std::string reason) {
  net::post(strand_, [self = shared_from_this(), code, reason = std::move(reason)] {
    self->core_.CloseAll(code, reason);
    self->idle_timer_.cancel();
  });
}

void Room::CloseWhere(std::function<bool(const PeerInfo&)> match, CloseCode code,
                      std::string reason) {
  net::post(strand_, [self = shared_from_this(), match = std::move(match), code,
                      reason = std::move(reason)] { self->core_.CloseWhere(match, code, reason); });
}

void Room::Persist(std::vector<uint8_t> update, std::vector<ClientAuthor> new_authors,
                   std::function<void(Status)> done) {
  // The completion comes from the commit thread and is carried back onto the strand. The weak
  // pointer lets it arrive after an unload without touching a destroyed room (an unload waits
  // for in-flight persists, so this only happens at shutdown).
  commits_.Append(PendingUpdate{name_, std::move(update), std::move(new_authors)},
                  [weak = weak_from_this(), done = std::move(done)](Status status) mutable {
                    auto self = weak.lock();
                    if (!self) return;
                    net::post(self->strand_,
                              [self, done = std::move(done), status = std::move(status)]() mutable {
                                done(std::move(status));
                                self->ScheduleUnload();
                              });
                  });
}

void Room::ScheduleFlush() {
  net::post(strand_, [self = shared_from_this()] { self->core_.Flush(); });
}

void Room::ScheduleUnload() {
  if (users_.load() > 0 || core_.has_pending_work()) return;
  idle_timer_.expires_after(core_.failed() ? std::chrono::milliseconds(0)
                                           : limits_.room_idle_unload);
  idle_timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    if (self->core_.has_pending_work()) return;
    self->registry_.Unload(self);
  });
}

}  // namespace accord::server
