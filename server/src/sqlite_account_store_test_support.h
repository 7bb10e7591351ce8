// sqlite_account_store_test_support.h: the fixture the SqliteAccountStore tests share — a fresh
// store in a temporary directory and helpers that make rows.
#ifndef ACCORD_SERVER_SQLITE_ACCOUNT_STORE_TEST_SUPPORT_H_
#define ACCORD_SERVER_SQLITE_ACCOUNT_STORE_TEST_SUPPORT_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "accord/auth/secret.h"
#include "database.h"
#include "scratch_dir_test_support.h"
#include "sqlite_account_store.h"

namespace accord::server::testing {

inline constexpr char kArgon[] = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
inline constexpr char kArgon2[] = "$argon2id$v=19$m=65536,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNo";

// What the callers store: the SHA-256 hex of a token.
inline std::string H(std::string_view token) { return auth::HashToken(token); }

class SqliteAccountStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(auth::Initialize().ok());
    dir_ = testing::ScratchDir("account-store");
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto s = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  // A second connection, for looking at (or tampering with) the rows directly.
  std::unique_ptr<Database> Raw() {
    auto db = Database::Open(dir_.string());
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    return db.ok() ? std::move(*db) : nullptr;
  }
  std::string Count(std::string_view table) {
    auto n = Raw()->QueryText("SELECT COUNT(*) FROM " + std::string(table) + ";");
    return n.ok() ? *n : "error";
  }

  auth::User NewUser(std::string_view email, std::string_view name = "Ana") {
    auto u = store_->CreateUser(email, name, "es", 100);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : auth::User{};
  }
  auth::Organization NewOrg(std::string_view short_name, bool host = false) {
    auth::Organization org;
    org.name = "Organization " + std::string(short_name);
    org.short_name = short_name;
    org.country = "BR";
    org.kind = auth::OrgKind::kUnion;
    org.website = "https://example.org";
    org.hosts_instance = host;
    auto o = store_->CreateOrganization(org, 200);
    EXPECT_TRUE(o.ok()) << o.status().ToString();
    return o.ok() ? *o : auth::Organization{};
  }
  auth::Invitation Invite(std::string_view token, std::string_view email, auth::Id org,
                          auth::Role role = auth::Role::kDelegate, auth::UnixTime expires = 1000) {
    auth::Invitation inv;
    inv.email = email;
    inv.display_name = "Suggested Name";
    inv.organization_id = org;
    inv.role = role;
    inv.expires_at = expires;
    auto i = store_->CreateInvitation(inv, H(token), 300);
    EXPECT_TRUE(i.ok()) << i.status().ToString();
    return i.ok() ? *i : auth::Invitation{};
  }
  auth::Invitation ResetLink(std::string_view token, std::string_view email,
                             auth::UnixTime expires = 1000) {
    auth::Invitation inv;
    inv.kind = auth::Invitation::Kind::kPasswordReset;
    inv.email = email;
    inv.expires_at = expires;
    auto i = store_->CreateInvitation(inv, H(token), 300);
    EXPECT_TRUE(i.ok()) << i.status().ToString();
    return i.ok() ? *i : auth::Invitation{};
  }
  auth::Session NewSession(std::string_view token, auth::Id user_id) {
    auth::Session s;
    s.user_id = user_id;
    s.created_at = 400;
    s.last_seen_at = 400;
    s.expires_at = 5000;
    s.user_agent = "Firefox";
    s.ip = "192.0.2.1";
    auto r = store_->CreateSession(s, H(token));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : auth::Session{};
  }

  std::filesystem::path dir_;
  std::unique_ptr<SqliteAccountStore> store_;
};

}  // namespace accord::server::testing

#endif  // ACCORD_SERVER_SQLITE_ACCOUNT_STORE_TEST_SUPPORT_H_
