// Tests of the command line's account operations (account_admin.h): links, invitations,
// password resets, bootstrapping an empty instance, API tokens and document patterns. Secrets
// must reach the database only as hashes, so some tests read the database files' bytes.
#include "account_admin.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "accord/auth/secret.h"
#include "sqlite_account_store.h"

namespace accord::server {
namespace {

using Kind = auth::Invitation::Kind;
using Code = Status::Code;
using std::chrono::hours;
using std::chrono::seconds;

constexpr auth::UnixTime kNow = 1'800'000'000;
constexpr char kUrl[] = "https://accord.test";

class AccountAdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::Initialize().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-account-admin-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    auto store = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  auth::Organization MakeOrg(const std::string& short_name, bool host = false) {
    auth::Organization o;
    o.name = short_name + " organization";
    o.short_name = short_name;
    o.hosts_instance = host;
    auto made = store_->CreateOrganization(o, kNow);
    EXPECT_TRUE(made.ok()) << made.status().ToString();
    return made.ok() ? *made : o;
  }
  auth::User MakeUser(const std::string& email) {
    auto u = store_->CreateUser(email, "Someone", "en", kNow);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : auth::User{};
  }
  // Every byte SQLite has written: the database file and its write-ahead log.
  std::string DatabaseBytes() {
    std::string bytes;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (!entry.path().filename().string().starts_with("accord.db")) continue;
      std::ifstream in(entry.path(), std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
  }
  int AuditCount(const std::string& kind) {
    int n = 0;
    const auto events = store_->ListAudit(0, 1000);
    for (const auto& e : *events) n += e.kind == kind;
    return n;
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAccountStore> store_;
};

// --- AccountLink ---

TEST(AccountAdminLink, InvitationLinkCarriesTheTokenInTheFragment) {
  EXPECT_EQ(AccountLink("https://accord.example.org", Kind::kInvitation, "aci_x"),
            "https://accord.example.org/invite#aci_x");
}

TEST(AccountAdminLink, ResetLinkUsesTheResetPage) {
  EXPECT_EQ(AccountLink("https://accord.example.org", Kind::kPasswordReset, "acr_y"),
            "https://accord.example.org/reset#acr_y");
}

TEST(AccountAdminLink, TrailingSlashesAreDropped) {
  EXPECT_EQ(AccountLink("https://accord.example.org/", Kind::kInvitation, "t"),
            "https://accord.example.org/invite#t");
  EXPECT_EQ(AccountLink("http://127.0.0.1:8080//", Kind::kPasswordReset, "t"),
            "http://127.0.0.1:8080/reset#t");
  EXPECT_EQ(AccountLink("https://example.org/accord/", Kind::kInvitation, "t"),
            "https://example.org/accord/invite#t");
}

// --- FindOrganizationByShortName ---

TEST_F(AccountAdminTest, FindsAnOrganizationWhateverTheCase) {
  auth::Organization cut = MakeOrg("CUT");
  MakeOrg("MST");
  for (const char* name : {"CUT", "cut", "Cut"}) {
    auto found = FindOrganizationByShortName(*store_, name);
    ASSERT_TRUE(found.ok()) << name << ": " << found.status().ToString();
    EXPECT_EQ(found->id, cut.id);
  }
}

TEST_F(AccountAdminTest, UnknownShortNameIsNotFoundAndNamed) {
  MakeOrg("CUT");
  auto found = FindOrganizationByShortName(*store_, "CUTE");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), Code::kNotFound);
  EXPECT_NE(found.status().message().find("'CUTE'"), std::string::npos) << found.status().message();
}

// --- IssueInvitation ---

TEST_F(AccountAdminTest, InvitationIsFoundByTheHashOfItsToken) {
  auth::Organization cut = MakeOrg("CUT");
  auto issued = IssueInvitation(*store_, "Ana@Example.org", "Ana", cut.id, auth::Role::kDelegate, 0,
                                kUrl, hours(24), kNow);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(issued->token.starts_with("aci_"));
  EXPECT_EQ(issued->link, AccountLink(kUrl, Kind::kInvitation, issued->token));
  EXPECT_EQ(issued->invitation.email, "ana@example.org");
  EXPECT_EQ(issued->invitation.expires_at, kNow + 24 * 3600);

  auto found = store_->FindInvitationByTokenHash(auth::HashToken(issued->token));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->id, issued->invitation.id);
  EXPECT_EQ(found->kind, Kind::kInvitation);
  EXPECT_EQ(found->organization_id, cut.id);
  EXPECT_EQ(found->role, auth::Role::kDelegate);
}

TEST_F(AccountAdminTest, InvitationTokenIsNotStoredInClear) {
  auth::Organization cut = MakeOrg("CUT");
  auto issued = IssueInvitation(*store_, "ana@example.org", "Ana", cut.id, auth::Role::kObserver, 0,
                                kUrl, hours(24), kNow);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  const std::string bytes = DatabaseBytes();
  EXPECT_NE(bytes.find(auth::HashToken(issued->token)), std::string::npos)
      << "the files read are not where the store writes";
  EXPECT_EQ(bytes.find(issued->token), std::string::npos);
  EXPECT_EQ(bytes.find(issued->token.substr(4)), std::string::npos);
}

TEST_F(AccountAdminTest, InvitationFromTheCommandLineIsAudited) {
  auth::Organization cut = MakeOrg("CUT");
  ASSERT_TRUE(IssueInvitation(*store_, "ana@example.org", "Ana", cut.id, auth::Role::kDelegate, 0,
                              kUrl, hours(1), kNow)
                  .ok());
  auto events = store_->ListAudit(0, 1);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].kind, "invitation");
  EXPECT_EQ((*events)[0].actor_user_id, 0);
  EXPECT_NE((*events)[0].detail.find("\"role\":\"delegate\""), std::string::npos);
}

TEST_F(AccountAdminTest, InvitationNeedsAPositiveLifetime) {
  auth::Organization cut = MakeOrg("CUT");
  for (seconds ttl : {seconds(0), seconds(-5)}) {
    auto issued = IssueInvitation(*store_, "ana@example.org", "Ana", cut.id, auth::Role::kDelegate,
                                  0, kUrl, ttl, kNow);
    ASSERT_FALSE(issued.ok());
    EXPECT_EQ(issued.status().code(), Code::kInvalidArgument);
  }
  EXPECT_TRUE(store_->ListPendingInvitations(kNow)->empty());
}

// --- IssuePasswordReset ---

TEST_F(AccountAdminTest, PasswordResetIsALinkForTheUser) {
  auth::User ana = MakeUser("ana@example.org");
  auto issued = IssuePasswordReset(*store_, ana, 0, kUrl, hours(2), kNow);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(issued->token.starts_with("acr_"));
  EXPECT_EQ(issued->link, std::string(kUrl) + "/reset#" + issued->token);
  EXPECT_EQ(issued->invitation.kind, Kind::kPasswordReset);
  EXPECT_EQ(issued->invitation.email, "ana@example.org");
  EXPECT_EQ(issued->invitation.expires_at, kNow + 2 * 3600);

  auto found = store_->FindInvitationByTokenHash(auth::HashToken(issued->token));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, issued->invitation.id);
  EXPECT_EQ(DatabaseBytes().find(issued->token), std::string::npos);
}

TEST_F(AccountAdminTest, PasswordResetNeedsAPositiveLifetime) {
  auth::User ana = MakeUser("ana@example.org");
  auto issued = IssuePasswordReset(*store_, ana, 0, kUrl, seconds(0), kNow);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.status().code(), Code::kInvalidArgument);
}

// --- Bootstrap ---

TEST_F(AccountAdminTest, BootstrapCreatesTheHostOrganizationUserAndInvitation) {
  auto boot =
      Bootstrap(*store_, "Ops@Example.org", "Ops", "Secretariat", "SEC", kUrl, hours(24), kNow);
  ASSERT_TRUE(boot.ok()) << boot.status().ToString();
  EXPECT_TRUE(boot->host.hosts_instance);
  EXPECT_EQ(boot->host.short_name, "SEC");
  EXPECT_EQ(boot->user.email, "ops@example.org");
  EXPECT_FALSE(boot->user.has_password);

  auto host = store_->HostOrganization();
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->id, boot->host.id);

  auto invitation = store_->FindInvitationByTokenHash(auth::HashToken(boot->link.token));
  ASSERT_TRUE(invitation.ok());
  EXPECT_EQ(invitation->email, "ops@example.org");
  EXPECT_EQ(invitation->organization_id, boot->host.id);
  EXPECT_EQ(invitation->role, auth::Role::kSecretariat);
  EXPECT_EQ(boot->link.link, AccountLink(kUrl, Kind::kInvitation, boot->link.token));
  EXPECT_EQ(AuditCount("bootstrap"), 1);
}

TEST_F(AccountAdminTest, BootstrapRefusesASecondTime) {
  ASSERT_TRUE(
      Bootstrap(*store_, "ops@example.org", "Ops", "Secretariat", "SEC", kUrl, hours(24), kNow)
          .ok());
  auto again =
      Bootstrap(*store_, "other@example.org", "Other", "Other", "OTH", kUrl, hours(24), kNow);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), Code::kFailedPrecondition);
  EXPECT_EQ(store_->ListOrganizations()->size(), 1u);
  EXPECT_FALSE(store_->FindUserByEmail("other@example.org").ok());
  EXPECT_EQ(store_->ListPendingInvitations(kNow)->size(), 1u);
}

TEST_F(AccountAdminTest, BootstrapReusesAnExistingUser) {
  auth::User ops = MakeUser("ops@example.org");
  auto boot =
      Bootstrap(*store_, "ops@example.org", "Ops", "Secretariat", "SEC", kUrl, hours(24), kNow);
  ASSERT_TRUE(boot.ok()) << boot.status().ToString();
  EXPECT_EQ(boot->user.id, ops.id);
  EXPECT_EQ(store_->ListUsers()->size(), 1u);
}

// --- IssueApiToken ---

TEST_F(AccountAdminTest, ApiTokenIsStoredOnlyAsAHash) {
  auth::User ana = MakeUser("ana@example.org");
  auto issued = IssueApiToken(*store_, ana.id, "export", auth::kScopeDocumentsRead, "statement.*",
                              hours(24), kNow, 0);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_TRUE(issued->secret.starts_with("acc_"));
  EXPECT_EQ(issued->secret.size(), 4u + 43u);
  EXPECT_EQ(issued->token.user_id, ana.id);
  EXPECT_EQ(issued->token.scopes, auth::kScopeDocumentsRead);
  EXPECT_EQ(issued->token.document_pattern, "statement.*");
  ASSERT_TRUE(issued->token.expires_at.has_value());
  EXPECT_EQ(*issued->token.expires_at, kNow + 24 * 3600);

  auto found = store_->FindApiTokenByTokenHash(auth::HashToken(issued->secret));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, issued->token.id);
  const std::string bytes = DatabaseBytes();
  EXPECT_NE(bytes.find(auth::HashToken(issued->secret)), std::string::npos);
  EXPECT_EQ(bytes.find(issued->secret), std::string::npos);
  EXPECT_EQ(bytes.find(issued->secret.substr(4)), std::string::npos);
}

TEST_F(AccountAdminTest, ApiTokenWithoutLifetimeNeverExpires) {
  auth::User ana = MakeUser("ana@example.org");
  auto issued = IssueApiToken(*store_, ana.id, "forever", auth::kScopeApiRead, "*", std::nullopt,
                              kNow, ana.id);
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  EXPECT_FALSE(issued->token.expires_at.has_value());
  // Issued by a user (not the command line): the API audits it, not this function.
  EXPECT_EQ(AuditCount("token-created"), 0);
}

TEST_F(AccountAdminTest, ApiTokenFromTheCommandLineIsAudited) {
  auth::User ana = MakeUser("ana@example.org");
  ASSERT_TRUE(
      IssueApiToken(*store_, ana.id, "cli", auth::kScopeApiRead, "*", std::nullopt, kNow, 0).ok());
  EXPECT_EQ(AuditCount("token-created"), 1);
}

TEST_F(AccountAdminTest, ApiTokenNeedsAScope) {
  auth::User ana = MakeUser("ana@example.org");
  auto issued = IssueApiToken(*store_, ana.id, "none", 0, "*", std::nullopt, kNow, 0);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(store_->ListApiTokensOfUser(ana.id)->empty());
}

TEST_F(AccountAdminTest, ApiTokenNeedsAGoodPattern) {
  auth::User ana = MakeUser("ana@example.org");
  for (const char* pattern : {"", "**", "a b", "*x", ".hidden"}) {
    auto issued = IssueApiToken(*store_, ana.id, "bad", auth::kScopeDocumentsRead, pattern,
                                std::nullopt, kNow, 0);
    ASSERT_FALSE(issued.ok()) << pattern;
    EXPECT_EQ(issued.status().code(), Code::kInvalidArgument) << pattern;
  }
  EXPECT_TRUE(store_->ListApiTokensOfUser(ana.id)->empty());
}

TEST_F(AccountAdminTest, ApiTokenNeedsAPositiveLifetime) {
  auth::User ana = MakeUser("ana@example.org");
  auto issued =
      IssueApiToken(*store_, ana.id, "zero", auth::kScopeApiRead, "*", seconds(0), kNow, 0);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.status().code(), Code::kInvalidArgument);
  EXPECT_TRUE(store_->ListApiTokensOfUser(ana.id)->empty());
}

TEST_F(AccountAdminTest, ApiTokenForAnUnknownUserIsNotFound) {
  auto issued =
      IssueApiToken(*store_, 4242, "nobody", auth::kScopeApiRead, "*", std::nullopt, kNow, 0);
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.status().code(), Code::kNotFound);
}

// --- Document patterns ---

TEST(AccountAdminPattern, ValidPatterns) {
  for (const char* pattern : {"*", "statement.g20", "statement.*", "statement.g20*", "notes"}) {
    EXPECT_TRUE(DocumentPatternValid(pattern)) << pattern;
  }
}

TEST(AccountAdminPattern, InvalidPatterns) {
  for (const char* pattern : {"", "**", "*x", "x*y", "a b", ".hidden", "a/b", "statement.?"}) {
    EXPECT_FALSE(DocumentPatternValid(pattern)) << pattern;
  }
  EXPECT_FALSE(DocumentPatternValid(std::string(129, 'a')));
}

TEST(AccountAdminPattern, StarCoversEverything) {
  EXPECT_TRUE(DocumentPatternCovers("*", "statement.g20"));
  EXPECT_TRUE(DocumentPatternCovers("*", "scratch"));
}

TEST(AccountAdminPattern, ExactPatternCoversOnlyItsName) {
  EXPECT_TRUE(DocumentPatternCovers("statement.g20", "statement.g20"));
  EXPECT_FALSE(DocumentPatternCovers("statement.g20", "statement.g20.v1"));
  EXPECT_FALSE(DocumentPatternCovers("statement.g20", "statement.g2"));
}

TEST(AccountAdminPattern, PrefixPatternCoversNamesStartingWithIt) {
  EXPECT_TRUE(DocumentPatternCovers("statement.*", "statement.g20"));
  EXPECT_TRUE(DocumentPatternCovers("statement.g20*", "statement.g20"));
  EXPECT_TRUE(DocumentPatternCovers("statement.g20*", "statement.g20.v1"));
  EXPECT_FALSE(DocumentPatternCovers("statement.*", "statements"));
  EXPECT_FALSE(DocumentPatternCovers("statement.*", "scratch"));
  EXPECT_FALSE(DocumentPatternCovers("statement.g20*", "statement.g2"));
}

}  // namespace
}  // namespace accord::server
