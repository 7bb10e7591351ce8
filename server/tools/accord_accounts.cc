// accord's account commands: bootstrap, org add, user add/list, member add, invite, token create.
// They open the instance's database directly (creating it if needed), so they also work while
// accordd is stopped; SQLite's WAL lets them run beside a running accordd too.
#include "accord_commands.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>
#include <string>

#include "../src/account_admin.h"
#include "../src/api_json.h"
#include "../src/sqlite_account_store.h"
#include "accord/auth/password.h"

namespace accord::cli {
namespace {

constexpr std::string_view kDefaultUrl = "http://127.0.0.1:8080";
constexpr std::chrono::seconds kInvitationTtl = std::chrono::hours(24 * 7);

auth::UnixTime Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int Fail(const Status& status) {
  std::fprintf(stderr, "accord: %s\n", status.ToString().c_str());
  return 1;
}

// "--name value" flags plus the boolean `switches` (no value). Returns a usage error or "".
std::string Parse(const Args& args, const std::set<std::string>& valued,
                  const std::set<std::string>& switches, Flags& flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg.substr(0, 2) != "--") return "unexpected argument '" + std::string(arg) + "'";
    std::string name(arg.substr(2));
    if (switches.count(name)) {
      flags[name] = "yes";
    } else if (valued.count(name)) {
      if (i + 1 >= args.size()) return "--" + name + " needs a value";
      flags[name] = args[++i];
    } else {
      return "unknown flag --" + name;
    }
  }
  return "";
}

std::string Missing(const Flags& flags, std::initializer_list<const char*> required) {
  for (const char* r : required) {
    if (!flags.count(r)) return std::string("needs --") + r;
  }
  return "";
}

Result<std::unique_ptr<server::SqliteAccountStore>> OpenStore(const Flags& flags) {
  return server::SqliteAccountStore::Open(flags.at("data"));
}

Result<auth::User> UserByEmail(auth::AccountStore& store, const std::string& email) {
  auto user = store.FindUserByEmail(email);
  if (!user.ok() && user.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("no user with the e-mail " + email + " (see `accord user add`)");
  }
  return user;
}

std::optional<std::chrono::seconds> Duration(const std::string& text) { return ParseTtl(text); }

// Prints the link and how to use it: in a browser (the web client's /invite screen), or from a
// shell when no browser is at hand.
void PrintHowToSignIn(const std::string& email, const std::string& link, const std::string& url,
                      std::chrono::seconds ttl) {
  std::string token = link.substr(link.find('#') + 1);
  std::printf("%s\n", link.c_str());
  std::fprintf(
      stderr,
      "accord: the secretariat account %s has no password yet.\n"
      "        Open the link above in a browser to set it and sign in (it works once, for\n"
      "        %lld hours), or set it from a shell:\n"
      "          curl -X POST %s/api/v1/invitations/accept -H 'Origin: %s' \\\n"
      "               -H 'Content-Type: application/json' \\\n"
      "               -d '{\"token\":\"%s\",\"password\":\"<12 characters or more>\"}'\n"
      "        then sign in with POST %s/api/v1/session {\"email\", \"password\"}.\n",
      email.c_str(), static_cast<long long>(ttl.count() / 3600), url.c_str(), url.c_str(),
      token.c_str(), url.c_str());
}

// Whether the host organization has a secretariat member who can sign in.
Result<bool> HasActiveSecretariat(auth::AccountStore& store, const auth::Organization& host) {
  auto members = store.ListMembershipsOfOrganization(host.id);
  if (!members.ok()) return members.status();
  for (const auto& m : *members) {
    if (m.role != auth::Role::kSecretariat) continue;
    auto user = store.GetUser(m.user_id);
    if (user.ok() && user->has_password && !user->disabled) return true;
  }
  return false;
}

}  // namespace

int Bootstrap(const Args& args) {
  Flags f;
  std::string err = Parse(args, {"data", "email", "name", "org-name", "org-short", "url", "ttl"},
                          {"if-needed"}, f);
  if (err.empty()) err = Missing(f, {"data", "email"});
  if (!err.empty()) return UsageError("bootstrap " + err);
  auto ttl = f.count("ttl") ? Duration(f["ttl"]) : kInvitationTtl;
  if (!ttl) return UsageError("--ttl needs a duration such as 12h or 7d");
  if (std::string why = server::CheckEmail(f["email"]); !why.empty()) {
    return UsageError("--email " + why);
  }
  const std::string url = f.count("url") ? f["url"] : std::string(kDefaultUrl);
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  if (f.count("if-needed")) {
    auto host = (*store)->HostOrganization();
    if (host.ok()) {
      auto active = HasActiveSecretariat(**store, *host);
      if (!active.ok()) return Fail(active.status());
      if (*active) return 0;  // someone can sign in: nothing to do
      // Bootstrapped, but the first link was never used: issue a fresh one.
      auto link = server::IssueInvitation(**store, f["email"], f.count("name") ? f["name"] : "",
                                          host->id, auth::Role::kSecretariat, 0, url, *ttl, Now());
      if (!link.ok()) return Fail(link.status());
      PrintHowToSignIn(link->invitation.email, link->link, url, *ttl);
      return 0;
    }
    if (host.status().code() != Status::Code::kNotFound) return Fail(host.status());
  }
  const std::string name = f.count("name") ? f["name"] : f["email"].substr(0, f["email"].find('@'));
  auto done = server::Bootstrap(**store, f["email"], name,
                                f.count("org-name") ? f["org-name"] : "Secretariat",
                                f.count("org-short") ? f["org-short"] : "SEC", url, *ttl, Now());
  if (!done.ok()) return Fail(done.status());
  std::fprintf(stderr, "accord: created the secretariat organization \"%s\" and the account %s.\n",
               done->host.name.c_str(), done->user.email.c_str());
  PrintHowToSignIn(done->user.email, done->link.link, url, *ttl);
  return 0;
}

int OrgAdd(const Args& args) {
  Flags f;
  std::string err =
      Parse(args, {"data", "name", "short", "country", "kind", "website"}, {"host"}, f);
  if (err.empty()) err = Missing(f, {"data", "name", "short"});
  if (!err.empty()) return UsageError("org add " + err);
  auth::Organization org;
  org.name = f["name"];
  org.short_name = f["short"];
  org.country = f.count("country") ? f["country"] : "";
  for (char& c : org.country) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  org.website = f.count("website") ? f["website"] : "";
  if (std::string why = server::CheckCountryCode(org.country); !why.empty()) {
    return UsageError("--country " + why);
  }
  if (std::string why = server::CheckWebsite(org.website); !why.empty()) {
    return UsageError("--website " + why);
  }
  org.hosts_instance = f.count("host") > 0;
  if (f.count("kind")) {
    auto kind = auth::ParseOrgKind(f["kind"]);
    if (!kind) return UsageError("--kind is one of union, party, movement, ngo, other");
    org.kind = *kind;
  }
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  auto made = (*store)->CreateOrganization(org, Now());
  if (!made.ok()) return Fail(made.status());
  std::printf("%lld\n", static_cast<long long>(made->id));
  return 0;
}

int UserAdd(const Args& args) {
  Flags f;
  std::string err = Parse(args, {"data", "email", "name", "language"}, {"password-stdin"}, f);
  if (err.empty()) err = Missing(f, {"data", "email", "name"});
  if (!err.empty()) return UsageError("user add " + err);
  if (std::string why = server::CheckEmail(f["email"]); !why.empty()) {
    return UsageError("--email " + why);
  }
  if (f.count("language")) {
    if (std::string why = server::CheckLanguageTag(f["language"]); !why.empty()) {
      return UsageError("--language " + why);
    }
  }
  std::string password_hash;
  if (f.count("password-stdin")) {
    std::string password;
    std::getline(std::cin, password);
    auth::PasswordHasher hasher;
    auto hash = hasher.Hash(password);
    if (!hash.ok()) return Fail(hash.status());
    password_hash = std::move(*hash);
  }
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  auto user = (*store)->CreateUser(f["email"], f["name"],
                                   f.count("language") ? f["language"] : "en", Now());
  if (!user.ok()) return Fail(user.status());
  if (!password_hash.empty()) {
    Status s = (*store)->SetPasswordHash(user->id, password_hash);
    if (!s.ok()) return Fail(s);
  }
  std::printf("%lld\n", static_cast<long long>(user->id));
  return 0;
}

int UserList(const Args& args) {
  Flags f;
  std::string err = Parse(args, {"data"}, {}, f);
  if (err.empty()) err = Missing(f, {"data"});
  if (!err.empty()) return UsageError("user list " + err);
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  auto users = (*store)->ListUsers();
  if (!users.ok()) return Fail(users.status());
  for (const auto& u : *users) {
    std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(u.id), u.email.c_str(),
                u.display_name.c_str(),
                u.disabled       ? "disabled"
                : u.has_password ? "active"
                                 : "invited");
  }
  return 0;
}

int MemberAdd(const Args& args) {
  Flags f;
  std::string err = Parse(args, {"data", "email", "org", "role"}, {}, f);
  if (err.empty()) err = Missing(f, {"data", "email", "org", "role"});
  if (!err.empty()) return UsageError("member add " + err);
  auto role = auth::ParseRole(f["role"]);
  if (!role) return UsageError("--role is one of secretariat, delegate, signatory, observer");
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  auto user = UserByEmail(**store, f["email"]);
  if (!user.ok()) return Fail(user.status());
  auto org = server::FindOrganizationByShortName(**store, f["org"]);
  if (!org.ok()) return Fail(org.status());
  auto m = (*store)->AddMembership(user->id, org->id, *role, Now());
  if (!m.ok()) return Fail(m.status());
  std::printf("%lld\n", static_cast<long long>(m->id));
  return 0;
}

int Invite(const Args& args) {
  Flags f;
  std::string err = Parse(args, {"data", "email", "org", "role", "name", "url", "ttl"}, {}, f);
  if (err.empty()) err = Missing(f, {"data", "email", "org", "role"});
  if (!err.empty()) return UsageError("invite " + err);
  if (std::string why = server::CheckEmail(f["email"]); !why.empty()) {
    return UsageError("--email " + why);
  }
  auto role = auth::ParseRole(f["role"]);
  if (!role) return UsageError("--role is one of secretariat, delegate, signatory, observer");
  auto ttl = f.count("ttl") ? Duration(f["ttl"]) : kInvitationTtl;
  if (!ttl) return UsageError("--ttl needs a duration such as 12h or 7d");
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  auto org = server::FindOrganizationByShortName(**store, f["org"]);
  if (!org.ok()) return Fail(org.status());
  auto link =
      server::IssueInvitation(**store, f["email"], f.count("name") ? f["name"] : "", org->id, *role,
                              0, f.count("url") ? f["url"] : std::string(kDefaultUrl), *ttl, Now());
  if (!link.ok()) return Fail(link.status());
  std::printf("%s\n", link->link.c_str());
  return 0;
}

int TokenCreate(const Args& args) {
  Flags f;
  std::string err = Parse(args, {"data", "user", "scope", "docs", "ttl", "name"}, {}, f);
  if (err.empty()) err = Missing(f, {"data", "user", "scope"});
  if (!err.empty()) return UsageError("token create " + err);
  auto scopes = auth::ParseScopes(f["scope"]);
  if (!scopes || *scopes == 0) {
    return UsageError(
        "--scope lists one or more of documents:read documents:write api:read api:write");
  }
  std::optional<std::chrono::seconds> ttl;
  if (f.count("ttl")) {
    ttl = Duration(f["ttl"]);
    if (!ttl) return UsageError("--ttl needs a duration such as 30s, 90m, 12h or 7d");
  }
  auto store = OpenStore(f);
  if (!store.ok()) return Fail(store.status());
  auto user = UserByEmail(**store, f["user"]);
  if (!user.ok()) return Fail(user.status());
  auto token = server::IssueApiToken(**store, user->id, f.count("name") ? f["name"] : "cli",
                                     *scopes, f.count("docs") ? f["docs"] : "*", ttl, Now(), 0);
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->secret.c_str());
  return 0;
}

}  // namespace accord::cli
