#include "document_service.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "accord/crdt/doc.h"
#include "document_store.h"

namespace accord::server {
namespace {

// Without rooms, the service reads the store: what was appended, or the empty document.
// (With rooms, the server suites read live drafts through the versions API.)
TEST(DocumentServiceTest, ReadsStoredStateOrTheEmptyDocument) {
  auto dir = std::filesystem::temp_directory_path() /
             ("accord-docservice-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto store = OpenSqliteDocumentStore(dir.string());
  ASSERT_TRUE(store.ok());
  DocumentService service(**store, nullptr);

  auto empty = service.CurrentState("statement.none");
  ASSERT_TRUE(empty.ok());
  crdt::Doc blank;
  EXPECT_EQ(*empty, *blank.EncodeStateAsUpdate());

  crdt::Doc doc;
  ASSERT_TRUE(doc.GetText("t")->Insert(0, "We declare").ok());
  auto update = doc.EncodeStateAsUpdate();
  PendingUpdate pending{"statement.s", *update};
  ASSERT_TRUE((*store)->AppendBatch(std::span(&pending, 1)).ok());
  auto state = service.CurrentState("statement.s");
  ASSERT_TRUE(state.ok());
  crdt::Doc copy;
  ASSERT_TRUE(copy.ApplyUpdate(*state).ok());
  EXPECT_EQ(copy.GetText("t")->ToString(), "We declare");
  std::filesystem::remove_all(dir);
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
