#include "accord/auth/model.h"

#include <array>
#include <utility>

namespace accord::auth {
namespace {

// One table per enum keeps name and parse in step: a new value is added in one place.
template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}
template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view name) {
  for (const auto& [e, n] : table) {
    if (n == name) return e;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoles = {{
    {Role::kSecretariat, "secretariat"},
    {Role::kDelegate, "delegate"},
    {Role::kSignatory, "signatory"},
    {Role::kObserver, "observer"},
}};
constexpr std::array<std::pair<Phase, std::string_view>, 4> kPhases = {{
    {Phase::kDrafting, "drafting"},
    {Phase::kAmendments, "amendments"},
    {Phase::kConsolidation, "consolidation"},
    {Phase::kFinal, "final"},
}};
constexpr std::array<std::pair<OrgKind, std::string_view>, 5> kOrgKinds = {{
    {OrgKind::kUnion, "union"},
    {OrgKind::kParty, "party"},
    {OrgKind::kMovement, "movement"},
    {OrgKind::kNgo, "ngo"},
    {OrgKind::kOther, "other"},
}};
constexpr std::array<std::pair<Scope, std::string_view>, 4> kScopes = {{
    {kScopeDocumentsRead, "documents:read"},
    {kScopeDocumentsWrite, "documents:write"},
    {kScopeApiRead, "api:read"},
    {kScopeApiWrite, "api:write"},
}};

}  // namespace

std::string_view RoleName(Role role) { return NameOf(kRoles, role); }
std::optional<Role> ParseRole(std::string_view name) { return Parse(kRoles, name); }
std::string_view PhaseName(Phase phase) { return NameOf(kPhases, phase); }
std::optional<Phase> ParsePhase(std::string_view name) { return Parse(kPhases, name); }
std::string_view OrgKindName(OrgKind kind) { return NameOf(kOrgKinds, kind); }
std::optional<OrgKind> ParseOrgKind(std::string_view name) { return Parse(kOrgKinds, name); }

std::string FormatScopes(uint32_t scopes) {
  std::string out;
  for (const auto& [bit, name] : kScopes) {
    if ((scopes & bit) == 0) continue;
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

std::optional<uint32_t> ParseScopes(std::string_view text) {
  uint32_t scopes = 0;
  size_t i = 0;
  while (i < text.size()) {
    // Spaces and commas both separate, so "a,b" from a command line works like "a b".
    if (text[i] == ' ' || text[i] == ',') {
      ++i;
      continue;
    }
    size_t end = text.find_first_of(" ,", i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    bool known = false;
    for (const auto& [bit, name] : kScopes) {
      if (name == word) {
        scopes |= bit;
        known = true;
      }
    }
    if (!known) return std::nullopt;
    i = end;
  }
  return scopes;
}

}  // namespace accord::auth
