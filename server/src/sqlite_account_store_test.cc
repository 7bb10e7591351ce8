#include "sqlite_account_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_account_store_test_support.h"

namespace accord::server {
namespace {

using ::testing::ElementsAre;
using testing::H;
using ::testing::HasSubstr;
using testing::kArgon;
using testing::kArgon2;
using testing::SqliteAccountStoreTest;
using Code = Status::Code;

// --- Schema ---

TEST_F(SqliteAccountStoreTest, MigrationFourCreatesTheAccountTablesAndDropsAccessTokens) {
  auto raw = Raw();
  EXPECT_GE(raw->schema_version(), 4);
  EXPECT_EQ(*raw->QueryText("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN"
                            " ('users', 'organizations', 'memberships', 'statements',"
                            " 'statement_participants', 'invitations', 'sessions', 'api_tokens',"
                            " 'audit_log');"),
            "9");
  EXPECT_EQ(*raw->QueryText("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'access_tokens';"),
            "0");
  EXPECT_EQ(*raw->QueryText("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'trigger' AND"
                            " tbl_name = 'audit_log';"),
            "2");
}

TEST_F(SqliteAccountStoreTest, RowsSurviveReopening) {
  auth::User u = NewUser("ana@example.org");
  auth::Organization o = NewOrg("CUT");
  ASSERT_TRUE(store_->AddMembership(u.id, o.id, auth::Role::kDelegate, 10).ok());
  Reopen();
  auto memberships = store_->ListMembershipsOfUser(u.id);
  ASSERT_TRUE(memberships.ok());
  ASSERT_EQ(memberships->size(), 1u);
  EXPECT_EQ((*memberships)[0].organization_id, o.id);
}

// --- Users ---

TEST_F(SqliteAccountStoreTest, CreateUserLowerCasesTheEmail) {
  auto u = store_->CreateUser("Ana.Silva@Example.ORG", "Ana Silva", "pt", 123);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_GT(u->id, 0);
  EXPECT_EQ(u->email, "ana.silva@example.org");
  EXPECT_EQ(u->display_name, "Ana Silva");
  EXPECT_EQ(u->language, "pt");
  EXPECT_EQ(u->created_at, 123);
  EXPECT_FALSE(u->has_password);
  EXPECT_FALSE(u->disabled);

  auto found = store_->FindUserByEmail("ANA.SILVA@example.org");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, u->id);
  auto got = store_->GetUser(u->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->email, "ana.silva@example.org");
}

TEST_F(SqliteAccountStoreTest, DuplicateEmailInAnyCaseIsAlreadyExists) {
  NewUser("ana@example.org");
  auto again = store_->CreateUser("ANA@Example.org", "Other", "en", 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("'ana@example.org'"));
  EXPECT_EQ(Count("users"), "1");
}

TEST_F(SqliteAccountStoreTest, UnknownUsersAreNotFound) {
  EXPECT_EQ(store_->GetUser(42).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->FindUserByEmail("nobody@example.org").status().code(), Code::kNotFound);
  EXPECT_EQ(store_->UpdateUser(42, {}).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->GetPasswordHash(42).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->SetPasswordHash(42, kArgon).code(), Code::kNotFound);
}

TEST_F(SqliteAccountStoreTest, SchemaRefusesAnEmailWithoutAt) {
  auto u = store_->CreateUser("not-an-email", "X", "en", 1);
  EXPECT_EQ(u.status().code(), Code::kInvalidArgument);
}

TEST_F(SqliteAccountStoreTest, ListUsersInCreationOrder) {
  NewUser("b@example.org");
  NewUser("a@example.org");
  auto users = store_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].email, "b@example.org");
  EXPECT_EQ((*users)[1].email, "a@example.org");
}

TEST_F(SqliteAccountStoreTest, UpdateUserChangesOnlyTheGivenFields) {
  auth::User u = NewUser("ana@example.org", "Ana");
  auth::UserPatch patch;
  patch.disabled = true;
  auto updated = store_->UpdateUser(u.id, patch);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_TRUE(updated->disabled);
  EXPECT_EQ(updated->display_name, "Ana");
  EXPECT_EQ(updated->language, "es");

  patch = {};
  patch.display_name = "Ana Maria";
  patch.language = "pt-BR";
  updated = store_->UpdateUser(u.id, patch);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->display_name, "Ana Maria");
  EXPECT_EQ(updated->language, "pt-BR");
  EXPECT_TRUE(updated->disabled);
  EXPECT_EQ(store_->GetUser(u.id)->display_name, "Ana Maria");
}

TEST_F(SqliteAccountStoreTest, PasswordHashRoundTrips) {
  auth::User u = NewUser("ana@example.org");
  EXPECT_EQ(*store_->GetPasswordHash(u.id), "");
  ASSERT_TRUE(store_->SetPasswordHash(u.id, kArgon).ok());
  EXPECT_EQ(*store_->GetPasswordHash(u.id), kArgon);
  EXPECT_TRUE(store_->GetUser(u.id)->has_password);
  // Only Argon2id strings are stored: a clear password is refused by the schema.
  EXPECT_EQ(store_->SetPasswordHash(u.id, "hunter2hunter2").code(), Code::kInvalidArgument);
  EXPECT_EQ(*store_->GetPasswordHash(u.id), kArgon);
}

// --- Organizations ---

TEST_F(SqliteAccountStoreTest, CreateAndReadOrganizations) {
  auth::Organization o = NewOrg("CUT");
  EXPECT_GT(o.id, 0);
  EXPECT_EQ(o.short_name, "CUT");
  EXPECT_EQ(o.country, "BR");
  EXPECT_EQ(o.kind, auth::OrgKind::kUnion);
  EXPECT_EQ(o.website, "https://example.org");
  EXPECT_FALSE(o.hosts_instance);
  EXPECT_EQ(o.created_at, 200);
  auto got = store_->GetOrganization(o.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "Organization CUT");
  EXPECT_EQ(store_->GetOrganization(999).status().code(), Code::kNotFound);
  NewOrg("MST");
  auto all = store_->ListOrganizations();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].short_name, "MST");
}

TEST_F(SqliteAccountStoreTest, ShortNamesAreUniqueIgnoringCase) {
  NewOrg("CUT");
  auth::Organization org;
  org.name = "Another";
  org.short_name = "cut";
  auto again = store_->CreateOrganization(org, 1);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "an organization with short name 'cut' already exists");
}

TEST_F(SqliteAccountStoreTest, SchemaRefusesBadOrganizationValues) {
  auth::Organization org;
  org.name = "X";
  org.short_name = "X";
  org.country = "br";  // ISO 3166-1 alpha-2 is upper case
  EXPECT_EQ(store_->CreateOrganization(org, 1).status().code(), Code::kInvalidArgument);
  org.country = "";
  org.website = "example.org";  // a URL, with its scheme
  EXPECT_EQ(store_->CreateOrganization(org, 1).status().code(), Code::kInvalidArgument);
  org.website = "";
  org.name = "";
  EXPECT_EQ(store_->CreateOrganization(org, 1).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Count("organizations"), "0");
}

TEST_F(SqliteAccountStoreTest, AtMostOneOrganizationHostsTheInstance) {
  EXPECT_EQ(store_->HostOrganization().status().code(), Code::kNotFound);
  auth::Organization host = NewOrg("SEC", /*host=*/true);
  NewOrg("CUT");
  auto got = store_->HostOrganization();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, host.id);
  EXPECT_TRUE(got->hosts_instance);

  auth::Organization second;
  second.name = "Second";
  second.short_name = "SEC2";
  second.hosts_instance = true;
  auto again = store_->CreateOrganization(second, 1);
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_THAT(again.status().message(), HasSubstr("'SEC' already hosts the instance"));
  // The partial unique index holds even for writers that skip the store.
  Status raw = Raw()->Exec(
      "INSERT INTO organizations (name, short_name, kind, hosts_instance, created_at)"
      " VALUES ('Third', 'T', 'other', 1, 0);");
  EXPECT_FALSE(raw.ok());
  EXPECT_THAT(raw.message(), HasSubstr("UNIQUE"));
}

TEST_F(SqliteAccountStoreTest, UpdateOrganization) {
  auth::Organization o = NewOrg("CUT");
  NewOrg("MST");
  auth::OrganizationPatch patch;
  patch.kind = auth::OrgKind::kMovement;
  patch.country = "";
  auto updated = store_->UpdateOrganization(o.id, patch);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->kind, auth::OrgKind::kMovement);
  EXPECT_EQ(updated->country, "");
  EXPECT_EQ(updated->short_name, "CUT");

  patch = {};
  patch.short_name = "mst";
  auto clash = store_->UpdateOrganization(o.id, patch);
  EXPECT_EQ(clash.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(clash.status().message(), "an organization with short name 'mst' already exists");
  EXPECT_EQ(store_->UpdateOrganization(999, patch).status().code(), Code::kNotFound);
}

// --- Memberships ---

TEST_F(SqliteAccountStoreTest, MembershipsAddListRemove) {
  auth::User ana = NewUser("ana@example.org");
  auth::User bea = NewUser("bea@example.org");
  auth::Organization cut = NewOrg("CUT");
  auth::Organization mst = NewOrg("MST");
  auto m1 = store_->AddMembership(ana.id, cut.id, auth::Role::kDelegate, 7);
  ASSERT_TRUE(m1.ok()) << m1.status().ToString();
  EXPECT_EQ(m1->user_id, ana.id);
  EXPECT_EQ(m1->organization_id, cut.id);
  EXPECT_EQ(m1->role, auth::Role::kDelegate);
  EXPECT_EQ(m1->created_at, 7);
  // Several roles, several organizations.
  auto m2 = store_->AddMembership(ana.id, cut.id, auth::Role::kSignatory, 8);
  ASSERT_TRUE(m2.ok());
  auto m3 = store_->AddMembership(ana.id, mst.id, auth::Role::kObserver, 9);
  ASSERT_TRUE(m3.ok());
  auto m4 = store_->AddMembership(bea.id, cut.id, auth::Role::kSecretariat, 9);
  ASSERT_TRUE(m4.ok());

  auto of_ana = store_->ListMembershipsOfUser(ana.id);
  ASSERT_TRUE(of_ana.ok());
  ASSERT_EQ(of_ana->size(), 3u);
  EXPECT_EQ((*of_ana)[2].role, auth::Role::kObserver);
  auto of_cut = store_->ListMembershipsOfOrganization(cut.id);
  ASSERT_TRUE(of_cut.ok());
  ASSERT_EQ(of_cut->size(), 3u);
  EXPECT_EQ((*of_cut)[2].user_id, bea.id);
  EXPECT_EQ(store_->GetMembership(m2->id)->role, auth::Role::kSignatory);

  ASSERT_TRUE(store_->RemoveMembership(m2->id).ok());
  EXPECT_EQ(store_->RemoveMembership(m2->id).code(), Code::kNotFound);
  EXPECT_EQ(store_->GetMembership(m2->id).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->ListMembershipsOfUser(ana.id)->size(), 2u);
}

TEST_F(SqliteAccountStoreTest, DuplicateMembershipIsAlreadyExists) {
  auth::User ana = NewUser("ana@example.org");
  auth::Organization cut = NewOrg("CUT");
  ASSERT_TRUE(store_->AddMembership(ana.id, cut.id, auth::Role::kDelegate, 1).ok());
  auto again = store_->AddMembership(ana.id, cut.id, auth::Role::kDelegate, 2);
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "ana@example.org already holds the role 'delegate' in CUT");
  EXPECT_EQ(Count("memberships"), "1");
}

TEST_F(SqliteAccountStoreTest, MembershipsOfUnknownUsersOrOrganizationsAreNotFound) {
  auth::User ana = NewUser("ana@example.org");
  auth::Organization cut = NewOrg("CUT");
  EXPECT_EQ(store_->AddMembership(999, cut.id, auth::Role::kDelegate, 1).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->AddMembership(ana.id, 999, auth::Role::kDelegate, 1).status().code(),
            Code::kNotFound);
  EXPECT_EQ(store_->ListMembershipsOfUser(999).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->ListMembershipsOfOrganization(999).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->GetMembership(999).status().code(), Code::kNotFound);
}

// --- Statements and participants ---

TEST_F(SqliteAccountStoreTest, StatementsCreateFindAndPhase) {
  auto s = store_->CreateStatement("climate-2025", "Climate declaration", "en", 50);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->slug, "climate-2025");
  EXPECT_EQ(s->phase, auth::Phase::kDrafting);
  EXPECT_FALSE(s->phase_deadline);

  auto clash = store_->CreateStatement("climate-2025", "Again", "en", 51);
  EXPECT_EQ(clash.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(clash.status().message(), "a statement with the slug 'climate-2025' already exists");
  EXPECT_EQ(store_->CreateStatement("Bad Slug!", "x", "en", 1).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(store_->CreateStatement("", "x", "en", 1).status().code(), Code::kInvalidArgument);

  ASSERT_TRUE(store_->SetStatementPhase(s->id, auth::Phase::kAmendments, 9000).ok());
  auto found = store_->FindStatementBySlug("climate-2025");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->phase, auth::Phase::kAmendments);
  EXPECT_EQ(found->phase_deadline, 9000);
  ASSERT_TRUE(store_->SetStatementPhase(s->id, auth::Phase::kFinal, std::nullopt).ok());
  EXPECT_EQ(store_->GetStatement(s->id)->phase, auth::Phase::kFinal);
  EXPECT_FALSE(store_->GetStatement(s->id)->phase_deadline);

  EXPECT_EQ(store_->SetStatementPhase(999, auth::Phase::kFinal, {}).code(), Code::kNotFound);
  EXPECT_EQ(store_->GetStatement(999).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->FindStatementBySlug("nope").status().code(), Code::kNotFound);
  ASSERT_TRUE(store_->CreateStatement("second", "Second", "en", 52).ok());
  auto all = store_->ListStatements();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[1].slug, "second");
}

TEST_F(SqliteAccountStoreTest, ParticipationsUpsertListRemove) {
  auto s = store_->CreateStatement("charter", "Charter", "en", 1);
  ASSERT_TRUE(s.ok());
  auth::Organization cut = NewOrg("CUT");
  auth::Organization mst = NewOrg("MST");
  auth::Participation p;
  p.statement_id = s->id;
  p.organization_id = mst.id;
  p.convener = true;
  ASSERT_TRUE(store_->SetParticipation(p).ok());
  p.organization_id = cut.id;
  p.convener = false;
  p.sign = false;
  ASSERT_TRUE(store_->SetParticipation(p).ok());
  // Replacing keeps one row per organization.
  p.edit = false;
  p.amend = false;
  ASSERT_TRUE(store_->SetParticipation(p).ok());

  auto list = store_->ListParticipants(s->id);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  const auth::Participation& first = (*list)[0];  // ordered by organization id: CUT first
  EXPECT_EQ(first.organization_id, cut.id);
  EXPECT_FALSE(first.convener);
  EXPECT_FALSE(first.edit);
  EXPECT_FALSE(first.amend);
  EXPECT_FALSE(first.sign);
  const auth::Participation& second = (*list)[1];
  EXPECT_EQ(second.organization_id, mst.id);
  EXPECT_TRUE(second.convener);
  EXPECT_TRUE(second.edit);
  EXPECT_TRUE(second.amend);
  EXPECT_TRUE(second.sign);

  ASSERT_TRUE(store_->RemoveParticipation(s->id, cut.id).ok());
  EXPECT_EQ(store_->RemoveParticipation(s->id, cut.id).code(), Code::kNotFound);
  EXPECT_EQ(store_->ListParticipants(s->id)->size(), 1u);

  p.organization_id = 999;
  EXPECT_EQ(store_->SetParticipation(p).code(), Code::kNotFound);
  p.statement_id = 999;
  p.organization_id = cut.id;
  EXPECT_EQ(store_->SetParticipation(p).code(), Code::kNotFound);
  EXPECT_EQ(store_->ListParticipants(999).status().code(), Code::kNotFound);
}

// --- Invitations ---

}  // namespace
}  // namespace accord::server
