// room_core_test_support.h: recording doubles for RoomCore tests (a peer that keeps what it is
// sent, a persister whose completions the test triggers, a flush scheduler that counts).
// Single-threaded, like RoomCore.
#ifndef ACCORD_SERVER_ROOM_CORE_TEST_SUPPORT_H_
#define ACCORD_SERVER_ROOM_CORE_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/proto/messages.h"
#include "room_core.h"

namespace accord::server::core_test {

struct Closed {
  CloseCode code;
  std::string reason;
};

class RecordingPeer : public Peer {
 public:
  RecordingPeer(uint64_t id, bool read_only = false, bool wants_saved = false) {
    info_.id = id;
    info_.read_only = read_only;
    info_.wants_saved = wants_saved;
  }
  const PeerInfo& info() const override { return info_; }
  PeerInfo& mutable_info() { return info_; }
  void Send(std::shared_ptr<const std::string> message) override { sent.push_back(message); }
  void Close(CloseCode code, std::string reason) override { closed.push_back({code, reason}); }

  std::vector<proto::Message> Decoded() const {
    std::vector<proto::Message> out;
    for (const auto& m : sent) {
      auto d =
          proto::DecodeMessage(std::span(reinterpret_cast<const uint8_t*>(m->data()), m->size()));
      EXPECT_TRUE(d.ok()) << d.status().ToString();
      if (d.ok()) out.push_back(*d);
    }
    return out;
  }
  std::vector<std::shared_ptr<const std::string>> sent;
  std::vector<Closed> closed;

 private:
  PeerInfo info_;
};

class RecordingPersister : public Persister {
 public:
  void Persist(std::vector<uint8_t> update, std::vector<ClientAuthor> new_authors,
               std::function<void(Status)> done) override {
    updates.push_back(std::move(update));
    authorships.push_back(std::move(new_authors));
    pending.push_back(std::move(done));
  }
  void Complete(size_t i, Status s = Status::Ok()) { pending[i](std::move(s)); }
  std::vector<std::vector<uint8_t>> updates;
  std::vector<std::vector<ClientAuthor>> authorships;
  std::vector<std::function<void(Status)>> pending;
};

class RecordingScheduler : public FlushScheduler {
 public:
  void ScheduleFlush() override { ++requests; }
  int requests = 0;
};

inline std::span<const uint8_t> Bytes(const std::vector<uint8_t>& v) { return v; }

// Two plain peers, ids 1 and 2, joined to `room` in that order: most tests start this way.
struct TwoPeers {
  std::shared_ptr<RecordingPeer> a, b;
};
inline TwoPeers JoinTwo(RoomCore& room) {
  TwoPeers p{std::make_shared<RecordingPeer>(1), std::make_shared<RecordingPeer>(2)};
  room.Join(p.a);
  room.Join(p.b);
  return p;
}

// A v1 update that inserts `text` into root text "t" of a fresh client.
inline std::vector<uint8_t> MakeUpdate(uint64_t client, const std::string& text) {
  crdt::Doc d;
  d.set_client_id(client);
  auto t = d.GetText("t");
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(t->Insert(0, text).ok());
  return *d.EncodeStateAsUpdate();
}

}  // namespace accord::server::core_test

#endif  // ACCORD_SERVER_ROOM_CORE_TEST_SUPPORT_H_
