#include "room_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/proto/messages.h"
#include "commit_queue.h"
#include "document_store.h"
#include "room.h"
#include "room_test_support.h"

namespace accord::server {
namespace {

using test_support::GatedStore;
using test_support::kWait;
using test_support::MakeUpdate;
using test_support::TestPeer;
using test_support::TextOf;
using test_support::WaitUntil;

// The text of the room's document, as a new peer that syncs from nothing sees it.
std::string RoomText(Room& room, uint64_t peer_id) {
  auto peer = std::make_shared<TestPeer>(peer_id);
  const size_t users_before = room.users().fetch_add(1);  // what Acquire does for a connection
  room.Join(peer);
  room.Receive(peer, [] {
    auto m = proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector());
    return std::string(m.begin(), m.end());
  }());
  auto step2 = peer->WaitMessage(1);
  room.Leave(peer_id);
  // Leave runs on the room's strand; callers count users after it.
  EXPECT_TRUE(WaitUntil([&] { return room.users().load() == users_before; }));
  if (!step2 || step2->kind != proto::Message::Kind::kSyncStep2) {
    ADD_FAILURE() << "no sync step 2";
    return "";
  }
  return TextOf(step2->payload);
}

class RoomRegistryTest : public test_support::RoomFixture {};

TEST_F(RoomRegistryTest, AcquireLoadsTheStoredDocumentAndCountsTheCaller) {
  ASSERT_TRUE(
      inner_->AppendBatch(std::vector<PendingUpdate>{{"doc", MakeUpdate(5, "stored")}}).ok());
  Start();
  auto room = Acquire("doc");
  ASSERT_TRUE(room);
  EXPECT_EQ(room->name(), "doc");
  EXPECT_EQ(room->users().load(), 1u);
  EXPECT_EQ(registry_->size(), 1u);
  EXPECT_EQ(RoomText(*room, 1), "stored");

  auto again = Acquire("doc");
  EXPECT_EQ(again, room);
  EXPECT_EQ(room->users().load(), 2u);
  EXPECT_EQ(store_->loads(), 1);

  auto other = Acquire("other");
  ASSERT_TRUE(other);
  EXPECT_NE(other, room);
  EXPECT_EQ(registry_->size(), 2u);
  EXPECT_EQ(RoomText(*other, 2), "");
}

TEST_F(RoomRegistryTest, ConcurrentAcquirersShareOneLoad) {
  Start();
  store_->CloseLoadGate();
  constexpr int kThreads = 8;
  std::vector<std::shared_ptr<Room>> rooms(kThreads);
  std::vector<std::thread> acquirers;
  for (int i = 0; i < kThreads; ++i) {
    acquirers.emplace_back([this, &rooms, i] { rooms[i] = Acquire("doc"); });
  }
  // The first load is held while the others arrive; they must wait for it, not load again.
  ASSERT_TRUE(store_->WaitForLoads(1));
  store_->OpenLoadGate();
  for (auto& t : acquirers) t.join();
  ASSERT_TRUE(rooms[0]);
  for (const auto& r : rooms) EXPECT_EQ(r, rooms[0]);
  EXPECT_EQ(store_->loads(), 1);
  EXPECT_EQ(rooms[0]->users().load(), static_cast<size_t>(kThreads));
  EXPECT_EQ(registry_->size(), 1u);
}

TEST_F(RoomRegistryTest, ALoadOfOneDocumentDoesNotHoldUpAnother) {
  Start();
  store_->CloseLoadGate();
  std::shared_ptr<Room> slow;
  std::thread loader([&] { slow = Acquire("slow"); });
  ASSERT_TRUE(store_->WaitForLoads(1));
  // "slow" is still loading (its load is held at the gate); "fast" must not wait for it. Its
  // own load passes the gate only once opened, so open it from here after "fast" has started.
  std::shared_ptr<Room> fast;
  std::thread other([&] { fast = Acquire("fast"); });
  ASSERT_TRUE(store_->WaitForLoads(2));  // two loads in progress at once
  store_->OpenLoadGate();
  loader.join();
  other.join();
  ASSERT_TRUE(slow && fast);
  EXPECT_NE(slow, fast);
  EXPECT_EQ(registry_->size(), 2u);
}

TEST_F(RoomRegistryTest, AnIdleRoomIsUnloadedAndTheNextAcquireReloadsIt) {
  limits_.room_idle_unload = std::chrono::milliseconds(1);
  Start();
  auto room = Acquire("doc");
  ASSERT_TRUE(room);
  auto peer = std::make_shared<TestPeer>(1);
  room->Join(peer);
  std::string update;
  {
    auto m = proto::EncodeSyncUpdate(MakeUpdate(9, "kept"));
    update.assign(m.begin(), m.end());
  }
  room->Receive(peer, update);
  room->Leave(1);
  ASSERT_TRUE(WaitUntil([&] { return registry_->size() == 0; }));
  EXPECT_EQ(room->users().load(), 0u);

  // The update was stored before the room went, and the reload sees it.
  auto reloaded = Acquire("doc");
  ASSERT_TRUE(reloaded);
  EXPECT_NE(reloaded, room);
  EXPECT_EQ(store_->loads(), 2);
  EXPECT_EQ(RoomText(*reloaded, 2), "kept");
}

TEST_F(RoomRegistryTest, UnloadKeepsARoomSomebodyUses) {
  Start();
  auto room = Acquire("doc");
  ASSERT_TRUE(room);
  registry_->Unload(room);  // one user: stays
  EXPECT_EQ(registry_->size(), 1u);
  EXPECT_EQ(Acquire("doc"), room);
  EXPECT_EQ(store_->loads(), 1);

  room->users().store(0);
  registry_->Unload(room);
  EXPECT_EQ(registry_->size(), 0u);
}

TEST_F(RoomRegistryTest, UnloadOfAStaleRoomLeavesItsReplacementAlone) {
  Start();
  auto first = Acquire("doc");
  ASSERT_TRUE(first);
  first->users().store(0);
  registry_->Unload(first);
  auto second = Acquire("doc");
  ASSERT_TRUE(second);
  ASSERT_NE(first, second);
  second->users().store(0);
  registry_->Unload(first);  // a late idle timer of the old room
  EXPECT_EQ(registry_->size(), 1u);
}

TEST_F(RoomRegistryTest, ACorruptDocumentIsRefusedAndItsRowsAreLeftAlone) {
  const std::vector<uint8_t> good = MakeUpdate(3, "fine");
  const std::vector<uint8_t> garbage = {0xff, 0xfe, 0x07, 0x00, 0x42, 0x13};
  ASSERT_TRUE(
      inner_->AppendBatch(std::vector<PendingUpdate>{{"bad", good}, {"bad", garbage}}).ok());
  auto before = inner_->Load("bad");
  ASSERT_TRUE(before.ok());
  Start();

  auto r = registry_->Acquire("bad");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
  EXPECT_NE(r.status().message().find("bad"), std::string::npos) << r.status().ToString();
  EXPECT_EQ(registry_->size(), 0u);
  // Refused again (not remembered as an empty document), and nothing was rewritten.
  EXPECT_FALSE(registry_->Acquire("bad").ok());
  EXPECT_EQ(store_->loads(), 2);
  commits_->Flush();
  auto after = inner_->Load("bad");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->snapshot, before->snapshot);
  EXPECT_EQ(after->updates, before->updates);
  EXPECT_EQ(after->last_seq, before->last_seq);
  ASSERT_EQ(after->updates.size(), 2u);
  EXPECT_EQ(after->updates[1], garbage);

  // Other documents are served as usual.
  EXPECT_TRUE(Acquire("good"));
}

TEST_F(RoomRegistryTest, ACorruptSnapshotIsRefusedAndKept) {
  const std::vector<uint8_t> garbage = {0x01, 0x05, 0xff, 0xff, 0xff};
  ASSERT_TRUE(inner_->Compact("bad", garbage, 0).ok());
  Start();
  auto r = registry_->Acquire("bad");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorruption) << r.status().ToString();
  auto after = inner_->Load("bad");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->snapshot, garbage);
}

// A document stored as one snapshot is built by the room only when needed: a new client is
// sent the stored bytes themselves, and the room works as usual once built.
TEST_F(RoomRegistryTest, ASnapshotAloneIsSentAsStoredAndBuiltWhenNeeded) {
  const std::vector<uint8_t> snapshot = MakeUpdate(5, "compacted");
  ASSERT_TRUE(inner_->Compact("doc", snapshot, 0).ok());
  Start();
  auto room = Acquire("doc");
  ASSERT_TRUE(room);
  auto peer = std::make_shared<TestPeer>(1);
  room->Join(peer);
  room->Receive(peer, [] {
    auto m = proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector());
    return std::string(m.begin(), m.end());
  }());
  // The greeting, then the answer to step 1: the snapshot.
  auto messages = peer->WaitMessages(2);
  ASSERT_GE(messages.size(), 2u);
  bool got_snapshot = false;
  for (const auto& m : messages) {
    if (m.kind == proto::Message::Kind::kSyncStep2) {
      got_snapshot = std::vector<uint8_t>(m.payload.begin(), m.payload.end()) == snapshot;
    }
  }
  EXPECT_TRUE(got_snapshot);
  std::promise<std::string> text;
  room->Run([&](RoomCore& core) { text.set_value(core.doc().GetText("t")->ToString()); });
  auto future = text.get_future();
  ASSERT_EQ(future.wait_for(kWait), std::future_status::ready);
  EXPECT_EQ(future.get(), "compacted");
  room->Leave(1);
}

// A snapshot that decodes but does not build a document (it waits on structs it does not
// carry) is found by the background build: its peers are closed with 1011, the room goes, and
// the stored rows stay as they were.
TEST_F(RoomRegistryTest, ASnapshotThatDoesNotBuildClosesItsPeersAndIsKept) {
  crdt::Doc base;
  base.set_client_id(5);
  ASSERT_TRUE(base.GetText("t")->Insert(0, "base").ok());
  const auto base_sv = base.EncodeStateVector();
  base.set_client_id(6);
  ASSERT_TRUE(base.GetText("t")->Insert(2, "XX").ok());
  auto dangling = base.EncodeStateAsUpdate(base_sv);  // client 6's insertion without its origin
  ASSERT_TRUE(dangling.ok());
  ASSERT_TRUE(inner_->Compact("bad", *dangling, 0).ok());
  Start();
  auto room = Acquire("bad");  // the bytes decode: the room opens
  ASSERT_TRUE(room);
  auto peer = std::make_shared<TestPeer>(1);
  room->Join(peer);
  room->Receive(peer, [] {  // an edit needs the document
    auto m = proto::EncodeSyncUpdate(MakeUpdate(8, "edit"));
    return std::string(m.begin(), m.end());
  }());
  EXPECT_EQ(peer->WaitClose(), CloseCode::kInternal);
  room->Leave(1);
  EXPECT_TRUE(WaitUntil([&] { return registry_->size() == 0; }));
  auto after = inner_->Load("bad");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->snapshot, *dangling);
  EXPECT_TRUE(after->updates.empty());
}

TEST_F(RoomRegistryTest, CloseAllClosesEveryPeerAndRefusesNewAcquires) {
  Start();
  auto a = Acquire("a");
  auto b = Acquire("b");
  ASSERT_TRUE(a && b);
  auto pa = std::make_shared<TestPeer>(1);
  auto pb = std::make_shared<TestPeer>(2);
  a->Join(pa);
  b->Join(pb);
  registry_->CloseAll(CloseCode::kGoingAway, "bye");
  EXPECT_EQ(pa->WaitClose(), CloseCode::kGoingAway);
  EXPECT_EQ(pb->WaitClose(), CloseCode::kGoingAway);
  auto r = registry_->Acquire("a");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
}

TEST_F(RoomRegistryTest, ALoadThatFinishesAfterCloseAllIsRefused) {
  Start();
  store_->CloseLoadGate();
  std::optional<Status> status;
  std::thread loader([&] {
    auto r = registry_->Acquire("doc");
    status = r.ok() ? Status::Ok() : r.status();
  });
  ASSERT_TRUE(store_->WaitForLoads(1));
  registry_->CloseAll(CloseCode::kGoingAway, "bye");
  store_->OpenLoadGate();
  loader.join();
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->code(), Status::Code::kUnavailable);
  EXPECT_EQ(registry_->size(), 0u);
}

TEST_F(RoomRegistryTest, ReleaseAllAfterShutdownDropsEveryRoom) {
  Start();
  auto room = Acquire("doc");
  ASSERT_TRUE(room);
  auto peer = std::make_shared<TestPeer>(1);
  room->Join(peer);
  ASSERT_TRUE(peer->WaitMessage(0));  // joined
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  registry_->ReleaseAllAfterShutdown();
  EXPECT_EQ(registry_->size(), 0u);
  EXPECT_FALSE(registry_->Acquire("doc").ok());
  // The room no longer holds the peer: ours is the only reference.
  EXPECT_EQ(peer.use_count(), 1);
}

}  // namespace
}  // namespace accord::server
