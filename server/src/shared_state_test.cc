#include "shared_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "commit_queue.h"
#include "document_store.h"
#include "room.h"
#include "room_registry.h"

namespace accord::server {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<SharedState> MakeState(size_t total, size_t per_ip) {
  Limits limits;
  limits.max_connections = total;
  limits.max_connections_per_ip = per_ip;
  return std::make_shared<SharedState>(limits, SharedStateParts{});
}

TEST(SharedStateTest, AdmitsUpToThePerAddressLimit) {
  auto state = MakeState(100, 2);
  auto a1 = state->TryAdmit("127.0.0.1");
  auto a2 = state->TryAdmit("127.0.0.1");
  ASSERT_TRUE(a1 && a2);
  EXPECT_EQ(a1->ip(), "127.0.0.1");
  EXPECT_FALSE(state->TryAdmit("127.0.0.1"));
  // Another address has its own allowance.
  auto b1 = state->TryAdmit("127.0.0.2");
  EXPECT_TRUE(b1);
  EXPECT_EQ(state->connections(), 3u);
  // A refusal counts nothing.
  EXPECT_FALSE(state->TryAdmit("127.0.0.1"));
  EXPECT_EQ(state->connections(), 3u);
}

TEST(SharedStateTest, AdmitsUpToTheTotalLimit) {
  auto state = MakeState(3, 10);
  auto a = state->TryAdmit("127.0.0.1");
  auto b = state->TryAdmit("127.0.0.2");
  auto c = state->TryAdmit("::1");
  ASSERT_TRUE(a && b && c);
  EXPECT_FALSE(state->TryAdmit("127.0.0.3"));
  EXPECT_EQ(state->connections(), 3u);
}

TEST(SharedStateTest, ASlotGivesItsPlaceBackWhenDestroyed) {
  auto state = MakeState(1, 1);
  {
    auto slot = state->TryAdmit("127.0.0.1");
    ASSERT_TRUE(slot);
    EXPECT_FALSE(state->TryAdmit("127.0.0.1"));
    EXPECT_FALSE(state->TryAdmit("127.0.0.2"));  // the total is reached too
  }
  EXPECT_EQ(state->connections(), 0u);
  auto again = state->TryAdmit("127.0.0.2");
  EXPECT_TRUE(again);
}

TEST(SharedStateTest, MovingASlotTransfersItWithoutReleasingTwice) {
  auto state = MakeState(10, 2);
  std::optional<ConnectionSlot> admitted = state->TryAdmit("127.0.0.1");
  ASSERT_TRUE(admitted);
  ConnectionSlot moved(std::move(*admitted));
  admitted.reset();  // the moved-from slot holds nothing
  EXPECT_EQ(state->connections(), 1u);
  EXPECT_EQ(moved.ip(), "127.0.0.1");

  // Assigning over a slot releases what it held, then takes the other's place.
  std::optional<ConnectionSlot> other = state->TryAdmit("127.0.0.2");
  ASSERT_TRUE(other);
  EXPECT_EQ(state->connections(), 2u);
  moved = std::move(*other);
  EXPECT_EQ(state->connections(), 1u);
  EXPECT_EQ(moved.ip(), "127.0.0.2");
  other.reset();
  EXPECT_EQ(state->connections(), 1u);
  // 127.0.0.1 was released: two more fit under its per-address limit.
  auto x = state->TryAdmit("127.0.0.1");
  auto y = state->TryAdmit("127.0.0.1");
  EXPECT_TRUE(x && y);

  ConnectionSlot& self = moved;
  moved = std::move(self);  // self-assignment keeps the slot
  EXPECT_EQ(state->connections(), 3u);
  { ConnectionSlot gone = std::move(moved); }
  EXPECT_EQ(state->connections(), 2u);
}

TEST(SharedStateTest, ADefaultSlotHoldsNothing) {
  auto state = MakeState(1, 1);
  { ConnectionSlot empty; }
  EXPECT_EQ(state->connections(), 0u);
}

TEST(SharedStateTest, ASlotKeepsTheStateAlive) {
  auto state = MakeState(1, 1);
  auto slot = state->TryAdmit("127.0.0.1");
  ASSERT_TRUE(slot);
  std::weak_ptr<SharedState> weak = state;
  state.reset();
  EXPECT_FALSE(weak.expired());
  slot.reset();  // releases into the state it holds, which then goes
  EXPECT_TRUE(weak.expired());
}

TEST(SharedStateTest, ConcurrentAdmissionsNeverExceedTheLimits) {
  auto state = MakeState(50, 1000);
  constexpr int kThreads = 4, kTries = 40;
  std::vector<std::vector<ConnectionSlot>> held(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kTries; ++j) {
        if (auto s = state->TryAdmit("127.0.0.1")) held[i].push_back(std::move(*s));
      }
    });
  }
  for (auto& t : threads) t.join();
  size_t total = 0;
  for (auto& h : held) total += h.size();
  EXPECT_EQ(total, 50u);
  EXPECT_EQ(state->connections(), 50u);
  held.clear();
  EXPECT_EQ(state->connections(), 0u);
}

TEST(SharedStateTest, PeerIdsAreUniqueAndStartAtOne) {
  auto state = MakeState(1, 1);
  EXPECT_EQ(state->NextPeerId(), 1u);
  EXPECT_EQ(state->NextPeerId(), 2u);
  constexpr int kThreads = 4, kPerThread = 500;
  std::vector<std::vector<uint64_t>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < kPerThread; ++j) ids[i].push_back(state->NextPeerId());
    });
  }
  for (auto& t : threads) t.join();
  std::set<uint64_t> all;
  for (auto& v : ids) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*all.begin(), 3u);
  EXPECT_EQ(*all.rbegin(), static_cast<uint64_t>(2 + kThreads * kPerThread));
}

TEST(SharedStateTest, StoppingIsSetOnce) {
  auto state = MakeState(1, 1);
  EXPECT_FALSE(state->stopping());
  state->set_stopping();
  EXPECT_TRUE(state->stopping());
  state->set_stopping();
  EXPECT_TRUE(state->stopping());
}

TEST(SharedStateTest, LimitsAreCopied) {
  Limits limits;
  limits.max_message_bytes = 1234;
  auto state = std::make_shared<SharedState>(limits, SharedStateParts{});
  limits.max_message_bytes = 1;
  EXPECT_EQ(state->limits().max_message_bytes, 1234u);
}

TEST(SharedStateTest, MetricsShowConnectionsAndLoadedDocuments) {
  auto dir = std::filesystem::temp_directory_path() /
             ("accord-shared-state-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  {
    auto store = OpenSqliteDocumentStore(dir.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto state = MakeState(10, 10);
    EXPECT_EQ(state->documents_loaded(), 0u);  // no registry yet
    CommitQueue commits(**store, state->limits(), state->metrics());
    boost::asio::io_context ioc;
    RoomRegistry rooms(ioc, state->limits(), state->metrics(), **store, commits);
    state->set_commits(&commits);
    state->set_rooms(&rooms);
    EXPECT_EQ(&state->commits(), &commits);
    EXPECT_EQ(&state->rooms(), &rooms);
    auto room = rooms.Acquire("doc");
    ASSERT_TRUE(room.ok());
    auto slot = state->TryAdmit("127.0.0.1");
    ASSERT_TRUE(slot);
    EXPECT_EQ(state->documents_loaded(), 1u);

    auto res = state->router().Handle(HttpRequest{"GET", "/metrics"});
    EXPECT_EQ(res.status, 200);
    EXPECT_THAT(res.body, HasSubstr("accord_connections 1\n"));
    EXPECT_THAT(res.body, HasSubstr("accord_documents_loaded 1\n"));

    state->set_rooms(nullptr);
    EXPECT_EQ(state->documents_loaded(), 0u);
    rooms.ReleaseAllAfterShutdown();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace accord::server
