#include "room.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/proto/messages.h"
#include "commit_queue.h"
#include "document_store.h"
#include "room_registry.h"
#include "room_test_support.h"

namespace accord::server {
namespace {

using test_support::GatedStore;
using test_support::kWait;
using test_support::MakeUpdate;
using test_support::TestPeer;
using test_support::TextOf;
using test_support::WaitUntil;

std::string Frame(const std::vector<uint8_t>& bytes) { return {bytes.begin(), bytes.end()}; }

class RoomTest : public test_support::RoomFixture {
 protected:
  // A room made directly (not through the registry, which then never holds it).
  std::shared_ptr<Room> MakeRoom(const std::string& name) {
    return std::make_shared<Room>(ioc_, name, std::make_unique<crdt::Doc>(), 0, limits_, metrics_,
                                  *commits_, *registry_);
  }
};

using Kind = proto::Message::Kind;

TEST_F(RoomTest, AnUpdateIsRelayedStoredAndThenReportedSaved) {
  Start();
  auto room = MakeRoom("doc");
  auto a = std::make_shared<TestPeer>(1);
  auto b = std::make_shared<TestPeer>(2, /*wants_saved=*/true);
  room->Join(a);
  room->Join(b);
  const auto update = MakeUpdate(7, "hello");
  room->Receive(a, Frame(proto::EncodeSyncUpdate(update)));

  // b: step 1, the initial saved, the relayed update, then saved covering it.
  auto got = b->WaitMessages(4);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].kind, Kind::kSyncStep1);
  EXPECT_EQ(got[1].kind, Kind::kSaved);
  EXPECT_EQ(got[1].payload, crdt::Doc().EncodeStateVector());
  ASSERT_EQ(got[2].kind, Kind::kSyncUpdate);
  EXPECT_EQ(TextOf(got[2].payload), "hello");
  ASSERT_EQ(got[3].kind, Kind::kSaved);
  crdt::Doc expected;
  ASSERT_TRUE(expected.ApplyUpdate(update).ok());
  EXPECT_EQ(got[3].payload, expected.EncodeStateVector());

  // "saved" means stored: the row is there.
  auto rows = StoredUpdates("doc");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(TextOf(rows[0]), "hello");
  // The sender hears neither its own update nor "saved" (it did not ask).
  EXPECT_EQ(a->Messages().size(), 1u);
}

TEST_F(RoomTest, MessagesFromManyThreadsAreAppliedOneAtATime) {
  Start();
  auto room = MakeRoom("doc");
  auto watcher = std::make_shared<TestPeer>(100);
  room->Join(watcher);
  constexpr int kThreads = 4, kPerThread = 25;
  std::vector<std::shared_ptr<TestPeer>> writers;
  for (int i = 0; i < kThreads; ++i) {
    writers.push_back(std::make_shared<TestPeer>(i + 1));
    room->Join(writers.back());
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kPerThread; ++j) {
        room->Receive(writers[i],
                      Frame(proto::EncodeSyncUpdate(MakeUpdate(1000 + i * kPerThread + j, "x"))));
      }
    });
  }
  for (auto& t : threads) t.join();
  // Updates that queued up on the strand together are relayed merged: at most one message per
  // update, and together they hold every update.
  crdt::Doc replica;
  size_t next = 1;
  while (replica.GetText("t")->Length() < static_cast<uint64_t>(kThreads * kPerThread)) {
    auto m = watcher->WaitMessage(next++);
    ASSERT_TRUE(m.has_value()) << "relayed so far: " << replica.GetText("t")->Length();
    ASSERT_EQ(m->kind, Kind::kSyncUpdate);
    ASSERT_TRUE(replica.ApplyUpdate(m->payload).ok());
  }
  EXPECT_LE(watcher->Messages().size(), 1u + kThreads * kPerThread);
  // The room queues each update for the relay and hands it to the commit queue right after, so
  // the watcher can hear the last one a moment before it is queued: flush until everything is
  // there, within a generous bound.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  do {
    commits_->Flush();
  } while (StoredUpdates("doc").size() < static_cast<size_t>(kThreads * kPerThread) &&
           std::chrono::steady_clock::now() < deadline &&
           (std::this_thread::sleep_for(std::chrono::milliseconds(5)), true));
  EXPECT_EQ(StoredUpdates("doc").size(), static_cast<size_t>(kThreads * kPerThread));
}

TEST_F(RoomTest, Step1IsAnsweredOnTheStrandWithWhatTheClientLacks) {
  Start();
  auto room = MakeRoom("doc");
  auto a = std::make_shared<TestPeer>(1);
  room->Join(a);
  room->Receive(a, Frame(proto::EncodeSyncUpdate(MakeUpdate(7, "abc"))));
  auto b = std::make_shared<TestPeer>(2);
  room->Join(b);
  room->Receive(b, Frame(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector())));
  // b joined before a's update was relayed (the relay waits for the strand's flush), so it may
  // also hear that relay after its step 2: a duplicate, which Yjs ignores.
  auto got = b->WaitMessages(2);
  ASSERT_GE(got.size(), 2u);
  EXPECT_EQ(got[0].kind, Kind::kSyncStep1);
  ASSERT_EQ(got[1].kind, Kind::kSyncStep2);
  EXPECT_EQ(TextOf(got[1].payload), "abc");
}

TEST_F(RoomTest, CloseAllClosesEveryPeer) {
  Start();
  auto room = MakeRoom("doc");
  auto a = std::make_shared<TestPeer>(1);
  auto b = std::make_shared<TestPeer>(2);
  room->Join(a);
  room->Join(b);
  room->CloseAll(CloseCode::kGoingAway, "bye");
  EXPECT_EQ(a->WaitClose(), CloseCode::kGoingAway);
  EXPECT_EQ(b->WaitClose(), CloseCode::kGoingAway);
}

TEST_F(RoomTest, AFailedStoreClosesEveryoneWith1011AndUnloadsAtOnce) {
  limits_.room_idle_unload = std::chrono::hours(1);  // the failure must not wait for this
  Start();
  store_->fail_appends = true;
  auto acquired = registry_->Acquire("doc");
  ASSERT_TRUE(acquired.ok());
  auto room = *acquired;
  auto a = std::make_shared<TestPeer>(1, /*wants_saved=*/true);
  room->Join(a);
  room->Receive(a, Frame(proto::EncodeSyncUpdate(MakeUpdate(7, "lost"))));
  EXPECT_EQ(a->WaitClose(), CloseCode::kInternal);
  // Never claimed saved: only the initial "saved" arrived.
  int saved = 0;
  for (const auto& m : a->Messages()) saved += m.kind == Kind::kSaved;
  EXPECT_EQ(saved, 1);
  room->Leave(1);  // what the closed session does
  ASSERT_TRUE(WaitUntil([&] { return registry_->size() == 0; }));

  // The next connection gets a fresh room, loaded from what is really stored.
  store_->fail_appends = false;
  auto reloaded = registry_->Acquire("doc");
  ASSERT_TRUE(reloaded.ok());
  EXPECT_NE(*reloaded, room);
  EXPECT_TRUE(StoredUpdates("doc").empty());
}

TEST_F(RoomTest, AFailedRoomRefusesNewPeersUntilReloaded) {
  limits_.room_idle_unload = std::chrono::hours(1);
  Start();
  store_->fail_appends = true;
  auto room = MakeRoom("doc");
  room->users().fetch_add(1);  // someone stays, so the room is not unloaded
  auto a = std::make_shared<TestPeer>(1);
  room->Join(a);
  room->Receive(a, Frame(proto::EncodeSyncUpdate(MakeUpdate(7, "lost"))));
  ASSERT_EQ(a->WaitClose(), CloseCode::kInternal);
  auto b = std::make_shared<TestPeer>(2);
  room->Join(b);
  EXPECT_EQ(b->WaitClose(), CloseCode::kInternal);
  EXPECT_TRUE(b->Messages().empty());
}

TEST_F(RoomTest, AnIdleRoomWaitsForItsUpdatesToBeStoredBeforeUnloading) {
  limits_.room_idle_unload = std::chrono::milliseconds(1);
  Start();
  store_->CloseGate();
  auto acquired = registry_->Acquire("doc");
  ASSERT_TRUE(acquired.ok());
  auto room = *acquired;
  auto a = std::make_shared<TestPeer>(1);
  room->Join(a);
  room->Receive(a, Frame(proto::EncodeSyncUpdate(MakeUpdate(7, "kept"))));
  room->Leave(1);
  ASSERT_TRUE(store_->WaitForAppends(1));
  ASSERT_TRUE(WaitUntil([&] { return room->users().load() == 0; }));
  // The idle delay is long past; an unload now would let a reload miss the update.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(registry_->size(), 1u);
  store_->OpenGate();
  ASSERT_TRUE(WaitUntil([&] { return registry_->size() == 0; }));
  ASSERT_EQ(StoredUpdates("doc").size(), 1u);
}

TEST_F(RoomTest, AStoreCompletionAfterTheRoomIsGoneIsHarmless) {
  Start();
  store_->CloseGate();
  auto room = MakeRoom("doc");
  auto a = std::make_shared<TestPeer>(1);
  room->Join(a);
  room->Receive(a, Frame(proto::EncodeSyncUpdate(MakeUpdate(7, "late"))));
  ASSERT_TRUE(store_->WaitForAppends(1));
  room->CloseAll(CloseCode::kGoingAway, "bye");  // drops the room's reference to the peer
  ASSERT_TRUE(a->WaitClose());
  std::weak_ptr<Room> weak = room;
  room.reset();
  ASSERT_TRUE(WaitUntil([&] { return weak.expired(); }));
  store_->OpenGate();
  commits_->Flush();
  EXPECT_EQ(StoredUpdates("doc").size(), 1u);
}

TEST_F(RoomTest, DropPeersAfterShutdownReleasesThePeers) {
  Start();
  auto room = MakeRoom("doc");
  auto a = std::make_shared<TestPeer>(1);
  room->Join(a);
  ASSERT_EQ(a->WaitMessages(1).size(), 1u);
  StopLoop();
  EXPECT_GT(a.use_count(), 1);  // the room holds it
  room->DropPeersAfterShutdown();
  EXPECT_EQ(a.use_count(), 1);
}

}  // namespace
}  // namespace accord::server
