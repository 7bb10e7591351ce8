#include <gtest/gtest.h>

#include <filesystem>

#include "database.h"
#include "drafting_store.h"
#include "scratch_dir_test_support.h"
#include "sqlite_account_store.h"

namespace accord::server {
namespace {

class SqliteDraftingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::ScratchDir("drafting");
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

// --- Amendments (migration 6) ---

class SqliteAmendmentStoreTest : public SqliteDraftingStoreTest {
 protected:
  void SetUp() override {
    SqliteDraftingStoreTest::SetUp();
    for (const char* name : {"CUT", "MST", "NED"}) {
      auth::Organization o;
      o.name = std::string(name) + " organization";
      o.short_name = name;
      auto made = accounts_->CreateOrganization(o, 100);
      ASSERT_TRUE(made.ok()) << made.status().ToString();
      orgs_.push_back(made->id);
    }
  }
  Amendment Proposal(std::string title, auth::Id org) {
    Amendment a;
    a.statement_id = statement_;
    a.base_version = 1;
    a.title = std::move(title);
    a.rationale = "Because.";
    a.organization_id = org;
    a.created_by = 7;
    a.created_at = 2000;
    return a;
  }
  static constexpr char kPrefix[] = "statement.closing-declaration.amendment.";
  std::vector<auth::Id> orgs_;
};

TEST_F(SqliteAmendmentStoreTest, AmendmentsAreNumberedPerStatementWithTheirDocument) {
  auto first = store_->CreateAmendment(Proposal("Bread", orgs_[0]), kPrefix);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = store_->CreateAmendment(Proposal("Roses", orgs_[1]), kPrefix);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(second->number, 2);
  EXPECT_EQ(first->document, "statement.closing-declaration.amendment.1");
  EXPECT_EQ(second->document, "statement.closing-declaration.amendment.2");
  EXPECT_EQ(first->state, AmendmentState::kDraft);
  EXPECT_EQ(first->organization_id, orgs_[0]);
  EXPECT_EQ(first->rationale, "Because.");
  EXPECT_EQ(first->created_at, 2000);

  auto listed = store_->ListAmendments(statement_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[1].title, "Roses");
  auto found = store_->FindAmendmentByDocument("statement.closing-declaration.amendment.2");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, second->id);
  EXPECT_EQ(store_->GetAmendment(statement_, 3).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->FindAmendmentByDocument("statement.x").status().code(),
            Status::Code::kNotFound);

  ASSERT_TRUE(store_->UpdateAmendmentText(first->id, "Bread and roses", "Both.").ok());
  auto renamed = store_->GetAmendment(statement_, 1);
  EXPECT_EQ(renamed->title, "Bread and roses");
  EXPECT_EQ(renamed->rationale, "Both.");
  EXPECT_EQ(store_->UpdateAmendmentText(999, "x", "").code(), Status::Code::kNotFound);
}

TEST_F(SqliteAmendmentStoreTest, BadAmendmentsAreRefusedAndTheirOriginCannotChange) {
  EXPECT_EQ(store_->CreateAmendment(Proposal("", orgs_[0]), kPrefix).status().code(),
            Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->CreateAmendment(Proposal("x", 999), kPrefix).status().code(),
            Status::Code::kInvalidArgument);
  ASSERT_TRUE(store_->CreateAmendment(Proposal("kept", orgs_[0]), kPrefix).ok());
  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("UPDATE amendments SET organization_id = 2;").ok());
  EXPECT_FALSE((*db)->Exec("UPDATE amendments SET document = 'other';").ok());
  EXPECT_FALSE((*db)->Exec("UPDATE amendments SET state = 'won';").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM amendments;").ok());
  EXPECT_EQ(store_->GetAmendment(statement_, 1)->organization_id, orgs_[0]);
}

TEST_F(SqliteAmendmentStoreTest, TransitionsMoveFromTheExpectedStateAndAreAppendOnly) {
  auto a = store_->CreateAmendment(Proposal("Bread", orgs_[0]), kPrefix);
  ASSERT_TRUE(a.ok());
  AmendmentTransition t;
  t.amendment_id = a->id;
  t.from = AmendmentState::kDraft;
  t.to = AmendmentState::kSubmitted;
  t.user_id = 7;
  t.at = 3000;
  auto first = store_->TransitionAmendment(t);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  // The same move again finds the amendment no longer a draft: nothing is recorded.
  EXPECT_EQ(store_->TransitionAmendment(t).status().code(), Status::Code::kFailedPrecondition);
  t.from = AmendmentState::kSubmitted;
  t.to = AmendmentState::kRejected;
  t.user_id = 1;
  t.reason = "Out of scope.";
  ASSERT_TRUE(store_->TransitionAmendment(t).ok());
  EXPECT_EQ(store_->GetAmendment(statement_, 1)->state, AmendmentState::kRejected);
  auto history = store_->ListTransitions(a->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].from, AmendmentState::kDraft);
  EXPECT_EQ((*history)[0].to, AmendmentState::kSubmitted);
  EXPECT_EQ((*history)[0].user_id, 7);
  EXPECT_EQ((*history)[1].reason, "Out of scope.");
  EXPECT_EQ((*history)[1].at, 3000);
  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("UPDATE amendment_transitions SET reason = 'forged';").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM amendment_transitions;").ok());
  EXPECT_EQ(store_->ListTransitions(a->id)->size(), 2u);
}

TEST_F(SqliteAmendmentStoreTest, SupportersAreOrganizationsOnceEach) {
  auto a = store_->CreateAmendment(Proposal("Bread", orgs_[0]), kPrefix);
  ASSERT_TRUE(a.ok());
  auto one = store_->AddSupporter({a->id, orgs_[1], 8, 4000});
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(*one, 1);
  EXPECT_EQ(store_->AddSupporter({a->id, orgs_[1], 9, 4001}).status().code(),
            Status::Code::kAlreadyExists);
  EXPECT_EQ(*store_->AddSupporter({a->id, orgs_[2], 9, 4002}), 2);
  EXPECT_EQ(store_->GetAmendment(statement_, 1)->supporters, 2);
  auto supporters = store_->ListSupporters(a->id);
  ASSERT_TRUE(supporters.ok());
  ASSERT_EQ(supporters->size(), 2u);
  EXPECT_EQ((*supporters)[0].organization_id, orgs_[1]);
  EXPECT_EQ((*supporters)[0].user_id, 8);
  EXPECT_EQ(*store_->RemoveSupporter(a->id, orgs_[1]), 1);
  EXPECT_EQ(store_->RemoveSupporter(a->id, orgs_[1]).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->ListAmendments(statement_)->at(0).supporters, 1);
}

TEST_F(SqliteAmendmentStoreTest, SettingsDefaultToNoThresholdAndNoDeadline) {
  auto defaults = store_->GetAmendmentSettings(statement_);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->support_threshold, 0);
  EXPECT_EQ(defaults->support_deadline, std::nullopt);
  ASSERT_TRUE(store_->SetAmendmentSettings({statement_, 2, 5000}).ok());
  auto set = store_->GetAmendmentSettings(statement_);
  EXPECT_EQ(set->support_threshold, 2);
  EXPECT_EQ(set->support_deadline, 5000);
  ASSERT_TRUE(store_->SetAmendmentSettings({statement_, 1, std::nullopt}).ok());
  EXPECT_EQ(store_->GetAmendmentSettings(statement_)->support_deadline, std::nullopt);
  EXPECT_EQ(store_->SetAmendmentSettings({statement_, -1, std::nullopt}).code(),
            Status::Code::kInvalidArgument);
}

TEST_F(SqliteAmendmentStoreTest, MergesAreStoredWithTheirVersionAndMergeAnAmendmentOnce) {
  auto a = store_->CreateAmendment(Proposal("Bread", orgs_[0]), kPrefix);
  auto b = store_->CreateAmendment(Proposal("Roses", orgs_[1]), kPrefix);
  auto c = store_->CreateAmendment(Proposal("Salt", orgs_[2]), kPrefix);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(store_->AddVersion(Draft("Base", "We declare.")).ok());
  Merge m;
  m.statement_id = statement_;
  m.created_by = 7;
  m.created_at = 3000;
  m.entries = {{a->id, 1, MergeOutcome::kMerged, 0},
               {b->id, 2, MergeOutcome::kCollision, 1},
               {c->id, 3, MergeOutcome::kCompromise, 0}};
  Version v = Draft("Merge of amendment 1", "We declare: bread.");
  v.reason = VersionReason::kMerge;
  auto stored = store_->RecordMerge(m, v);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->version_number, 2);
  EXPECT_EQ(store_->GetVersion(statement_, 2)->reason, VersionReason::kMerge);

  // Amendment 1 cannot be merged again; nothing of the refused merge is stored. The others,
  // left out, can be merged later.
  Merge again = m;
  again.entries = {{b->id, 2, MergeOutcome::kMerged, 0}, {a->id, 1, MergeOutcome::kMerged, 0}};
  auto refused = store_->RecordMerge(again, Draft("Again", "x"));
  EXPECT_EQ(refused.status().code(), Status::Code::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("amendment 1 was merged already"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(store_->ListVersions(statement_)->size(), 2u);
  again.entries = {{b->id, 2, MergeOutcome::kMerged, 0}};
  ASSERT_TRUE(store_->RecordMerge(again, Draft("Later", "y")).ok());

  auto merges = store_->ListMerges(statement_);
  ASSERT_TRUE(merges.ok());
  ASSERT_EQ(merges->size(), 2u);
  const Merge& first = (*merges)[0];
  EXPECT_EQ(first.version_number, 2);
  EXPECT_EQ(first.created_by, 7);
  ASSERT_EQ(first.entries.size(), 3u);
  EXPECT_EQ(first.entries[1].amendment_number, 2);
  EXPECT_EQ(first.entries[1].outcome, MergeOutcome::kCollision);
  EXPECT_EQ(first.entries[1].taken, 1);
  EXPECT_EQ(MergeOutcomeName(first.entries[2].outcome), "compromise");
  EXPECT_EQ((*merges)[1].version_number, 3);
  EXPECT_TRUE(store_->ListMerges(12345)->empty());

  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("DELETE FROM merge_amendments;").ok());
  EXPECT_FALSE((*db)->Exec("UPDATE merges SET created_by = 9;").ok());
}

}  // namespace
}  // namespace accord::server
