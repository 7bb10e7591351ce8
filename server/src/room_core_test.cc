#include "room_core.h"

#include <gtest/gtest.h>

#include <ctime>

#include "accord/proto/messages.h"
#include "room_core_test_support.h"

namespace accord::server {
namespace {

using core_test::Bytes;
using core_test::Closed;
using core_test::MakeUpdate;
using core_test::RecordingPeer;
using core_test::RecordingPersister;
using core_test::RecordingScheduler;

class RoomCoreTest : public ::testing::Test {
 protected:
  RoomCoreTest()
      : room_("doc", std::make_unique<crdt::Doc>(), limits_, metrics_, persister_, flushes_, 0) {}
  Limits limits_;
  Metrics metrics_;
  RecordingPersister persister_;
  RecordingScheduler flushes_;
  RoomCore room_;
};

TEST_F(RoomCoreTest, JoinSendsStep1AndSavedOnlyToPeersThatAskForIt) {
  auto plain = std::make_shared<RecordingPeer>(1);
  auto saved = std::make_shared<RecordingPeer>(2, false, true);
  room_.Join(plain);
  room_.Join(saved);
  auto p = plain->Decoded();
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].kind, proto::Message::Kind::kSyncStep1);
  auto s = saved->Decoded();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].kind, proto::Message::Kind::kSaved);
}

TEST_F(RoomCoreTest, Step1IsAnsweredWithTheMissingState) {
  auto a = std::make_shared<RecordingPeer>(1);
  room_.Join(a);
  auto update = MakeUpdate(7, "hello");
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(update)));
  auto b = std::make_shared<RecordingPeer>(2);
  room_.Join(b);
  room_.Receive(b, Bytes(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector())));
  auto got = b->Decoded();
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got[1].kind, proto::Message::Kind::kSyncStep2);
  crdt::Doc replica;
  ASSERT_TRUE(replica.ApplyUpdate(got[1].payload).ok());
  EXPECT_EQ(replica.GetText("t")->ToString(), "hello");
}

TEST_F(RoomCoreTest, APeerJoiningBeforeAFlushIsNotRelayedWhatItsGreetingAlreadyHolds) {
  auto [a, b] = core_test::JoinTwo(room_);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "hello"))));
  EXPECT_EQ(b->sent.size(), 1u);  // the relay waits for the flush...
  auto c = std::make_shared<RecordingPeer>(3);
  room_.Join(c);
  // ...but goes out before a newcomer is greeted: b has it, c hears only the greeting.
  auto bm = b->Decoded();
  ASSERT_EQ(bm.size(), 2u);
  EXPECT_EQ(bm[1].kind, proto::Message::Kind::kSyncUpdate);
  room_.Flush();
  auto cm = c->Decoded();
  ASSERT_EQ(cm.size(), 1u);
  EXPECT_EQ(cm[0].kind, proto::Message::Kind::kSyncStep1);
  EXPECT_EQ(cm[0].payload, room_.doc().EncodeStateVector());
  EXPECT_EQ(b->sent.size(), 2u);  // nothing twice
  EXPECT_EQ(a->sent.size(), 1u);  // the sender never hears its own update
}

TEST_F(RoomCoreTest, UpdatesAreRelayedToOthersAtTheNextFlushAndSavedAfterPersistInOrder) {
  auto a = std::make_shared<RecordingPeer>(1, false, true);
  auto b = std::make_shared<RecordingPeer>(2, false, true);
  room_.Join(a);
  room_.Join(b);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "x"))));
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(8, "y"))));
  ASSERT_EQ(persister_.updates.size(), 2u);  // stored one by one, at once
  EXPECT_EQ(flushes_.requests, 1);
  EXPECT_EQ(b->sent.size(), 2u);  // step1, saved(initial): nothing relayed before the flush
  room_.Flush();
  // b heard both updates, in one message, before anything was durable; a heard nothing back.
  auto bm = b->Decoded();
  ASSERT_EQ(bm.size(), 3u);
  EXPECT_EQ(bm[2].kind, proto::Message::Kind::kSyncUpdate);
  crdt::Doc replica;
  ASSERT_TRUE(replica.ApplyUpdate(bm[2].payload).ok());
  EXPECT_EQ(replica.EncodeStateVector(), room_.doc().EncodeStateVector());
  EXPECT_EQ(a->sent.size(), 2u);
  // The second commit finishing first must not claim the first is saved.
  persister_.Complete(1);
  EXPECT_EQ(b->sent.size(), 3u);
  persister_.Complete(0);
  bm = b->Decoded();
  ASSERT_EQ(bm.size(), 4u);
  ASSERT_EQ(bm[3].kind, proto::Message::Kind::kSaved);
  EXPECT_EQ(bm[3].payload, room_.doc().EncodeStateVector());
  EXPECT_EQ(room_.persists_in_flight(), 0u);
}

// The state vector of what `message` (a sync update) carries, applied to an empty document.
crdt::StateVector Carried(const proto::Message& message) {
  EXPECT_EQ(message.kind, proto::Message::Kind::kSyncUpdate);
  crdt::Doc d;
  EXPECT_TRUE(d.ApplyUpdate(message.payload).ok());
  return d.GetStateVector();
}

TEST_F(RoomCoreTest, UpdatesBeforeAFlushGoOutAsOneSharedMessageAndSendersHearOnlyTheOthers) {
  auto a = std::make_shared<RecordingPeer>(1);
  auto b = std::make_shared<RecordingPeer>(2);
  auto reader = std::make_shared<RecordingPeer>(3, /*read_only=*/true);
  auto watcher = std::make_shared<RecordingPeer>(4, false, /*wants_saved=*/true);
  for (const auto& p : {a, b, reader, watcher}) room_.Join(p);
  const size_t reader_before = reader->sent.size();
  const size_t watcher_before = watcher->sent.size();
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(10, "x"))));
  room_.Receive(b, Bytes(proto::EncodeSyncUpdate(MakeUpdate(20, "y"))));
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(11, "z"))));
  EXPECT_EQ(flushes_.requests, 1) << "one flush for the whole batch";
  EXPECT_EQ(room_.pending_relays(), 3u);
  EXPECT_EQ(persister_.updates.size(), 3u) << "storage stays per update";
  EXPECT_EQ(reader->sent.size(), reader_before);
  room_.Flush();
  EXPECT_EQ(room_.pending_relays(), 0u);

  // The read-only peer and the watcher get one message with all three, the same buffer.
  ASSERT_EQ(reader->sent.size(), reader_before + 1);
  ASSERT_EQ(watcher->sent.size(), watcher_before + 1);
  EXPECT_EQ(reader->sent.back().get(), watcher->sent.back().get());
  crdt::Doc replica;
  ASSERT_TRUE(replica.ApplyUpdate(reader->Decoded().back().payload).ok());
  EXPECT_EQ(replica.EncodeStateVector(), room_.doc().EncodeStateVector());
  EXPECT_EQ(replica.GetText("t")->ToString(), room_.doc().GetText("t")->ToString());

  // Each writer gets the batch without its own updates.
  crdt::StateVector to_a = Carried(a->Decoded().back());
  EXPECT_EQ(to_a.size(), 1u);
  EXPECT_TRUE(to_a.contains(20));
  crdt::StateVector to_b = Carried(b->Decoded().back());
  EXPECT_EQ(to_b.size(), 2u);
  EXPECT_TRUE(to_b.contains(10));
  EXPECT_TRUE(to_b.contains(11));

  // "saved" still follows each commit over the contiguous prefix.
  persister_.Complete(2);
  EXPECT_EQ(watcher->sent.size(), watcher_before + 1);
  persister_.Complete(0);
  ASSERT_EQ(watcher->sent.size(), watcher_before + 2);
  auto saved = watcher->Decoded().back();
  ASSERT_EQ(saved.kind, proto::Message::Kind::kSaved);
  crdt::Doc first;
  ASSERT_TRUE(first.ApplyUpdate(MakeUpdate(10, "x")).ok());
  EXPECT_EQ(saved.payload, first.EncodeStateVector());
  persister_.Complete(1);
  ASSERT_EQ(watcher->sent.size(), watcher_before + 3);
  EXPECT_EQ(watcher->Decoded().back().payload, room_.doc().EncodeStateVector());

  // A new batch asks for a new flush; a flush with nothing pending sends nothing.
  room_.Flush();
  EXPECT_EQ(reader->sent.size(), reader_before + 1);
  room_.Receive(b, Bytes(proto::EncodeSyncUpdate(MakeUpdate(21, "w"))));
  EXPECT_EQ(flushes_.requests, 2);
}

TEST_F(RoomCoreTest, SavedAndAwarenessNeverOvertakePendingUpdates) {
  auto a = std::make_shared<RecordingPeer>(1);
  auto watcher = std::make_shared<RecordingPeer>(2, false, /*wants_saved=*/true);
  room_.Join(a);
  room_.Join(watcher);
  const size_t before = watcher->sent.size();
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "x"))));
  // Awareness arriving while the update waits queues behind it.
  std::vector<uint8_t> awareness = {1, 5, 1, 2, '{', '}'};
  room_.Receive(a, Bytes(proto::EncodeAwareness(awareness)));
  EXPECT_EQ(watcher->sent.size(), before);
  // The commit finishing before the flush sends the update first, then "saved".
  persister_.Complete(0);
  auto got = watcher->Decoded();
  ASSERT_EQ(got.size(), before + 3);
  EXPECT_EQ(got[before].kind, proto::Message::Kind::kSyncUpdate);
  EXPECT_EQ(got[before + 1].kind, proto::Message::Kind::kAwareness);
  EXPECT_EQ(got[before + 2].kind, proto::Message::Kind::kSaved);
  // The sender heard its awareness, not its update.
  ASSERT_EQ(a->Decoded().back().kind, proto::Message::Kind::kAwareness);
  // The scheduled flush finds nothing left.
  room_.Flush();
  EXPECT_EQ(watcher->sent.size(), before + 3);
}

TEST_F(RoomCoreTest, AwarenessChangesBeforeAFlushGoOutAsOneMessageWithTheLatestStates) {
  auto [a, b] = core_test::JoinTwo(room_);
  const size_t before = b->sent.size();
  room_.Receive(a, Bytes(proto::EncodeAwareness(std::vector<uint8_t>{1, 5, 1, 2, '{', '}'})));
  room_.Receive(b, Bytes(proto::EncodeAwareness(std::vector<uint8_t>{1, 6, 1, 1, '1'})));
  room_.Receive(a, Bytes(proto::EncodeAwareness(std::vector<uint8_t>{1, 5, 2, 1, '2'})));
  EXPECT_EQ(flushes_.requests, 1);
  EXPECT_EQ(b->sent.size(), before);
  room_.Flush();
  ASSERT_EQ(b->sent.size(), before + 1);
  EXPECT_EQ(a->sent.back().get(), b->sent.back().get()) << "everyone, the senders included";
  auto entries = proto::DecodeAwarenessUpdate(b->Decoded().back().payload);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0], (proto::AwarenessEntry{5, 2, "2"}));
  EXPECT_EQ((*entries)[1], (proto::AwarenessEntry{6, 1, "1"}));
}

TEST_F(RoomCoreTest, AClientBatchedWithAServerUpdateHearsTheServers) {
  auto [a, b] = core_test::JoinTwo(room_);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "x"))));
  room_.ApplyServerUpdate(MakeUpdate(41, "merged"), {}, [](Status) {});
  room_.Flush();
  crdt::StateVector to_a = Carried(a->Decoded().back());
  EXPECT_EQ(to_a.size(), 1u);
  EXPECT_TRUE(to_a.contains(41));
  EXPECT_EQ(Carried(b->Decoded().back()).size(), 2u);
}

TEST_F(RoomCoreTest, ClosingSendsPendingUpdatesFirst) {
  auto a = std::make_shared<RecordingPeer>(1);
  auto b = std::make_shared<RecordingPeer>(2);
  b->mutable_info().user_id = 8;
  room_.Join(a);
  room_.Join(b);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "x"))));
  room_.CloseWhere([](const PeerInfo& p) { return p.user_id == 8; }, CloseCode::kRightsChanged,
                   "rights changed");
  EXPECT_EQ(b->Decoded().back().kind, proto::Message::Kind::kSyncUpdate);
  ASSERT_EQ(b->closed.size(), 1u);
}

TEST_F(RoomCoreTest, ClientIdsBelongToTheUserWhoFirstWroteUnderThem) {
  auto ana = std::make_shared<RecordingPeer>(1);
  ana->mutable_info().user_id = 7;
  auto bob = std::make_shared<RecordingPeer>(2);
  bob->mutable_info().user_id = 8;
  room_.SeedAuthors({ClientAuthor{500, 8, 1}});  // stored: bob wrote under 500 before
  room_.Join(ana);
  room_.Join(bob);
  // Ana's first update under client 41 is recorded as hers.
  room_.Receive(ana, Bytes(proto::EncodeSyncUpdate(MakeUpdate(41, "ana"))));
  ASSERT_EQ(persister_.authorships.size(), 1u);
  EXPECT_EQ(persister_.authorships[0], (std::vector<ClientAuthor>{{41, 7, 0}}));

  // Bob relaying Ana's structs with nothing new is harmless (a duplicate: nothing stored).
  room_.Receive(bob, Bytes(proto::EncodeSyncUpdate(MakeUpdate(41, "ana"))));
  EXPECT_TRUE(bob->closed.empty());
  EXPECT_EQ(persister_.updates.size(), 1u);

  // Ana writing under Bob's stored client id, or Bob under Ana's, is refused and changes
  // nothing; each may go on under their own.
  const std::string before = room_.doc().GetText("t")->ToString();
  auto forged = std::make_shared<RecordingPeer>(3);
  forged->mutable_info().user_id = 7;
  room_.Join(forged);
  room_.Receive(forged, Bytes(proto::EncodeSyncUpdate(MakeUpdate(500, "in bob's name"))));
  ASSERT_EQ(forged->closed.size(), 1u);
  EXPECT_EQ(forged->closed[0].code, CloseCode::kPolicy);
  EXPECT_NE(forged->closed[0].reason.find("another account"), std::string::npos);
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), before);
  EXPECT_EQ(persister_.updates.size(), 1u);
  room_.Receive(bob, Bytes(proto::EncodeSyncUpdate(MakeUpdate(500, "bob"))));
  EXPECT_TRUE(bob->closed.empty());
  ASSERT_EQ(persister_.authorships.size(), 2u);
  EXPECT_TRUE(persister_.authorships[1].empty()) << "500 was bob's already";
}

TEST_F(RoomCoreTest, ServerUpdatesReachEveryPeerAndAreDoneOnlyWhenStored) {
  auto a = std::make_shared<RecordingPeer>(1, false, true);
  auto b = std::make_shared<RecordingPeer>(2);
  room_.Join(a);
  room_.Join(b);
  room_.SeedAuthors({ClientAuthor{41, 7, 1}});
  std::vector<Status> done;
  room_.ApplyServerUpdate(MakeUpdate(41, "merged"), {{41, 99, 0}, {0, 0, 0}},
                          [&](Status s) { done.push_back(s); });
  room_.Flush();
  // Relayed to everyone (nobody sent it), not done before it is stored.
  EXPECT_EQ(a->Decoded().back().kind, proto::Message::Kind::kSyncUpdate);
  EXPECT_EQ(b->Decoded().back().kind, proto::Message::Kind::kSyncUpdate);
  EXPECT_TRUE(done.empty());
  ASSERT_EQ(persister_.authorships.size(), 1u);
  EXPECT_TRUE(persister_.authorships[0].empty()) << "41 keeps its first author; 0 is nobody";
  persister_.Complete(0);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_TRUE(done[0].ok());
  EXPECT_EQ(a->Decoded().back().kind, proto::Message::Kind::kSaved);

  // Nothing new: done at once, nothing stored. Garbage: refused, nothing changed.
  room_.ApplyServerUpdate(MakeUpdate(41, "merged"), {}, [&](Status s) { done.push_back(s); });
  ASSERT_EQ(done.size(), 2u);
  EXPECT_TRUE(done[1].ok());
  room_.ApplyServerUpdate(std::vector<uint8_t>{0xff, 0x01}, {},
                          [&](Status s) { done.push_back(s); });
  ASSERT_EQ(done.size(), 3u);
  EXPECT_FALSE(done[2].ok());
  EXPECT_EQ(persister_.updates.size(), 1u);
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), "merged");
}

TEST_F(RoomCoreTest, AReadOnlyPeersSyncReplyWithNothingNewIsNoWrite) {
  // The document has a deletion, so every client's step 2 carries a delete set.
  crdt::Doc writer;
  writer.set_client_id(5);
  ASSERT_TRUE(writer.GetText("t")->Insert(0, "peace and bread").ok());
  ASSERT_TRUE(writer.GetText("t")->Delete(5, 4).ok());
  auto w = std::make_shared<RecordingPeer>(1);
  room_.Join(w);
  room_.Receive(w, Bytes(proto::EncodeSyncUpdate(*writer.EncodeStateAsUpdate())));
  crdt::Doc reader;
  ASSERT_TRUE(reader.ApplyUpdate(*writer.EncodeStateAsUpdate()).ok());
  auto ro = std::make_shared<RecordingPeer>(2, true);
  room_.Join(ro);
  // Its answer to the server's step 1: nothing the server lacks, but the delete set.
  room_.Receive(
      ro,
      Bytes(proto::EncodeSyncStep2(*reader.EncodeStateAsUpdate(room_.doc().EncodeStateVector()))));
  for (const auto& m : ro->Decoded()) {
    EXPECT_NE(m.kind, proto::Message::Kind::kPermissionDenied) << "no spurious denial";
  }
  // A real change is still refused.
  ASSERT_TRUE(reader.GetText("t")->Insert(0, "X").ok());
  room_.Receive(ro, Bytes(proto::EncodeSyncUpdate(*reader.EncodeStateAsUpdate())));
  EXPECT_EQ(ro->Decoded().back().kind, proto::Message::Kind::kPermissionDenied);
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), "peace bread");
}

TEST_F(RoomCoreTest, ReadOnlyPeerUpdatesAreDeniedNeverAppliedOrStored) {
  auto ro = std::make_shared<RecordingPeer>(1, true);
  room_.Join(ro);
  room_.Receive(ro, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "no"))));
  EXPECT_TRUE(persister_.updates.empty());
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), "");
  auto got = ro->Decoded();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].kind, proto::Message::Kind::kPermissionDenied);
  EXPECT_TRUE(ro->closed.empty());
  // An empty step 2 (nothing to offer) is not an edit and is not denied.
  room_.Receive(ro, Bytes(proto::EncodeSyncStep2(std::vector<uint8_t>{0, 0})));
  EXPECT_EQ(ro->sent.size(), 2u);
}

TEST_F(RoomCoreTest, WritesLapseAtTheirDeadlineWithoutAReconnect) {
  auto before = std::make_shared<RecordingPeer>(1);
  before->mutable_info().write_until = std::time(nullptr) + 3600;  // deadline ahead: writes
  auto after = std::make_shared<RecordingPeer>(2);
  after->mutable_info().write_until = std::time(nullptr) - 1;  // deadline passed: refused
  room_.Join(before);
  room_.Join(after);
  room_.Receive(before, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "in time"))));
  room_.Receive(after, Bytes(proto::EncodeSyncUpdate(MakeUpdate(8, "late"))));
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), "in time");
  auto got = after->Decoded();
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back().kind, proto::Message::Kind::kPermissionDenied);
  EXPECT_EQ(got.back().reason, "the deadline of this phase has passed");
  EXPECT_TRUE(after->closed.empty());
}

TEST_F(RoomCoreTest, CloseWhereClosesOnlyTheSelectedPeers) {
  auto mine = std::make_shared<RecordingPeer>(1);
  mine->mutable_info().user_id = 7;
  auto other = std::make_shared<RecordingPeer>(2);
  other->mutable_info().user_id = 8;
  room_.Join(mine);
  room_.Join(other);
  room_.CloseWhere([](const PeerInfo& p) { return p.user_id == 7; }, CloseCode::kRightsChanged,
                   "rights changed");
  ASSERT_EQ(mine->closed.size(), 1u);
  EXPECT_EQ(mine->closed[0].code, CloseCode::kRightsChanged);
  EXPECT_TRUE(other->closed.empty());
}

TEST_F(RoomCoreTest, MalformedAndHostileMessagesCloseOnlyTheSender) {
  auto bad = std::make_shared<RecordingPeer>(1);
  auto good = std::make_shared<RecordingPeer>(2);
  room_.Join(bad);
  room_.Join(good);
  room_.Receive(bad, Bytes(std::vector<uint8_t>{0x07}));  // unknown message type
  ASSERT_EQ(bad->closed.size(), 1u);
  EXPECT_EQ(bad->closed[0].code, CloseCode::kPolicy);
  EXPECT_EQ(room_.peer_count(), 1u);

  auto hostile = std::make_shared<RecordingPeer>(3);
  room_.Join(hostile);
  std::vector<uint8_t> garbage = {1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0, 4, 1};
  room_.Receive(hostile, Bytes(proto::EncodeSyncUpdate(garbage)));
  ASSERT_EQ(hostile->closed.size(), 1u);
  EXPECT_EQ(hostile->closed[0].code, CloseCode::kPolicy);
  EXPECT_TRUE(persister_.updates.empty());
  EXPECT_EQ(metrics_.rejections_invalid_update.load(), 1u);

  // The good peer still works.
  room_.Receive(good, Bytes(proto::EncodeSyncUpdate(MakeUpdate(9, "ok"))));
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), "ok");
  EXPECT_TRUE(good->closed.empty());
}

TEST_F(RoomCoreTest, ClientsMayNotSendSaved) {
  auto a = std::make_shared<RecordingPeer>(1);
  room_.Join(a);
  room_.Receive(a, Bytes(proto::EncodeSaved(std::vector<uint8_t>{0})));
  ASSERT_EQ(a->closed.size(), 1u);
  EXPECT_EQ(a->closed[0].code, CloseCode::kPolicy);
}

TEST_F(RoomCoreTest, DocumentSizeLimitRefusesTheUpdateWithoutApplyingIt) {
  limits_.max_document_bytes = 64;
  auto a = std::make_shared<RecordingPeer>(1);
  room_.Join(a);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, std::string(200, 'x')))));
  ASSERT_EQ(a->closed.size(), 1u);
  EXPECT_EQ(a->closed[0].code, CloseCode::kDocumentTooLarge);
  EXPECT_EQ(room_.doc().GetText("t")->ToString(), "");
  EXPECT_TRUE(persister_.updates.empty());
}

TEST_F(RoomCoreTest, AwarenessIsRelayedToEveryoneAndRemovedOnLeave) {
  auto [a, b] = core_test::JoinTwo(room_);
  // One client (id 5), clock 1, state {"user":"ann"}.
  std::vector<uint8_t> update = {1, 5, 1};
  std::string json = "{\"user\":\"ann\"}";
  update.push_back(static_cast<uint8_t>(json.size()));
  update.insert(update.end(), json.begin(), json.end());
  room_.Receive(a, Bytes(proto::EncodeAwareness(update)));
  room_.Flush();
  EXPECT_EQ(a->Decoded().back().kind, proto::Message::Kind::kAwareness);
  EXPECT_EQ(b->Decoded().back().kind, proto::Message::Kind::kAwareness);
  // A late joiner hears the current states.
  auto c = std::make_shared<RecordingPeer>(3);
  room_.Join(c);
  EXPECT_EQ(c->Decoded().back().kind, proto::Message::Kind::kAwareness);
  size_t before = b->sent.size();
  room_.Leave(1);
  room_.Flush();
  ASSERT_EQ(b->sent.size(), before + 1);
  auto removal = proto::DecodeAwarenessUpdate(b->Decoded().back().payload);
  ASSERT_TRUE(removal.ok());
}

TEST_F(RoomCoreTest, PersistFailureClosesEveryoneAndRefusesNewPeers) {
  auto a = std::make_shared<RecordingPeer>(1, false, true);
  room_.Join(a);
  room_.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(7, "x"))));
  size_t sent = a->sent.size();
  persister_.Complete(0, Status::IOError("disk full"));
  ASSERT_EQ(a->closed.size(), 1u);
  EXPECT_EQ(a->closed[0].code, CloseCode::kInternal);
  EXPECT_EQ(a->sent.size(), sent);  // no "saved"
  EXPECT_TRUE(room_.failed());
  auto b = std::make_shared<RecordingPeer>(2);
  room_.Join(b);
  ASSERT_EQ(b->closed.size(), 1u);
  EXPECT_EQ(room_.peer_count(), 0u);
}

TEST(RoomCoreFullStateTest, ANewClientGetsTheGivenFullStateUntilTheDocumentChanges) {
  Limits limits;
  Metrics metrics;
  RecordingPersister persister;
  RecordingScheduler flushes;
  std::vector<uint8_t> snapshot = MakeUpdate(7, "stored");
  auto doc = std::make_unique<crdt::Doc>();
  ASSERT_TRUE(doc->ApplyUpdate(snapshot).ok());
  RoomCore room("doc", std::move(doc), limits, metrics, persister, flushes, snapshot.size(),
                snapshot);
  auto a = std::make_shared<RecordingPeer>(1);
  room.Join(a);
  room.Receive(a, Bytes(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector())));
  auto got = a->Decoded();
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got[1].kind, proto::Message::Kind::kSyncStep2);
  EXPECT_EQ(std::vector<uint8_t>(got[1].payload.begin(), got[1].payload.end()), snapshot);
  // After an edit the answer is encoded afresh and holds the edit too.
  room.Receive(a, Bytes(proto::EncodeSyncUpdate(MakeUpdate(8, "new"))));
  auto b = std::make_shared<RecordingPeer>(2);
  room.Join(b);
  room.Receive(b, Bytes(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector())));
  auto bm = b->Decoded();
  ASSERT_EQ(bm.size(), 2u);
  crdt::Doc replica;
  ASSERT_TRUE(replica.ApplyUpdate(bm[1].payload).ok());
  std::string content = replica.GetText("t")->ToString();
  EXPECT_NE(content.find("stored"), std::string::npos);
  EXPECT_NE(content.find("new"), std::string::npos);
  // A client that already has part of it still gets only what it lacks.
  auto c = std::make_shared<RecordingPeer>(3);
  room.Join(c);
  room.Receive(c, Bytes(proto::EncodeSyncStep1(replica.EncodeStateVector())));
  auto cm = c->Decoded();
  ASSERT_EQ(cm.size(), 2u);
  crdt::Doc empty_diff;
  ASSERT_TRUE(empty_diff.ApplyUpdate(cm[1].payload).ok());
  EXPECT_EQ(empty_diff.GetText("t")->ToString(), "");
}

}  // namespace
}  // namespace accord::server
