// adherence_store.h: open adherence (issue 8) — whether a final statement takes requests to
// adhere from organizations that did not draft it, the requests sent from its public page, and
// the secretariat's decisions on them.
//
// A request holds what the public form sent (the organization's details, its signatory's name,
// title and e-mail, a message), the sender's address, and the SHA-256 of the proof-of-work
// challenge it spent (adherence_challenge.h): a challenge buys at most one request, durably.
// It starts pending and is decided once: approved (the store creates the organization, or links
// an existing one, makes it a participant that may sign and nothing else, and stores a signatory
// invitation — all in one transaction) or rejected with a reason. Requests are never deleted.
//
// The approval writes rows of the account tables (organizations, statement_participants,
// invitations) directly, because the AccountStore interface (auth/) cannot join another store's
// transaction and the approval must be all or nothing.
//
// SqliteAdherenceStore (migration 11 of database.cc, server/STORAGE.md) is the embedded default.
// Thread-safe: every method may be called from any thread.
#ifndef ACCORD_SERVER_ADHERENCE_STORE_H_
#define ACCORD_SERVER_ADHERENCE_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

enum class AdherenceState { kPending, kApproved, kRejected };
std::string_view AdherenceStateName(AdherenceState state);  // "pending", "approved", "rejected"
std::optional<AdherenceState> ParseAdherenceState(std::string_view name);

struct AdherenceRequest {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  // The organization as the form described it (organizations' columns, migration 4).
  std::string org_name;
  std::string org_short_name;
  std::string org_country;  // ISO 3166-1 alpha-2 or ""
  auth::OrgKind org_kind = auth::OrgKind::kOther;
  std::string org_website;  // http(s) URL or ""
  std::string signatory_name;
  std::string signatory_title;
  std::string signatory_email;  // lower-cased
  std::string message;
  std::string ip;                // the sender's address, for the secretariat's vetting
  std::string challenge_sha256;  // lower-case hex; unique
  AdherenceState state = AdherenceState::kPending;
  auth::UnixTime created_at = 0;
  auth::Id decided_by = 0;  // 0 while pending
  auth::UnixTime decided_at = 0;
  std::string reason;            // a rejection's reason
  auth::Id organization_id = 0;  // approved: the organization created or linked
  auth::Id invitation_id = 0;    // approved: the signatory's invitation
};

// What approving a request needs; the invitation's token is made by the caller (only its hash
// is stored, as for every link).
struct AdherenceApproval {
  auth::Id statement_id = 0;
  auth::Id request_id = 0;
  auth::Id existing_organization_id = 0;  // 0: create the organization the request describes
  auth::Id decided_by = 0;
  auth::UnixTime now = 0;
  std::string invitation_token_hash;  // secret.h HashToken of the link's token
  auth::UnixTime invitation_expires_at = 0;
};

struct AdherenceApproved {
  AdherenceRequest request;           // as stored after the decision
  auth::Organization organization;    // created or linked
  auth::Invitation invitation;        // role signatory, for the request's e-mail
  bool organization_created = false;  // false when an existing one was linked
};

class AdherenceStore {
 public:
  virtual ~AdherenceStore() = default;

  // The statement's open_for_signature flag; NotFound for an unknown statement.
  virtual Result<bool> OpenForSignature(auth::Id statement_id) = 0;
  virtual Status SetOpenForSignature(auth::Id statement_id, bool open) = 0;

  // Stores `request` as pending (its id, state and decision fields are assigned) unless the
  // statement already has `max_pending` pending requests (ResourceExhausted), its challenge was
  // spent before (AlreadyExists "challenge"), or the same e-mail already has a pending request
  // for the statement (AlreadyExists "email"). Returns it as stored.
  virtual Result<AdherenceRequest> AddRequest(const AdherenceRequest& request,
                                              int64_t max_pending) = 0;
  // NotFound if the statement has no request `id`.
  virtual Result<AdherenceRequest> GetRequest(auth::Id statement_id, auth::Id id) = 0;
  // The statement's requests (only those in `state` if given), oldest first.
  virtual Result<std::vector<AdherenceRequest>> ListRequests(
      auth::Id statement_id, std::optional<AdherenceState> state) = 0;

  // In one transaction: the request must be pending (FailedPrecondition otherwise); creates
  // the organization (AlreadyExists "short_name" if the short name is taken) or checks
  // `existing_organization_id` names one (NotFound "organization"); makes it a participant of
  // the statement that may sign (a new participant gets no other right; an existing one keeps
  // its rights and gains signing); stores the signatory invitation; records the decision.
  virtual Result<AdherenceApproved> Approve(const AdherenceApproval& approval) = 0;
  // Records the rejection of a pending request (FailedPrecondition if it was decided).
  virtual Result<AdherenceRequest> Reject(auth::Id statement_id, auth::Id id, auth::Id decided_by,
                                          std::string_view reason, auth::UnixTime now) = 0;
};

// On `<data_dir>/accord.db` (opened and migrated by Database::Open).
Result<std::unique_ptr<AdherenceStore>> OpenSqliteAdherenceStore(const std::string& data_dir);

}  // namespace accord::server

#endif  // ACCORD_SERVER_ADHERENCE_STORE_H_
