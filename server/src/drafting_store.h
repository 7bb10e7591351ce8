// drafting_store.h: what the drafting workflow stores beyond accounts — the versions of each
// statement and the record of its phase changes — behind one interface.
//
// A version is immutable once written: the statement's draft as a full Yjs state (v1 update)
// with its canonical text, HTML and the text's SHA-256 (server/drafting/CANONICAL.md).
// Versions are numbered 1, 2, ... per statement in the order they are made. Every phase
// change (and deadline change) is recorded with who and when; a phase change carries the
// version taken at that moment, written in the same transaction.
//
// SqliteDraftingStore (migration 5 of database.cc, server/STORAGE.md) is the embedded
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
};

// On `<data_dir>/accord.db` (opened and migrated by Database::Open).
Result<std::unique_ptr<DraftingStore>> OpenSqliteDraftingStore(const std::string& data_dir);

}  // namespace accord::server

#endif  // ACCORD_SERVER_DRAFTING_STORE_H_
