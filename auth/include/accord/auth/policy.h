// accord/auth/policy.h: the one authorization policy of Accord.
//
// Every HTTP request and every WebSocket message that reads or changes something is checked by
// Authorize() before it acts; there is no other place where rights are decided. The policy is
// a pure function of who asks (Principal), what they want (Action) and on what (Target): it
// reads no database and no clock, so it can be tested as a table (policy_test.cc) and read
// on its own (auth/POLICY.md has the table in prose).
//
// Thread-safe: stateless.
#ifndef ACCORD_AUTH_POLICY_H_
#define ACCORD_AUTH_POLICY_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/auth/model.h"

namespace accord::auth {

enum class Action {
  // --- Instance administration: the host organization's secretariat ---
  kManageOrganizations,  // create and edit organizations
  kManageUsers,          // list users, disable them, issue password resets
  kManageMemberships,    // give and take roles
  kInvite,               // invite a person for an organization and role
  kReadAudit,            // read the audit log
  kCreateStatement,      // start a new statement

  // --- Anyone signed in ---
  kReadDirectory,  // list organizations and their members (who takes part)

  // --- On one statement (Target.statement is required) ---
  kReadStatement,       // read the draft, versions, amendments, participants
  kEditDraft,           // send updates to the live draft
  kProposeAmendment,    // open an amendment for Target.acting_org
  kSupportAmendment,    // support another organization's amendment for Target.acting_org
  kSettleAmendment,     // accept, reject or merge amendments
  kChangePhase,         // move the statement to another phase, set deadlines
  kPublishVersion,      // name a version of the draft
  kManageParticipants,  // choose which organizations take part, with which rights
  kEndorse,             // sign the final text for Target.acting_org
  kComment,             // post comments and replies on the draft and its amendments
  kResolveComment,      // mark a comment thread resolved, or open it again

  // --- Sign-on keys (no statement) ---
  kRegisterSigningKey,  // register (or revoke) one's own signing key for Target.acting_org
  kApproveSigningKey,   // approve or reject signing keys, revoke anyone's: instance secretariat
};
std::string_view ActionName(Action action);  // "edit-draft", "endorse", ...

// Who asks. Built by the server from a session (all scopes) or an API token (its scopes).
struct Principal {
  Id user_id = 0;
  std::vector<Membership> memberships;
  Id host_organization_id = 0;  // the organization whose secretariat runs the instance
  uint32_t scopes = kScopeDocumentsRead | kScopeDocumentsWrite | kScopeApiRead | kScopeApiWrite;
};

// What the action is about.
struct Target {
  // The statement and its participants; required for the statement actions.
  const StatementRef* statement = nullptr;
  const std::vector<Participation>* participants = nullptr;
  // The organization the principal acts for (proposing, supporting, endorsing). Required for
  // those actions; the principal must hold the right role in it.
  std::optional<Id> acting_org;
  // The current time, for phase deadlines (Unix seconds). The caller passes the clock in so the
  // policy stays a pure function.
  UnixTime now = 0;
  // The request only looks (an HTTP GET listing users or pending invitations): an API token
  // then needs api:read for the administrative actions, not api:write. Rights are unchanged.
  bool reading = false;
};

struct Decision {
  bool allowed = false;
  std::string reason;  // why not (for the error reply and the audit log); empty when allowed
  explicit operator bool() const { return allowed; }
};

Decision Authorize(const Principal& who, Action action, const Target& target);

// Convenience for the checks the server makes before it has a statement.
bool IsInstanceSecretariat(const Principal& who);
bool HasRole(const Principal& who, Id organization_id, Role role);

}  // namespace accord::auth

#endif  // ACCORD_AUTH_POLICY_H_
