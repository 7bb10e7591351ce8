// amendment_rules.h: who may move an amendment from one state to another, edit it, or support
// it — the one place these rules live (server/drafting/AMENDMENTS.md has them in prose,
// amendment_rules_test.cc as a table).
//
// Like auth::Authorize, DecideAmendment is a pure function: it reads no database and no
// clock. The caller passes the principal, the statement target (with `now`), the amendment as
// stored, the statement's amendment settings and the request. Role and phase checks are
// delegated to auth::Authorize (propose-amendment, support-amendment, settle-amendment), so
// scopes and phase deadlines apply as the policy says.
//
// Thread-safe: stateless.
#ifndef ACCORD_SERVER_AMENDMENT_RULES_H_
#define ACCORD_SERVER_AMENDMENT_RULES_H_

#include <optional>
#include <string>

#include "accord/auth/policy.h"
#include "drafting_store.h"

namespace accord::server {

struct AmendmentRequest {
  enum class Kind {
    kTransition,       // move to `to` (with `reason`)
    kEdit,             // change title, rationale or the document (the proposer, in draft)
    kWriteCompromise,  // change the document while it is settled (the secretariat)
    kSupport,          // `acting_org` starts supporting it
    kWithdrawSupport,  // `acting_org` stops supporting it
  };
  Kind kind = Kind::kTransition;
  AmendmentState to = AmendmentState::kDraft;
  std::string reason;
  auth::Id acting_org = 0;
  // The server itself (automatic support changes); `who` is not consulted.
  bool system = false;
  // For `to` obsolete: the state of the amendment that makes this one obsolete.
  std::optional<AmendmentState> obsoleted_by;
  // For support requests: whether `acting_org` supports the amendment already.
  bool already_supports = false;
};

// Whether `request` on `amendment` is allowed; a readable reason when it is not.
auth::Decision DecideAmendment(const auth::Principal& who, const auth::Target& statement,
                               const Amendment& amendment, const AmendmentSettings& settings,
                               const AmendmentRequest& request);

// The automatic move support counts call for with `supporters` organizations: submitted ->
// supported when the threshold (>= 1) is reached, supported -> submitted when support falls
// below it; nullopt when the state stays.
std::optional<AmendmentState> SupportMove(AmendmentState state, int64_t supporters,
                                          int64_t threshold);

// Whether `state` is one of the settled ends (accepted, accepted-with-modification, rejected,
// withdrawn, referred, obsolete), from which nothing moves.
bool IsSettled(AmendmentState state);

}  // namespace accord::server

#endif  // ACCORD_SERVER_AMENDMENT_RULES_H_
