// Tests of the SQLite sign-on store: keys move only forward and their approvals and revocations
// land in the log with them; manifests and endorsements are kept with their log entries in the
// same transaction; the stored checks of CommitBatch refuse stale manifests, unusable keys,
// replays and second endorsements without storing anything; the tables refuse plain-SQL edits;
// reads run on their own connections, neither waiting for a write in progress nor seeing it,
// and see every write once it has returned.
#include "sqlite_signon_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "database.h"
#include "drafting_store.h"
#include "signon_encoding.h"
#include "signon_writer.h"
#include "sqlite_account_store.h"
#include "sqlite_transparency_log.h"

namespace accord::server {
namespace {

namespace fs = std::filesystem;

std::string Body(const std::string& kind, int n) {
  return "{\"kind\":\"" + kind + "\",\"n\":" + std::to_string(n) + "}";
}

class SqliteSignonStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("accord-signon-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto accounts = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(accounts.ok()) << accounts.status().ToString();
    accounts_ = std::move(*accounts);
    auth::Organization org;
    org.name = "CGT";
    org.short_name = "CGT";
    auto made = accounts_->CreateOrganization(org, 100);
    ASSERT_TRUE(made.ok());
    org_ = made->id;
    auto statement = accounts_->CreateStatement("paris", "Paris", "en", 100);
    ASSERT_TRUE(statement.ok());
    statement_ = statement->id;
    auto drafting = OpenSqliteDraftingStore(dir_.string());
    ASSERT_TRUE(drafting.ok());
    Version v;
    v.statement_id = statement_;
    v.label = "final";
    v.created_at = 100;
    v.state = {0, 0};
    v.canonical_text = "We declare.";
    v.canonical_html = "<p>We declare.</p>";
    v.sha256 = Sha256Hex(v.canonical_text);
    auto version = (*drafting)->AddVersion(v);
    ASSERT_TRUE(version.ok());
    version_ = version->id;
    auto store = OpenSqliteSignonStore(dir_.string(), [] { return 500; });
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto signer = signon::NoteSigner::FromSeed("accord.test/log", std::string(32, '\x11'));
    ASSERT_TRUE(signer.ok());
    auto log = OpenSqliteTransparencyLog(dir_.string(), *signer, [] { return 500; });
    ASSERT_TRUE(log.ok());
    log_ = std::move(*log);
  }
  void TearDown() override {
    store_.reset();
    log_.reset();
    accounts_.reset();
    fs::remove_all(dir_);
  }

  SigningKey Key(char fill, auth::Id replaces = 0) {
    SigningKey k;
    k.organization_id = org_;
    k.user_id = 5;
    k.public_key = Base64(std::string(32, fill));
    k.label = "laptop";
    k.created_at = 200;
    k.replaces = replaces;
    auto created = store_->CreateKey(k);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : k;
  }
  SigningKey Approved(char fill) {
    SigningKey k = Key(fill);
    auto approved = store_->ApproveKey(k.id, 1, 300, Body("key-approval", k.id), "");
    EXPECT_TRUE(approved.ok()) << approved.status().ToString();
    return approved.ok() ? *approved : k;
  }
  FinalManifest Publish(const std::string& text) {
    FinalManifest m;
    m.statement_id = statement_;
    m.version_id = version_;
    m.canonical = text;
    m.sha256 = Sha256Hex(text);
    m.created_at = 400;
    auto stored = store_->PublishManifest(m, Body("final-version", 0));
    EXPECT_TRUE(stored.ok()) << stored.status().ToString();
    return stored.ok() ? *stored : m;
  }
  SignonWrite EndorsementWrite(const FinalManifest& m, const SigningKey& key, int n) {
    SignonWrite w;
    w.statement_id = statement_;
    w.manifest_sha256 = m.sha256;
    w.endorsement.organization_id = org_;
    w.endorsement.user_id = 5;
    w.endorsement.key_id = key.id;
    w.endorsement.kind = "adheres";
    w.endorsement.canonical = "{\"endorsement\":" + std::to_string(n) + "}";
    w.endorsement.sha256 = Sha256Hex(w.endorsement.canonical);
    w.endorsement.signature = Base64(std::string(64, 's'));
    w.endorsement.nonce = Base64(std::string(15, 'a') + static_cast<char>(n));
    w.endorsement.signed_at = 600;
    w.endorsement.received_at = 601;
    w.log_body = Body("endorsement", n);
    return w;
  }
  SignonWrite WithdrawalWrite(const FinalManifest& m, const SigningKey& key, const Endorsement& e,
                              int n) {
    SignonWrite w;
    w.is_withdrawal = true;
    w.statement_id = statement_;
    w.manifest_sha256 = m.sha256;
    w.withdrawal.endorsement_id = e.id;
    w.withdrawal.user_id = 5;
    w.withdrawal.key_id = key.id;
    w.withdrawal.reason = "changed our mind";
    w.withdrawal.canonical = "{\"withdrawal\":" + std::to_string(n) + "}";
    w.withdrawal.sha256 = Sha256Hex(w.withdrawal.canonical);
    w.withdrawal.signature = Base64(std::string(64, 'w'));
    w.withdrawal.nonce = Base64(std::string(15, 'b') + static_cast<char>(n));
    w.withdrawal.signed_at = 700;
    w.withdrawal.received_at = 701;
    w.log_body = Body("withdrawal", n);
    return w;
  }
  SignonOutcome CommitOne(const SignonWrite& w) {
    return std::move(store_->CommitBatch(std::span(&w, 1)).front());
  }
  uint64_t LogSize() { return *log_->Size(); }
  int64_t Rows() { return *store_->CountRows(); }

  fs::path dir_;
  std::unique_ptr<SqliteAccountStore> accounts_;
  std::unique_ptr<SignonStore> store_;
  std::unique_ptr<TransparencyLog> log_;
  auth::Id org_ = 0, statement_ = 0, version_ = 0;
};

TEST_F(SqliteSignonStoreTest, KeysAreRegisteredOnceAndListed) {
  SigningKey k = Key('a');
  EXPECT_EQ(k.state, KeyState::kPending);
  EXPECT_EQ(k.label, "laptop");
  EXPECT_FALSE(k.approval_log_index);
  SigningKey twin = k;
  EXPECT_EQ(store_->CreateKey(twin).status().code(), Status::Code::kAlreadyExists);
  Key('b');
  EXPECT_EQ(store_->ListKeys(KeyFilter())->size(), 2u);
  KeyFilter other_user;
  other_user.user_id = 6;
  EXPECT_EQ(store_->ListKeys(other_user)->size(), 0u);
  KeyFilter pending;
  pending.state = KeyState::kPending;
  EXPECT_EQ(store_->ListKeys(pending)->size(), 2u);
  EXPECT_EQ(store_->GetKey(999).status().code(), Status::Code::kNotFound);
}

TEST_F(SqliteSignonStoreTest, ApprovalIsLoggedWithTheKey) {
  SigningKey k = Key('a');
  auto approved = store_->ApproveKey(k.id, 1, 300, Body("key-approval", 1), "");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->state, KeyState::kApproved);
  EXPECT_EQ(approved->decided_at, 300);
  ASSERT_TRUE(approved->approval_log_index);
  EXPECT_EQ(log_->Entry(*approved->approval_log_index)->body, Body("key-approval", 1));
  // Not twice; a bad body stores nothing.
  EXPECT_EQ(store_->ApproveKey(k.id, 1, 300, Body("key-approval", 1), "").status().code(),
            Status::Code::kFailedPrecondition);
  SigningKey other = Key('b');
  EXPECT_FALSE(store_->ApproveKey(other.id, 1, 300, "{\"kind\":\"wrong\"}", "").ok());
  EXPECT_EQ(store_->GetKey(other.id)->state, KeyState::kPending);
  EXPECT_EQ(LogSize(), 1u);
}

TEST_F(SqliteSignonStoreTest, RejectionAndRevocationMoveForwardOnly) {
  SigningKey k = Key('a');
  auto rejected = store_->RejectKey(k.id, 1, 300, "not ours");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->state, KeyState::kRejected);
  EXPECT_EQ(rejected->reason, "not ours");
  EXPECT_EQ(store_->RejectKey(k.id, 1, 300, "").status().code(), Status::Code::kFailedPrecondition);
  EXPECT_EQ(store_->RevokeKey(k.id, 300, "x", Body("key-revocation", 1)).status().code(),
            Status::Code::kFailedPrecondition);
  SigningKey a = Approved('b');
  auto revoked = store_->RevokeKey(a.id, 900, "lost", Body("key-revocation", 2));
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->state, KeyState::kRevoked);
  EXPECT_EQ(revoked->revoked_at, 900);
  EXPECT_EQ(log_->Entry(*revoked->revocation_log_index)->body, Body("key-revocation", 2));
  EXPECT_EQ(LogSize(), 2u);
  // Plain SQL cannot bring a key back or change what it is.
  auto db = Database::Open(dir_.string());
  ASSERT_TRUE(db.ok());
  EXPECT_FALSE(
      (*db)
          ->Exec("UPDATE signing_keys SET state = 'approved' WHERE id = " + std::to_string(a.id))
          .ok());
  EXPECT_FALSE((*db)->Exec("UPDATE signing_keys SET public_key = 'x'").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM signing_keys").ok());
}

TEST_F(SqliteSignonStoreTest, RotationRevokesTheReplacedKeyInTheSameTransaction) {
  SigningKey old_key = Approved('a');
  SigningKey next = Key('b', old_key.id);
  auto approved =
      store_->ApproveKey(next.id, 1, 300, Body("key-approval", 2), Body("key-revocation", 3));
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  auto old_now = store_->GetKey(old_key.id);
  EXPECT_EQ(old_now->state, KeyState::kRevoked);
  EXPECT_EQ(old_now->reason, "rotated");
  EXPECT_EQ(old_now->replaced_by, next.id);
  EXPECT_EQ(approved->replaces, old_key.id);
  EXPECT_EQ(*old_now->revocation_log_index, *approved->approval_log_index + 1);
  EXPECT_EQ(log_->Entry(*old_now->revocation_log_index)->body, Body("key-revocation", 3));
}

TEST_F(SqliteSignonStoreTest, ManifestsAreLoggedAndTheNewestIsCurrent) {
  EXPECT_EQ(store_->CurrentManifest(statement_).status().code(), Status::Code::kNotFound);
  FinalManifest first = Publish("{\"m\":1}");
  EXPECT_EQ(first.log_index, 0);
  EXPECT_EQ(store_->CurrentManifest(statement_)->sha256, first.sha256);
  FinalManifest second = Publish("{\"m\":2}");
  EXPECT_EQ(second.log_index, 1);
  EXPECT_EQ(store_->CurrentManifest(statement_)->id, second.id);
  EXPECT_EQ(log_->Entry(1)->kind, "final-version");
  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("UPDATE final_manifests SET canonical = '{}'").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM final_manifests").ok());
}

TEST_F(SqliteSignonStoreTest, EndorsementIsStoredWithItsLogEntry) {
  SigningKey key = Approved('a');
  FinalManifest m = Publish("{\"m\":1}");
  SignonOutcome out = CommitOne(EndorsementWrite(m, key, 1));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.endorsement.manifest_id, m.id);
  EXPECT_EQ(out.endorsement.public_key, key.public_key);
  EXPECT_EQ(out.endorsement.received_at, 601);
  EXPECT_EQ(log_->Entry(out.endorsement.log_index)->body, Body("endorsement", 1));
  auto listed = store_->ListEndorsements(m.id);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_FALSE(listed->front().withdrawal);
  EXPECT_EQ(store_->GetEndorsement(statement_, out.endorsement.id)->sha256, out.endorsement.sha256);
  EXPECT_EQ(store_->GetEndorsement(statement_ + 1, out.endorsement.id).status().code(),
            Status::Code::kNotFound);
  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("UPDATE endorsements SET kind = 'adheres'").ok());
  EXPECT_FALSE((*db)->Exec("DELETE FROM endorsements").ok());
}

TEST_F(SqliteSignonStoreTest, RefusedWritesStoreNothing) {
  SigningKey key = Approved('a');
  SigningKey pending = Key('p');
  SigningKey revoked = Approved('r');
  ASSERT_TRUE(store_->RevokeKey(revoked.id, 350, "lost", Body("key-revocation", 9)).ok());
  FinalManifest old_manifest = Publish("{\"m\":1}");
  FinalManifest m = Publish("{\"m\":2}");
  ASSERT_TRUE(CommitOne(EndorsementWrite(m, key, 1)).status.ok());
  const int64_t rows = Rows();
  const uint64_t size = LogSize();
  auto refusal = [&](const SignonWrite& w) { return CommitOne(w).refusal; };
  EXPECT_EQ(refusal(EndorsementWrite(old_manifest, key, 2)), SignonRefusal::kStaleManifest);
  EXPECT_EQ(refusal(EndorsementWrite(m, pending, 3)), SignonRefusal::kKeyNotApproved);
  EXPECT_EQ(refusal(EndorsementWrite(m, revoked, 4)), SignonRefusal::kKeyRevoked);
  EXPECT_EQ(refusal(EndorsementWrite(m, key, 1)), SignonRefusal::kReplayed);
  SignonWrite same_nonce = EndorsementWrite(m, key, 5);
  same_nonce.endorsement.nonce = EndorsementWrite(m, key, 1).endorsement.nonce;
  EXPECT_EQ(refusal(same_nonce), SignonRefusal::kReplayed);
  EXPECT_EQ(refusal(EndorsementWrite(m, key, 6)), SignonRefusal::kAlreadyEndorsed);
  EXPECT_EQ(Rows(), rows);
  EXPECT_EQ(LogSize(), size);
}

TEST_F(SqliteSignonStoreTest, WithdrawalEndsAnEndorsementOnce) {
  SigningKey key = Approved('a');
  FinalManifest m = Publish("{\"m\":1}");
  Endorsement e = CommitOne(EndorsementWrite(m, key, 1)).endorsement;
  SignonOutcome out = CommitOne(WithdrawalWrite(m, key, e, 1));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_TRUE(out.endorsement.withdrawal);
  EXPECT_EQ(out.endorsement.withdrawal->reason, "changed our mind");
  EXPECT_EQ(log_->Entry(out.endorsement.withdrawal->log_index)->body, Body("withdrawal", 1));
  EXPECT_EQ(CommitOne(WithdrawalWrite(m, key, e, 2)).refusal, SignonRefusal::kNotActive);
  // Once withdrawn, the organization may endorse again.
  EXPECT_TRUE(CommitOne(EndorsementWrite(m, key, 2)).status.ok());
  auto db = Database::Open(dir_.string());
  EXPECT_FALSE((*db)->Exec("DELETE FROM withdrawals").ok());
}

TEST_F(SqliteSignonStoreTest, ABatchKeepsItsGoodWritesAndRefusesTheRest) {
  SigningKey key = Approved('a');
  FinalManifest m = Publish("{\"m\":1}");
  std::vector<SignonWrite> batch = {EndorsementWrite(m, key, 1), EndorsementWrite(m, key, 2)};
  auto outcomes = store_->CommitBatch(batch);
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_TRUE(outcomes[0].status.ok());
  EXPECT_EQ(outcomes[1].refusal, SignonRefusal::kAlreadyEndorsed);
  EXPECT_EQ(store_->ListEndorsements(m.id)->size(), 1u);
  EXPECT_EQ(LogSize(), 3u);  // approval, manifest, one endorsement
}

TEST_F(SqliteSignonStoreTest, WriterCommitsConcurrentWritesInBatches) {
  // One organization per writer thread, so that every endorsement is acceptable.
  std::vector<SigningKey> keys;
  for (int i = 0; i < 8; ++i) {
    auth::Organization org;
    org.name = "Org " + std::to_string(i);
    org.short_name = "O" + std::to_string(i);
    auto made = accounts_->CreateOrganization(org, 100);
    ASSERT_TRUE(made.ok());
    SigningKey k;
    k.organization_id = made->id;
    k.user_id = 5;
    k.public_key = Base64(std::string(32, static_cast<char>('A' + i)));
    k.created_at = 200;
    auto created = store_->CreateKey(k);
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(store_->ApproveKey(created->id, 1, 300, Body("key-approval", i), "").ok());
    keys.push_back(*created);
  }
  FinalManifest m = Publish("{\"m\":1}");
  SignonWriter writer(*store_);
  std::vector<std::thread> threads;
  std::vector<SignonOutcome> outcomes(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] {
      SignonWrite w = EndorsementWrite(m, keys[i], static_cast<int>(i) + 10);
      w.endorsement.organization_id = keys[i].organization_id;
      outcomes[i] = writer.Commit(std::move(w));
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& o : outcomes) EXPECT_TRUE(o.status.ok()) << o.status.ToString();
  EXPECT_EQ(store_->ListEndorsements(m.id)->size(), keys.size());
  EXPECT_GE(writer.batches(), 1u);
  EXPECT_LE(writer.batches(), keys.size());
  EXPECT_EQ(LogSize(), keys.size() * 2 + 1);
}

TEST_F(SqliteSignonStoreTest, ReadsDoNotWaitForTheWriterAndSeeOnlyWhatIsCommitted) {
  SigningKey key = Approved('a');
  FinalManifest m = Publish("{\"m\":1}");
  Endorsement first = CommitOne(EndorsementWrite(m, key, 1)).endorsement;
  ASSERT_NE(first.id, 0);
  const int64_t rows = Rows();

  // A second store on the same file whose clock runs reads on that same store. CommitBatch asks
  // the clock for each log entry's time inside its write transaction, on this thread, with the
  // writer's mutex held: had the reads shared the writer's connection and mutex they could not
  // return (the thread would wait for the mutex it holds). They must return at once, with the
  // last committed state and none of the batch's pending rows.
  SignonStore* hooked = nullptr;
  bool armed = false;
  int calls = 0;
  std::vector<std::string> failures;
  auto clock = [&]() -> int64_t {
    if (!armed) return 500;
    ++calls;
    auto got = hooked->GetEndorsement(statement_, first.id);
    if (!got.ok() || got->withdrawal) failures.push_back("GetEndorsement saw a pending withdrawal");
    auto listed = hooked->ListEndorsements(m.id);
    if (!listed.ok() || listed->size() != 1)
      failures.push_back("ListEndorsements saw pending rows");
    auto count = hooked->CountRows();
    if (!count.ok() || *count != rows) failures.push_back("CountRows saw pending rows");
    auto manifest = hooked->CurrentManifest(statement_);
    if (!manifest.ok() || manifest->id != m.id) failures.push_back("CurrentManifest failed");
    auto k = hooked->GetKey(key.id);
    if (!k.ok() || k->state != KeyState::kApproved) failures.push_back("GetKey failed");
    auto keys = hooked->ListKeys({});
    if (!keys.ok() || keys->size() != 1) failures.push_back("ListKeys failed");
    return 500;
  };
  auto opened = OpenSqliteSignonStore(dir_.string(), clock);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  hooked = opened->get();

  // The withdrawal's rows are pending (uncommitted) when the second write asks the clock.
  std::vector<SignonWrite> batch = {WithdrawalWrite(m, key, first, 1), EndorsementWrite(m, key, 2)};
  armed = true;
  auto outcomes = hooked->CommitBatch(batch);
  armed = false;
  ASSERT_EQ(outcomes.size(), 2u);
  ASSERT_TRUE(outcomes[0].status.ok()) << outcomes[0].status.ToString();
  ASSERT_TRUE(outcomes[1].status.ok()) << outcomes[1].status.ToString();
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(failures.empty()) << failures.front();

  // Read-your-writes: once CommitBatch has returned, every read connection sees the batch.
  for (int i = 0; i < 8; ++i) {  // more reads than read connections
    auto got = hooked->GetEndorsement(statement_, first.id);
    ASSERT_TRUE(got.ok());
    EXPECT_TRUE(got->withdrawal);
    EXPECT_EQ(hooked->ListEndorsements(m.id)->size(), 2u);
    EXPECT_EQ(*hooked->CountRows(), rows + 2);
    EXPECT_EQ(store_->GetEndorsement(statement_, outcomes[1].endorsement.id)->sha256,
              outcomes[1].endorsement.sha256);
  }
}

TEST_F(SqliteSignonStoreTest, EveryWriteIsVisibleToTheReadsAfterIt) {
  SigningKey key = Approved('a');
  FinalManifest m = Publish("{\"m\":1}");
  EXPECT_EQ(store_->CurrentManifest(statement_)->id, m.id);
  // Alternate endorsements and withdrawals: each read right after a commit must see it, on
  // whichever read connection it is lent.
  Endorsement active;
  for (int n = 1; n <= 12; ++n) {
    if (n % 2 == 1) {
      SignonOutcome out = CommitOne(EndorsementWrite(m, key, n));
      ASSERT_TRUE(out.status.ok()) << out.status.ToString();
      active = out.endorsement;
      auto got = store_->GetEndorsement(statement_, active.id);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_FALSE(got->withdrawal);
    } else {
      SignonOutcome out = CommitOne(WithdrawalWrite(m, key, active, n));
      ASSERT_TRUE(out.status.ok()) << out.status.ToString();
      EXPECT_TRUE(store_->GetEndorsement(statement_, active.id)->withdrawal);
    }
    EXPECT_EQ(store_->ListEndorsements(m.id)->size(), static_cast<size_t>((n + 1) / 2));
  }
  // A key's state and a new manifest, likewise.
  SigningKey other = Key('b');
  EXPECT_EQ(store_->GetKey(other.id)->state, KeyState::kPending);
  ASSERT_TRUE(store_->ApproveKey(other.id, 1, 300, Body("key-approval", 99), "").ok());
  EXPECT_EQ(store_->GetKey(other.id)->state, KeyState::kApproved);
  FinalManifest second = Publish("{\"m\":2}");
  EXPECT_EQ(store_->CurrentManifest(statement_)->id, second.id);
}

TEST_F(SqliteSignonStoreTest, ConcurrentSubmittersReadTheirOwnWrites) {
  // More submitters than read connections, each reading its endorsement back right after the
  // group-commit writer returned it.
  constexpr int kSubmitters = 12;
  std::vector<SigningKey> keys;
  for (int i = 0; i < kSubmitters; ++i) {
    auth::Organization org;
    org.name = "Org " + std::to_string(i);
    org.short_name = "O" + std::to_string(i);
    auto made = accounts_->CreateOrganization(org, 100);
    ASSERT_TRUE(made.ok());
    SigningKey k;
    k.organization_id = made->id;
    k.user_id = 5;
    k.public_key = Base64(std::string(32, static_cast<char>('A' + i)));
    k.created_at = 200;
    auto created = store_->CreateKey(k);
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(store_->ApproveKey(created->id, 1, 300, Body("key-approval", i), "").ok());
    keys.push_back(*created);
  }
  FinalManifest m = Publish("{\"m\":1}");
  SignonWriter writer(*store_);
  std::vector<std::thread> threads;
  std::vector<int> seen(kSubmitters, 0);
  for (int i = 0; i < kSubmitters; ++i) {
    threads.emplace_back([&, i] {
      // The handler's checks first, as POST .../endorsements makes them.
      if (!store_->GetKey(keys[i].id).ok() || !store_->CurrentManifest(statement_).ok()) return;
      SignonWrite w = EndorsementWrite(m, keys[i], i + 10);
      w.endorsement.organization_id = keys[i].organization_id;
      SignonOutcome out = writer.Commit(std::move(w));
      if (!out.status.ok()) return;
      auto got = store_->GetEndorsement(statement_, out.endorsement.id);
      auto listed = store_->ListEndorsements(m.id);
      if (!got.ok() || !listed.ok()) return;
      for (const Endorsement& e : *listed) {
        if (e.id == out.endorsement.id) seen[i] = 1;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < kSubmitters; ++i) EXPECT_EQ(seen[i], 1) << "submitter " << i;
  EXPECT_EQ(store_->ListEndorsements(m.id)->size(), static_cast<size_t>(kSubmitters));
}

TEST(KeyStateTest, NamesRoundTrip) {
  for (KeyState s :
       {KeyState::kPending, KeyState::kApproved, KeyState::kRejected, KeyState::kRevoked}) {
    EXPECT_EQ(ParseKeyState(KeyStateName(s)), s);
  }
  EXPECT_FALSE(ParseKeyState("lost"));
}

}  // namespace
}  // namespace accord::server
