#include <gtest/gtest.h>

#include <filesystem>

#include "comment_store.h"
#include "drafting_store.h"
#include "scratch_dir_test_support.h"
#include "sqlite_account_store.h"

namespace accord::server {
namespace {

class SqliteCommentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::ScratchDir("comment");
    auto accounts = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    accounts_ = std::move(*accounts);
    auto statement =
        accounts_->CreateStatement("closing-declaration", "Closing declaration", "en", 100);
    ASSERT_TRUE(statement.ok());
    statement_ = statement->id;
    auth::Organization o;
    o.name = "Union of bakers";
    o.short_name = "UB";
    auto org = accounts_->CreateOrganization(o, 100);
    ASSERT_TRUE(org.ok());
    org_ = org->id;
    auto drafting = OpenSqliteDraftingStore(dir_.string());
    ASSERT_TRUE(drafting.ok());
    drafting_ = std::move(*drafting);
    auto store = OpenSqliteCommentStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    drafting_.reset();
    accounts_.reset();
    std::filesystem::remove_all(dir_);
  }

  Comment OnAnchor(std::vector<uint8_t> anchor, std::string body) {
    Comment c;
    c.statement_id = statement_;
    c.anchor = std::move(anchor);
    c.author_user_id = 3;
    c.author_organization_id = org_;
    c.body = std::move(body);
    c.created_at = 1000;
    return c;
  }
  Comment ReplyTo(auth::Id parent, std::string body) {
    Comment c;
    c.statement_id = statement_;
    c.parent_id = parent;
    c.author_user_id = 4;
    c.body = std::move(body);
    c.created_at = 1001;
    return c;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAccountStore> accounts_;
  std::unique_ptr<DraftingStore> drafting_;
  std::unique_ptr<CommentStore> store_;
  auth::Id statement_ = 0;
  auth::Id org_ = 0;
};

TEST_F(SqliteCommentStoreTest, ThreadsAreStoredAndListedInOrder) {
  auto first = store_->AddComment(OnAnchor({1, 2, 3}, "Say \"workers\" here?"), 100);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->anchor, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_EQ(first->author_organization_id, org_);
  EXPECT_EQ(first->parent_id, 0);
  EXPECT_EQ(first->resolved_by, 0);

  Amendment a;
  a.statement_id = statement_;
  a.base_version = 1;
  a.title = "Bread";
  a.organization_id = org_;
  a.created_by = 3;
  a.created_at = 1000;
  auto amendment = drafting_->CreateAmendment(a, "statement.closing-declaration.amendment.");
  ASSERT_TRUE(amendment.ok()) << amendment.status().ToString();
  Comment on_amendment = OnAnchor({}, "Too long.");
  on_amendment.amendment_id = amendment->id;
  auto second = store_->AddComment(on_amendment, 100);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->amendment_number, 1) << "the number is read from the amendment";
  EXPECT_TRUE(second->anchor.empty());

  auto reply = store_->AddComment(ReplyTo(first->id, "Yes."), 100);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->parent_id, first->id);
  EXPECT_EQ(reply->author_organization_id, 0);

  auto list = store_->ListComments(statement_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].body, "Say \"workers\" here?");
  EXPECT_EQ((*list)[1].amendment_number, 1);
  EXPECT_EQ((*list)[2].body, "Yes.");
  EXPECT_EQ(store_->GetComment(statement_, reply->id)->body, "Yes.");
  EXPECT_EQ(store_->GetComment(statement_ + 1, reply->id).status().code(), Status::Code::kNotFound)
      << "comments are looked up within their statement";
  EXPECT_TRUE(store_->ListComments(statement_ + 1)->empty());
}

TEST_F(SqliteCommentStoreTest, TheSchemaRefusesMalformedTargets) {
  Comment both = OnAnchor({1}, "x");
  both.parent_id = 0;
  Comment none = OnAnchor({}, "x");  // a top-level comment without a target
  EXPECT_EQ(store_->AddComment(none, 100).status().code(), Status::Code::kInvalidArgument);
  auto first = store_->AddComment(both, 100);
  ASSERT_TRUE(first.ok());
  Comment reply_with_target = ReplyTo(first->id, "x");
  reply_with_target.anchor = {1};
  EXPECT_EQ(store_->AddComment(reply_with_target, 100).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->AddComment(ReplyTo(first->id, ""), 100).status().code(),
            Status::Code::kInvalidArgument)
      << "an empty body";
  EXPECT_EQ(store_->AddComment(OnAnchor(std::vector<uint8_t>(1025, 7), "x"), 100).status().code(),
            Status::Code::kInvalidArgument)
      << "an anchor over 1 KiB";
}

TEST_F(SqliteCommentStoreTest, AStatementHoldsAtMostTheCap) {
  ASSERT_TRUE(store_->AddComment(OnAnchor({1}, "one"), 2).ok());
  ASSERT_TRUE(store_->AddComment(OnAnchor({1}, "two"), 2).ok());
  EXPECT_EQ(store_->AddComment(OnAnchor({1}, "three"), 2).status().code(),
            Status::Code::kResourceExhausted);
  EXPECT_EQ(store_->ListComments(statement_)->size(), 2u);
}

TEST_F(SqliteCommentStoreTest, OnlyThreadsAreResolvedAndReopened) {
  auto thread = store_->AddComment(OnAnchor({1}, "Which wording?"), 100);
  ASSERT_TRUE(thread.ok());
  auto reply = store_->AddComment(ReplyTo(thread->id, "The second."), 100);
  ASSERT_TRUE(reply.ok());

  ASSERT_TRUE(store_->SetResolved(statement_, thread->id, 9, 2000).ok());
  auto got = store_->GetComment(statement_, thread->id);
  EXPECT_EQ(got->resolved_by, 9);
  EXPECT_EQ(got->resolved_at, 2000);
  EXPECT_EQ(store_->SetResolved(statement_, reply->id, 9, 2000).code(),
            Status::Code::kFailedPrecondition);
  EXPECT_EQ(store_->SetResolved(statement_, 999, 9, 2000).code(), Status::Code::kNotFound);

  ASSERT_TRUE(store_->SetResolved(statement_, thread->id, 0, 0).ok());
  got = store_->GetComment(statement_, thread->id);
  EXPECT_EQ(got->resolved_by, 0);
  EXPECT_EQ(got->resolved_at, 0);
}

}  // namespace
}  // namespace accord::server
