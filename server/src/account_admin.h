// account_admin.h: the account operations of the `accord` command line, so a fresh instance
// can be bootstrapped from the shell, and `make run` can create its first secretariat account.
//
// Each function does one administrative step on an AccountStore and records it in the audit
// log as done by the command line (actor 0, no IP). They take the time as an argument, like the
// store. Thread-compatible: the CLI calls them from its one thread.
#ifndef ACCORD_SERVER_ACCOUNT_ADMIN_H_
#define ACCORD_SERVER_ACCOUNT_ADMIN_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "accord/auth/account_store.h"
#include "accord/auth/model.h"
#include "accord/status.h"

namespace accord::server {

// The link a person opens to set a password: `public_url` + "/invite#TOKEN" (or "/reset#TOKEN"
// for a password reset). The token travels in the fragment, which browsers never send to a
// server, so it stays out of access logs and Referer headers.
std::string AccountLink(std::string_view public_url, auth::Invitation::Kind kind,
                        std::string_view token);

// The organization with this short name (case-insensitive); NotFound names it.
Result<auth::Organization> FindOrganizationByShortName(auth::AccountStore& store,
                                                       std::string_view short_name);

struct IssuedLink {
  auth::Invitation invitation;
  std::string token;  // in clear, shown once
  std::string link;   // AccountLink(...)
};

// Invites `email` to hold `role` in `organization_id`: a one-time link valid for `ttl`.
Result<IssuedLink> IssueInvitation(auth::AccountStore& store, std::string_view email,
                                   std::string_view display_name, auth::Id organization_id,
                                   auth::Role role, auth::Id invited_by,
                                   std::string_view public_url, std::chrono::seconds ttl,
                                   auth::UnixTime now);

// A one-time link for `user` to set a new password, valid for `ttl`. `issued_by` is the
// secretariat member who asked (0: the user themselves or the command line).
Result<IssuedLink> IssuePasswordReset(auth::AccountStore& store, const auth::User& user,
                                      auth::Id issued_by, std::string_view public_url,
                                      std::chrono::seconds ttl, auth::UnixTime now);

struct BootstrapResult {
  auth::Organization host;
  auth::User user;
  IssuedLink link;  // the invitation that lets `user` set a password
};

// A first secretariat account on an empty instance: the host organization (named
// `org_name`/`org_short`), the user, and an invitation to set the password for the
// secretariat role. FailedPrecondition if the instance already has a host organization.
Result<BootstrapResult> Bootstrap(auth::AccountStore& store, std::string_view email,
                                  std::string_view display_name, std::string_view org_name,
                                  std::string_view org_short, std::string_view public_url,
                                  std::chrono::seconds ttl, auth::UnixTime now);

struct IssuedToken {
  auth::ApiToken token;
  std::string secret;  // "acc_...", shown once; only its hash is stored
};

// An API token of `user_id` with `scopes` over documents matching `document_pattern`.
// InvalidArgument for no scopes, a bad pattern or a ttl of zero.
Result<IssuedToken> IssueApiToken(auth::AccountStore& store, auth::Id user_id,
                                  std::string_view name, uint32_t scopes,
                                  std::string_view document_pattern,
                                  std::optional<std::chrono::seconds> ttl, auth::UnixTime now,
                                  auth::Id actor);

// Whether `pattern` (an exact name, "prefix*" or "*") is well formed, and whether it covers
// `name`.
bool DocumentPatternValid(std::string_view pattern);
bool DocumentPatternCovers(std::string_view pattern, std::string_view name);

}  // namespace accord::server

#endif  // ACCORD_SERVER_ACCOUNT_ADMIN_H_
