#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "database.h"
#include "drafting_store.h"
#include "sqlite_account_store.h"

namespace accord::server {
namespace {

class SqliteDraftingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-drafting-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto accounts = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    accounts_ = std::move(*accounts);
    auto statement =
        accounts_->CreateStatement("closing-declaration", "Closing declaration", "en", 100);
    ASSERT_TRUE(statement.ok());
    statement_ = statement->id;
    auto store = OpenSqliteDraftingStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    accounts_.reset();
    std::filesystem::remove_all(dir_);
  }

  Version Draft(std::string label, std::string text) {
    Version v;
    v.statement_id = statement_;
    v.label = std::move(label);
    v.author_user_id = 7;
    v.created_at = 1000;
    v.state = {0, 0};
    v.canonical_text = std::move(text);
    v.canonical_html = "<p>" + v.canonical_text + "</p>";
    v.sha256 = std::string(64, 'a');
    return v;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAccountStore> accounts_;
  std::unique_ptr<DraftingStore> store_;
  auth::Id statement_ = 0;
};

TEST_F(SqliteDraftingStoreTest, VersionsAreNumberedPerStatementAndReadBackWhole) {
  auto first = store_->AddVersion(Draft("First draft", "We declare."));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->number, 1);
  auto second = store_->AddVersion(Draft("Second", "We declare, together."));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->number, 2);
  auto other = accounts_->CreateStatement("other", "Other", "en", 100);
  Version v = Draft("Other's first", "x");
  v.statement_id = other->id;
  EXPECT_EQ(store_->AddVersion(v)->number, 1);

  auto list = store_->ListVersions(statement_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].label, "First draft");
  EXPECT_TRUE((*list)[0].canonical_text.empty()) << "lists carry no content";
  auto got = store_->GetVersion(statement_, 2);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->canonical_text, "We declare, together.");
  EXPECT_EQ(got->state, (std::vector<uint8_t>{0, 0}));
  EXPECT_EQ(got->author_user_id, 7);
  EXPECT_EQ(store_->LatestVersion(statement_)->number, 2);
  EXPECT_EQ(store_->GetVersion(statement_, 3).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->LatestVersion(12345).status().code(), Status::Code::kNotFound);
}

TEST_F(SqliteDraftingStoreTest, BadVersionsAreRefusedAndVersionsCannotBeChanged) {
  Version bad = Draft("", "x");
  EXPECT_EQ(store_->AddVersion(bad).status().code(), Status::Code::kInvalidArgument);
  bad = Draft("ok", "x");
  bad.sha256 = "XYZ";
  EXPECT_EQ(store_->AddVersion(bad).status().code(), Status::Code::kInvalidArgument);
  bad = Draft("ok", "x");
  bad.statement_id = 999;  // no such statement
  EXPECT_EQ(store_->AddVersion(bad).status().code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(store_->AddVersion(Draft("kept", "x")).ok());
  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("UPDATE statement_versions SET canonical_text = 'forged';").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM statement_versions;").ok());
  EXPECT_EQ(store_->GetVersion(statement_, 1)->canonical_text, "x");
}

TEST_F(SqliteDraftingStoreTest, PhaseChangesAreRecordedWithTheirVersionInOneTransaction) {
  PhaseChange change;
  change.statement_id = statement_;
  change.from = auth::Phase::kDrafting;
  change.to = auth::Phase::kAmendments;
  change.deadline = 5000;
  change.user_id = 3;
  change.at = 2000;
  Version v = Draft("Start of amendments", "Frozen.");
  v.reason = VersionReason::kPhase;
  v.phase = auth::Phase::kAmendments;
  auto recorded = store_->RecordPhaseChange(change, &v);
  ASSERT_TRUE(recorded.ok()) << recorded.status().ToString();
  EXPECT_EQ(recorded->version_number, 1);
  EXPECT_EQ(recorded->deadline, 5000);

  // A deadline-only change carries no version.
  change.from = change.to = auth::Phase::kAmendments;
  change.deadline.reset();
  ASSERT_TRUE(store_->RecordPhaseChange(change, nullptr).ok());

  // A version that cannot be stored leaves no phase change behind.
  Version broken = Draft("", "x");
  EXPECT_FALSE(store_->RecordPhaseChange(change, &broken).ok());

  auto list = store_->ListPhaseChanges(statement_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].to, auth::Phase::kAmendments);
  EXPECT_EQ((*list)[0].user_id, 3);
  EXPECT_EQ((*list)[1].version_number, 0);
  EXPECT_FALSE((*list)[1].deadline.has_value());
  auto versions = store_->ListVersions(statement_);
  ASSERT_EQ(versions->size(), 1u);
  EXPECT_EQ((*versions)[0].reason, VersionReason::kPhase);
  EXPECT_EQ((*versions)[0].phase, auth::Phase::kAmendments);
}

}  // namespace
}  // namespace accord::server
