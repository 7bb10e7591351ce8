// The amendment rules as a table: one row per principal × request × amendment state × phase,
// each with its expected decision written out literally. The rows are the specification
// (server/drafting/AMENDMENTS.md has them in prose); when the rules change, this table changes
// with them, row by row.
#include "amendment_rules.h"

#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace accord::server {
namespace {

using auth::Phase;
using S = AmendmentState;
using K = AmendmentRequest::Kind;

// Organizations: H hosts the instance; A (the proposer) and B take part with `amend`; C takes
// part as convener; R takes part without `amend`; D does not take part.
constexpr auth::Id H = 1, A = 2, B = 3, C = 4, R = 5, D = 6;
constexpr auth::UnixTime kNow = 1'700'000'000;

enum class Setup {
  kDefault,
  kPhaseDeadlinePassed,    // phase_deadline == now
  kSupportDeadlinePassed,  // support_deadline == now
  kSupportDeadlineAhead,   // support_deadline == now + 1
  kNoReason,               // the request carries no reason
  kAlreadySupports,        // the acting organization supports it already
  kObsoletedByAccepted,    // named as made obsolete by an accepted amendment
  kObsoletedByRejected,    // ... by a rejected one
  kThresholdOne,           // threshold 1 and the amendment has one supporter
  kThresholdTwo,           // threshold 2 and the amendment has one supporter
  kTokenApiRead,           // an API token with api:read only
};

struct Row {
  const char* who;  // a principal of Principals(), or "system"
  K kind;
  S from;
  S to;  // for transitions
  Phase phase;
  auth::Id acting;  // for support requests
  bool allowed;
  Setup setup = Setup::kDefault;
};

void PrintTo(const Row& r, std::ostream* os) {
  *os << r.who << " kind=" << static_cast<int>(r.kind) << " " << AmendmentStateName(r.from) << "->"
      << AmendmentStateName(r.to) << " in " << auth::PhaseName(r.phase) << " acting=" << r.acting
      << " setup=" << static_cast<int>(r.setup) << " -> " << (r.allowed ? "allowed" : "denied");
}

const std::map<std::string, auth::Membership>& Principals() {
  static const auto* p = new std::map<std::string, auth::Membership>{
      {"instance_sec", {.user_id = 1, .organization_id = H, .role = auth::Role::kSecretariat}},
      {"convener_sec", {.user_id = 2, .organization_id = C, .role = auth::Role::kSecretariat}},
      {"delegate_A", {.user_id = 3, .organization_id = A, .role = auth::Role::kDelegate}},
      {"observer_A", {.user_id = 4, .organization_id = A, .role = auth::Role::kObserver}},
      {"delegate_B", {.user_id = 5, .organization_id = B, .role = auth::Role::kDelegate}},
      {"observer_B", {.user_id = 6, .organization_id = B, .role = auth::Role::kObserver}},
      {"delegate_R", {.user_id = 7, .organization_id = R, .role = auth::Role::kDelegate}},
      {"delegate_D", {.user_id = 8, .organization_id = D, .role = auth::Role::kDelegate}},
  };
  return *p;
}

constexpr Phase kD = Phase::kDrafting, kA = Phase::kAmendments, kC = Phase::kConsolidation,
                kF = Phase::kFinal;
constexpr K kT = K::kTransition;

const std::vector<Row>& Rows() {
  static const auto* rows = new std::vector<Row>{
      // --- draft -> submitted: the proposer's delegates, amendments phase, before deadline.
      {"delegate_A", kT, S::kDraft, S::kSubmitted, kA, 0, true},
      {"delegate_A", kT, S::kDraft, S::kSubmitted, kA, 0, false, Setup::kPhaseDeadlinePassed},
      {"delegate_A", kT, S::kDraft, S::kSubmitted, kC, 0, false},
      {"delegate_A", kT, S::kDraft, S::kSubmitted, kD, 0, false},
      {"delegate_A", kT, S::kDraft, S::kSubmitted, kF, 0, false},
      {"delegate_A", kT, S::kDraft, S::kSubmitted, kA, 0, false, Setup::kTokenApiRead},
      {"observer_A", kT, S::kDraft, S::kSubmitted, kA, 0, false},
      {"delegate_B", kT, S::kDraft, S::kSubmitted, kA, 0, false},
      {"instance_sec", kT, S::kDraft, S::kSubmitted, kA, 0, false},
      {"convener_sec", kT, S::kDraft, S::kSubmitted, kA, 0, false},
      {"delegate_D", kT, S::kDraft, S::kSubmitted, kA, 0, false},
      {"delegate_A", kT, S::kSubmitted, S::kSubmitted, kA, 0, false},
      {"delegate_A", kT, S::kWithdrawn, S::kSubmitted, kA, 0, false},
      {"delegate_A", kT, S::kSupported, S::kSubmitted, kA, 0, false},
      // --- never back to draft.
      {"delegate_A", kT, S::kSubmitted, S::kDraft, kA, 0, false},
      {"instance_sec", kT, S::kSubmitted, S::kDraft, kA, 0, false},
      // --- withdrawn: the proposer's delegates, from draft or submitted, in any phase.
      {"delegate_A", kT, S::kDraft, S::kWithdrawn, kA, 0, true},
      {"delegate_A", kT, S::kSubmitted, S::kWithdrawn, kA, 0, true},
      {"delegate_A", kT, S::kSubmitted, S::kWithdrawn, kC, 0, true},
      {"delegate_A", kT, S::kSubmitted, S::kWithdrawn, kA, 0, true, Setup::kPhaseDeadlinePassed},
      {"delegate_A", kT, S::kSupported, S::kWithdrawn, kA, 0, false},
      {"delegate_A", kT, S::kAccepted, S::kWithdrawn, kC, 0, false},
      {"delegate_A", kT, S::kDraft, S::kWithdrawn, kA, 0, false, Setup::kTokenApiRead},
      {"observer_A", kT, S::kDraft, S::kWithdrawn, kA, 0, false},
      {"delegate_B", kT, S::kSubmitted, S::kWithdrawn, kA, 0, false},
      {"instance_sec", kT, S::kSubmitted, S::kWithdrawn, kA, 0, false},
      // --- supported is never asked for: the system moves it.
      {"delegate_A", kT, S::kSubmitted, S::kSupported, kA, 0, false},
      {"instance_sec", kT, S::kSubmitted, S::kSupported, kA, 0, false},
      {"system", kT, S::kSubmitted, S::kSupported, kA, 0, true, Setup::kThresholdOne},
      {"system", kT, S::kSubmitted, S::kSupported, kA, 0, false, Setup::kThresholdTwo},
      {"system", kT, S::kSubmitted, S::kSupported, kA, 0, false},  // threshold 0: not used
      {"system", kT, S::kSupported, S::kSubmitted, kA, 0, true, Setup::kThresholdTwo},
      {"system", kT, S::kSupported, S::kSubmitted, kA, 0, false, Setup::kThresholdOne},
      {"system", kT, S::kSubmitted, S::kAccepted, kC, 0, false, Setup::kThresholdOne},
      {"system", K::kEdit, S::kDraft, S::kDraft, kA, 0, false},
      // --- settling: the statement secretariat, amendments or consolidation phase.
      {"instance_sec", kT, S::kSubmitted, S::kAccepted, kA, 0, true},
      {"instance_sec", kT, S::kSupported, S::kAccepted, kC, 0, true},
      {"instance_sec", kT, S::kSubmitted, S::kAccepted, kC, 0, true, Setup::kNoReason},
      {"convener_sec", kT, S::kSubmitted, S::kAccepted, kC, 0, true},
      {"convener_sec", kT, S::kSubmitted, S::kAccepted, kC, 0, true, Setup::kPhaseDeadlinePassed},
      {"instance_sec", kT, S::kSubmitted, S::kAccepted, kD, 0, false},
      {"instance_sec", kT, S::kSubmitted, S::kAccepted, kF, 0, false},
      {"instance_sec", kT, S::kDraft, S::kAccepted, kC, 0, false},
      {"instance_sec", kT, S::kRejected, S::kAccepted, kC, 0, false},
      {"instance_sec", kT, S::kAccepted, S::kRejected, kC, 0, false},
      {"delegate_A", kT, S::kSubmitted, S::kAccepted, kC, 0, false},
      {"delegate_B", kT, S::kSubmitted, S::kRejected, kC, 0, false},
      {"observer_A", kT, S::kSubmitted, S::kAccepted, kC, 0, false},
      {"instance_sec", kT, S::kSubmitted, S::kAccepted, kC, 0, false, Setup::kTokenApiRead},
      {"instance_sec", kT, S::kSubmitted, S::kRejected, kC, 0, true},
      {"instance_sec", kT, S::kSubmitted, S::kRejected, kC, 0, false, Setup::kNoReason},
      {"instance_sec", kT, S::kSupported, S::kReferred, kA, 0, true},
      {"instance_sec", kT, S::kSupported, S::kReferred, kA, 0, false, Setup::kNoReason},
      {"convener_sec", kT, S::kSubmitted, S::kAcceptedWithModification, kC, 0, true},
      {"convener_sec", kT, S::kSubmitted, S::kAcceptedWithModification, kC, 0, false,
       Setup::kNoReason},
      {"instance_sec", kT, S::kWithdrawn, S::kReferred, kC, 0, false},
      // --- obsolete: the secretariat, naming an accepted amendment.
      {"instance_sec", kT, S::kSubmitted, S::kObsolete, kC, 0, true, Setup::kObsoletedByAccepted},
      {"instance_sec", kT, S::kDraft, S::kObsolete, kC, 0, true, Setup::kObsoletedByAccepted},
      {"instance_sec", kT, S::kSubmitted, S::kObsolete, kC, 0, false, Setup::kObsoletedByRejected},
      {"instance_sec", kT, S::kSubmitted, S::kObsolete, kC, 0, false},
      {"instance_sec", kT, S::kRejected, S::kObsolete, kC, 0, false, Setup::kObsoletedByAccepted},
      {"instance_sec", kT, S::kSubmitted, S::kObsolete, kD, 0, false, Setup::kObsoletedByAccepted},
      {"delegate_B", kT, S::kSubmitted, S::kObsolete, kC, 0, false, Setup::kObsoletedByAccepted},
      // --- editing the text: the proposer's delegates while it is a draft.
      {"delegate_A", K::kEdit, S::kDraft, S::kDraft, kA, 0, true},
      {"delegate_A", K::kEdit, S::kDraft, S::kDraft, kA, 0, false, Setup::kPhaseDeadlinePassed},
      {"delegate_A", K::kEdit, S::kSubmitted, S::kDraft, kA, 0, false},
      {"delegate_A", K::kEdit, S::kDraft, S::kDraft, kC, 0, false},
      {"observer_A", K::kEdit, S::kDraft, S::kDraft, kA, 0, false},
      {"delegate_B", K::kEdit, S::kDraft, S::kDraft, kA, 0, false},
      {"instance_sec", K::kEdit, S::kDraft, S::kDraft, kA, 0, false},
      // --- a compromise text: the secretariat while it is submitted or supported.
      {"instance_sec", K::kWriteCompromise, S::kSubmitted, S::kDraft, kC, 0, true},
      {"convener_sec", K::kWriteCompromise, S::kSupported, S::kDraft, kA, 0, true},
      {"instance_sec", K::kWriteCompromise, S::kDraft, S::kDraft, kC, 0, false},
      {"instance_sec", K::kWriteCompromise, S::kAccepted, S::kDraft, kC, 0, false},
      {"instance_sec", K::kWriteCompromise, S::kSubmitted, S::kDraft, kD, 0, false},
      {"delegate_A", K::kWriteCompromise, S::kSubmitted, S::kDraft, kC, 0, false},
      // --- supporting: a delegate of another participant with `amend`, for it.
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, true},
      {"delegate_B", K::kSupport, S::kSupported, S::kDraft, kA, B, true},
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, true,
       Setup::kSupportDeadlineAhead},
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, false,
       Setup::kSupportDeadlinePassed},
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, false,
       Setup::kPhaseDeadlinePassed},
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, false, Setup::kAlreadySupports},
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kC, B, false},
      {"delegate_B", K::kSupport, S::kDraft, S::kDraft, kA, B, false},
      {"delegate_B", K::kSupport, S::kAccepted, S::kDraft, kA, B, false},
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, A, false},  // not B's delegate
      {"delegate_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, false, Setup::kTokenApiRead},
      {"delegate_A", K::kSupport, S::kSubmitted, S::kDraft, kA, A, false},  // its own
      {"observer_B", K::kSupport, S::kSubmitted, S::kDraft, kA, B, false},
      {"delegate_R", K::kSupport, S::kSubmitted, S::kDraft, kA, R, false},  // no `amend`
      {"delegate_D", K::kSupport, S::kSubmitted, S::kDraft, kA, D, false},  // not taking part
      {"instance_sec", K::kSupport, S::kSubmitted, S::kDraft, kA, H, false},
      // --- withdrawing support: the same people, until the deadline.
      {"delegate_B", K::kWithdrawSupport, S::kSubmitted, S::kDraft, kA, B, true,
       Setup::kAlreadySupports},
      {"delegate_B", K::kWithdrawSupport, S::kSubmitted, S::kDraft, kA, B, false},
      {"delegate_B", K::kWithdrawSupport, S::kSupported, S::kDraft, kA, B, false,
       Setup::kSupportDeadlinePassed},
      {"delegate_B", K::kWithdrawSupport, S::kRejected, S::kDraft, kC, B, false,
       Setup::kAlreadySupports},
      {"observer_B", K::kWithdrawSupport, S::kSubmitted, S::kDraft, kA, B, false,
       Setup::kAlreadySupports},
  };
  return *rows;
}

class AmendmentRulesTest : public ::testing::TestWithParam<Row> {};

TEST_P(AmendmentRulesTest, DecidesAsTheTableSays) {
  const Row& row = GetParam();
  auth::StatementRef statement;
  statement.id = 9;
  statement.slug = "g20";
  statement.phase = row.phase;
  std::vector<auth::Participation> participants;
  for (auth::Id org : {A, B, C, R}) {
    auth::Participation p;
    p.statement_id = 9;
    p.organization_id = org;
    p.convener = org == C;
    p.amend = org != R;
    participants.push_back(p);
  }
  auth::Principal who;
  who.host_organization_id = H;
  if (std::string(row.who) != "system") {
    const auth::Membership& m = Principals().at(row.who);
    who.user_id = m.user_id;
    who.memberships = {m};
  }
  if (row.setup == Setup::kTokenApiRead) who.scopes = auth::kScopeApiRead;
  auth::Target target;
  target.statement = &statement;
  target.participants = &participants;
  target.now = kNow;
  if (row.setup == Setup::kPhaseDeadlinePassed) statement.phase_deadline = kNow;

  Amendment amendment;
  amendment.statement_id = 9;
  amendment.number = 4;
  amendment.organization_id = A;
  amendment.state = row.from;
  AmendmentSettings settings;
  if (row.setup == Setup::kSupportDeadlinePassed) settings.support_deadline = kNow;
  if (row.setup == Setup::kSupportDeadlineAhead) settings.support_deadline = kNow + 1;
  if (row.setup == Setup::kThresholdOne || row.setup == Setup::kThresholdTwo) {
    settings.support_threshold = row.setup == Setup::kThresholdOne ? 1 : 2;
    amendment.supporters = 1;
  }

  AmendmentRequest request;
  request.kind = row.kind;
  request.to = row.to;
  request.reason = row.setup == Setup::kNoReason ? "" : "a reason";
  request.acting_org = row.acting;
  request.system = std::string(row.who) == "system";
  request.already_supports = row.setup == Setup::kAlreadySupports;
  if (row.setup == Setup::kObsoletedByAccepted) request.obsoleted_by = S::kAccepted;
  if (row.setup == Setup::kObsoletedByRejected) request.obsoleted_by = S::kRejected;

  auth::Decision d = DecideAmendment(who, target, amendment, settings, request);
  EXPECT_EQ(d.allowed, row.allowed) << d.reason;
  // A denial always says why, in words; an allowance says nothing.
  EXPECT_EQ(d.reason.empty(), row.allowed) << d.reason;
}

INSTANTIATE_TEST_SUITE_P(Table, AmendmentRulesTest, ::testing::ValuesIn(Rows()));

TEST(AmendmentRules, SupportMoveFollowsTheThreshold) {
  EXPECT_EQ(SupportMove(S::kSubmitted, 0, 0), std::nullopt);
  EXPECT_EQ(SupportMove(S::kSubmitted, 5, 0), std::nullopt);
  EXPECT_EQ(SupportMove(S::kSubmitted, 0, 1), std::nullopt);
  EXPECT_EQ(SupportMove(S::kSubmitted, 1, 1), S::kSupported);
  EXPECT_EQ(SupportMove(S::kSubmitted, 3, 2), S::kSupported);
  EXPECT_EQ(SupportMove(S::kSupported, 1, 2), S::kSubmitted);
  EXPECT_EQ(SupportMove(S::kSupported, 2, 2), std::nullopt);
  EXPECT_EQ(SupportMove(S::kDraft, 3, 1), std::nullopt);
  EXPECT_EQ(SupportMove(S::kAccepted, 0, 1), std::nullopt);
}

TEST(AmendmentRules, SettledStatesAreTheEnds) {
  for (S s : {S::kDraft, S::kSubmitted, S::kSupported}) EXPECT_FALSE(IsSettled(s));
  for (S s : {S::kAccepted, S::kAcceptedWithModification, S::kRejected, S::kWithdrawn, S::kReferred,
              S::kObsolete}) {
    EXPECT_TRUE(IsSettled(s));
    EXPECT_EQ(ParseAmendmentState(AmendmentStateName(s)), s);
  }
  EXPECT_EQ(ParseAmendmentState("Accepted"), std::nullopt);
}

}  // namespace
}  // namespace accord::server
