#include "account_admin.h"

#include <cctype>

#include "accord/auth/secret.h"
#include "accord/proto/document_name.h"
#include "api_json.h"

namespace accord::server {
namespace {

void AuditFromCli(auth::AccountStore& store, std::string_view kind, std::string subject,
                  std::string detail, auth::UnixTime now) {
  auth::AuditEvent event;
  event.at = now;
  event.kind = std::string(kind);
  event.subject = std::move(subject);
  event.detail = std::move(detail);
  // The audit log must not make an administrative step fail after it happened; the CLI prints
  // the step's result either way.
  (void)store.AppendAudit(event);
}

}  // namespace

std::string AccountLink(std::string_view public_url, auth::Invitation::Kind kind,
                        std::string_view token) {
  std::string url(public_url);
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += kind == auth::Invitation::Kind::kInvitation ? "/invite#" : "/reset#";
  url += token;
  return url;
}

Result<auth::Organization> FindOrganizationByShortName(auth::AccountStore& store,
                                                       std::string_view short_name) {
  auto orgs = store.ListOrganizations();
  if (!orgs.ok()) return orgs.status();
  const std::string wanted = AsciiLower(short_name);
  for (const auto& org : *orgs) {
    if (AsciiLower(org.short_name) == wanted) return org;
  }
  return Status::NotFound("no organization with the short name '" + std::string(short_name) + "'");
}

Result<IssuedLink> IssueInvitation(auth::AccountStore& store, std::string_view email,
                                   std::string_view display_name, auth::Id organization_id,
                                   auth::Role role, auth::Id invited_by,
                                   std::string_view public_url, std::chrono::seconds ttl,
                                   auth::UnixTime now) {
  ACCORD_RETURN_IF_ERROR(auth::Initialize());
  if (ttl.count() <= 0) return Status::InvalidArgument("an invitation needs a positive lifetime");
  auth::Invitation invitation;
  invitation.kind = auth::Invitation::Kind::kInvitation;
  invitation.email = AsciiLower(email);
  invitation.display_name = std::string(display_name);
  invitation.organization_id = organization_id;
  invitation.role = role;
  invitation.invited_by = invited_by;
  invitation.expires_at = now + ttl.count();
  IssuedLink out;
  out.token = auth::GenerateToken("aci_");
  auto stored = store.CreateInvitation(invitation, auth::HashToken(out.token), now);
  if (!stored.ok()) return stored.status();
  out.invitation = std::move(*stored);
  out.link = AccountLink(public_url, out.invitation.kind, out.token);
  if (invited_by == 0) {
    AuditFromCli(store, "invitation", "invitation:" + std::to_string(out.invitation.id),
                 boost::json::serialize(boost::json::object{{"email", out.invitation.email},
                                                            {"organization", organization_id},
                                                            {"role", auth::RoleName(role)}}),
                 now);
  }
  return out;
}

Result<IssuedLink> IssuePasswordReset(auth::AccountStore& store, const auth::User& user,
                                      auth::Id issued_by, std::string_view public_url,
                                      std::chrono::seconds ttl, auth::UnixTime now) {
  ACCORD_RETURN_IF_ERROR(auth::Initialize());
  if (ttl.count() <= 0) return Status::InvalidArgument("a reset link needs a positive lifetime");
  auth::Invitation reset;
  reset.kind = auth::Invitation::Kind::kPasswordReset;
  reset.email = user.email;
  reset.display_name = user.display_name;
  reset.invited_by = issued_by;
  reset.expires_at = now + ttl.count();
  IssuedLink out;
  out.token = auth::GenerateToken("acr_");
  auto stored = store.CreateInvitation(reset, auth::HashToken(out.token), now);
  if (!stored.ok()) return stored.status();
  out.invitation = std::move(*stored);
  out.link = AccountLink(public_url, out.invitation.kind, out.token);
  return out;
}

Result<BootstrapResult> Bootstrap(auth::AccountStore& store, std::string_view email,
                                  std::string_view display_name, std::string_view org_name,
                                  std::string_view org_short, std::string_view public_url,
                                  std::chrono::seconds ttl, auth::UnixTime now) {
  if (auto host = store.HostOrganization(); host.ok()) {
    return Status::FailedPrecondition("the instance is already bootstrapped (its secretariat is " +
                                      host->name + "); use `accord invite` to add people");
  } else if (host.status().code() != Status::Code::kNotFound) {
    return host.status();
  }
  BootstrapResult out;
  auth::Organization org;
  org.name = std::string(org_name);
  org.short_name = std::string(org_short);
  org.kind = auth::OrgKind::kOther;
  org.hosts_instance = true;
  auto host = store.CreateOrganization(org, now);
  if (!host.ok()) return host.status();
  out.host = std::move(*host);
  auto user = store.FindUserByEmail(email);
  if (!user.ok() && user.status().code() == Status::Code::kNotFound) {
    user = store.CreateUser(email, display_name, "en", now);
  }
  if (!user.ok()) return user.status();
  out.user = std::move(*user);
  auto link = IssueInvitation(store, out.user.email, out.user.display_name, out.host.id,
                              auth::Role::kSecretariat, 0, public_url, ttl, now);
  if (!link.ok()) return link.status();
  out.link = std::move(*link);
  AuditFromCli(store, "bootstrap", "organization:" + std::to_string(out.host.id),
               boost::json::serialize(boost::json::object{{"email", out.user.email}}), now);
  return out;
}

bool DocumentPatternValid(std::string_view pattern) {
  if (pattern == "*") return true;
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    if (pattern.empty()) return false;
  }
  return proto::ValidateDocumentName(pattern).ok();
}

bool DocumentPatternCovers(std::string_view pattern, std::string_view name) {
  if (pattern == "*") return true;
  if (!pattern.empty() && pattern.back() == '*') {
    pattern.remove_suffix(1);
    return name.substr(0, pattern.size()) == pattern;
  }
  return name == pattern;
}

Result<IssuedToken> IssueApiToken(auth::AccountStore& store, auth::Id user_id,
                                  std::string_view name, uint32_t scopes,
                                  std::string_view document_pattern,
                                  std::optional<std::chrono::seconds> ttl, auth::UnixTime now,
                                  auth::Id actor) {
  ACCORD_RETURN_IF_ERROR(auth::Initialize());
  if (scopes == 0) return Status::InvalidArgument("a token needs at least one scope");
  if (!DocumentPatternValid(document_pattern)) {
    return Status::InvalidArgument("bad document pattern '" + std::string(document_pattern) +
                                   "': a document name, a prefix ending in '*', or '*'");
  }
  if (ttl && ttl->count() <= 0) return Status::InvalidArgument("a token's lifetime must be > 0");
  auto owner = store.GetUser(user_id);
  if (!owner.ok()) return owner.status();
  auth::ApiToken token;
  token.user_id = user_id;
  token.name = std::string(name);
  token.scopes = scopes;
  token.document_pattern = std::string(document_pattern);
  if (ttl) token.expires_at = now + ttl->count();
  IssuedToken out;
  out.secret = auth::GenerateToken("acc_");
  auto stored = store.CreateApiToken(token, auth::HashToken(out.secret), now);
  if (!stored.ok()) return stored.status();
  out.token = std::move(*stored);
  if (actor == 0) {
    AuditFromCli(store, "token-created", "user:" + std::to_string(user_id),
                 boost::json::serialize(boost::json::object{
                     {"token", out.token.id}, {"scopes", auth::FormatScopes(scopes)}}),
                 now);
  }
  return out;
}

}  // namespace accord::server
