// The authorization policy as a table: one row per principal × action × phase, each with its
// expected decision written out literally. The rows are the specification (auth/POLICY.md has
// the same rules in prose); when the policy changes, this table changes with it, row by row.
#include "accord/auth/policy.h"

#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace accord::auth {
namespace {

using enum Action;
using enum Phase;

// Organizations: H hosts the instance (and takes part in no statement); A and B take part;
// C takes part as convener; D does not take part.
constexpr Id H = 1, A = 2, B = 3, C = 4, D = 5;
constexpr Id kNone = 0;  // no acting organization
constexpr UnixTime kNow = 1'700'000'000;

// A change to the default world for one row.
enum class Setup {
  kDefault,
  kDeadlinePassed,      // phase_deadline == now
  kDeadlineAhead,       // phase_deadline == now + 1
  kRestrictedA,         // A takes part with edit = amend = sign = false
  kCNotConvener,        // C takes part without convening
  kNoHost,              // host_organization_id == 0
  kAnonymous,           // user_id == 0 (memberships kept)
  kNoStatement,         // Target.statement == nullptr
  kTokenDocsRead,       // an API token with documents:read only
  kTokenDocsReadWrite,  // documents:read documents:write
  kTokenApiRead,        // api:read only
  kTokenApiWrite,       // api:write only
};
constexpr std::string_view kSetupNames[] = {"",
                                            "deadline_passed",
                                            "deadline_ahead",
                                            "A_restricted",
                                            "C_not_convener",
                                            "no_host",
                                            "anonymous",
                                            "no_statement",
                                            "token_documents_read",
                                            "token_documents_rw",
                                            "token_api_read",
                                            "token_api_write"};

struct Row {
  std::string_view who;  // a principal of Principals()
  Action action;
  Phase phase;
  Id acting;  // Target.acting_org (kNone: unset)
  bool allowed;
  Setup setup = Setup::kDefault;
};

// How a row reads in test output (instead of its bytes).
void PrintTo(const Row& row, std::ostream* os) {
  *os << row.who << " " << ActionName(row.action) << " in " << PhaseName(row.phase) << " -> "
      << (row.allowed ? "allowed" : "denied");
}

// Each principal holds exactly one membership.
const std::map<std::string_view, Membership>& Principals() {
  static const auto* principals = new std::map<std::string_view, Membership>{
      {"instance_sec", {.user_id = 1, .organization_id = H, .role = Role::kSecretariat}},
      {"convener_sec", {.user_id = 2, .organization_id = C, .role = Role::kSecretariat}},
      {"secretariat_A", {.user_id = 3, .organization_id = A, .role = Role::kSecretariat}},
      {"delegate_A", {.user_id = 4, .organization_id = A, .role = Role::kDelegate}},
      {"signatory_A", {.user_id = 5, .organization_id = A, .role = Role::kSignatory}},
      {"observer_A", {.user_id = 6, .organization_id = A, .role = Role::kObserver}},
      {"delegate_D", {.user_id = 7, .organization_id = D, .role = Role::kDelegate}},
  };
  return *principals;
}

// clang-format off
const Row kRows[] = {
    // ---- Every action in every phase for each principal of A and the two secretariats. ----
    // Sign-on keys: phase-independent.
    {"instance_sec", kRegisterSigningKey, kDrafting, A, false},
    {"instance_sec", kRegisterSigningKey, kAmendments, A, false},
    {"instance_sec", kRegisterSigningKey, kConsolidation, A, false},
    {"instance_sec", kRegisterSigningKey, kFinal, A, false},
    {"instance_sec", kApproveSigningKey, kDrafting, A, true},
    {"instance_sec", kApproveSigningKey, kAmendments, A, true},
    {"instance_sec", kApproveSigningKey, kConsolidation, A, true},
    {"instance_sec", kApproveSigningKey, kFinal, A, true},
    {"convener_sec", kRegisterSigningKey, kDrafting, A, false},
    {"convener_sec", kRegisterSigningKey, kAmendments, A, false},
    {"convener_sec", kRegisterSigningKey, kConsolidation, A, false},
    {"convener_sec", kRegisterSigningKey, kFinal, A, false},
    {"convener_sec", kApproveSigningKey, kDrafting, A, false},
    {"convener_sec", kApproveSigningKey, kAmendments, A, false},
    {"convener_sec", kApproveSigningKey, kConsolidation, A, false},
    {"convener_sec", kApproveSigningKey, kFinal, A, false},
    {"secretariat_A", kRegisterSigningKey, kDrafting, A, false},
    {"secretariat_A", kRegisterSigningKey, kAmendments, A, false},
    {"secretariat_A", kRegisterSigningKey, kConsolidation, A, false},
    {"secretariat_A", kRegisterSigningKey, kFinal, A, false},
    {"secretariat_A", kApproveSigningKey, kDrafting, A, false},
    {"secretariat_A", kApproveSigningKey, kAmendments, A, false},
    {"secretariat_A", kApproveSigningKey, kConsolidation, A, false},
    {"secretariat_A", kApproveSigningKey, kFinal, A, false},
    {"delegate_A", kRegisterSigningKey, kDrafting, A, false},
    {"delegate_A", kRegisterSigningKey, kAmendments, A, false},
    {"delegate_A", kRegisterSigningKey, kConsolidation, A, false},
    {"delegate_A", kRegisterSigningKey, kFinal, A, false},
    {"delegate_A", kApproveSigningKey, kDrafting, A, false},
    {"delegate_A", kApproveSigningKey, kAmendments, A, false},
    {"delegate_A", kApproveSigningKey, kConsolidation, A, false},
    {"delegate_A", kApproveSigningKey, kFinal, A, false},
    {"signatory_A", kRegisterSigningKey, kDrafting, A, true},
    {"signatory_A", kRegisterSigningKey, kAmendments, A, true},
    {"signatory_A", kRegisterSigningKey, kConsolidation, A, true},
    {"signatory_A", kRegisterSigningKey, kFinal, A, true},
    {"signatory_A", kApproveSigningKey, kDrafting, A, false},
    {"signatory_A", kApproveSigningKey, kAmendments, A, false},
    {"signatory_A", kApproveSigningKey, kConsolidation, A, false},
    {"signatory_A", kApproveSigningKey, kFinal, A, false},
    {"observer_A", kRegisterSigningKey, kDrafting, A, false},
    {"observer_A", kRegisterSigningKey, kAmendments, A, false},
    {"observer_A", kRegisterSigningKey, kConsolidation, A, false},
    {"observer_A", kRegisterSigningKey, kFinal, A, false},
    {"observer_A", kApproveSigningKey, kDrafting, A, false},
    {"observer_A", kApproveSigningKey, kAmendments, A, false},
    {"observer_A", kApproveSigningKey, kConsolidation, A, false},
    {"observer_A", kApproveSigningKey, kFinal, A, false},
    {"instance_sec",  kManageOrganizations, kDrafting,      A, true},
    {"instance_sec",  kManageOrganizations, kAmendments,    A, true},
    {"instance_sec",  kManageOrganizations, kConsolidation, A, true},
    {"instance_sec",  kManageOrganizations, kFinal,         A, true},
    {"instance_sec",  kManageUsers,         kDrafting,      A, true},
    {"instance_sec",  kManageUsers,         kAmendments,    A, true},
    {"instance_sec",  kManageUsers,         kConsolidation, A, true},
    {"instance_sec",  kManageUsers,         kFinal,         A, true},
    {"instance_sec",  kManageMemberships,   kDrafting,      A, true},
    {"instance_sec",  kManageMemberships,   kAmendments,    A, true},
    {"instance_sec",  kManageMemberships,   kConsolidation, A, true},
    {"instance_sec",  kManageMemberships,   kFinal,         A, true},
    {"instance_sec",  kInvite,              kDrafting,      A, true},
    {"instance_sec",  kInvite,              kAmendments,    A, true},
    {"instance_sec",  kInvite,              kConsolidation, A, true},
    {"instance_sec",  kInvite,              kFinal,         A, true},
    {"instance_sec",  kReadAudit,           kDrafting,      A, true},
    {"instance_sec",  kReadAudit,           kAmendments,    A, true},
    {"instance_sec",  kReadAudit,           kConsolidation, A, true},
    {"instance_sec",  kReadAudit,           kFinal,         A, true},
    {"instance_sec",  kCreateStatement,     kDrafting,      A, true},
    {"instance_sec",  kCreateStatement,     kAmendments,    A, true},
    {"instance_sec",  kCreateStatement,     kConsolidation, A, true},
    {"instance_sec",  kCreateStatement,     kFinal,         A, true},
    {"instance_sec",  kReadDirectory,       kDrafting,      A, true},
    {"instance_sec",  kReadDirectory,       kAmendments,    A, true},
    {"instance_sec",  kReadDirectory,       kConsolidation, A, true},
    {"instance_sec",  kReadDirectory,       kFinal,         A, true},
    {"instance_sec",  kReadStatement,       kDrafting,      A, true},
    {"instance_sec",  kReadStatement,       kAmendments,    A, true},
    {"instance_sec",  kReadStatement,       kConsolidation, A, true},
    {"instance_sec",  kReadStatement,       kFinal,         A, true},
    {"instance_sec",  kEditDraft,           kDrafting,      A, true},
    {"instance_sec",  kEditDraft,           kAmendments,    A, false},
    {"instance_sec",  kEditDraft,           kConsolidation, A, true},
    {"instance_sec",  kEditDraft,           kFinal,         A, false},
    {"instance_sec",  kProposeAmendment,    kDrafting,      A, false},
    {"instance_sec",  kProposeAmendment,    kAmendments,    A, false},
    {"instance_sec",  kProposeAmendment,    kConsolidation, A, false},
    {"instance_sec",  kProposeAmendment,    kFinal,         A, false},
    {"instance_sec",  kSupportAmendment,    kDrafting,      A, false},
    {"instance_sec",  kSupportAmendment,    kAmendments,    A, false},
    {"instance_sec",  kSupportAmendment,    kConsolidation, A, false},
    {"instance_sec",  kSupportAmendment,    kFinal,         A, false},
    {"instance_sec",  kSettleAmendment,     kDrafting,      A, false},
    {"instance_sec",  kSettleAmendment,     kAmendments,    A, true},
    {"instance_sec",  kSettleAmendment,     kConsolidation, A, true},
    {"instance_sec",  kSettleAmendment,     kFinal,         A, false},
    {"instance_sec",  kChangePhase,         kDrafting,      A, true},
    {"instance_sec",  kChangePhase,         kAmendments,    A, true},
    {"instance_sec",  kChangePhase,         kConsolidation, A, true},
    {"instance_sec",  kChangePhase,         kFinal,         A, true},
    {"instance_sec",  kPublishVersion,      kDrafting,      A, true},
    {"instance_sec",  kPublishVersion,      kAmendments,    A, true},
    {"instance_sec",  kPublishVersion,      kConsolidation, A, true},
    {"instance_sec",  kPublishVersion,      kFinal,         A, true},
    {"instance_sec",  kManageParticipants,  kDrafting,      A, true},
    {"instance_sec",  kManageParticipants,  kAmendments,    A, true},
    {"instance_sec",  kManageParticipants,  kConsolidation, A, true},
    {"instance_sec",  kManageParticipants,  kFinal,         A, true},
    {"instance_sec",  kEndorse,             kDrafting,      A, false},
    {"instance_sec",  kEndorse,             kAmendments,    A, false},
    {"instance_sec",  kEndorse,             kConsolidation, A, false},
    {"instance_sec",  kEndorse,             kFinal,         A, false},
    {"instance_sec",  kComment,             kDrafting,      A, true},
    {"instance_sec",  kComment,             kAmendments,    A, true},
    {"instance_sec",  kComment,             kConsolidation, A, true},
    {"instance_sec",  kComment,             kFinal,         A, false},
    {"instance_sec",  kResolveComment,      kDrafting,      A, true},
    {"instance_sec",  kResolveComment,      kAmendments,    A, true},
    {"instance_sec",  kResolveComment,      kConsolidation, A, true},
    {"instance_sec",  kResolveComment,      kFinal,         A, true},
    {"convener_sec",  kManageOrganizations, kDrafting,      A, false},
    {"convener_sec",  kManageOrganizations, kAmendments,    A, false},
    {"convener_sec",  kManageOrganizations, kConsolidation, A, false},
    {"convener_sec",  kManageOrganizations, kFinal,         A, false},
    {"convener_sec",  kManageUsers,         kDrafting,      A, false},
    {"convener_sec",  kManageUsers,         kAmendments,    A, false},
    {"convener_sec",  kManageUsers,         kConsolidation, A, false},
    {"convener_sec",  kManageUsers,         kFinal,         A, false},
    {"convener_sec",  kManageMemberships,   kDrafting,      A, false},
    {"convener_sec",  kManageMemberships,   kAmendments,    A, false},
    {"convener_sec",  kManageMemberships,   kConsolidation, A, false},
    {"convener_sec",  kManageMemberships,   kFinal,         A, false},
    {"convener_sec",  kInvite,              kDrafting,      A, false},
    {"convener_sec",  kInvite,              kAmendments,    A, false},
    {"convener_sec",  kInvite,              kConsolidation, A, false},
    {"convener_sec",  kInvite,              kFinal,         A, false},
    {"convener_sec",  kReadAudit,           kDrafting,      A, false},
    {"convener_sec",  kReadAudit,           kAmendments,    A, false},
    {"convener_sec",  kReadAudit,           kConsolidation, A, false},
    {"convener_sec",  kReadAudit,           kFinal,         A, false},
    {"convener_sec",  kCreateStatement,     kDrafting,      A, false},
    {"convener_sec",  kCreateStatement,     kAmendments,    A, false},
    {"convener_sec",  kCreateStatement,     kConsolidation, A, false},
    {"convener_sec",  kCreateStatement,     kFinal,         A, false},
    {"convener_sec",  kReadDirectory,       kDrafting,      A, true},
    {"convener_sec",  kReadDirectory,       kAmendments,    A, true},
    {"convener_sec",  kReadDirectory,       kConsolidation, A, true},
    {"convener_sec",  kReadDirectory,       kFinal,         A, true},
    {"convener_sec",  kReadStatement,       kDrafting,      A, true},
    {"convener_sec",  kReadStatement,       kAmendments,    A, true},
    {"convener_sec",  kReadStatement,       kConsolidation, A, true},
    {"convener_sec",  kReadStatement,       kFinal,         A, true},
    {"convener_sec",  kEditDraft,           kDrafting,      A, true},
    {"convener_sec",  kEditDraft,           kAmendments,    A, false},
    {"convener_sec",  kEditDraft,           kConsolidation, A, true},
    {"convener_sec",  kEditDraft,           kFinal,         A, false},
    {"convener_sec",  kProposeAmendment,    kDrafting,      A, false},
    {"convener_sec",  kProposeAmendment,    kAmendments,    A, false},
    {"convener_sec",  kProposeAmendment,    kConsolidation, A, false},
    {"convener_sec",  kProposeAmendment,    kFinal,         A, false},
    {"convener_sec",  kSupportAmendment,    kDrafting,      A, false},
    {"convener_sec",  kSupportAmendment,    kAmendments,    A, false},
    {"convener_sec",  kSupportAmendment,    kConsolidation, A, false},
    {"convener_sec",  kSupportAmendment,    kFinal,         A, false},
    {"convener_sec",  kSettleAmendment,     kDrafting,      A, false},
    {"convener_sec",  kSettleAmendment,     kAmendments,    A, true},
    {"convener_sec",  kSettleAmendment,     kConsolidation, A, true},
    {"convener_sec",  kSettleAmendment,     kFinal,         A, false},
    {"convener_sec",  kChangePhase,         kDrafting,      A, true},
    {"convener_sec",  kChangePhase,         kAmendments,    A, true},
    {"convener_sec",  kChangePhase,         kConsolidation, A, true},
    {"convener_sec",  kChangePhase,         kFinal,         A, true},
    {"convener_sec",  kPublishVersion,      kDrafting,      A, true},
    {"convener_sec",  kPublishVersion,      kAmendments,    A, true},
    {"convener_sec",  kPublishVersion,      kConsolidation, A, true},
    {"convener_sec",  kPublishVersion,      kFinal,         A, true},
    {"convener_sec",  kManageParticipants,  kDrafting,      A, true},
    {"convener_sec",  kManageParticipants,  kAmendments,    A, true},
    {"convener_sec",  kManageParticipants,  kConsolidation, A, true},
    {"convener_sec",  kManageParticipants,  kFinal,         A, true},
    {"convener_sec",  kEndorse,             kDrafting,      A, false},
    {"convener_sec",  kEndorse,             kAmendments,    A, false},
    {"convener_sec",  kEndorse,             kConsolidation, A, false},
    {"convener_sec",  kEndorse,             kFinal,         A, false},
    {"convener_sec",  kComment,             kDrafting,      A, true},
    {"convener_sec",  kComment,             kAmendments,    A, true},
    {"convener_sec",  kComment,             kConsolidation, A, true},
    {"convener_sec",  kComment,             kFinal,         A, false},
    {"convener_sec",  kResolveComment,      kDrafting,      A, true},
    {"convener_sec",  kResolveComment,      kAmendments,    A, true},
    {"convener_sec",  kResolveComment,      kConsolidation, A, true},
    {"convener_sec",  kResolveComment,      kFinal,         A, true},
    {"secretariat_A", kManageOrganizations, kDrafting,      A, false},
    {"secretariat_A", kManageOrganizations, kAmendments,    A, false},
    {"secretariat_A", kManageOrganizations, kConsolidation, A, false},
    {"secretariat_A", kManageOrganizations, kFinal,         A, false},
    {"secretariat_A", kManageUsers,         kDrafting,      A, false},
    {"secretariat_A", kManageUsers,         kAmendments,    A, false},
    {"secretariat_A", kManageUsers,         kConsolidation, A, false},
    {"secretariat_A", kManageUsers,         kFinal,         A, false},
    {"secretariat_A", kManageMemberships,   kDrafting,      A, false},
    {"secretariat_A", kManageMemberships,   kAmendments,    A, false},
    {"secretariat_A", kManageMemberships,   kConsolidation, A, false},
    {"secretariat_A", kManageMemberships,   kFinal,         A, false},
    {"secretariat_A", kInvite,              kDrafting,      A, false},
    {"secretariat_A", kInvite,              kAmendments,    A, false},
    {"secretariat_A", kInvite,              kConsolidation, A, false},
    {"secretariat_A", kInvite,              kFinal,         A, false},
    {"secretariat_A", kReadAudit,           kDrafting,      A, false},
    {"secretariat_A", kReadAudit,           kAmendments,    A, false},
    {"secretariat_A", kReadAudit,           kConsolidation, A, false},
    {"secretariat_A", kReadAudit,           kFinal,         A, false},
    {"secretariat_A", kCreateStatement,     kDrafting,      A, false},
    {"secretariat_A", kCreateStatement,     kAmendments,    A, false},
    {"secretariat_A", kCreateStatement,     kConsolidation, A, false},
    {"secretariat_A", kCreateStatement,     kFinal,         A, false},
    {"secretariat_A", kReadDirectory,       kDrafting,      A, true},
    {"secretariat_A", kReadDirectory,       kAmendments,    A, true},
    {"secretariat_A", kReadDirectory,       kConsolidation, A, true},
    {"secretariat_A", kReadDirectory,       kFinal,         A, true},
    {"secretariat_A", kReadStatement,       kDrafting,      A, true},
    {"secretariat_A", kReadStatement,       kAmendments,    A, true},
    {"secretariat_A", kReadStatement,       kConsolidation, A, true},
    {"secretariat_A", kReadStatement,       kFinal,         A, true},
    {"secretariat_A", kEditDraft,           kDrafting,      A, false},
    {"secretariat_A", kEditDraft,           kAmendments,    A, false},
    {"secretariat_A", kEditDraft,           kConsolidation, A, false},
    {"secretariat_A", kEditDraft,           kFinal,         A, false},
    {"secretariat_A", kProposeAmendment,    kDrafting,      A, false},
    {"secretariat_A", kProposeAmendment,    kAmendments,    A, false},
    {"secretariat_A", kProposeAmendment,    kConsolidation, A, false},
    {"secretariat_A", kProposeAmendment,    kFinal,         A, false},
    {"secretariat_A", kSupportAmendment,    kDrafting,      A, false},
    {"secretariat_A", kSupportAmendment,    kAmendments,    A, false},
    {"secretariat_A", kSupportAmendment,    kConsolidation, A, false},
    {"secretariat_A", kSupportAmendment,    kFinal,         A, false},
    {"secretariat_A", kSettleAmendment,     kDrafting,      A, false},
    {"secretariat_A", kSettleAmendment,     kAmendments,    A, false},
    {"secretariat_A", kSettleAmendment,     kConsolidation, A, false},
    {"secretariat_A", kSettleAmendment,     kFinal,         A, false},
    {"secretariat_A", kChangePhase,         kDrafting,      A, false},
    {"secretariat_A", kChangePhase,         kAmendments,    A, false},
    {"secretariat_A", kChangePhase,         kConsolidation, A, false},
    {"secretariat_A", kChangePhase,         kFinal,         A, false},
    {"secretariat_A", kPublishVersion,      kDrafting,      A, false},
    {"secretariat_A", kPublishVersion,      kAmendments,    A, false},
    {"secretariat_A", kPublishVersion,      kConsolidation, A, false},
    {"secretariat_A", kPublishVersion,      kFinal,         A, false},
    {"secretariat_A", kManageParticipants,  kDrafting,      A, false},
    {"secretariat_A", kManageParticipants,  kAmendments,    A, false},
    {"secretariat_A", kManageParticipants,  kConsolidation, A, false},
    {"secretariat_A", kManageParticipants,  kFinal,         A, false},
    {"secretariat_A", kEndorse,             kDrafting,      A, false},
    {"secretariat_A", kEndorse,             kAmendments,    A, false},
    {"secretariat_A", kEndorse,             kConsolidation, A, false},
    {"secretariat_A", kEndorse,             kFinal,         A, false},
    {"secretariat_A", kComment,             kDrafting,      A, false},
    {"secretariat_A", kComment,             kAmendments,    A, false},
    {"secretariat_A", kComment,             kConsolidation, A, false},
    {"secretariat_A", kComment,             kFinal,         A, false},
    {"secretariat_A", kResolveComment,      kDrafting,      A, false},
    {"secretariat_A", kResolveComment,      kAmendments,    A, false},
    {"secretariat_A", kResolveComment,      kConsolidation, A, false},
    {"secretariat_A", kResolveComment,      kFinal,         A, false},
    {"delegate_A",    kManageOrganizations, kDrafting,      A, false},
    {"delegate_A",    kManageOrganizations, kAmendments,    A, false},
    {"delegate_A",    kManageOrganizations, kConsolidation, A, false},
    {"delegate_A",    kManageOrganizations, kFinal,         A, false},
    {"delegate_A",    kManageUsers,         kDrafting,      A, false},
    {"delegate_A",    kManageUsers,         kAmendments,    A, false},
    {"delegate_A",    kManageUsers,         kConsolidation, A, false},
    {"delegate_A",    kManageUsers,         kFinal,         A, false},
    {"delegate_A",    kManageMemberships,   kDrafting,      A, false},
    {"delegate_A",    kManageMemberships,   kAmendments,    A, false},
    {"delegate_A",    kManageMemberships,   kConsolidation, A, false},
    {"delegate_A",    kManageMemberships,   kFinal,         A, false},
    {"delegate_A",    kInvite,              kDrafting,      A, false},
    {"delegate_A",    kInvite,              kAmendments,    A, false},
    {"delegate_A",    kInvite,              kConsolidation, A, false},
    {"delegate_A",    kInvite,              kFinal,         A, false},
    {"delegate_A",    kReadAudit,           kDrafting,      A, false},
    {"delegate_A",    kReadAudit,           kAmendments,    A, false},
    {"delegate_A",    kReadAudit,           kConsolidation, A, false},
    {"delegate_A",    kReadAudit,           kFinal,         A, false},
    {"delegate_A",    kCreateStatement,     kDrafting,      A, false},
    {"delegate_A",    kCreateStatement,     kAmendments,    A, false},
    {"delegate_A",    kCreateStatement,     kConsolidation, A, false},
    {"delegate_A",    kCreateStatement,     kFinal,         A, false},
    {"delegate_A",    kReadDirectory,       kDrafting,      A, true},
    {"delegate_A",    kReadDirectory,       kAmendments,    A, true},
    {"delegate_A",    kReadDirectory,       kConsolidation, A, true},
    {"delegate_A",    kReadDirectory,       kFinal,         A, true},
    {"delegate_A",    kReadStatement,       kDrafting,      A, true},
    {"delegate_A",    kReadStatement,       kAmendments,    A, true},
    {"delegate_A",    kReadStatement,       kConsolidation, A, true},
    {"delegate_A",    kReadStatement,       kFinal,         A, true},
    {"delegate_A",    kEditDraft,           kDrafting,      A, true},
    {"delegate_A",    kEditDraft,           kAmendments,    A, false},
    {"delegate_A",    kEditDraft,           kConsolidation, A, false},
    {"delegate_A",    kEditDraft,           kFinal,         A, false},
    {"delegate_A",    kProposeAmendment,    kDrafting,      A, false},
    {"delegate_A",    kProposeAmendment,    kAmendments,    A, true},
    {"delegate_A",    kProposeAmendment,    kConsolidation, A, false},
    {"delegate_A",    kProposeAmendment,    kFinal,         A, false},
    {"delegate_A",    kSupportAmendment,    kDrafting,      A, false},
    {"delegate_A",    kSupportAmendment,    kAmendments,    A, true},
    {"delegate_A",    kSupportAmendment,    kConsolidation, A, false},
    {"delegate_A",    kSupportAmendment,    kFinal,         A, false},
    {"delegate_A",    kSettleAmendment,     kDrafting,      A, false},
    {"delegate_A",    kSettleAmendment,     kAmendments,    A, false},
    {"delegate_A",    kSettleAmendment,     kConsolidation, A, false},
    {"delegate_A",    kSettleAmendment,     kFinal,         A, false},
    {"delegate_A",    kChangePhase,         kDrafting,      A, false},
    {"delegate_A",    kChangePhase,         kAmendments,    A, false},
    {"delegate_A",    kChangePhase,         kConsolidation, A, false},
    {"delegate_A",    kChangePhase,         kFinal,         A, false},
    {"delegate_A",    kPublishVersion,      kDrafting,      A, false},
    {"delegate_A",    kPublishVersion,      kAmendments,    A, false},
    {"delegate_A",    kPublishVersion,      kConsolidation, A, false},
    {"delegate_A",    kPublishVersion,      kFinal,         A, false},
    {"delegate_A",    kManageParticipants,  kDrafting,      A, false},
    {"delegate_A",    kManageParticipants,  kAmendments,    A, false},
    {"delegate_A",    kManageParticipants,  kConsolidation, A, false},
    {"delegate_A",    kManageParticipants,  kFinal,         A, false},
    {"delegate_A",    kEndorse,             kDrafting,      A, false},
    {"delegate_A",    kEndorse,             kAmendments,    A, false},
    {"delegate_A",    kEndorse,             kConsolidation, A, false},
    {"delegate_A",    kEndorse,             kFinal,         A, false},
    {"delegate_A",    kComment,             kDrafting,      A, true},
    {"delegate_A",    kComment,             kAmendments,    A, true},
    {"delegate_A",    kComment,             kConsolidation, A, true},
    {"delegate_A",    kComment,             kFinal,         A, false},
    {"delegate_A",    kResolveComment,      kDrafting,      A, false},
    {"delegate_A",    kResolveComment,      kAmendments,    A, false},
    {"delegate_A",    kResolveComment,      kConsolidation, A, false},
    {"delegate_A",    kResolveComment,      kFinal,         A, false},
    {"signatory_A",   kManageOrganizations, kDrafting,      A, false},
    {"signatory_A",   kManageOrganizations, kAmendments,    A, false},
    {"signatory_A",   kManageOrganizations, kConsolidation, A, false},
    {"signatory_A",   kManageOrganizations, kFinal,         A, false},
    {"signatory_A",   kManageUsers,         kDrafting,      A, false},
    {"signatory_A",   kManageUsers,         kAmendments,    A, false},
    {"signatory_A",   kManageUsers,         kConsolidation, A, false},
    {"signatory_A",   kManageUsers,         kFinal,         A, false},
    {"signatory_A",   kManageMemberships,   kDrafting,      A, false},
    {"signatory_A",   kManageMemberships,   kAmendments,    A, false},
    {"signatory_A",   kManageMemberships,   kConsolidation, A, false},
    {"signatory_A",   kManageMemberships,   kFinal,         A, false},
    {"signatory_A",   kInvite,              kDrafting,      A, false},
    {"signatory_A",   kInvite,              kAmendments,    A, false},
    {"signatory_A",   kInvite,              kConsolidation, A, false},
    {"signatory_A",   kInvite,              kFinal,         A, false},
    {"signatory_A",   kReadAudit,           kDrafting,      A, false},
    {"signatory_A",   kReadAudit,           kAmendments,    A, false},
    {"signatory_A",   kReadAudit,           kConsolidation, A, false},
    {"signatory_A",   kReadAudit,           kFinal,         A, false},
    {"signatory_A",   kCreateStatement,     kDrafting,      A, false},
    {"signatory_A",   kCreateStatement,     kAmendments,    A, false},
    {"signatory_A",   kCreateStatement,     kConsolidation, A, false},
    {"signatory_A",   kCreateStatement,     kFinal,         A, false},
    {"signatory_A",   kReadDirectory,       kDrafting,      A, true},
    {"signatory_A",   kReadDirectory,       kAmendments,    A, true},
    {"signatory_A",   kReadDirectory,       kConsolidation, A, true},
    {"signatory_A",   kReadDirectory,       kFinal,         A, true},
    {"signatory_A",   kReadStatement,       kDrafting,      A, true},
    {"signatory_A",   kReadStatement,       kAmendments,    A, true},
    {"signatory_A",   kReadStatement,       kConsolidation, A, true},
    {"signatory_A",   kReadStatement,       kFinal,         A, true},
    {"signatory_A",   kEditDraft,           kDrafting,      A, false},
    {"signatory_A",   kEditDraft,           kAmendments,    A, false},
    {"signatory_A",   kEditDraft,           kConsolidation, A, false},
    {"signatory_A",   kEditDraft,           kFinal,         A, false},
    {"signatory_A",   kProposeAmendment,    kDrafting,      A, false},
    {"signatory_A",   kProposeAmendment,    kAmendments,    A, false},
    {"signatory_A",   kProposeAmendment,    kConsolidation, A, false},
    {"signatory_A",   kProposeAmendment,    kFinal,         A, false},
    {"signatory_A",   kSupportAmendment,    kDrafting,      A, false},
    {"signatory_A",   kSupportAmendment,    kAmendments,    A, false},
    {"signatory_A",   kSupportAmendment,    kConsolidation, A, false},
    {"signatory_A",   kSupportAmendment,    kFinal,         A, false},
    {"signatory_A",   kSettleAmendment,     kDrafting,      A, false},
    {"signatory_A",   kSettleAmendment,     kAmendments,    A, false},
    {"signatory_A",   kSettleAmendment,     kConsolidation, A, false},
    {"signatory_A",   kSettleAmendment,     kFinal,         A, false},
    {"signatory_A",   kChangePhase,         kDrafting,      A, false},
    {"signatory_A",   kChangePhase,         kAmendments,    A, false},
    {"signatory_A",   kChangePhase,         kConsolidation, A, false},
    {"signatory_A",   kChangePhase,         kFinal,         A, false},
    {"signatory_A",   kPublishVersion,      kDrafting,      A, false},
    {"signatory_A",   kPublishVersion,      kAmendments,    A, false},
    {"signatory_A",   kPublishVersion,      kConsolidation, A, false},
    {"signatory_A",   kPublishVersion,      kFinal,         A, false},
    {"signatory_A",   kManageParticipants,  kDrafting,      A, false},
    {"signatory_A",   kManageParticipants,  kAmendments,    A, false},
    {"signatory_A",   kManageParticipants,  kConsolidation, A, false},
    {"signatory_A",   kManageParticipants,  kFinal,         A, false},
    {"signatory_A",   kEndorse,             kDrafting,      A, false},
    {"signatory_A",   kEndorse,             kAmendments,    A, false},
    {"signatory_A",   kEndorse,             kConsolidation, A, false},
    {"signatory_A",   kEndorse,             kFinal,         A, true},
    {"signatory_A",   kComment,             kDrafting,      A, false},
    {"signatory_A",   kComment,             kAmendments,    A, false},
    {"signatory_A",   kComment,             kConsolidation, A, false},
    {"signatory_A",   kComment,             kFinal,         A, false},
    {"signatory_A",   kResolveComment,      kDrafting,      A, false},
    {"signatory_A",   kResolveComment,      kAmendments,    A, false},
    {"signatory_A",   kResolveComment,      kConsolidation, A, false},
    {"signatory_A",   kResolveComment,      kFinal,         A, false},
    {"observer_A",    kManageOrganizations, kDrafting,      A, false},
    {"observer_A",    kManageOrganizations, kAmendments,    A, false},
    {"observer_A",    kManageOrganizations, kConsolidation, A, false},
    {"observer_A",    kManageOrganizations, kFinal,         A, false},
    {"observer_A",    kManageUsers,         kDrafting,      A, false},
    {"observer_A",    kManageUsers,         kAmendments,    A, false},
    {"observer_A",    kManageUsers,         kConsolidation, A, false},
    {"observer_A",    kManageUsers,         kFinal,         A, false},
    {"observer_A",    kManageMemberships,   kDrafting,      A, false},
    {"observer_A",    kManageMemberships,   kAmendments,    A, false},
    {"observer_A",    kManageMemberships,   kConsolidation, A, false},
    {"observer_A",    kManageMemberships,   kFinal,         A, false},
    {"observer_A",    kInvite,              kDrafting,      A, false},
    {"observer_A",    kInvite,              kAmendments,    A, false},
    {"observer_A",    kInvite,              kConsolidation, A, false},
    {"observer_A",    kInvite,              kFinal,         A, false},
    {"observer_A",    kReadAudit,           kDrafting,      A, false},
    {"observer_A",    kReadAudit,           kAmendments,    A, false},
    {"observer_A",    kReadAudit,           kConsolidation, A, false},
    {"observer_A",    kReadAudit,           kFinal,         A, false},
    {"observer_A",    kCreateStatement,     kDrafting,      A, false},
    {"observer_A",    kCreateStatement,     kAmendments,    A, false},
    {"observer_A",    kCreateStatement,     kConsolidation, A, false},
    {"observer_A",    kCreateStatement,     kFinal,         A, false},
    {"observer_A",    kReadDirectory,       kDrafting,      A, true},
    {"observer_A",    kReadDirectory,       kAmendments,    A, true},
    {"observer_A",    kReadDirectory,       kConsolidation, A, true},
    {"observer_A",    kReadDirectory,       kFinal,         A, true},
    {"observer_A",    kReadStatement,       kDrafting,      A, true},
    {"observer_A",    kReadStatement,       kAmendments,    A, true},
    {"observer_A",    kReadStatement,       kConsolidation, A, true},
    {"observer_A",    kReadStatement,       kFinal,         A, true},
    {"observer_A",    kEditDraft,           kDrafting,      A, false},
    {"observer_A",    kEditDraft,           kAmendments,    A, false},
    {"observer_A",    kEditDraft,           kConsolidation, A, false},
    {"observer_A",    kEditDraft,           kFinal,         A, false},
    {"observer_A",    kProposeAmendment,    kDrafting,      A, false},
    {"observer_A",    kProposeAmendment,    kAmendments,    A, false},
    {"observer_A",    kProposeAmendment,    kConsolidation, A, false},
    {"observer_A",    kProposeAmendment,    kFinal,         A, false},
    {"observer_A",    kSupportAmendment,    kDrafting,      A, false},
    {"observer_A",    kSupportAmendment,    kAmendments,    A, false},
    {"observer_A",    kSupportAmendment,    kConsolidation, A, false},
    {"observer_A",    kSupportAmendment,    kFinal,         A, false},
    {"observer_A",    kSettleAmendment,     kDrafting,      A, false},
    {"observer_A",    kSettleAmendment,     kAmendments,    A, false},
    {"observer_A",    kSettleAmendment,     kConsolidation, A, false},
    {"observer_A",    kSettleAmendment,     kFinal,         A, false},
    {"observer_A",    kChangePhase,         kDrafting,      A, false},
    {"observer_A",    kChangePhase,         kAmendments,    A, false},
    {"observer_A",    kChangePhase,         kConsolidation, A, false},
    {"observer_A",    kChangePhase,         kFinal,         A, false},
    {"observer_A",    kPublishVersion,      kDrafting,      A, false},
    {"observer_A",    kPublishVersion,      kAmendments,    A, false},
    {"observer_A",    kPublishVersion,      kConsolidation, A, false},
    {"observer_A",    kPublishVersion,      kFinal,         A, false},
    {"observer_A",    kManageParticipants,  kDrafting,      A, false},
    {"observer_A",    kManageParticipants,  kAmendments,    A, false},
    {"observer_A",    kManageParticipants,  kConsolidation, A, false},
    {"observer_A",    kManageParticipants,  kFinal,         A, false},
    {"observer_A",    kEndorse,             kDrafting,      A, false},
    {"observer_A",    kEndorse,             kAmendments,    A, false},
    {"observer_A",    kEndorse,             kConsolidation, A, false},
    {"observer_A",    kEndorse,             kFinal,         A, false},
    {"observer_A",    kComment,             kDrafting,      A, false},
    {"observer_A",    kComment,             kAmendments,    A, false},
    {"observer_A",    kComment,             kConsolidation, A, false},
    {"observer_A",    kComment,             kFinal,         A, false},
    {"observer_A",    kResolveComment,      kDrafting,      A, false},
    {"observer_A",    kResolveComment,      kAmendments,    A, false},
    {"observer_A",    kResolveComment,      kConsolidation, A, false},
    {"observer_A",    kResolveComment,      kFinal,         A, false},

    // ---- A delegate of D, whose organization does not take part. ----
    {"delegate_D",    kManageUsers,         kDrafting,      D, false},
    {"delegate_D",    kReadDirectory,       kDrafting,      D, true},
    {"delegate_D",    kReadStatement,       kDrafting,      D, false},
    {"delegate_D",    kEditDraft,           kDrafting,      D, false},
    {"delegate_D",    kProposeAmendment,    kAmendments,    D, false},
    {"delegate_D",    kSupportAmendment,    kAmendments,    D, false},
    {"delegate_D",    kChangePhase,         kDrafting,      D, false},
    {"delegate_D",    kEndorse,             kFinal,         D, false},

    // ---- Acting for an organization one holds no role in, or for none. ----
    {"delegate_A",    kProposeAmendment,    kAmendments,    B,     false},
    {"delegate_A",    kSupportAmendment,    kAmendments,    B,     false},
    {"signatory_A",   kEndorse,             kFinal,         B,     false},
    {"delegate_A",    kProposeAmendment,    kAmendments,    kNone, false},
    {"delegate_A",    kSupportAmendment,    kAmendments,    kNone, false},
    {"signatory_A",   kEndorse,             kFinal,         kNone, false},
    {"instance_sec",  kProposeAmendment,    kAmendments,    H,     false},
    {"convener_sec",  kProposeAmendment,    kAmendments,    C,     false},
    {"convener_sec",  kEndorse,             kFinal,         C,     false},

    // ---- Phase deadlines: participants' writing rights lapse, the secretariat's do not. ----
    {"delegate_A",    kEditDraft,           kDrafting,      A, true,  Setup::kDeadlineAhead},
    {"delegate_A",    kEditDraft,           kDrafting,      A, false, Setup::kDeadlinePassed},
    {"delegate_A",    kProposeAmendment,    kAmendments,    A, true,  Setup::kDeadlineAhead},
    {"delegate_A",    kProposeAmendment,    kAmendments,    A, false, Setup::kDeadlinePassed},
    {"delegate_A",    kSupportAmendment,    kAmendments,    A, true,  Setup::kDeadlineAhead},
    {"delegate_A",    kSupportAmendment,    kAmendments,    A, false, Setup::kDeadlinePassed},
    {"signatory_A",   kEndorse,             kFinal,         A, true,  Setup::kDeadlineAhead},
    {"signatory_A",   kEndorse,             kFinal,         A, false, Setup::kDeadlinePassed},
    {"delegate_A",    kReadStatement,       kDrafting,      A, true,  Setup::kDeadlinePassed},
    {"instance_sec",  kEditDraft,           kDrafting,      A, true,  Setup::kDeadlinePassed},
    {"convener_sec",  kEditDraft,           kDrafting,      A, true,  Setup::kDeadlinePassed},
    {"convener_sec",  kEditDraft,           kConsolidation, A, true,  Setup::kDeadlinePassed},
    {"convener_sec",  kSettleAmendment,     kAmendments,    A, true,  Setup::kDeadlinePassed},
    {"convener_sec",  kChangePhase,         kFinal,         A, true,  Setup::kDeadlinePassed},

    // ---- A takes part with edit = amend = sign = false: it still reads. ----
    {"delegate_A",    kEditDraft,           kDrafting,      A, false, Setup::kRestrictedA},
    {"delegate_A",    kProposeAmendment,    kAmendments,    A, false, Setup::kRestrictedA},
    {"delegate_A",    kSupportAmendment,    kAmendments,    A, false, Setup::kRestrictedA},
    {"signatory_A",   kEndorse,             kFinal,         A, false, Setup::kRestrictedA},
    {"observer_A",    kReadStatement,       kDrafting,      A, true,  Setup::kRestrictedA},
    {"delegate_A",    kReadStatement,       kFinal,         A, true,  Setup::kRestrictedA},

    // ---- C without the convener flag: its secretariat is an ordinary participant. ----
    {"convener_sec",  kChangePhase,         kDrafting,      A, false, Setup::kCNotConvener},
    {"convener_sec",  kEditDraft,           kDrafting,      A, false, Setup::kCNotConvener},
    {"convener_sec",  kSettleAmendment,     kConsolidation, A, false, Setup::kCNotConvener},
    {"convener_sec",  kReadStatement,       kDrafting,      A, true,  Setup::kCNotConvener},

    // ---- No host organization configured: nobody is instance secretariat. ----
    {"instance_sec",  kManageUsers,         kDrafting,      A, false, Setup::kNoHost},
    {"instance_sec",  kReadStatement,       kDrafting,      A, false, Setup::kNoHost},
    {"convener_sec",  kChangePhase,         kDrafting,      A, true,  Setup::kNoHost},

    // ---- API token scopes cut the owner's rights down. ----
    {"delegate_A",    kEditDraft,           kDrafting,      A, false, Setup::kTokenDocsRead},
    {"delegate_A",    kReadStatement,       kDrafting,      A, true,  Setup::kTokenDocsRead},
    {"instance_sec",  kReadDirectory,       kDrafting,      A, false, Setup::kTokenDocsRead},
    {"instance_sec",  kChangePhase,         kDrafting,      A, false, Setup::kTokenDocsRead},
    {"delegate_A",    kEditDraft,           kDrafting,      A, true,  Setup::kTokenDocsReadWrite},
    {"delegate_A",    kProposeAmendment,    kAmendments,    A, false, Setup::kTokenDocsReadWrite},
    {"convener_sec",  kChangePhase,         kDrafting,      A, false, Setup::kTokenApiRead},
    {"instance_sec",  kReadAudit,           kDrafting,      A, true,  Setup::kTokenApiRead},
    {"instance_sec",  kManageUsers,         kDrafting,      A, false, Setup::kTokenApiRead},
    {"observer_A",    kReadStatement,       kDrafting,      A, true,  Setup::kTokenApiRead},
    {"delegate_A",    kEditDraft,           kDrafting,      A, false, Setup::kTokenApiRead},
    {"signatory_A",   kEndorse,             kFinal,         A, false, Setup::kTokenApiRead},
    {"convener_sec",  kChangePhase,         kDrafting,      A, true,  Setup::kTokenApiWrite},
    {"instance_sec",  kReadAudit,           kDrafting,      A, false, Setup::kTokenApiWrite},
    {"delegate_A",    kReadStatement,       kDrafting,      A, false, Setup::kTokenApiWrite},
    {"delegate_A",    kEditDraft,           kDrafting,      A, false, Setup::kTokenApiWrite},

    // ---- Comments: delegates whatever their organization's rights; deadlines do not close
    // the discussion; tokens need api:write. ----
    {"delegate_D",    kComment,             kDrafting,      D, false},
    {"delegate_A",    kComment,             kDrafting,      A, true,  Setup::kRestrictedA},
    {"delegate_A",    kComment,             kAmendments,    A, true,  Setup::kDeadlinePassed},
    {"convener_sec",  kResolveComment,      kDrafting,      A, false, Setup::kCNotConvener},
    {"convener_sec",  kComment,             kDrafting,      A, false, Setup::kCNotConvener},
    {"delegate_A",    kComment,             kDrafting,      A, false, Setup::kTokenApiRead},
    {"delegate_A",    kComment,             kDrafting,      A, false, Setup::kTokenDocsReadWrite},
    {"delegate_A",    kComment,             kDrafting,      A, true,  Setup::kTokenApiWrite},
    {"instance_sec",  kResolveComment,      kFinal,         A, false, Setup::kTokenApiRead},

    // ---- Not signed in, and statement actions without a statement. ----
    {"instance_sec",  kReadDirectory,       kDrafting,      A, false, Setup::kAnonymous},
    {"instance_sec",  kManageUsers,         kDrafting,      A, false, Setup::kAnonymous},
    {"delegate_A",    kReadStatement,       kDrafting,      A, false, Setup::kAnonymous},
    {"instance_sec",  kReadStatement,       kDrafting,      A, false, Setup::kNoStatement},
    {"convener_sec",  kChangePhase,         kDrafting,      A, false, Setup::kNoStatement},
    {"instance_sec",  kManageUsers,         kDrafting,      A, true,  Setup::kNoStatement},
    {"delegate_A",    kReadDirectory,       kDrafting,      A, true,  Setup::kNoStatement},
};
// clang-format on

// The world of one row, built from the defaults and the row's Setup.
class World {
 public:
  explicit World(const Row& row) {
    const Membership& membership = Principals().at(row.who);
    principal_.user_id = membership.user_id;
    principal_.memberships = {membership};
    principal_.host_organization_id = H;
    statement_ = {.id = 9,
                  .slug = "joint-statement",
                  .title = "Joint statement",
                  .phase = row.phase,
                  .phase_deadline = std::nullopt};
    participants_ = {
        {.statement_id = 9, .organization_id = A},
        {.statement_id = 9, .organization_id = B},
        {.statement_id = 9, .organization_id = C, .convener = true},
    };
    target_.statement = &statement_;
    target_.participants = &participants_;
    if (row.acting != kNone) target_.acting_org = row.acting;
    target_.now = kNow;
    switch (row.setup) {
      case Setup::kDefault:
        break;
      case Setup::kDeadlinePassed:
        statement_.phase_deadline = kNow;
        break;
      case Setup::kDeadlineAhead:
        statement_.phase_deadline = kNow + 1;
        break;
      case Setup::kRestrictedA:
        participants_[0].edit = participants_[0].amend = participants_[0].sign = false;
        break;
      case Setup::kCNotConvener:
        participants_[2].convener = false;
        break;
      case Setup::kNoHost:
        principal_.host_organization_id = 0;
        break;
      case Setup::kAnonymous:
        principal_.user_id = 0;
        break;
      case Setup::kNoStatement:
        target_.statement = nullptr;
        break;
      case Setup::kTokenDocsRead:
        principal_.scopes = kScopeDocumentsRead;
        break;
      case Setup::kTokenDocsReadWrite:
        principal_.scopes = kScopeDocumentsRead | kScopeDocumentsWrite;
        break;
      case Setup::kTokenApiRead:
        principal_.scopes = kScopeApiRead;
        break;
      case Setup::kTokenApiWrite:
        principal_.scopes = kScopeApiWrite;
        break;
    }
  }
  Decision Decide(Action action) const { return Authorize(principal_, action, target_); }

 private:
  Principal principal_;
  StatementRef statement_;
  std::vector<Participation> participants_;
  Target target_;
};

std::string RowName(const Row& row) {
  std::string name = std::string(row.who) + "__" + std::string(ActionName(row.action)) + "__" +
                     std::string(PhaseName(row.phase)) + "__for_";
  static const std::map<Id, std::string_view> kOrgs = {{kNone, "none"}, {H, "H"}, {A, "A"},
                                                       {B, "B"},        {C, "C"}, {D, "D"}};
  name += kOrgs.at(row.acting);
  if (row.setup != Setup::kDefault)
    name += "__" + std::string(kSetupNames[static_cast<int>(row.setup)]);
  for (char& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

class PolicyTableTest : public ::testing::TestWithParam<Row> {};

TEST_P(PolicyTableTest, Decides) {
  const Row& row = GetParam();
  const Decision decision = World(row).Decide(row.action);
  EXPECT_EQ(decision.allowed, row.allowed) << "reason: " << decision.reason;
  EXPECT_EQ(static_cast<bool>(decision), decision.allowed);
  if (decision.allowed) {
    EXPECT_EQ(decision.reason, "");
  } else {
    EXPECT_FALSE(decision.reason.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, PolicyTableTest, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           return RowName(info.param);
                         });

// The table above must cover all 20 actions × 4 phases for the six principals of its first
// part; this guards against a row being dropped by accident.
TEST(PolicyTableCoverageTest, EveryActionAndPhaseForEachMainPrincipal) {
  for (std::string_view who : {"instance_sec", "convener_sec", "secretariat_A", "delegate_A",
                               "signatory_A", "observer_A"}) {
    std::map<std::pair<Action, Phase>, int> seen;
    for (const Row& row : kRows) {
      if (row.who == who && row.acting == A && row.setup == Setup::kDefault) {
        ++seen[{row.action, row.phase}];
      }
    }
    EXPECT_EQ(seen.size(), 80u) << who;
    for (const auto& [key, count] : seen) EXPECT_EQ(count, 1) << who;
  }
}

TEST(PolicyReasonTest, ReasonsSayWhatIsWrong) {
  const auto reason = [](const Row& row) { return World(row).Decide(row.action).reason; };
  const auto contains = [](const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
  };
  EXPECT_EQ(reason({"instance_sec", kChangePhase, kDrafting, A, false, Setup::kTokenApiRead}),
            "the API token lacks the api:write scope");
  EXPECT_EQ(reason({"delegate_A", kEditDraft, kDrafting, A, false, Setup::kTokenDocsRead}),
            "the API token lacks the documents:write scope");
  EXPECT_EQ(reason({"delegate_A", kReadStatement, kDrafting, A, false, Setup::kAnonymous}),
            "not signed in");
  EXPECT_EQ(reason({"convener_sec", kChangePhase, kDrafting, A, false, Setup::kNoStatement}),
            "no statement given");
  EXPECT_EQ(reason({"delegate_A", kProposeAmendment, kAmendments, kNone, false}),
            "no organization to act for");
  EXPECT_EQ(reason({"delegate_A", kEditDraft, kFinal, A, false}),
            "the draft is frozen in the final phase");
  EXPECT_EQ(reason({"delegate_A", kEditDraft, kAmendments, A, false}),
            "the draft is frozen in the amendments phase");
  EXPECT_TRUE(contains(reason({"delegate_A", kManageUsers, kDrafting, A, false}),
                       "host organization's secretariat"));
  EXPECT_TRUE(contains(reason({"delegate_A", kProposeAmendment, kAmendments, B, false}),
                       "not a delegate of organization 3"));
  EXPECT_TRUE(contains(
      reason({"delegate_A", kEditDraft, kDrafting, A, false, Setup::kDeadlinePassed}), "deadline"));
  EXPECT_TRUE(
      contains(reason({"delegate_D", kReadStatement, kDrafting, D, false}), "\"joint-statement\""));
  EXPECT_TRUE(contains(reason({"signatory_A", kEndorse, kFinal, A, false, Setup::kRestrictedA}),
                       "without the right to endorse"));
  EXPECT_TRUE(contains(reason({"observer_A", kComment, kDrafting, A, false}),
                       "only delegates of organizations taking part"));
  EXPECT_TRUE(contains(reason({"delegate_A", kComment, kFinal, A, false}), "final phase"));
  EXPECT_TRUE(contains(reason({"delegate_A", kResolveComment, kDrafting, A, false}),
                       "may resolve comments on"));
  EXPECT_TRUE(contains(reason({"signatory_A", kEndorse, kConsolidation, A, false}),
                       "only in the final phase"));
  EXPECT_TRUE(contains(reason({"delegate_A", kRegisterSigningKey, kFinal, A, false}),
                       "not a signatory of organization 2"));
  EXPECT_EQ(reason({"signatory_A", kRegisterSigningKey, kFinal, kNone, false}),
            "no organization to act for");
}

TEST(PolicyNamesTest, ActionNamesAreKebabCase) {
  const std::vector<std::pair<Action, std::string_view>> names = {
      {kManageOrganizations, "manage-organizations"},
      {kManageUsers, "manage-users"},
      {kManageMemberships, "manage-memberships"},
      {kInvite, "invite"},
      {kReadAudit, "read-audit"},
      {kCreateStatement, "create-statement"},
      {kReadDirectory, "read-directory"},
      {kReadStatement, "read-statement"},
      {kEditDraft, "edit-draft"},
      {kProposeAmendment, "propose-amendment"},
      {kSupportAmendment, "support-amendment"},
      {kSettleAmendment, "settle-amendment"},
      {kChangePhase, "change-phase"},
      {kPublishVersion, "publish-version"},
      {kManageParticipants, "manage-participants"},
      {kEndorse, "endorse"},
      {kComment, "comment"},
      {kResolveComment, "resolve-comment"},
      {kRegisterSigningKey, "register-signing-key"},
      {kApproveSigningKey, "approve-signing-key"},
  };
  for (const auto& [action, name] : names) EXPECT_EQ(ActionName(action), name);
}

TEST(PolicyHelpersTest, HasRoleAndInstanceSecretariat) {
  Principal who;
  who.user_id = 1;
  who.host_organization_id = H;
  who.memberships = {{.user_id = 1, .organization_id = A, .role = Role::kDelegate},
                     {.user_id = 1, .organization_id = H, .role = Role::kObserver}};
  EXPECT_TRUE(HasRole(who, A, Role::kDelegate));
  EXPECT_FALSE(HasRole(who, A, Role::kSignatory));  // roles do not imply each other
  EXPECT_FALSE(HasRole(who, B, Role::kDelegate));
  EXPECT_FALSE(HasRole(who, kNone, Role::kDelegate));
  EXPECT_FALSE(IsInstanceSecretariat(who));  // an observer of the host is not its secretariat
  who.memberships.push_back({.user_id = 1, .organization_id = H, .role = Role::kSecretariat});
  EXPECT_TRUE(IsInstanceSecretariat(who));
  who.host_organization_id = 0;
  EXPECT_FALSE(IsInstanceSecretariat(who));
}

TEST(PolicyScopeTest, ReadingNeedsOnlyApiReadButGrantsNothingTheRulesRefuse) {
  Principal sec;
  sec.user_id = 1;
  sec.host_organization_id = H;
  sec.memberships = {{.user_id = 1, .organization_id = H, .role = Role::kSecretariat}};
  sec.scopes = kScopeApiRead;
  Target looking;
  looking.reading = true;
  EXPECT_TRUE(Authorize(sec, Action::kManageUsers, looking));    // listing users
  EXPECT_TRUE(Authorize(sec, Action::kInvite, looking));         // listing pending invitations
  EXPECT_FALSE(Authorize(sec, Action::kManageUsers, Target{}));  // changing them needs api:write
  Principal delegate = sec;
  delegate.memberships = {{.user_id = 1, .organization_id = A, .role = Role::kDelegate}};
  EXPECT_FALSE(Authorize(delegate, Action::kManageUsers, looking));  // still not theirs
  Principal documents_only = sec;
  documents_only.scopes = kScopeDocumentsRead;
  EXPECT_FALSE(Authorize(documents_only, Action::kManageUsers, looking));
}

}  // namespace
}  // namespace accord::auth
