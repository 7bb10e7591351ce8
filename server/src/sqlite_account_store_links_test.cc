// SqliteAccountStore: invitations and password resets, sessions, API tokens, the audit log.
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

TEST_F(SqliteAccountStoreTest, CreateFindAndListInvitations) {
  auth::User admin = NewUser("admin@example.org");
  auth::Organization cut = NewOrg("CUT");
  auth::Invitation inv;
  inv.email = "New.Person@Example.org";
  inv.display_name = "New Person";
  inv.organization_id = cut.id;
  inv.role = auth::Role::kSignatory;
  inv.invited_by = admin.id;
  inv.expires_at = 1000;
  inv.used_at = 5;  // ignored
  auto created = store_->CreateInvitation(inv, H("t1"), 300);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->email, "new.person@example.org");
  EXPECT_EQ(created->kind, auth::Invitation::Kind::kInvitation);
  EXPECT_EQ(created->role, auth::Role::kSignatory);
  EXPECT_EQ(created->invited_by, admin.id);
  EXPECT_EQ(created->created_at, 300);
  EXPECT_FALSE(created->used_at);
  EXPECT_FALSE(created->revoked_at);

  auto found = store_->FindInvitationByTokenHash(H("t1"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(store_->FindInvitationByTokenHash(H("nope")).status().code(), Code::kNotFound);

  // The same token hash twice is a clash.
  auto again = store_->CreateInvitation(inv, H("t1"), 300);
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
  // A clear token instead of its hash is refused.
  EXPECT_EQ(store_->CreateInvitation(inv, "t2", 300).status().code(), Code::kInvalidArgument);
  // Unknown organization or inviter.
  inv.organization_id = 999;
  EXPECT_EQ(store_->CreateInvitation(inv, H("t3"), 300).status().code(), Code::kNotFound);
  inv.organization_id = cut.id;
  inv.invited_by = 999;
  EXPECT_EQ(store_->CreateInvitation(inv, H("t4"), 300).status().code(), Code::kNotFound);
  // A password reset is for an existing account only.
  auth::Invitation reset;
  reset.kind = auth::Invitation::Kind::kPasswordReset;
  reset.email = "ghost@example.org";
  reset.expires_at = 1000;
  EXPECT_EQ(store_->CreateInvitation(reset, H("t5"), 300).status().code(), Code::kNotFound);

  Invite("used", "u@example.org", cut.id);
  Invite("revoked", "r@example.org", cut.id);
  Invite("expired", "e@example.org", cut.id, auth::Role::kDelegate, /*expires=*/500);
  ResetLink("reset", "admin@example.org");
  ASSERT_TRUE(store_->AcceptInvitation(H("used"), kArgon, "", "en", 400).ok());
  ASSERT_TRUE(
      store_->RevokeInvitation(store_->FindInvitationByTokenHash(H("revoked"))->id, 400).ok());
  auto pending = store_->ListPendingInvitations(600);
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  std::vector<std::string> emails;
  for (const auth::Invitation& i : *pending) emails.push_back(i.email);
  EXPECT_THAT(emails, ElementsAre("new.person@example.org", "admin@example.org"));
  EXPECT_EQ((*pending)[1].kind, auth::Invitation::Kind::kPasswordReset);
  EXPECT_EQ((*pending)[1].organization_id, 0);
}

TEST_F(SqliteAccountStoreTest, AcceptInvitationCreatesUserAndMembershipAndUsesTheLink) {
  auth::Organization cut = NewOrg("CUT");
  auth::Invitation inv = Invite("tok", "Maria@Example.org", cut.id, auth::Role::kSignatory);
  auto user = store_->AcceptInvitation(H("tok"), kArgon, "Maria Souza", "pt", 400);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->email, "maria@example.org");
  EXPECT_EQ(user->display_name, "Maria Souza");
  EXPECT_EQ(user->language, "pt");
  EXPECT_TRUE(user->has_password);
  EXPECT_EQ(*store_->GetPasswordHash(user->id), kArgon);
  auto memberships = store_->ListMembershipsOfUser(user->id);
  ASSERT_TRUE(memberships.ok());
  ASSERT_EQ(memberships->size(), 1u);
  EXPECT_EQ((*memberships)[0].organization_id, cut.id);
  EXPECT_EQ((*memberships)[0].role, auth::Role::kSignatory);
  EXPECT_EQ(store_->FindInvitationByTokenHash(H("tok"))->used_at, 400);

  // A used link never works again, and the failed attempt changes nothing.
  auto second = store_->AcceptInvitation(H("tok"), kArgon2, "Someone", "en", 401);
  EXPECT_EQ(second.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(second.status().message(), "this invitation has already been used");
  EXPECT_EQ(Count("users"), "1");
  EXPECT_EQ(*store_->GetPasswordHash(user->id), kArgon);
  EXPECT_EQ(store_->FindInvitationByTokenHash(H("tok"))->used_at, 400);
}

TEST_F(SqliteAccountStoreTest, AcceptInvitationFallsBackToTheSuggestedName) {
  auth::Organization cut = NewOrg("CUT");
  Invite("tok", "maria@example.org", cut.id);
  auto user = store_->AcceptInvitation(H("tok"), kArgon, "", "pt", 400);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->display_name, "Suggested Name");
}

TEST_F(SqliteAccountStoreTest, AcceptInvitationKeepsAnExistingUser) {
  auth::User ana = NewUser("ana@example.org", "Ana Original");
  auth::User nameless = NewUser("anon@example.org", "");
  auth::Organization cut = NewOrg("CUT");
  auth::Organization mst = NewOrg("MST");
  ASSERT_TRUE(store_->AddMembership(ana.id, cut.id, auth::Role::kDelegate, 1).ok());
  Invite("again", "ANA@example.org", cut.id, auth::Role::kDelegate);  // held already
  Invite("other", "ana@example.org", mst.id, auth::Role::kObserver);
  Invite("named", "anon@example.org", mst.id);

  auto user = store_->AcceptInvitation(H("again"), kArgon, "New Name", "en", 400);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->id, ana.id);
  EXPECT_EQ(user->display_name, "Ana Original");
  EXPECT_EQ(user->language, "es");
  EXPECT_TRUE(user->has_password);
  EXPECT_EQ(store_->ListMembershipsOfUser(ana.id)->size(), 1u);

  user = store_->AcceptInvitation(H("other"), kArgon2, "", "en", 401);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(*store_->GetPasswordHash(ana.id), kArgon2);
  EXPECT_EQ(store_->ListMembershipsOfUser(ana.id)->size(), 2u);

  user = store_->AcceptInvitation(H("named"), kArgon, "Finally Named", "", 402);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->id, nameless.id);
  EXPECT_EQ(user->display_name, "Finally Named");
  EXPECT_EQ(Count("users"), "2");
}

TEST_F(SqliteAccountStoreTest, AcceptInvitationRefusesDeadLinks) {
  auth::Organization cut = NewOrg("CUT");
  auth::User ana = NewUser("ana@example.org");
  Invite("expired", "e@example.org", cut.id, auth::Role::kDelegate, /*expires=*/500);
  auth::Invitation revoked = Invite("revoked", "r@example.org", cut.id);
  ASSERT_TRUE(store_->RevokeInvitation(revoked.id, 350).ok());
  ResetLink("reset", "ana@example.org");

  auto r = store_->AcceptInvitation(H("expired"), kArgon, "E", "en", 500);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), "this invitation has expired");
  r = store_->AcceptInvitation(H("revoked"), kArgon, "R", "en", 400);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), "this invitation has been revoked");
  r = store_->AcceptInvitation(H("reset"), kArgon, "A", "en", 400);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), "this link is a password reset, not an invitation");
  r = store_->AcceptInvitation(H("unknown"), kArgon, "U", "en", 400);
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  r = store_->AcceptInvitation(H("revoked"), "", "R", "en", 400);
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);

  // Nothing changed.
  EXPECT_EQ(Count("users"), "1");
  EXPECT_EQ(Count("memberships"), "0");
  EXPECT_EQ(Count("invitations WHERE used_at IS NOT NULL"), "0");
  EXPECT_EQ(*store_->GetPasswordHash(ana.id), "");
}

TEST_F(SqliteAccountStoreTest, AcceptInvitationRefusesADisabledAccount) {
  auth::Organization cut = NewOrg("CUT");
  auth::User ana = NewUser("ana@example.org");
  auth::UserPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(store_->UpdateUser(ana.id, patch).ok());
  Invite("tok", "ana@example.org", cut.id);
  auto r = store_->AcceptInvitation(H("tok"), kArgon, "", "en", 400);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(*store_->GetPasswordHash(ana.id), "");
  EXPECT_FALSE(store_->FindInvitationByTokenHash(H("tok"))->used_at);
}

TEST_F(SqliteAccountStoreTest, AcceptInvitationIsAllOrNothing) {
  auth::Organization cut = NewOrg("CUT");
  Invite("tok", "maria@example.org", cut.id);
  // Make the membership insert fail after the user row has been written.
  ASSERT_TRUE(Raw()
                  ->Exec("CREATE TRIGGER test_no_memberships BEFORE INSERT ON memberships"
                         " BEGIN SELECT RAISE(ABORT, 'test: no memberships'); END;")
                  .ok());
  auto r = store_->AcceptInvitation(H("tok"), kArgon, "Maria", "pt", 400);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("test: no memberships"));
  EXPECT_EQ(Count("users"), "0");
  EXPECT_FALSE(store_->FindInvitationByTokenHash(H("tok"))->used_at);

  ASSERT_TRUE(Raw()->Exec("DROP TRIGGER test_no_memberships;").ok());
  r = store_->AcceptInvitation(H("tok"), kArgon, "Maria", "pt", 400);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Count("users"), "1");
}

TEST_F(SqliteAccountStoreTest, RevokeInvitation) {
  auth::Organization cut = NewOrg("CUT");
  auth::Invitation a = Invite("a", "a@example.org", cut.id);
  auth::Invitation b = Invite("b", "b@example.org", cut.id);
  ASSERT_TRUE(store_->RevokeInvitation(a.id, 310).ok());
  ASSERT_TRUE(store_->RevokeInvitation(a.id, 320).ok());  // harmless, keeps the first time
  EXPECT_EQ(store_->FindInvitationByTokenHash(H("a"))->revoked_at, 310);
  EXPECT_EQ(store_->RevokeInvitation(999, 320).code(), Code::kNotFound);
  ASSERT_TRUE(store_->AcceptInvitation(H("b"), kArgon, "B", "en", 330).ok());
  Status used = store_->RevokeInvitation(b.id, 340);
  EXPECT_EQ(used.code(), Code::kFailedPrecondition);
  EXPECT_FALSE(store_->FindInvitationByTokenHash(H("b"))->revoked_at);
}

// --- Password resets ---

TEST_F(SqliteAccountStoreTest, CompletePasswordResetSetsThePasswordAndEndsSessions) {
  auth::User ana = NewUser("ana@example.org");
  auth::User bea = NewUser("bea@example.org");
  ASSERT_TRUE(store_->SetPasswordHash(ana.id, kArgon).ok());
  NewSession("s1", ana.id);
  NewSession("s2", ana.id);
  NewSession("s3", bea.id);
  ResetLink("reset", "Ana@Example.org");

  auto user = store_->CompletePasswordReset(H("reset"), kArgon2, 400);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->id, ana.id);
  EXPECT_EQ(*store_->GetPasswordHash(ana.id), kArgon2);
  EXPECT_TRUE(store_->ListSessionsOfUser(ana.id)->empty());
  EXPECT_EQ(store_->ListSessionsOfUser(bea.id)->size(), 1u);
  EXPECT_EQ(store_->FindInvitationByTokenHash(H("reset"))->used_at, 400);

  auto again = store_->CompletePasswordReset(H("reset"), kArgon, 401);
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(again.status().message(), "this password reset link has already been used");
  EXPECT_EQ(*store_->GetPasswordHash(ana.id), kArgon2);
}

TEST_F(SqliteAccountStoreTest, CompletePasswordResetRefusesDeadLinks) {
  auth::User ana = NewUser("ana@example.org");
  auth::Organization cut = NewOrg("CUT");
  ResetLink("expired", "ana@example.org", /*expires=*/400);
  auth::Invitation revoked = ResetLink("revoked", "ana@example.org");
  ASSERT_TRUE(store_->RevokeInvitation(revoked.id, 310).ok());
  Invite("invitation", "ana@example.org", cut.id);
  NewSession("s1", ana.id);

  auto r = store_->CompletePasswordReset(H("expired"), kArgon, 400);
  EXPECT_EQ(r.status().message(), "this password reset link has expired");
  r = store_->CompletePasswordReset(H("revoked"), kArgon, 350);
  EXPECT_EQ(r.status().message(), "this password reset link has been revoked");
  r = store_->CompletePasswordReset(H("invitation"), kArgon, 350);
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(r.status().message(), "this link is an invitation, not a password reset");
  EXPECT_EQ(store_->CompletePasswordReset(H("nope"), kArgon, 350).status().code(), Code::kNotFound);
  EXPECT_EQ(*store_->GetPasswordHash(ana.id), "");
  EXPECT_EQ(store_->ListSessionsOfUser(ana.id)->size(), 1u);
}

// --- Sessions ---

TEST_F(SqliteAccountStoreTest, SessionsCreateFindTouchDelete) {
  auth::User ana = NewUser("ana@example.org");
  auth::Session s = NewSession("s1", ana.id);
  EXPECT_GT(s.id, 0);
  EXPECT_EQ(s.user_id, ana.id);
  EXPECT_EQ(s.expires_at, 5000);
  EXPECT_EQ(s.user_agent, "Firefox");
  EXPECT_EQ(s.ip, "192.0.2.1");

  auto found = store_->FindSessionByTokenHash(H("s1"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, s.id);
  EXPECT_EQ(store_->FindSessionByTokenHash(H("s9")).status().code(), Code::kNotFound);

  ASSERT_TRUE(store_->TouchSession(s.id, 450).ok());
  EXPECT_EQ(store_->FindSessionByTokenHash(H("s1"))->last_seen_at, 450);
  EXPECT_EQ(store_->TouchSession(999, 450).code(), Code::kNotFound);

  auth::Session dup;
  dup.user_id = ana.id;
  EXPECT_EQ(store_->CreateSession(dup, H("s1")).status().code(), Code::kAlreadyExists);
  dup.user_id = 999;
  EXPECT_EQ(store_->CreateSession(dup, H("s2")).status().code(), Code::kNotFound);

  ASSERT_TRUE(store_->DeleteSession(s.id).ok());
  EXPECT_EQ(store_->DeleteSession(s.id).code(), Code::kNotFound);
  EXPECT_EQ(store_->FindSessionByTokenHash(H("s1")).status().code(), Code::kNotFound);
}

TEST_F(SqliteAccountStoreTest, DeleteAndListSessionsOfUser) {
  auth::User ana = NewUser("ana@example.org");
  auth::User bea = NewUser("bea@example.org");
  NewSession("a1", ana.id);
  NewSession("a2", ana.id);
  NewSession("b1", bea.id);
  EXPECT_EQ(store_->ListSessionsOfUser(ana.id)->size(), 2u);
  auto deleted = store_->DeleteSessionsOfUser(ana.id);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(*store_->DeleteSessionsOfUser(ana.id), 0);
  EXPECT_TRUE(store_->ListSessionsOfUser(ana.id)->empty());
  EXPECT_EQ(store_->ListSessionsOfUser(bea.id)->size(), 1u);
  EXPECT_EQ(store_->DeleteSessionsOfUser(999).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->ListSessionsOfUser(999).status().code(), Code::kNotFound);
}

// --- API tokens ---

TEST_F(SqliteAccountStoreTest, ApiTokensRoundTripScopesRevokeAndTouch) {
  auth::User ana = NewUser("ana@example.org");
  auth::ApiToken t;
  t.user_id = ana.id;
  t.name = "nightly export";
  t.scopes = auth::kScopeDocumentsRead | auth::kScopeApiRead;
  t.document_pattern = "charter-*";
  t.expires_at = 9000;
  t.revoked_at = 1;  // ignored
  auto created = store_->CreateApiToken(t, H("acc_1"), 500);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->scopes, auth::kScopeDocumentsRead | auth::kScopeApiRead);
  EXPECT_EQ(created->document_pattern, "charter-*");
  EXPECT_EQ(created->name, "nightly export");
  EXPECT_EQ(created->created_at, 500);
  EXPECT_EQ(created->expires_at, 9000);
  EXPECT_FALSE(created->revoked_at);
  EXPECT_FALSE(created->last_used_at);
  EXPECT_EQ(*Raw()->QueryText("SELECT scopes FROM api_tokens;"), "documents:read api:read");

  auto found = store_->FindApiTokenByTokenHash(H("acc_1"));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, created->id);
  EXPECT_EQ(found->scopes, created->scopes);
  EXPECT_EQ(store_->FindApiTokenByTokenHash(H("acc_2")).status().code(), Code::kNotFound);

  ASSERT_TRUE(store_->TouchApiToken(created->id, 600).ok());
  EXPECT_EQ(store_->GetApiToken(created->id)->last_used_at, 600);
  ASSERT_TRUE(store_->RevokeApiToken(created->id, 700).ok());
  ASSERT_TRUE(store_->RevokeApiToken(created->id, 800).ok());
  EXPECT_EQ(store_->GetApiToken(created->id)->revoked_at, 700);

  t.expires_at.reset();
  t.document_pattern = "*";
  t.scopes = auth::kScopeApiWrite;
  auto second = store_->CreateApiToken(t, H("acc_2"), 510);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->expires_at);
  auto list = store_->ListApiTokensOfUser(ana.id);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[1].scopes, auth::kScopeApiWrite);

  EXPECT_EQ(store_->GetApiToken(999).status().code(), Code::kNotFound);
  EXPECT_EQ(store_->RevokeApiToken(999, 1).code(), Code::kNotFound);
  EXPECT_EQ(store_->TouchApiToken(999, 1).code(), Code::kNotFound);
  EXPECT_EQ(store_->ListApiTokensOfUser(999).status().code(), Code::kNotFound);
}

TEST_F(SqliteAccountStoreTest, ApiTokensRefuseBadValues) {
  auth::User ana = NewUser("ana@example.org");
  auth::ApiToken t;
  t.user_id = ana.id;
  t.scopes = auth::kScopeApiRead;
  ASSERT_TRUE(store_->CreateApiToken(t, H("a"), 1).ok());
  EXPECT_EQ(store_->CreateApiToken(t, H("a"), 1).status().code(), Code::kAlreadyExists);
  t.scopes = 0;
  EXPECT_EQ(store_->CreateApiToken(t, H("b"), 1).status().code(), Code::kInvalidArgument);
  t.scopes = auth::kScopeApiRead;
  t.document_pattern = "a*b";  // "*" only at the end
  EXPECT_EQ(store_->CreateApiToken(t, H("c"), 1).status().code(), Code::kInvalidArgument);
  t.document_pattern = "*";
  t.user_id = 999;
  EXPECT_EQ(store_->CreateApiToken(t, H("d"), 1).status().code(), Code::kNotFound);
  EXPECT_EQ(Count("api_tokens"), "1");
}

// --- Audit log ---

TEST_F(SqliteAccountStoreTest, AuditAppendAndListNewestFirstWithPaging) {
  std::vector<auth::Id> ids;
  for (int i = 1; i <= 5; ++i) {
    auth::AuditEvent e;
    e.at = 1000 + i;
    e.kind = "login";
    e.actor_user_id = i;
    e.ip = "192.0.2." + std::to_string(i);
    e.subject = "user:" + std::to_string(i);
    e.detail = R"({"n":)" + std::to_string(i) + "}";
    e.id = 77;  // ignored
    auto id = store_->AppendAudit(e);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  auto page = store_->ListAudit(0, 2);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, ids[4]);
  EXPECT_EQ((*page)[1].id, ids[3]);
  EXPECT_EQ((*page)[0].at, 1005);
  EXPECT_EQ((*page)[0].kind, "login");
  EXPECT_EQ((*page)[0].actor_user_id, 5);
  EXPECT_EQ((*page)[0].ip, "192.0.2.5");
  EXPECT_EQ((*page)[0].subject, "user:5");
  EXPECT_EQ((*page)[0].detail, R"({"n":5})");

  page = store_->ListAudit((*page)[1].id, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, ids[2]);
  EXPECT_EQ((*page)[1].id, ids[1]);
  page = store_->ListAudit((*page)[1].id, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, ids[0]);
  EXPECT_TRUE(store_->ListAudit(ids[0], 2)->empty());

  EXPECT_EQ(store_->ListAudit(0, 0).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(store_->ListAudit(-1, 5).status().code(), Code::kInvalidArgument);
}

TEST_F(SqliteAccountStoreTest, AuditRefusesBadEvents) {
  auth::AuditEvent e;
  e.at = 1;
  e.kind = "logout";  // detail may be empty
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  e.detail = "[1, 2]";  // JSON, but not an object
  EXPECT_EQ(store_->AppendAudit(e).status().code(), Code::kInvalidArgument);
  e.detail = "{not json";
  EXPECT_EQ(store_->AppendAudit(e).status().code(), Code::kInvalidArgument);
  e.detail = "{}";
  e.kind = "";
  EXPECT_EQ(store_->AppendAudit(e).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Count("audit_log"), "1");
}

TEST_F(SqliteAccountStoreTest, AuditLogIsAppendOnlyEvenForOtherConnections) {
  auth::AuditEvent e;
  e.at = 1;
  e.kind = "login";
  e.subject = "user:1";
  ASSERT_TRUE(store_->AppendAudit(e).ok());
  auto raw = Raw();
  Status update = raw->Exec("UPDATE audit_log SET subject = 'user:2';");
  EXPECT_FALSE(update.ok());
  EXPECT_THAT(update.message(), HasSubstr("the audit log is append-only"));
  Status del = raw->Exec("DELETE FROM audit_log;");
  EXPECT_FALSE(del.ok());
  EXPECT_THAT(del.message(), HasSubstr("the audit log is append-only"));
  Status del_one = raw->Exec("DELETE FROM audit_log WHERE id = 1;");
  EXPECT_FALSE(del_one.ok());
  EXPECT_EQ(*raw->QueryText("SELECT subject FROM audit_log;"), "user:1");
  EXPECT_EQ(store_->ListAudit(0, 10)->size(), 1u);
}

// --- Threads ---

TEST_F(SqliteAccountStoreTest, ConcurrentCallsFromSeveralThreads) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20;
  auth::Organization cut = NewOrg("CUT");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string email = "u" + std::to_string(t) + "-" + std::to_string(i) + "@example.org";
        auto u = store_->CreateUser(email, "U", "en", i);
        if (!u.ok() || !store_->AddMembership(u->id, cut.id, auth::Role::kObserver, i).ok() ||
            !store_->AppendAudit({0, i, "user-created", 0, "", email, ""}).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(store_->ListUsers()->size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(store_->ListMembershipsOfOrganization(cut.id)->size(),
            static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(store_->ListAudit(0, 1000)->size(), static_cast<size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace accord::server
