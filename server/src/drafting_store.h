// drafting_store.h: what the drafting workflow stores beyond accounts — the versions of each
// statement and the record of its phase changes — behind one interface.
//
// A version is immutable once written: the statement's draft as a full Yjs state (v1 update)
// with its canonical text, HTML and the text's SHA-256 (server/drafting/CANONICAL.md).
// Versions are numbered 1, 2, ... per statement in the order they are made. Every phase
// change (and deadline change) is recorded with who and when; a phase change carries the
// version taken at that moment, written in the same transaction.
//
// Amendments (server/drafting/AMENDMENTS.md) are numbered 1, 2, ... per statement; each is a
// fork of one version, stored as its own Yjs document. Their state changes are recorded in an
// append-only list of transitions; supporters are organizations, at most one row each.
//
// A merge (AMENDMENTS.md, "Merging") records which accepted amendments were applied to the
// draft, which were left out and why, and the version taken right after; both are written in
// one transaction, and an amendment is merged at most once.
//
// SqliteDraftingStore (migrations 5, 6 and 8 of database.cc, server/STORAGE.md) is the embedded
// default; a PostgreSQL one can implement the same interface.
//
// Thread-safe: every method may be called from any thread.
#ifndef ACCORD_SERVER_DRAFTING_STORE_H_
#define ACCORD_SERVER_DRAFTING_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

enum class VersionReason { kManual, kPhase, kMerge };
std::string_view VersionReasonName(VersionReason reason);  // "manual", "phase", "merge"

struct Version {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  int64_t number = 0;  // 1, 2, ... within the statement
  std::string label;
  VersionReason reason = VersionReason::kManual;
  auth::Phase phase = auth::Phase::kDrafting;  // the statement's phase when it was taken
  auth::Id author_user_id = 0;                 // 0: nobody (the system)
  auth::UnixTime created_at = 0;
  std::string sha256;  // of canonical_text, lower-case hex
  // The content; empty in lists (ListVersions), filled by GetVersion.
  std::vector<uint8_t> state;  // Yjs v1 update: the whole draft
  std::string canonical_text;
  std::string canonical_html;
};

struct PhaseChange {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  auth::Phase from = auth::Phase::kDrafting;
  auth::Phase to = auth::Phase::kDrafting;  // == from: only the deadline changed
  std::optional<auth::UnixTime> deadline;
  auth::Id user_id = 0;
  auth::UnixTime at = 0;
  int64_t version_number = 0;  // the version taken at the change; 0: none
};

enum class AmendmentState {
  kDraft,
  kSubmitted,
  kSupported,
  kAccepted,
  kAcceptedWithModification,
  kRejected,
  kWithdrawn,
  kReferred,
  kObsolete,
};
// "draft", "submitted", "supported", "accepted", "accepted-with-modification", "rejected",
// "withdrawn", "referred", "obsolete".
std::string_view AmendmentStateName(AmendmentState state);
std::optional<AmendmentState> ParseAmendmentState(std::string_view name);

struct Amendment {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  int64_t number = 0;        // 1, 2, ... within the statement
  int64_t base_version = 0;  // the version number it forks
  std::string document;      // "statement.<slug>.amendment.<number>"
  std::string title;
  std::string rationale;
  auth::Id organization_id = 0;  // the proposing organization
  AmendmentState state = AmendmentState::kDraft;
  auth::Id created_by = 0;
  auth::UnixTime created_at = 0;
  int64_t supporters = 0;  // how many organizations support it (read only)
};

struct AmendmentTransition {
  auth::Id id = 0;
  auth::Id amendment_id = 0;
  AmendmentState from = AmendmentState::kDraft;
  AmendmentState to = AmendmentState::kDraft;
  auth::Id user_id = 0;  // 0: the system (automatic support)
  auth::UnixTime at = 0;
  std::string reason;
};

struct AmendmentSupport {
  auth::Id amendment_id = 0;
  auth::Id organization_id = 0;
  auth::Id user_id = 0;
  auth::UnixTime at = 0;
};

// Per statement; a statement without a stored row has the defaults.
struct AmendmentSettings {
  auth::Id statement_id = 0;
  int64_t support_threshold = 0;  // 0: amendments need no supporters
  std::optional<auth::UnixTime> support_deadline;
};

enum class MergeOutcome {
  kMerged,      // its changes were applied to the draft
  kCollision,   // it collided with `taken`, which the secretariat chose instead
  kCompromise,  // it collided; the secretariat wrote a compromise in the draft instead
  kObsolete,    // everything it changes is gone from the draft
};
std::string_view MergeOutcomeName(MergeOutcome outcome);  // "merged", "collision", ...

struct MergeEntry {
  auth::Id amendment_id = 0;
  int64_t amendment_number = 0;
  MergeOutcome outcome = MergeOutcome::kMerged;
  int64_t taken = 0;  // kCollision: the number of the amendment merged instead
};

struct Merge {
  auth::Id id = 0;
  auth::Id statement_id = 0;
  int64_t version_number = 0;  // the version taken after the merge
  auth::Id created_by = 0;
  auth::UnixTime created_at = 0;
  std::vector<MergeEntry> entries;  // by amendment number
};

class DraftingStore {
 public:
  virtual ~DraftingStore() = default;

  // Stores `version` (its id and number are assigned) and returns it as stored.
  virtual Result<Version> AddVersion(const Version& version) = 0;
  // The statement's versions, oldest first, without their content.
  virtual Result<std::vector<Version>> ListVersions(auth::Id statement_id) = 0;
  // One version with its content; NotFound if the statement has no such number.
  virtual Result<Version> GetVersion(auth::Id statement_id, int64_t number) = 0;
  // The newest version with its content; NotFound if there is none.
  virtual Result<Version> LatestVersion(auth::Id statement_id) = 0;

  // Records `change`; with `version`, stores that version too, in the same transaction, and
  // links the change to it.
  virtual Result<PhaseChange> RecordPhaseChange(const PhaseChange& change,
                                                const Version* version) = 0;
  // The statement's phase changes, oldest first.
  virtual Result<std::vector<PhaseChange>> ListPhaseChanges(auth::Id statement_id) = 0;

  // Stores `amendment` with the next number of its statement and the document name
  // `document_prefix` + number; returns it as stored.
  virtual Result<Amendment> CreateAmendment(const Amendment& amendment,
                                            const std::string& document_prefix) = 0;
  // The statement's amendments by number, each with its supporter count.
  virtual Result<std::vector<Amendment>> ListAmendments(auth::Id statement_id) = 0;
  // NotFound if there is no such amendment.
  virtual Result<Amendment> GetAmendment(auth::Id statement_id, int64_t number) = 0;
  virtual Result<Amendment> FindAmendmentByDocument(const std::string& document) = 0;
  virtual Status UpdateAmendmentText(auth::Id amendment_id, const std::string& title,
                                     const std::string& rationale) = 0;
  // Moves the amendment from `t.from` to `t.to` and records `t`, in one transaction;
  // FailedPrecondition if its state is no longer `t.from` (someone else moved it).
  virtual Result<AmendmentTransition> TransitionAmendment(const AmendmentTransition& t) = 0;
  virtual Result<std::vector<AmendmentTransition>> ListTransitions(auth::Id amendment_id) = 0;
  // AlreadyExists if the organization supports it already. Returns the supporter count after.
  virtual Result<int64_t> AddSupporter(const AmendmentSupport& support) = 0;
  // NotFound if the organization does not support it. Returns the supporter count after.
  virtual Result<int64_t> RemoveSupporter(auth::Id amendment_id, auth::Id organization_id) = 0;
  virtual Result<std::vector<AmendmentSupport>> ListSupporters(auth::Id amendment_id) = 0;
  virtual Result<AmendmentSettings> GetAmendmentSettings(auth::Id statement_id) = 0;
  virtual Status SetAmendmentSettings(const AmendmentSettings& settings) = 0;

  // Stores `version` and `merge` (linked to it) in one transaction and returns the merge as
  // stored. FailedPrecondition, with nothing stored, if an amendment it merges was merged by
  // an earlier merge.
  virtual Result<Merge> RecordMerge(const Merge& merge, const Version& version) = 0;
  // The statement's merges, oldest first.
  virtual Result<std::vector<Merge>> ListMerges(auth::Id statement_id) = 0;
};

// On `<data_dir>/accord.db` (opened and migrated by Database::Open).
Result<std::unique_ptr<DraftingStore>> OpenSqliteDraftingStore(const std::string& data_dir);

}  // namespace accord::server

#endif  // ACCORD_SERVER_DRAFTING_STORE_H_
