#include "document_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "accord/crdt/doc.h"
#include "accord/proto/messages.h"
#include "document_loader.h"
#include "document_store.h"
#include "room.h"
#include "room_registry.h"
#include "room_test_support.h"

namespace accord::server {
namespace {

using test_support::MakeUpdate;
using test_support::TestPeer;
using test_support::TextOf;

std::string TextOfState(const Result<std::vector<uint8_t>>& state) {
  EXPECT_TRUE(state.ok()) << state.status().ToString();
  return state.ok() ? TextOf(*state) : "";
}

// Without rooms, the service reads and writes the store: what was appended, or the empty
// document; an update is stored only if it applies.
class DocumentServiceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-docservice-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    service_ = std::make_unique<DocumentService>(*store_, nullptr);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::filesystem::path dir_;
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<DocumentService> service_;
};

TEST_F(DocumentServiceStoreTest, ReadsStoredStateOrTheEmptyDocument) {
  auto empty = service_->CurrentState("statement.none");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*empty, *crdt::Doc().EncodeStateAsUpdate());
  PendingUpdate pending{"statement.s", MakeUpdate(5, "We declare")};
  ASSERT_TRUE(store_->AppendBatch(std::span(&pending, 1)).ok());
  EXPECT_EQ(TextOfState(service_->CurrentState("statement.s")), "We declare");
}

TEST_F(DocumentServiceStoreTest, AppliesUpdatesThatApplyAndRecordsTheirAuthors) {
  ASSERT_TRUE(service_->Apply("statement.s", MakeUpdate(5, "We declare"), {{5, 42, 0}}).ok());
  EXPECT_EQ(TextOfState(service_->CurrentState("statement.s")), "We declare");
  auto authors = service_->Authors("statement.s");
  ASSERT_TRUE(authors.ok());
  ASSERT_EQ(authors->size(), 1u);
  EXPECT_EQ((*authors)[0].client_id, 5u);
  EXPECT_EQ((*authors)[0].user_id, 42);
  // Garbage is refused and nothing is stored.
  EXPECT_FALSE(service_->Apply("statement.s", {0xff, 0xff, 0xff}, {}).ok());
  EXPECT_EQ(store_->Info("statement.s")->update_count, 1u);
}

// With rooms: the live document is read on its strand, and a server update reaches its peers
// and the store before Apply returns.
class DocumentServiceRoomTest : public test_support::RoomFixture {};

TEST_F(DocumentServiceRoomTest, ReadsTheLiveRoomAndAppliesThroughIt) {
  Start();
  DocumentService service(*store_, registry_.get());
  auto room = Acquire("statement.s");
  ASSERT_TRUE(room);
  auto peer = std::make_shared<TestPeer>(1);
  room->Join(peer);
  auto update = MakeUpdate(7, "Peace and bread");
  room->Receive(peer, [&] {
    auto m = proto::EncodeSyncUpdate(update);
    return std::string(m.begin(), m.end());
  }());
  // The room has it at once; the read goes through the strand, behind the message.
  EXPECT_EQ(TextOfState(service.CurrentState("statement.s")), "Peace and bread");

  // A server-made update (another client's insertion, as a merge brings) is relayed to the
  // peer and stored when Apply returns, with its author.
  crdt::Doc other;
  other.set_client_id(9);
  ASSERT_TRUE(other.ApplyUpdate(update).ok());
  std::vector<uint8_t> merged;
  auto id = other.OnUpdate(
      [&](std::span<const uint8_t> u, const void*) { merged.assign(u.begin(), u.end()); });
  ASSERT_TRUE(other.GetText("t")->Insert(0, "Land, ").ok());
  other.Unobserve(id);
  ASSERT_TRUE(service.Apply("statement.s", merged, {{9, 77, 0}}).ok());
  EXPECT_EQ(TextOf(*ExportDocument(*inner_, "statement.s")), "Land, Peace and bread");
  auto messages = peer->WaitMessages(2);
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages.back().kind, proto::Message::Kind::kSyncUpdate);
  auto authors = service.Authors("statement.s");
  ASSERT_TRUE(authors.ok());
  bool found = false;
  for (const auto& a : *authors) found = found || (a.client_id == 9 && a.user_id == 77);
  EXPECT_TRUE(found);
  room->Leave(1);
}

// Create stores the given state as the document's first update, once: a second Create of the
// same name, or a Create over a document that has updates, is refused and changes nothing.
TEST(DocumentServiceTest, CreatesADocumentFromAStateOnce) {
  auto dir = std::filesystem::temp_directory_path() /
             ("accord-docservice-create-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto store = OpenSqliteDocumentStore(dir.string());
  ASSERT_TRUE(store.ok());
  DocumentService service(**store, nullptr);

  crdt::Doc base;
  ASSERT_TRUE(base.GetText("t")->Insert(0, "Base text").ok());
  auto state = base.EncodeStateAsUpdate();
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE(service.Create("statement.s.amendment.1", *state).ok());
  auto info = (*store)->Info("statement.s.amendment.1");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->update_count, 1u);
  auto read = service.CurrentState("statement.s.amendment.1");
  ASSERT_TRUE(read.ok());
  crdt::Doc copy;
  ASSERT_TRUE(copy.ApplyUpdate(*read).ok());
  EXPECT_EQ(copy.GetText("t")->ToString(), "Base text");

  crdt::Doc other;
  ASSERT_TRUE(other.GetText("t")->Insert(0, "Other").ok());
  EXPECT_EQ(service.Create("statement.s.amendment.1", *other.EncodeStateAsUpdate()).code(),
            Status::Code::kAlreadyExists);
  info = (*store)->Info("statement.s.amendment.1");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->update_count, 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace accord::server
