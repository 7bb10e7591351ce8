#include "accord/auth/policy.h"

#include <array>
#include <utility>

namespace accord::auth {
namespace {

struct ActionInfo {
  Action action;
  std::string_view name;    // kebab-case, for logs and the audit trail
  std::string_view phrase;  // "may <phrase>", for reasons shown to people
};

constexpr std::array<ActionInfo, 20> kActions = {{
    {Action::kManageOrganizations, "manage-organizations", "manage organizations"},
    {Action::kManageUsers, "manage-users", "manage users"},
    {Action::kManageMemberships, "manage-memberships", "give or take roles"},
    {Action::kInvite, "invite", "invite people"},
    {Action::kReadAudit, "read-audit", "read the audit log"},
    {Action::kCreateStatement, "create-statement", "start statements"},
    {Action::kReadDirectory, "read-directory", "read the directory"},
    {Action::kReadStatement, "read-statement", "read"},
    {Action::kEditDraft, "edit-draft", "edit the draft of"},
    {Action::kProposeAmendment, "propose-amendment", "propose amendments to"},
    {Action::kSupportAmendment, "support-amendment", "support amendments to"},
    {Action::kSettleAmendment, "settle-amendment", "settle amendments to"},
    {Action::kChangePhase, "change-phase", "change the phase of"},
    {Action::kPublishVersion, "publish-version", "publish versions of"},
    {Action::kManageParticipants, "manage-participants", "choose the participants of"},
    {Action::kEndorse, "endorse", "endorse"},
    {Action::kComment, "comment", "comment on"},
    {Action::kResolveComment, "resolve-comment", "resolve comments on"},
    {Action::kRegisterSigningKey, "register-signing-key", "register signing keys"},
    {Action::kApproveSigningKey, "approve-signing-key", "approve signing keys"},
}};

std::string_view Phrase(Action action) {
  for (const ActionInfo& info : kActions) {
    if (info.action == action) return info.phrase;
  }
  return "do that";
}

Decision Allow() { return Decision{true, ""}; }
Decision Deny(std::string reason) { return Decision{false, std::move(reason)}; }

// Rule (a): what an API token's scopes permit. Sessions carry every scope.
Decision CheckScope(uint32_t scopes, Action action, bool reading) {
  // Looking at what an administrative action manages (listing users, pending invitations)
  // changes nothing: api:read is enough for it.
  if (reading && action != Action::kEditDraft && action != Action::kReadStatement &&
      (scopes & kScopeApiRead)) {
    return Allow();
  }
  switch (action) {
    case Action::kReadDirectory:
    case Action::kReadAudit:
      if (scopes & kScopeApiRead) return Allow();
      return Deny("the API token lacks the api:read scope");
    case Action::kReadStatement:
      if (scopes & (kScopeApiRead | kScopeDocumentsRead)) return Allow();
      return Deny("the API token lacks the api:read or documents:read scope");
    case Action::kEditDraft:
      if (scopes & kScopeDocumentsWrite) return Allow();
      return Deny("the API token lacks the documents:write scope");
    default:
      if (scopes & kScopeApiWrite) return Allow();
      return Deny("the API token lacks the api:write scope");
  }
}

bool IsInstanceAction(Action action) {
  switch (action) {
    case Action::kManageOrganizations:
    case Action::kManageUsers:
    case Action::kManageMemberships:
    case Action::kInvite:
    case Action::kReadAudit:
    case Action::kCreateStatement:
    case Action::kApproveSigningKey:
      return true;
    default:
      return false;
  }
}

const Participation* FindParticipation(const std::vector<Participation>& participants, Id org) {
  for (const Participation& p : participants) {
    if (p.organization_id == org) return &p;
  }
  return nullptr;
}

std::string Named(const StatementRef& statement) {
  if (statement.slug.empty()) return "statement " + std::to_string(statement.id);
  return "statement \"" + statement.slug + "\"";
}

std::string OrgNamed(Id org) { return "organization " + std::to_string(org); }

// Everything the statement rules (e) need, computed once.
struct StatementContext {
  const Principal& who;
  const Target& target;
  const StatementRef& statement;
  const std::vector<Participation>& participants;
  bool secretariat = false;  // instance secretariat, or secretariat of a convening participant
  bool member = false;       // holds any role in a participating organization
  bool open = true;          // no phase deadline, or it has not come yet

  std::string phase() const { return std::string(PhaseName(statement.phase)); }
};

Decision SecretariatOnly(const StatementContext& ctx, Action action) {
  return Deny(
      "only the host organization's secretariat or the secretariat of a convening "
      "organization may " +
      std::string(Phrase(action)) + " " + Named(ctx.statement));
}

Decision EditDraft(const StatementContext& ctx) {
  switch (ctx.statement.phase) {
    case Phase::kDrafting: {
      if (ctx.secretariat) return Allow();  // the deadline binds participants, not the process
      bool delegate = false;                // of some participating organization
      bool editing_delegate = false;        // ... of one that edits
      for (const Membership& m : ctx.who.memberships) {
        if (m.role != Role::kDelegate) continue;
        const Participation* p = FindParticipation(ctx.participants, m.organization_id);
        if (p == nullptr) continue;
        delegate = true;
        if (p->edit) editing_delegate = true;
      }
      if (!editing_delegate) {
        if (delegate) {
          return Deny("your organization takes part in " + Named(ctx.statement) +
                      " without the right to edit the draft");
        }
        return Deny("only delegates of organizations taking part in " + Named(ctx.statement) +
                    " may edit its draft");
      }
      if (!ctx.open)
        return Deny("the drafting deadline of " + Named(ctx.statement) + " has passed");
      return Allow();
    }
    case Phase::kConsolidation:
      if (ctx.secretariat) return Allow();
      return Deny(
          "in the consolidation phase only the statement's secretariat edits the draft of " +
          Named(ctx.statement));
    case Phase::kAmendments:
    case Phase::kFinal:
      return Deny("the draft is frozen in the " + ctx.phase() + " phase");
  }
  return Deny("unknown phase");
}

// Proposing, supporting and endorsing are done for an organization: the principal must hold
// `role` in Target.acting_org, which must take part with the participation right `right`.
Decision ActForOrganization(const StatementContext& ctx, Action action, Role role,
                            bool Participation::*right) {
  if (!ctx.target.acting_org) return Deny("no organization to act for");
  const Id org = *ctx.target.acting_org;
  if (!HasRole(ctx.who, org, role)) {
    return Deny("you are not a " + std::string(RoleName(role)) + " of " + OrgNamed(org));
  }
  const Participation* p = FindParticipation(ctx.participants, org);
  if (p == nullptr) return Deny(OrgNamed(org) + " does not take part in " + Named(ctx.statement));
  if (!(p->*right)) {
    return Deny(OrgNamed(org) + " takes part in " + Named(ctx.statement) +
                " without the right to " + std::string(Phrase(action)) + " it");
  }
  if (!ctx.open) {
    return Deny("the deadline of the " + ctx.phase() + " phase of " + Named(ctx.statement) +
                " has passed");
  }
  return Allow();
}

Decision WrongPhase(const StatementContext& ctx, Action action, std::string_view allowed) {
  return Deny("you may " + std::string(Phrase(action)) + " a statement only in the " +
              std::string(allowed) + "; " + Named(ctx.statement) + " is in the " + ctx.phase() +
              " phase");
}

// Discussion is open to those who shape the text: the statement secretariat and the delegates
// of participants (whatever their participation rights: talking about the text is not editing
// it), until the text is final. Deadlines do not close it: they bind writing the text.
Decision Comment(const StatementContext& ctx) {
  if (ctx.statement.phase == Phase::kFinal) {
    return Deny("the discussion of " + Named(ctx.statement) + " is closed in the final phase");
  }
  if (ctx.secretariat) return Allow();
  for (const Membership& m : ctx.who.memberships) {
    if (m.role == Role::kDelegate && FindParticipation(ctx.participants, m.organization_id)) {
      return Allow();
    }
  }
  return Deny("only delegates of organizations taking part in " + Named(ctx.statement) +
              " and its secretariat may comment on it");
}

Decision StatementAction(const StatementContext& ctx, Action action) {
  switch (action) {
    case Action::kReadStatement:
      if (ctx.secretariat || ctx.member) return Allow();
      return Deny("you are not a member of an organization taking part in " + Named(ctx.statement));
    case Action::kSettleAmendment:
      if (!ctx.secretariat) return SecretariatOnly(ctx, action);
      if (ctx.statement.phase != Phase::kAmendments &&
          ctx.statement.phase != Phase::kConsolidation) {
        return WrongPhase(ctx, action, "amendments or consolidation phase");
      }
      return Allow();
    case Action::kChangePhase:
    case Action::kPublishVersion:
    case Action::kManageParticipants:
      if (!ctx.secretariat) return SecretariatOnly(ctx, action);
      return Allow();
    case Action::kEditDraft:
      return EditDraft(ctx);
    case Action::kProposeAmendment:
    case Action::kSupportAmendment:
      // The secretariat gets no extra right here: amendments come from organizations.
      if (ctx.statement.phase != Phase::kAmendments) {
        return WrongPhase(ctx, action, "amendments phase");
      }
      return ActForOrganization(ctx, action, Role::kDelegate, &Participation::amend);
    case Action::kEndorse:
      if (ctx.statement.phase != Phase::kFinal) return WrongPhase(ctx, action, "final phase");
      return ActForOrganization(ctx, action, Role::kSignatory, &Participation::sign);
    case Action::kComment:
      return Comment(ctx);
    case Action::kResolveComment:
      if (!ctx.secretariat) return SecretariatOnly(ctx, action);
      return Allow();
    default:
      return Deny("unknown action");
  }
}

}  // namespace

std::string_view ActionName(Action action) {
  for (const ActionInfo& info : kActions) {
    if (info.action == action) return info.name;
  }
  return "unknown";
}

bool HasRole(const Principal& who, Id organization_id, Role role) {
  if (organization_id == 0) return false;
  for (const Membership& m : who.memberships) {
    if (m.organization_id == organization_id && m.role == role) return true;
  }
  return false;
}

bool IsInstanceSecretariat(const Principal& who) {
  return who.host_organization_id != 0 &&
         HasRole(who, who.host_organization_id, Role::kSecretariat);
}

Decision Authorize(const Principal& who, Action action, const Target& target) {
  if (Decision scope = CheckScope(who.scopes, action, target.reading); !scope) return scope;  // (a)
  if (who.user_id == 0) return Deny("not signed in");                                         // (b)
  if (action == Action::kReadDirectory) return Allow();                                       // (c)
  if (action == Action::kRegisterSigningKey) {  // (c') a signatory's own key, for its organization
    if (!target.acting_org) return Deny("no organization to act for");
    if (HasRole(who, *target.acting_org, Role::kSignatory)) return Allow();
    return Deny("you are not a signatory of " + OrgNamed(*target.acting_org));
  }
  if (IsInstanceAction(action)) {  // (d)
    if (IsInstanceSecretariat(who)) return Allow();
    return Deny("only the host organization's secretariat may " + std::string(Phrase(action)));
  }
  // (e) statement actions.
  if (target.statement == nullptr || target.participants == nullptr) {
    return Deny("no statement given");
  }
  StatementContext ctx{who, target, *target.statement, *target.participants};
  ctx.secretariat = IsInstanceSecretariat(who);
  for (const Membership& m : who.memberships) {
    const Participation* p = FindParticipation(ctx.participants, m.organization_id);
    if (p == nullptr) continue;
    ctx.member = true;
    if (p->convener && m.role == Role::kSecretariat) ctx.secretariat = true;
  }
  ctx.open = !ctx.statement.phase_deadline || target.now < *ctx.statement.phase_deadline;
  return StatementAction(ctx, action);
}

}  // namespace accord::auth
