// The secretariat's sign-on dashboard (issue 8, "Collecting signatures"): where each
// participating organization stands with the statement's current manifest, reminders to those
// that have not signed, and the signatory list for export.
//
//   GET  /api/v1/statements/{slug}/signon            -> {manifest_sha256, counts,
//        organizations:[{id,name,country,state,endorsement|null,keys_pending,
//        last_reminded_at|null}], timeline:[{date,endorsements,withdrawals,cumulative}]}
//   POST /api/v1/statements/{slug}/signon/reminders  {organization_ids?} -> {reminded, links,
//        skipped}
//   GET  /api/v1/statements/{slug}/signatories?format=csv|json   (attachment)
//
// Every route asks the policy for kManageParticipants: the dashboard shows each participant's
// progress and writes to its signatories, which is running who takes part in the statement
// (the adherence vetting asks the same). The manifest itself is published by a phase change,
// a decision about the text, which is not what these routes make.
//
// States, in words: "signed", "signed-with-reservations" (an active endorsement of the current
// manifest), "withdrawn" (endorsed, then withdrew, no active endorsement), "awaiting-key" (a
// signing key of the organization awaits the instance secretariat's approval), "not-signed".
// Organizations listed: participants that may sign, plus any that endorsed the manifest.
//
// Reminders are recorded in the audit log (kind "signon-reminder", subject "statement:<id>",
// detail {"organization_id"}); last_reminded_at is read back from it, scanning newest first and
// stopping at the current manifest's publication (reminders before it were about another
// text). No table is needed for this; the cost is a scan of the audit events since the
// manifest, which a dashboard opened by hand can afford. An organization is not reminded twice
// within kReminderInterval: naming one explicitly then answers 429 reminder-too-soon (nothing
// sent); reminding "everyone" skips it and says so.
#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api.h"
#include "api_json.h"
#include "api_signon.h"
#include "api_statements.h"
#include "reminder_text.h"
#include "signon_store.h"

namespace accord::server {
namespace json = boost::json;

namespace {

constexpr auth::UnixTime kReminderInterval = 3600;
constexpr char kReminderKind[] = "signon-reminder";

struct OrgStatus {
  auth::Organization org;
  std::string state;
  std::optional<Endorsement> endorsement;  // the active one, else the newest withdrawn
  int64_t keys_pending = 0;
  std::optional<auth::UnixTime> last_reminded_at;
};

struct Dashboard {
  std::optional<FinalManifest> manifest;
  std::vector<Endorsement> endorsements;
  std::vector<OrgStatus> orgs;  // by name
};

bool NotSigned(const OrgStatus& s) {
  return s.state == "not-signed" || s.state == "awaiting-key" || s.state == "withdrawn";
}

// The newest reminder of each organization for `statement_id` since `since`.
Result<std::map<auth::Id, auth::UnixTime>> LastReminders(ApiContext& ctx, auth::Id statement_id,
                                                         auth::UnixTime since) {
  std::map<auth::Id, auth::UnixTime> out;
  const std::string subject = "statement:" + std::to_string(statement_id);
  auth::Id before = 0;
  for (;;) {
    auto page = ctx.store->ListAudit(before, 500);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (const auto& e : *page) {
      if (e.at < since) return out;
      if (e.kind != kReminderKind || e.subject != subject) continue;
      boost::system::error_code ec;
      json::value detail = json::parse(e.detail, ec);
      if (ec || !detail.is_object()) continue;
      const json::value* org = detail.as_object().if_contains("organization_id");
      if (org == nullptr || !org->is_int64()) continue;
      out.try_emplace(org->as_int64(), e.at);  // newest first: the first seen is the last
    }
    before = page->back().id;
  }
  return out;
}

Result<Dashboard> Build(ApiContext& ctx, const LoadedStatement& loaded) {
  Dashboard d;
  auto manifest = ctx.signon->CurrentManifest(loaded.statement.id);
  if (manifest.ok()) {
    d.manifest = *manifest;
    auto list = ctx.signon->ListEndorsements(manifest->id);
    if (!list.ok()) return list.status();
    d.endorsements = std::move(*list);
  } else if (manifest.status().code() != Status::Code::kNotFound) {
    return manifest.status();
  }
  std::set<auth::Id> ids;
  for (const auto& p : loaded.participants) {
    if (p.sign) ids.insert(p.organization_id);
  }
  for (const auto& e : d.endorsements) ids.insert(e.organization_id);
  std::map<auth::Id, auth::UnixTime> reminded;
  if (d.manifest) {
    auto last = LastReminders(ctx, loaded.statement.id, d.manifest->created_at);
    if (!last.ok()) return last.status();
    reminded = std::move(*last);
  }
  for (auth::Id id : ids) {
    auto org = ctx.store->GetOrganization(id);
    if (!org.ok()) return org.status();
    OrgStatus s;
    s.org = *org;
    for (const auto& e : d.endorsements) {
      if (e.organization_id != id) continue;
      if (!e.withdrawal) {
        s.endorsement = e;
      } else if (!s.endorsement || s.endorsement->withdrawal) {
        s.endorsement = e;  // ids ascend: the newest withdrawn one wins
      }
    }
    KeyFilter filter;
    filter.organization_id = id;
    filter.state = KeyState::kPending;
    auto pending = ctx.signon->ListKeys(filter);
    if (!pending.ok()) return pending.status();
    s.keys_pending = static_cast<int64_t>(pending->size());
    if (s.endorsement && !s.endorsement->withdrawal) {
      s.state = s.endorsement->kind == "adheres" ? "signed" : "signed-with-reservations";
    } else if (s.endorsement) {
      s.state = "withdrawn";
    } else if (s.keys_pending > 0) {
      s.state = "awaiting-key";
    } else {
      s.state = "not-signed";
    }
    if (auto it = reminded.find(id); it != reminded.end()) s.last_reminded_at = it->second;
    d.orgs.push_back(std::move(s));
  }
  std::sort(d.orgs.begin(), d.orgs.end(),
            [](const OrgStatus& a, const OrgStatus& b) { return a.org.name < b.org.name; });
  return d;
}

// The signatory as the signed endorsement names it.
json::object SignedFields(const Endorsement& e) {
  boost::system::error_code ec;
  json::value v = json::parse(e.canonical, ec);
  if (ec || !v.is_object()) return {};
  return v.as_object();
}

std::string Str(const json::object& o, std::string_view a, std::string_view b = {}) {
  const json::value* v = o.if_contains(a);
  if (v != nullptr && !b.empty()) v = v->is_object() ? v->as_object().if_contains(b) : nullptr;
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

json::value EndorsementSummary(const std::optional<Endorsement>& e) {
  if (!e) return nullptr;
  json::object signed_fields = SignedFields(*e);
  return json::object{{"id", e->id},
                      {"signed_at", FormatTime(e->signed_at)},
                      {"signatory", Str(signed_fields, "signatory", "name")},
                      {"kind", e->kind},
                      {"withdrawn", e->withdrawal.has_value()}};
}

json::array Timeline(const std::vector<Endorsement>& endorsements) {
  // Per UTC day: endorsements received, withdrawals received; cumulative is the number of
  // active endorsements at the end of that day.
  std::map<std::string, std::pair<int64_t, int64_t>> days;
  for (const auto& e : endorsements) {
    days[FormatTime(e.received_at).substr(0, 10)].first++;
    if (e.withdrawal) days[FormatTime(e.withdrawal->received_at).substr(0, 10)].second++;
  }
  json::array out;
  int64_t active = 0;
  for (const auto& [date, counts] : days) {
    active += counts.first - counts.second;
    out.push_back(json::object{{"date", date},
                               {"endorsements", counts.first},
                               {"withdrawals", counts.second},
                               {"cumulative", active}});
  }
  return out;
}

std::optional<LoadedStatement> LoadForSecretariat(ApiContext& ctx, const ApiRequest& req,
                                                  const ApiCaller& caller, HttpResponse* problem) {
  if (ctx.signon == nullptr) {
    *problem = NoSignon();
    return std::nullopt;
  }
  return LoadStatementFor(ctx, req, caller, auth::Action::kManageParticipants, problem);
}

HttpResponse GetSignon(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadForSecretariat(ctx, req, *caller, &problem);
  if (!loaded) return problem;
  auto d = Build(ctx, *loaded);
  if (!d.ok()) return StoreProblem(d.status());
  std::map<std::string, int64_t> counts;
  json::array orgs;
  for (const auto& s : d->orgs) {
    counts[s.state]++;
    orgs.push_back(json::object{
        {"id", s.org.id},
        {"name", s.org.name},
        {"short_name", s.org.short_name},
        {"country", s.org.country},
        {"state", s.state},
        {"endorsement", EndorsementSummary(s.endorsement)},
        {"keys_pending", s.keys_pending},
        {"last_reminded_at", s.last_reminded_at ? json::value(FormatTime(*s.last_reminded_at))
                                                : json::value(nullptr)}});
  }
  json::object out{
      {"statement", json::object{{"id", loaded->statement.id},
                                 {"slug", loaded->statement.slug},
                                 {"title", loaded->statement.title},
                                 {"phase", auth::PhaseName(loaded->statement.phase)}}},
      {"manifest_sha256", d->manifest ? json::value(d->manifest->sha256) : json::value(nullptr)},
      {"counts", json::object{{"participants", static_cast<int64_t>(d->orgs.size())},
                              {"signed", counts["signed"]},
                              {"with_reservations", counts["signed-with-reservations"]},
                              {"withdrawn", counts["withdrawn"]},
                              {"awaiting_key", counts["awaiting-key"]},
                              {"not_signed", counts["not-signed"]}}},
      {"organizations", std::move(orgs)},
      {"timeline", Timeline(d->endorsements)}};
  return JsonResponse(200, json::serialize(out));
}

HttpResponse NotFinal() {
  return ApiError(409, "not-final", "Not final",
                  "reminders to sign are sent only while the statement is final and has a "
                  "published manifest");
}

HttpResponse PostReminders(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadForSecretariat(ctx, req, *caller, &problem);
  if (!loaded) return problem;
  std::optional<std::set<auth::Id>> wanted;
  if (!req.body.empty()) {
    JsonBody body;
    if (!body.Parse(req, {"organization_ids"}, &problem)) return problem;
    if (const json::value* ids = body.Field("organization_ids"); ids != nullptr) {
      if (!ids->is_array() || ids->as_array().empty() || ids->as_array().size() > 1000) {
        body.AddError("organization_ids", "must be a non-empty array of organization ids");
      } else {
        wanted.emplace();
        for (const auto& v : ids->as_array()) {
          if (!v.is_int64() || v.as_int64() < 1) {
            body.AddError("organization_ids", "must hold positive integers");
            break;
          }
          wanted->insert(v.as_int64());
        }
      }
    }
    if (!body.ok()) return body.Problem();
  }
  if (loaded->statement.phase != auth::Phase::kFinal) return NotFinal();
  auto d = Build(ctx, *loaded);
  if (!d.ok()) return StoreProblem(d.status());
  if (!d->manifest) return NotFinal();
  if (wanted) {
    for (auth::Id id : *wanted) {
      bool known = std::any_of(d->orgs.begin(), d->orgs.end(),
                               [id](const OrgStatus& s) { return s.org.id == id; });
      if (!known) {
        return ValidationProblem(
            "organization_ids",
            "organization " + std::to_string(id) + " does not take part in signing this statement");
      }
    }
  }
  const auth::UnixTime now = ctx.now();
  // Refuse before sending anything if an organization named explicitly was reminded lately.
  if (wanted) {
    for (const auto& s : d->orgs) {
      if (!wanted->count(s.org.id) || !s.last_reminded_at) continue;
      auth::UnixTime wait = *s.last_reminded_at + kReminderInterval - now;
      if (wait > 0) {
        return TooManyRequests(std::chrono::seconds(wait),
                               s.org.name + " was reminded less than an hour ago (at " +
                                   FormatTime(*s.last_reminded_at) + ")");
      }
    }
  }
  const std::string link =
      ctx.config->public_url + "/#/statements/" + loaded->statement.slug + "/sign";
  json::array reminded, links, skipped;
  for (const auto& s : d->orgs) {
    if (wanted && !wanted->count(s.org.id)) continue;
    auto skip = [&](std::string_view reason) {
      skipped.push_back(
          json::object{{"organization_id", s.org.id}, {"name", s.org.name}, {"reason", reason}});
    };
    if (!NotSigned(s)) {
      skip("signed");
      continue;
    }
    if (s.last_reminded_at && *s.last_reminded_at + kReminderInterval > now) {
      skip("reminded-recently");
      continue;
    }
    auto members = ctx.store->ListMembershipsOfOrganization(s.org.id);
    if (!members.ok()) return StoreProblem(members.status());
    int64_t recipients = 0, emailed = 0;
    for (const auto& m : *members) {
      if (m.role != auth::Role::kSignatory) continue;
      auto user = ctx.store->GetUser(m.user_id);
      if (!user.ok() || user->disabled) continue;
      ++recipients;
      bool sent = false;
      if (ctx.mailer) {
        // In the recipient's language (else the statement's, else English): the mail reaches
        // them directly. The links to copy are for the secretariat, shown in its own language.
        ReminderMail mail =
            ReminderText(ReminderLanguage(user->language, loaded->statement.language),
                         user->display_name, loaded->statement.title, s.org.name, link);
        sent = ctx.mailer(user->email, mail.subject, mail.body);
      }
      if (sent) {
        ++emailed;
      } else {
        links.push_back(json::object{{"organization_id", s.org.id},
                                     {"name", user->display_name},
                                     {"email", user->email},
                                     {"link", link}});
      }
    }
    if (recipients == 0) {
      skip("no-signatory");
      continue;
    }
    ctx.Audit(
        kReminderKind, req, caller->user.id, "statement:" + std::to_string(loaded->statement.id),
        json::serialize(json::object{
            {"organization_id", s.org.id}, {"recipients", recipients}, {"emailed", emailed}}));
    reminded.push_back(json::object{{"organization_id", s.org.id},
                                    {"name", s.org.name},
                                    {"recipients", recipients},
                                    {"emailed", emailed},
                                    {"reminded_at", FormatTime(now)}});
  }
  // Nothing sent, and because of the hourly limit (not because everyone signed): say so.
  if (reminded.empty() && std::any_of(skipped.begin(), skipped.end(), [](const json::value& v) {
        return v.at("reason").as_string() == "reminded-recently";
      })) {
    return TooManyRequests(std::chrono::seconds(kReminderInterval),
                           "every organization left to sign was reminded less than an hour ago");
  }
  return JsonResponse(200, json::serialize(json::object{{"reminded", std::move(reminded)},
                                                        {"links", std::move(links)},
                                                        {"skipped", std::move(skipped)}}));
}

// One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; a cell that a
// spreadsheet would read as a formula (= + - @, tab, carriage return first) gets a leading '.
std::string CsvField(std::string_view value) {
  std::string v;
  if (!value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string::npos) {
    v = "'";
  }
  v += value;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

HttpResponse GetSignatories(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadForSecretariat(ctx, req, *caller, &problem);
  if (!loaded) return problem;
  std::string format = "json";
  if (auto it = req.query.find("format"); it != req.query.end()) format = it->second;
  if (format != "json" && format != "csv")
    return ValidationProblem("format", "must be csv or json");
  auto d = Build(ctx, *loaded);
  if (!d.ok()) return StoreProblem(d.status());
  static const std::vector<std::string> kColumns = {
      "organization", "short_name",   "country",   "signatory",          "title",
      "kind",         "reservations", "signed_at", "endorsement_sha256", "log_index"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : d->orgs) {
    if (!s.endorsement || s.endorsement->withdrawal) continue;
    const Endorsement& e = *s.endorsement;
    json::object f = SignedFields(e);
    rows.push_back({s.org.name, s.org.short_name, s.org.country, Str(f, "signatory", "name"),
                    Str(f, "signatory", "title"), e.kind, Str(f, "reservations"),
                    FormatTime(e.signed_at), e.sha256, std::to_string(e.log_index)});
  }
  HttpResponse r;
  r.status = 200;
  if (format == "csv") {
    std::string out;
    for (size_t i = 0; i < kColumns.size(); ++i) out += (i ? "," : "") + kColumns[i];
    out += "\r\n";
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + CsvField(row[i]);
      out += "\r\n";
    }
    r.content_type = "text/csv; charset=utf-8; header=present";
    r.body = std::move(out);
  } else {
    json::array items;
    for (const auto& row : rows) {
      json::object o;
      for (size_t i = 0; i < kColumns.size(); ++i) {
        if (kColumns[i] == "log_index") {
          o[kColumns[i]] = std::stoll(row[i]);
        } else {
          o[kColumns[i]] = row[i];
        }
      }
      items.push_back(std::move(o));
    }
    r.content_type = "application/json";
    r.body = json::serialize(items);
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + loaded->statement.slug +
                                                    "-signatories." + format + "\"");
  return r;
}

}  // namespace

std::vector<ApiRoute> SignonDashboardRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/signon", GetSignon},
      {"POST", "/api/v1/statements/{slug}/signon/reminders", PostReminders},
      {"GET", "/api/v1/statements/{slug}/signatories", GetSignatories},
  };
}

}  // namespace accord::server
