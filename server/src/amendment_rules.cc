#include "amendment_rules.h"

namespace accord::server {
namespace {

using auth::Decision;
using State = AmendmentState;
using Kind = AmendmentRequest::Kind;

Decision Allow() { return Decision{true, ""}; }
Decision Deny(std::string reason) { return Decision{false, std::move(reason)}; }

std::string Named(const Amendment& a) { return "amendment " + std::to_string(a.number); }
std::string StateText(State s) { return std::string(AmendmentStateName(s)); }

// The policy's answer for `action`, acting for `org` when it is not 0.
Decision Ask(const auth::Principal& who, auth::Action action, const auth::Target& statement,
             auth::Id org) {
  auth::Target t = statement;
  if (org != 0) t.acting_org = org;
  return auth::Authorize(who, action, t);
}

bool Open(State s) { return s == State::kSubmitted || s == State::kSupported; }

bool BeforeSupportDeadline(const AmendmentSettings& settings, auth::UnixTime now) {
  return !settings.support_deadline || now < *settings.support_deadline;
}

Decision DecideSystem(const Amendment& a, const AmendmentSettings& settings,
                      const AmendmentRequest& r) {
  if (r.kind != Kind::kTransition) return Deny("the system only moves amendments' states");
  auto move = SupportMove(a.state, a.supporters, settings.support_threshold);
  if (move && *move == r.to) return Allow();
  return Deny(
      "the system moves an amendment only between submitted and supported, by its "
      "supporters and the threshold");
}

Decision DecideTransition(const auth::Principal& who, const auth::Target& statement,
                          const Amendment& a, const AmendmentRequest& r) {
  if (r.to == a.state) return Deny(Named(a) + " is " + StateText(a.state) + " already");
  if (IsSettled(a.state)) {
    return Deny(Named(a) + " is " + StateText(a.state) + "; a settled amendment does not move");
  }
  switch (r.to) {
    case State::kDraft:
      return Deny("an amendment never goes back to draft");
    case State::kSubmitted: {
      if (a.state != State::kDraft) {
        return Deny("only a draft is submitted; " + Named(a) + " is " + StateText(a.state));
      }
      Decision d = Ask(who, auth::Action::kProposeAmendment, statement, a.organization_id);
      if (!d) return Deny("cannot submit: " + d.reason);
      return Allow();
    }
    case State::kSupported:
      return Deny(
          "an amendment becomes supported by itself once enough organizations support "
          "it");
    case State::kWithdrawn: {
      if (a.state != State::kDraft && a.state != State::kSubmitted) {
        return Deny("only a draft or a submitted amendment is withdrawn; " + Named(a) + " is " +
                    StateText(a.state));
      }
      if (who.user_id == 0) return Deny("not signed in");
      if ((who.scopes & auth::kScopeApiWrite) == 0) {
        return Deny("the API token lacks the api:write scope");
      }
      if (!auth::HasRole(who, a.organization_id, auth::Role::kDelegate)) {
        return Deny("only delegates of the proposing organization withdraw " + Named(a));
      }
      return Allow();
    }
    case State::kAccepted:
    case State::kAcceptedWithModification:
    case State::kRejected:
    case State::kReferred: {
      if (!Open(a.state)) {
        return Deny("only a submitted or supported amendment is settled; " + Named(a) + " is " +
                    StateText(a.state));
      }
      Decision d = Ask(who, auth::Action::kSettleAmendment, statement, 0);
      if (!d) return d;
      if (r.to != State::kAccepted && r.reason.empty()) {
        return Deny("say why: a reason is required to make an amendment " + StateText(r.to));
      }
      return Allow();
    }
    case State::kObsolete: {
      Decision d = Ask(who, auth::Action::kSettleAmendment, statement, 0);
      if (!d) return d;
      if (!r.obsoleted_by || (*r.obsoleted_by != State::kAccepted &&
                              *r.obsoleted_by != State::kAcceptedWithModification)) {
        return Deny("only an accepted amendment makes others obsolete; name it");
      }
      return Allow();
    }
  }
  return Deny("unknown state");
}

Decision DecideSupport(const auth::Principal& who, const auth::Target& statement,
                       const Amendment& a, const AmendmentSettings& settings,
                       const AmendmentRequest& r) {
  const bool adding = r.kind == Kind::kSupport;
  if (!Open(a.state)) {
    return Deny("only a submitted amendment is supported; " + Named(a) + " is " +
                StateText(a.state));
  }
  if (r.acting_org == a.organization_id) {
    return Deny("an organization does not support its own amendment");
  }
  Decision d = Ask(who, auth::Action::kSupportAmendment, statement, r.acting_org);
  if (!d) return d;
  if (!BeforeSupportDeadline(settings, statement.now)) {
    return Deny("the support deadline has passed");
  }
  if (adding && r.already_supports) return Deny("the organization supports " + Named(a));
  if (!adding && !r.already_supports) {
    return Deny("the organization does not support " + Named(a));
  }
  return Allow();
}

}  // namespace

bool IsSettled(AmendmentState s) {
  return s != State::kDraft && s != State::kSubmitted && s != State::kSupported;
}

std::optional<AmendmentState> SupportMove(AmendmentState state, int64_t supporters,
                                          int64_t threshold) {
  if (threshold <= 0) return std::nullopt;  // no support needed: "supported" is not used
  if (state == State::kSubmitted && supporters >= threshold) return State::kSupported;
  if (state == State::kSupported && supporters < threshold) return State::kSubmitted;
  return std::nullopt;
}

auth::Decision DecideAmendment(const auth::Principal& who, const auth::Target& statement,
                               const Amendment& amendment, const AmendmentSettings& settings,
                               const AmendmentRequest& request) {
  if (request.system) return DecideSystem(amendment, settings, request);
  switch (request.kind) {
    case Kind::kTransition:
      return DecideTransition(who, statement, amendment, request);
    case Kind::kEdit: {
      if (amendment.state != State::kDraft) {
        return Deny(Named(amendment) + " is " + StateText(amendment.state) +
                    "; only its draft is edited by the proposer");
      }
      Decision d = Ask(who, auth::Action::kProposeAmendment, statement, amendment.organization_id);
      if (!d) return Deny("cannot edit " + Named(amendment) + ": " + d.reason);
      return Allow();
    }
    case Kind::kWriteCompromise: {
      if (!Open(amendment.state)) {
        return Deny(Named(amendment) + " is " + StateText(amendment.state) +
                    "; the secretariat writes a compromise only while it is settled");
      }
      return Ask(who, auth::Action::kSettleAmendment, statement, 0);
    }
    case Kind::kSupport:
    case Kind::kWithdrawSupport:
      return DecideSupport(who, statement, amendment, settings, request);
  }
  return Deny("unknown request");
}

}  // namespace accord::server
