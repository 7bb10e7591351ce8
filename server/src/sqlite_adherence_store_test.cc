// Tests of SqliteAdherenceStore (adherence_store.h) on a real SQLite file: the open flag,
// requests with their single-use challenge, the pending cap and one pending request per
// address, and the decisions — an approval creates (or links) the organization, makes it a
// participant that may only sign and stores the invitation, all or nothing.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "accord/auth/secret.h"
#include "adherence_store.h"
#include "scratch_dir_test_support.h"
#include "sqlite_account_store.h"

namespace accord::server {
namespace {

class SqliteAdherenceStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::ScratchDir("adherence");
    auto accounts = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    accounts_ = std::move(*accounts);
    auto statement = accounts_->CreateStatement("paris", "Paris declaration", "en", 100);
    ASSERT_TRUE(statement.ok());
    statement_ = statement->id;
    // The secretariat member who decides (invitations name who invited, a real user).
    auto decider = accounts_->CreateUser("sec@example.org", "Sec", "en", 100);
    ASSERT_TRUE(decider.ok());
    decider_ = decider->id;
    auto store = OpenSqliteAdherenceStore(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    accounts_.reset();
    std::filesystem::remove_all(dir_);
  }

  AdherenceRequest Request(const std::string& short_name, const std::string& email,
                           const std::string& challenge) {
    AdherenceRequest r;
    r.statement_id = statement_;
    r.org_name = short_name + " federation";
    r.org_short_name = short_name;
    r.org_country = "BR";
    r.org_kind = auth::OrgKind::kUnion;
    r.org_website = "https://example.org";
    r.signatory_name = "Ana";
    r.signatory_title = "President";
    r.signatory_email = email;
    r.message = "We join.";
    r.ip = "192.0.2.1";
    r.challenge_sha256 = auth::HashToken(challenge);
    r.created_at = 200;
    return r;
  }
  AdherenceApproval Approval(auth::Id request, auth::Id existing = 0) {
    AdherenceApproval a;
    a.statement_id = statement_;
    a.request_id = request;
    a.existing_organization_id = existing;
    a.decided_by = decider_;
    a.now = 300;
    a.invitation_token_hash = auth::HashToken("aci_token-" + std::to_string(request));
    a.invitation_expires_at = 1000;
    return a;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAccountStore> accounts_;
  std::unique_ptr<AdherenceStore> store_;
  auth::Id statement_ = 0;
  auth::Id decider_ = 0;
};

TEST_F(SqliteAdherenceStoreTest, OpenForSignatureIsStoredPerStatement) {
  EXPECT_EQ(*store_->OpenForSignature(statement_), false);
  ASSERT_TRUE(store_->SetOpenForSignature(statement_, true).ok());
  EXPECT_EQ(*store_->OpenForSignature(statement_), true);
  ASSERT_TRUE(store_->SetOpenForSignature(statement_, false).ok());
  EXPECT_EQ(*store_->OpenForSignature(statement_), false);
  EXPECT_EQ(store_->OpenForSignature(999).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->SetOpenForSignature(999, true).code(), Status::Code::kNotFound);
}

TEST_F(SqliteAdherenceStoreTest, RequestsAreStoredPendingAndListed) {
  auto a = store_->AddRequest(Request("CUT", "ana@cut.org", "c1"), 10);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_GT(a->id, 0);
  EXPECT_EQ(a->state, AdherenceState::kPending);
  EXPECT_EQ(a->org_kind, auth::OrgKind::kUnion);
  EXPECT_EQ(a->signatory_title, "President");
  EXPECT_EQ(a->decided_by, 0);
  auto b = store_->AddRequest(Request("MST", "bo@mst.org", "c2"), 10);
  ASSERT_TRUE(b.ok());
  auto all = store_->ListRequests(statement_, std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].org_short_name, "CUT");
  EXPECT_EQ(store_->ListRequests(statement_, AdherenceState::kApproved)->size(), 0u);
  EXPECT_EQ(store_->GetRequest(statement_, b->id)->signatory_email, "bo@mst.org");
  EXPECT_EQ(store_->GetRequest(statement_, 999).status().code(), Status::Code::kNotFound);
}

TEST_F(SqliteAdherenceStoreTest, AChallengeBuysOneRequest) {
  ASSERT_TRUE(store_->AddRequest(Request("CUT", "ana@cut.org", "same"), 10).ok());
  auto again = store_->AddRequest(Request("MST", "bo@mst.org", "same"), 10);
  EXPECT_EQ(again.status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(store_->ListRequests(statement_, std::nullopt)->size(), 1u);
}

TEST_F(SqliteAdherenceStoreTest, PendingRequestsAreCappedAndOnePerAddress) {
  ASSERT_TRUE(store_->AddRequest(Request("A", "a@a.org", "c1"), 2).ok());
  EXPECT_EQ(store_->AddRequest(Request("A2", "a@a.org", "c2"), 2).status().code(),
            Status::Code::kFailedPrecondition);
  ASSERT_TRUE(store_->AddRequest(Request("B", "b@b.org", "c3"), 2).ok());
  EXPECT_EQ(store_->AddRequest(Request("C", "c@c.org", "c4"), 2).status().code(),
            Status::Code::kResourceExhausted);
  // A decision frees a place.
  auto first = store_->ListRequests(statement_, std::nullopt)->front();
  ASSERT_TRUE(store_->Reject(statement_, first.id, 5, "unknown", 300).ok());
  EXPECT_TRUE(store_->AddRequest(Request("C", "c@c.org", "c4"), 2).ok());
}

TEST_F(SqliteAdherenceStoreTest, ApprovalCreatesTheOrganizationASignerAndTheInvitation) {
  auto r = store_->AddRequest(Request("CUT", "ana@cut.org", "c1"), 10);
  ASSERT_TRUE(r.ok());
  auto approved = store_->Approve(Approval(r->id));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_TRUE(approved->organization_created);
  EXPECT_EQ(approved->organization.short_name, "CUT");
  EXPECT_EQ(approved->organization.country, "BR");
  EXPECT_EQ(approved->request.state, AdherenceState::kApproved);
  EXPECT_EQ(approved->request.organization_id, approved->organization.id);
  EXPECT_EQ(approved->request.invitation_id, approved->invitation.id);
  EXPECT_EQ(approved->request.decided_by, decider_);
  EXPECT_EQ(approved->invitation.role, auth::Role::kSignatory);
  EXPECT_EQ(approved->invitation.email, "ana@cut.org");
  EXPECT_EQ(approved->invitation.organization_id, approved->organization.id);
  // The account store sees the same rows.
  auto participants = accounts_->ListParticipants(statement_);
  ASSERT_TRUE(participants.ok());
  ASSERT_EQ(participants->size(), 1u);
  const auth::Participation& p = participants->front();
  EXPECT_EQ(p.organization_id, approved->organization.id);
  EXPECT_TRUE(p.sign);
  EXPECT_FALSE(p.edit);
  EXPECT_FALSE(p.amend);
  EXPECT_FALSE(p.convener);
  auto invitation = accounts_->FindInvitationByTokenHash(auth::HashToken("aci_token-1"));
  ASSERT_TRUE(invitation.ok()) << invitation.status().ToString();
  EXPECT_EQ(invitation->id, approved->invitation.id);
  // Decided once.
  EXPECT_EQ(store_->Approve(Approval(r->id)).status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(store_->Reject(statement_, r->id, 5, "no", 400).status().code(),
            Status::Code::kFailedPrecondition);
}

TEST_F(SqliteAdherenceStoreTest, ATakenShortNameChangesNothing) {
  auth::Organization cut;
  cut.name = "Central";
  cut.short_name = "cut";  // short names compare without case
  auto existing = accounts_->CreateOrganization(cut, 100);
  ASSERT_TRUE(existing.ok());
  auto r = store_->AddRequest(Request("CUT", "ana@cut.org", "c1"), 10);
  ASSERT_TRUE(r.ok());
  auto clash = store_->Approve(Approval(r->id));
  EXPECT_EQ(clash.status().code(), Status::Code::kAlreadyExists);
  EXPECT_NE(clash.status().message().find("CUT"), std::string::npos);
  EXPECT_EQ(store_->GetRequest(statement_, r->id)->state, AdherenceState::kPending);
  EXPECT_TRUE(accounts_->ListParticipants(statement_)->empty());
  EXPECT_EQ(accounts_->ListOrganizations()->size(), 1u);
  // Linking the existing organization works; a participant keeps its rights and may sign.
  auth::Participation before;
  before.statement_id = statement_;
  before.organization_id = existing->id;
  before.convener = true;
  before.sign = false;
  ASSERT_TRUE(accounts_->SetParticipation(before).ok());
  auto linked = store_->Approve(Approval(r->id, existing->id));
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  EXPECT_FALSE(linked->organization_created);
  EXPECT_EQ(linked->organization.id, existing->id);
  auto p = accounts_->ListParticipants(statement_)->front();
  EXPECT_TRUE(p.convener);
  EXPECT_TRUE(p.edit);
  EXPECT_TRUE(p.sign);
}

TEST_F(SqliteAdherenceStoreTest, LinkingAnUnknownOrganizationIsNotFound) {
  auto r = store_->AddRequest(Request("CUT", "ana@cut.org", "c1"), 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(store_->Approve(Approval(r->id, 999)).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(store_->GetRequest(statement_, r->id)->state, AdherenceState::kPending);
  EXPECT_EQ(store_->Approve(Approval(999)).status().code(), Status::Code::kNotFound);
}

TEST_F(SqliteAdherenceStoreTest, RejectionRecordsTheReason) {
  auto r = store_->AddRequest(Request("CUT", "ana@cut.org", "c1"), 10);
  ASSERT_TRUE(r.ok());
  auto rejected = store_->Reject(statement_, r->id, 5, "not an organization", 300);
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->state, AdherenceState::kRejected);
  EXPECT_EQ(rejected->reason, "not an organization");
  EXPECT_EQ(rejected->decided_at, 300);
  EXPECT_EQ(rejected->organization_id, 0);
  EXPECT_EQ(store_->ListRequests(statement_, AdherenceState::kRejected)->size(), 1u);
}

TEST_F(SqliteAdherenceStoreTest, StateNames) {
  for (AdherenceState s :
       {AdherenceState::kPending, AdherenceState::kApproved, AdherenceState::kRejected}) {
    EXPECT_EQ(ParseAdherenceState(AdherenceStateName(s)), s);
  }
  EXPECT_FALSE(ParseAdherenceState("withdrawn"));
}

}  // namespace
}  // namespace accord::server
