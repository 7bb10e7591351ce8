// RoomCore made from a stored snapshot alone (UnbuiltDocument): it serves new clients from the
// snapshot without building the document, and builds it only when something needs it.
#include <gtest/gtest.h>

#include "accord/crdt/doc.h"
#include "accord/proto/awareness.h"
#include "accord/proto/messages.h"
#include "room_core.h"
#include "room_core_test_support.h"

namespace accord::server {
namespace {

using core_test::Bytes;
using core_test::MakeUpdate;
using core_test::RecordingPeer;
using core_test::RecordingPersister;
using core_test::RecordingScheduler;

std::unique_ptr<crdt::Doc> DocOf(const std::vector<uint8_t>& update) {
  auto doc = std::make_unique<crdt::Doc>();
  EXPECT_TRUE(doc->ApplyUpdate(update).ok());
  return doc;
}

std::vector<uint8_t> EmptyStep1() {
  return proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector());
}

// An awareness message: client `client` at clock 1 with state `json`.
std::vector<uint8_t> Awareness(uint64_t client, const std::string& json) {
  const std::vector<proto::AwarenessEntry> entries{{client, 1, json}};
  return proto::EncodeAwareness(proto::EncodeAwarenessUpdate(entries));
}

class RecordingBuilder : public DocumentBuilder {
 public:
  void BuildDocument(std::shared_ptr<const std::vector<uint8_t>> snapshot) override {
    ++requests;
    asked_for = std::move(snapshot);
  }
  int requests = 0;
  std::shared_ptr<const std::vector<uint8_t>> asked_for;
};

class RoomCoreLoadingTest : public ::testing::Test {
 protected:
  RoomCoreLoadingTest()
      : snapshot_(MakeUpdate(7, "stored text")),
        room_("doc", UnbuiltDocument{snapshot_, DocOf(snapshot_)->EncodeStateVector()}, builder_,
              limits_, metrics_, persister_, flushes_, snapshot_.size()) {}

  // What the builder would hand back.
  void Build() {
    ASSERT_EQ(builder_.requests, 1);
    ASSERT_TRUE(builder_.asked_for);
    room_.FinishBuild(DocOf(*builder_.asked_for));
  }

  std::vector<uint8_t> snapshot_;
  RecordingBuilder builder_;
  Limits limits_;
  Metrics metrics_;
  RecordingPersister persister_;
  RecordingScheduler flushes_;
  RoomCore room_;
};

TEST_F(RoomCoreLoadingTest, ANewClientIsServedFromTheSnapshotWithoutBuildingIt) {
  ASSERT_FALSE(room_.built());
  auto a = std::make_shared<RecordingPeer>(1, false, /*wants_saved=*/true);
  room_.Join(a);
  // Greeted at once: the snapshot's state vector is the document's, and it is all saved.
  auto got = a->Decoded();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].kind, proto::Message::Kind::kSyncStep1);
  const auto sv = DocOf(snapshot_)->EncodeStateVector();
  EXPECT_EQ(std::vector<uint8_t>(got[0].payload.begin(), got[0].payload.end()), sv);
  EXPECT_EQ(got[1].kind, proto::Message::Kind::kSaved);
  EXPECT_EQ(std::vector<uint8_t>(got[1].payload.begin(), got[1].payload.end()), sv);

  room_.Receive(a, Bytes(EmptyStep1()));
  got = a->Decoded();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[2].kind, proto::Message::Kind::kSyncStep2);
  EXPECT_EQ(std::vector<uint8_t>(got[2].payload.begin(), got[2].payload.end()), snapshot_);
  // Its answer to our step 1 (nothing new) and its cursor need no document either.
  room_.Receive(a, Bytes(proto::EncodeSyncStep2(crdt::Doc().EncodeStateAsUpdate().value())));
  room_.Receive(a, Bytes(Awareness(9, "{\"cursor\":1}")));
  room_.Flush();
  got = a->Decoded();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[3].kind, proto::Message::Kind::kAwareness);
  EXPECT_FALSE(room_.build_requested());
  EXPECT_EQ(builder_.requests, 0);
  EXPECT_TRUE(persister_.updates.empty());
}

TEST_F(RoomCoreLoadingTest, EverythingElseWaitsAndIsReplayedInOrder) {
  auto [a, b] = core_test::JoinTwo(room_);
  // a edits and moves its cursor; b, which has client 7's text already, asks what it lacks.
  const auto edit = MakeUpdate(9, "new ");
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(edit)));
  room_.Receive(a, Bytes(Awareness(9, "{\"cursor\":1}")));
  room_.Receive(b, Bytes(proto::EncodeSyncStep1(DocOf(snapshot_)->EncodeStateVector())));
  std::optional<Status> server_done;
  room_.ApplyServerUpdate(MakeUpdate(11, "server "), {},
                          [&](Status s) { server_done = std::move(s); });
  std::string seen_by_task;
  room_.RunWhenBuilt([&] { seen_by_task = room_.doc().GetText("t")->ToString(); });
  // The edit asked for the document, once; until it comes, nothing more is sent.
  EXPECT_EQ(builder_.requests, 1);
  EXPECT_EQ(a->sent.size(), 1u);  // the greeting
  EXPECT_EQ(b->sent.size(), 1u);
  EXPECT_TRUE(persister_.updates.empty());
  EXPECT_FALSE(server_done.has_value());
  EXPECT_TRUE(seen_by_task.empty());
  // What waits must keep the room loaded (Room::ScheduleUnload asks this).
  EXPECT_TRUE(room_.has_pending_work());

  Build();
  EXPECT_TRUE(room_.built());
  // In the order they came: a's edit and the server's were applied and handed to storage,
  // then the task ran and saw both.
  ASSERT_EQ(persister_.updates.size(), 2u);
  EXPECT_NE(seen_by_task.find("new "), std::string::npos);
  EXPECT_NE(seen_by_task.find("server "), std::string::npos);
  EXPECT_NE(seen_by_task.find("stored text"), std::string::npos);
  EXPECT_TRUE(room_.has_pending_work());  // two updates being stored
  persister_.Complete(1);
  persister_.Complete(0);
  EXPECT_FALSE(room_.has_pending_work());
  ASSERT_TRUE(server_done.has_value());
  EXPECT_TRUE(server_done->ok());
  room_.Flush();
  // b: its greeting, the answer to its step 1 (nothing of client 7 again), then the edits and
  // a's awareness (which waited behind a's edit).
  auto got = b->Decoded();
  ASSERT_GE(got.size(), 4u);
  EXPECT_EQ(got[0].kind, proto::Message::Kind::kSyncStep1);
  EXPECT_EQ(got[1].kind, proto::Message::Kind::kSyncStep2);
  bool relayed_edit = false;
  bool relayed_awareness = false;
  for (size_t i = 2; i < got.size(); ++i) {
    if (got[i].kind == proto::Message::Kind::kSyncUpdate) {
      crdt::Doc check;
      ASSERT_TRUE(check.ApplyUpdate(snapshot_).ok());
      ASSERT_TRUE(check.ApplyUpdate(got[i].payload).ok());
      relayed_edit = check.GetText("t")->ToString().find("new ") != std::string::npos;
      EXPECT_FALSE(relayed_awareness) << "a cursor arrived before the text it points into";
    }
    if (got[i].kind == proto::Message::Kind::kAwareness) relayed_awareness = true;
  }
  EXPECT_TRUE(relayed_edit);
  EXPECT_TRUE(relayed_awareness);
}

TEST_F(RoomCoreLoadingTest, APeerThatLeavesWhileLoadingIsNotAnsweredButItsEditIsKept) {
  auto [a, b] = core_test::JoinTwo(room_);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(9, "typed "))));
  room_.Receive(a, Bytes(proto::EncodeSyncStep1(DocOf(snapshot_)->EncodeStateVector())));
  room_.Leave(1);
  EXPECT_TRUE(room_.has_pending_work());
  Build();
  EXPECT_EQ(a->sent.size(), 1u);  // the greeting only: its step 1 is not answered
  // Its edit is applied, stored and relayed as a built room would have done on receipt.
  ASSERT_EQ(persister_.updates.size(), 1u);
  const std::string text = room_.doc().GetText("t")->ToString();
  EXPECT_NE(text.find("typed "), std::string::npos) << text;
  EXPECT_NE(text.find("stored text"), std::string::npos) << text;
  room_.Flush();
  bool relayed = false;
  for (const auto& m : b->Decoded()) relayed |= m.kind == proto::Message::Kind::kSyncUpdate;
  EXPECT_TRUE(relayed);
}

TEST_F(RoomCoreLoadingTest, MalformedInputIsRefusedAtOnceEvenWhileLoading) {
  auto a = std::make_shared<RecordingPeer>(1);
  room_.Join(a);
  const std::vector<uint8_t> unknown_type = {42, 0};
  room_.Receive(a, Bytes(unknown_type));
  ASSERT_EQ(a->closed.size(), 1u);
  EXPECT_EQ(a->closed[0].code, CloseCode::kPolicy);
  EXPECT_EQ(room_.peer_count(), 0u);
  EXPECT_FALSE(room_.build_requested());
}

TEST_F(RoomCoreLoadingTest, APeerThatSendsTooMuchWhileLoadingIsClosedWith1013) {
  limits_.send_queue_bytes = 64;
  auto [a, b] = core_test::JoinTwo(room_);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(9, std::string(100, 'Q')))));
  ASSERT_EQ(a->closed.size(), 1u);
  EXPECT_EQ(a->closed[0].code, CloseCode::kTryAgainLater);
  EXPECT_EQ(metrics_.rejections_limit.load(), 1u);
  // b's small edit still waits and is applied once loaded; a's never is.
  room_.Receive(b, Bytes(proto::EncodeSyncUpdate(MakeUpdate(10, "ok"))));
  EXPECT_TRUE(b->closed.empty());
  Build();
  ASSERT_EQ(persister_.updates.size(), 1u);
  EXPECT_EQ(room_.doc().GetText("t")->ToString().find('Q'), std::string::npos);
}

TEST_F(RoomCoreLoadingTest, AFailedLoadClosesEveryoneAndRefusesWhatWaited) {
  auto a = std::make_shared<RecordingPeer>(1);
  room_.Join(a);
  room_.Receive(a, Bytes(EmptyStep1()));  // answered from the snapshot
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(9, "lost"))));
  std::optional<Status> server_done;
  room_.ApplyServerUpdate(MakeUpdate(11, "server "), {},
                          [&](Status s) { server_done = std::move(s); });
  bool task_saw_failure = false;
  room_.RunWhenBuilt([&] { task_saw_failure = room_.failed(); });

  ASSERT_EQ(builder_.requests, 1);
  room_.FinishBuild(Status::Corruption("stored document 'doc': its snapshot lacks structs"));
  EXPECT_TRUE(room_.failed());
  ASSERT_EQ(a->closed.size(), 1u);
  EXPECT_EQ(a->closed[0].code, CloseCode::kInternal);
  EXPECT_EQ(a->sent.size(), 2u);  // the greeting and the snapshot
  EXPECT_TRUE(persister_.updates.empty());
  ASSERT_TRUE(server_done.has_value());
  EXPECT_EQ(server_done->code(), Status::Code::kUnavailable);
  EXPECT_TRUE(task_saw_failure);

  // Until the room is reloaded, newcomers are refused.
  auto c = std::make_shared<RecordingPeer>(3);
  room_.Join(c);
  ASSERT_EQ(c->closed.size(), 1u);
  EXPECT_EQ(c->closed[0].code, CloseCode::kInternal);
  EXPECT_EQ(room_.peer_count(), 0u);
}

}  // namespace
}  // namespace accord::server
