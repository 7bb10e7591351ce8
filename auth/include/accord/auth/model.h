// accord/auth/model.h: the people, organizations and rights Accord knows about, as plain data.
//
// Statements are drafted by member organizations, so rights come from memberships: a user
// holds a role in an organization, and an organization takes part in a statement with a set of
// participation rights. The instance itself is run by the members with the `secretariat` role
// in the one organization marked `hosts_instance` (created when the instance is bootstrapped).
// Everything here is a value type: copy it, read it from any thread.
#ifndef ACCORD_AUTH_MODEL_H_
#define ACCORD_AUTH_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accord::auth {

using Id = int64_t;        // SQLite rowids; 0 is never a valid id
using UnixTime = int64_t;  // seconds since the epoch, UTC

// What a member may do for an organization. Order matters nowhere; each role is its own set of
// rights (a secretariat member is not implicitly a signatory).
enum class Role {
  kSecretariat,  // runs the instance (host organization) or a statement's process (convener)
  kDelegate,     // edits drafts and proposes amendments for the organization
  kSignatory,    // may endorse a final text for the organization
  kObserver,     // reads
};
std::string_view RoleName(Role role);  // "secretariat", "delegate", "signatory", "observer"
std::optional<Role> ParseRole(std::string_view name);

// Where a statement is in its process (the drafting issue moves it between them).
enum class Phase {
  kDrafting,       // participants co-edit the draft live
  kAmendments,     // the draft is frozen; organizations propose amendments
  kConsolidation,  // the secretariat settles amendments and merges them
  kFinal,          // frozen for good; signatories endorse
};
std::string_view PhaseName(Phase phase);  // "drafting", "amendments", "consolidation", "final"
std::optional<Phase> ParsePhase(std::string_view name);

enum class OrgKind { kUnion, kParty, kMovement, kNgo, kOther };
std::string_view OrgKindName(OrgKind kind);  // "union", "party", "movement", "ngo", "other"
std::optional<OrgKind> ParseOrgKind(std::string_view name);

struct User {
  Id id = 0;
  std::string email;          // unique, stored lower-cased
  std::string display_name;   // shown to other participants
  std::string language;       // BCP 47 tag of the preferred interface language, e.g. "es"
  bool has_password = false;  // false until an invitation has been accepted
  bool disabled = false;      // a disabled user cannot log in; their sessions are revoked
  UnixTime created_at = 0;
};

struct Organization {
  Id id = 0;
  std::string name;        // "Central Única dos Trabalhadores"
  std::string short_name;  // "CUT"; unique
  std::string country;     // ISO 3166-1 alpha-2, upper case ("BR"); empty for international
  OrgKind kind = OrgKind::kOther;
  std::string website;          // https URL or empty
  bool hosts_instance = false;  // its secretariat members run the instance (exactly one org)
  UnixTime created_at = 0;
};

struct Membership {
  Id id = 0;
  Id user_id = 0;
  Id organization_id = 0;
  Role role = Role::kObserver;
  UnixTime created_at = 0;
};

// How an organization takes part in one statement. Reading is implied by taking part.
struct Participation {
  Id statement_id = 0;
  Id organization_id = 0;
  bool convener = false;  // its secretariat members run this statement's process
  bool edit = true;       // its delegates co-edit the draft in the drafting phase
  bool amend = true;      // its delegates propose and support amendments
  bool sign = true;       // its signatories may endorse the final text
};

// The statement as far as authorization needs it; the drafting issue adds the rest.
struct StatementRef {
  Id id = 0;
  std::string slug;  // unique, [a-z0-9-]; documents of the statement are named from it
  std::string title;
  Phase phase = Phase::kDrafting;
  std::optional<UnixTime> phase_deadline;  // after it, the phase's writing rights lapse
  std::string language = "en";             // the source language (BCP 47); translations follow
};

// A one-time link to set a password: an invitation (creates the membership when accepted) or a
// password reset (for an existing user). Only the token's hash is stored.
struct Invitation {
  enum class Kind { kInvitation, kPasswordReset };
  Id id = 0;
  Kind kind = Kind::kInvitation;
  std::string email;
  std::string display_name;     // suggested; the invitee may change it
  Id organization_id = 0;       // invitations only
  Role role = Role::kObserver;  // invitations only
  Id invited_by = 0;            // user id; 0 for the command line
  UnixTime created_at = 0;
  UnixTime expires_at = 0;
  std::optional<UnixTime> used_at;  // set once; a used link never works again
  std::optional<UnixTime> revoked_at;
};

struct Session {
  Id id = 0;
  Id user_id = 0;
  UnixTime created_at = 0;
  UnixTime last_seen_at = 0;  // idle expiry counts from here
  UnixTime expires_at = 0;    // absolute expiry
  std::string user_agent;     // shown in "your sessions"
  std::string ip;
};

// What an API token may be used for; the token's rights are the owner's rights cut down to
// these scopes. Stored as a space-separated list.
enum Scope : uint32_t {
  kScopeDocumentsRead = 1u << 0,   // "documents:read": open documents read-only over WebSocket
  kScopeDocumentsWrite = 1u << 1,  // "documents:write": send document updates
  kScopeApiRead = 1u << 2,         // "api:read": GET requests of the REST API
  kScopeApiWrite = 1u << 3,        // "api:write": state-changing REST requests
};
std::string FormatScopes(uint32_t scopes);                   // "documents:read documents:write"
std::optional<uint32_t> ParseScopes(std::string_view text);  // nullopt: an unknown scope

struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name;  // what the owner called it ("nightly export")
  uint32_t scopes = 0;
  std::string document_pattern = "*";  // exact name, "prefix*", or "*"
  UnixTime created_at = 0;
  std::optional<UnixTime> expires_at;
  std::optional<UnixTime> last_used_at;
  std::optional<UnixTime> revoked_at;
};

// One security event, append-only.
struct AuditEvent {
  Id id = 0;
  UnixTime at = 0;
  std::string kind;      // "login", "login-failed", "logout", "role-change", "invitation",
                         // "token-created", "token-revoked", "permission-denied", ...
  Id actor_user_id = 0;  // 0: anonymous or the command line
  std::string ip;        // empty for the command line
  std::string subject;   // what it was about, e.g. "user:12", "organization:3"
  std::string detail;    // JSON object text with the event's particulars
};

}  // namespace accord::auth

#endif  // ACCORD_AUTH_MODEL_H_
