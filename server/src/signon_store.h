// signon_store.h: what sign-on stores (issue 8, /tmp contract "sign-on") — organizations'
// signing keys, the manifests published when a statement enters `final`, and the signed
// endorsements and withdrawals of those manifests — behind one interface.
//
// Every change that the public transparency log records (a manifest, a key approval or
// revocation, an endorsement, a withdrawal) is written together with its log entry in ONE
// write transaction on the instance's database: either both are durable or neither is. The
// caller builds the entry's canonical JSON body (it knows the names that go in it); the store
// appends it (AppendLogEntry) and keeps the entry's index on the row.
//
// Endorsements and withdrawals arrive through CommitBatch, which takes many at once so that a
// group-commit writer (signon_writer.h) makes them durable with one fsync. Checks that depend on
// what is stored (the manifest still current, the key still approved, the hash and nonce never
// seen, one active endorsement per organization and manifest) are made inside that
// transaction, so concurrent requests cannot together pass them.
//
// SqliteSignonStore (sqlite_signon_store.h, migration 10 of database.cc, server/STORAGE.md) is
// the embedded implementation.
//
// Thread-safe: every method may be called from any thread.
#ifndef ACCORD_SERVER_SIGNON_STORE_H_
#define ACCORD_SERVER_SIGNON_STORE_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

enum class KeyState { kPending, kApproved, kRejected, kRevoked };
std::string_view KeyStateName(KeyState state);  // "pending", "approved", "rejected", "revoked"
std::optional<KeyState> ParseKeyState(std::string_view name);

struct SigningKey {
  auth::Id id = 0;
  auth::Id organization_id = 0;
  auth::Id user_id = 0;
  std::string public_key;  // standard base64 (with padding) of the 32 raw bytes
  std::string label;
  KeyState state = KeyState::kPending;
  auth::UnixTime created_at = 0;
  auth::Id decided_by = 0;  // who approved or rejected it; 0: nobody yet
  std::optional<auth::UnixTime> decided_at;
  std::optional<auth::UnixTime> revoked_at;
  std::string reason;        // of the rejection or revocation
  auth::Id replaces = 0;     // the key this one rotates out once approved; 0: none
  auth::Id replaced_by = 0;  // (read only) the approved key that rotated this one out
  std::optional<int64_t> approval_log_index;
  std::optional<int64_t> revocation_log_index;
};

struct KeyFilter {
  auth::Id user_id = 0;          // 0: any user
  auth::Id organization_id = 0;  // 0: any organization
  std::optional<KeyState> state;
};

struct FinalManifest {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  auth::Id version_id = 0;
  std::string canonical;  // the manifest's JCS text
  std::string sha256;     // of `canonical`, lower-case hex
  int64_t log_index = 0;  // its final-version entry
  auth::UnixTime created_at = 0;
};

struct Withdrawal {
  auth::Id id = 0;
  auth::Id endorsement_id = 0;
  auth::Id user_id = 0;
  auth::Id key_id = 0;
  std::string reason;
  std::string canonical;  // the signed withdrawal's JCS text
  std::string sha256;
  std::string signature;  // base64 of the 64 bytes
  std::string nonce;
  auth::UnixTime signed_at = 0;
  auth::UnixTime received_at = 0;
  int64_t log_index = 0;
};

struct Endorsement {
  auth::Id id = 0;
  auth::Id manifest_id = 0;
  auth::Id organization_id = 0;
  auth::Id user_id = 0;
  auth::Id key_id = 0;
  std::string kind;       // "adheres" or "adheres-with-reservations"
  std::string canonical;  // the signed endorsement's JCS text
  std::string sha256;
  std::string signature;
  std::string nonce;
  auth::UnixTime signed_at = 0;
  auth::UnixTime received_at = 0;
  int64_t log_index = 0;
  std::string public_key;                // (read only) its key's
  std::optional<Withdrawal> withdrawal;  // (read only) set once withdrawn
};

// Why CommitBatch refused one write; each maps to one problem type of the API.
enum class SignonRefusal {
  kNone,
  kStaleManifest,    // the manifest is not its statement's current one
  kKeyNotApproved,   // the key is pending or rejected
  kKeyRevoked,       // the key was revoked
  kReplayed,         // the same signed object (hash) or nonce was seen before
  kAlreadyEndorsed,  // the organization has an active endorsement of this manifest
  kNotActive,        // a withdrawal of an endorsement that is withdrawn already or unknown
};

// One endorsement or withdrawal to make durable. For an endorsement, `endorsement` is filled
// (its manifest_id, organization, user, key, texts, times) and `withdrawal` is not; for a
// withdrawal, `withdrawal` is filled and `endorsement.id` names what it withdraws.
// `manifest_sha256` is the manifest the signed object names; `log_body` the entry to append.
struct SignonWrite {
  bool is_withdrawal = false;
  auth::Id statement_id = 0;
  std::string manifest_sha256;
  Endorsement endorsement;
  Withdrawal withdrawal;
  std::string log_body;
};

struct SignonOutcome {
  Status status;  // OK, or why not (the refusal's message, or a storage failure)
  SignonRefusal refusal = SignonRefusal::kNone;
  Endorsement endorsement;  // as stored (with its withdrawal, for a withdrawal)
};

class SignonStore {
 public:
  virtual ~SignonStore() = default;

  // --- Keys ---
  // Stores a pending key; AlreadyExists if its public key is registered (by anyone).
  virtual Result<SigningKey> CreateKey(const SigningKey& key) = 0;
  // NotFound if there is no such key.
  virtual Result<SigningKey> GetKey(auth::Id id) = 0;
  // Keys matching `filter`, by id.
  virtual Result<std::vector<SigningKey>> ListKeys(const KeyFilter& filter) = 0;
  // Approves the pending key `id` and appends `approval_body` (key-approval) to the log. If the
  // key replaces another that is approved, that one is revoked ("rotated") with
  // `rotation_body` (key-revocation) appended after. One transaction. FailedPrecondition if the
  // key is not pending.
  virtual Result<SigningKey> ApproveKey(auth::Id id, auth::Id decided_by, auth::UnixTime at,
                                        std::string_view approval_body,
                                        std::string_view rotation_body) = 0;
  // Rejects the pending key `id` (not logged). FailedPrecondition if it is not pending.
  virtual Result<SigningKey> RejectKey(auth::Id id, auth::Id decided_by, auth::UnixTime at,
                                       std::string_view reason) = 0;
  // Revokes the approved key `id` and appends `revocation_body`. FailedPrecondition if the
  // key is not approved.
  virtual Result<SigningKey> RevokeKey(auth::Id id, auth::UnixTime at, std::string_view reason,
                                       std::string_view revocation_body) = 0;

  // --- Manifests ---
  // Stores the manifest (sha256 is computed from canonical by the caller) and appends
  // `log_body` (final-version). Returns it with its log index.
  virtual Result<FinalManifest> PublishManifest(const FinalManifest& manifest,
                                                std::string_view log_body) = 0;
  // The statement's newest manifest; NotFound if it has none.
  virtual Result<FinalManifest> CurrentManifest(auth::Id statement_id) = 0;

  // --- Endorsements and withdrawals ---
  // Makes every write durable that passes the stored checks, in one transaction; one outcome per
  // write, in order. A refused write changes nothing; if the transaction itself fails, every
  // outcome carries that error and nothing is stored.
  virtual std::vector<SignonOutcome> CommitBatch(std::span<const SignonWrite> writes) = 0;
  // One endorsement (with its withdrawal, if any); NotFound if it is not of that statement.
  virtual Result<Endorsement> GetEndorsement(auth::Id statement_id, auth::Id id) = 0;
  // Every endorsement of the manifest, by id.
  virtual Result<std::vector<Endorsement>> ListEndorsements(auth::Id manifest_id) = 0;
  // Rows in the four tables (endorsements, withdrawals, signing_keys, final_manifests), summed:
  // what tests compare to show that a refused request stored nothing.
  virtual Result<int64_t> CountRows() = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_SIGNON_STORE_H_
