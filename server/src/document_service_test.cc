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

}  // namespace
}  // namespace accord::server
