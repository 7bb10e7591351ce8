// Versions of a statement's draft, its canonical text and the diffs between them, and the
// record of its phase changes (drafting_store.h, server/drafting/CANONICAL.md, DIFF.md).
//
//   GET  /api/v1/statements/{slug}/versions                   list (read-statement)
//   POST /api/v1/statements/{slug}/versions                   {label} (publish-version)
//   GET  /api/v1/statements/{slug}/versions/{number}          with canonical text and HTML
//   GET  /api/v1/statements/{slug}/versions/{number}/state    the Yjs v1 update
//   GET  /api/v1/statements/{slug}/text                       the draft's canonical text now
//   GET  /api/v1/statements/{slug}/diff?from=N&to=M|draft[&layout=inline|side-by-side]
//   GET  /api/v1/statements/{slug}/phases                     phase changes, oldest first
//   GET  /api/v1/statements/{slug}/authors                    who wrote under each client id
#include <boost/json.hpp>
#include <map>

#include "accord/drafting/canonical_text.h"
#include "accord/drafting/text_diff.h"
#include "api.h"
#include "api_json.h"
#include "api_statements.h"
#include "document_access.h"
#include "document_service.h"

namespace accord::server {
namespace json = boost::json;

namespace {

// Authors' names, looked up once per request.
class AuthorNames {
 public:
  explicit AuthorNames(ApiContext& ctx) : ctx_(ctx) {}
  json::value Of(auth::Id id) {
    if (id == 0) return nullptr;
    auto it = names_.find(id);
    if (it == names_.end()) {
      auto user = ctx_.store->GetUser(id);
      it = names_.emplace(id, user.ok() ? user->display_name : std::string()).first;
    }
    return json::object{{"id", id}, {"name", it->second}};
  }

 private:
  ApiContext& ctx_;
  std::map<auth::Id, std::string> names_;
};

// Version number -> the amendments merged into it (for versions taken by a merge).
using MergedByVersion = std::map<int64_t, json::array>;
Result<MergedByVersion> MergedAmendments(ApiContext& ctx, auth::Id statement_id) {
  auto merges = ctx.drafting->ListMerges(statement_id);
  if (!merges.ok()) return merges.status();
  MergedByVersion out;
  for (const Merge& m : *merges) {
    json::array& numbers = out[m.version_number];
    for (const MergeEntry& e : m.entries) {
      if (e.outcome == MergeOutcome::kMerged) numbers.push_back(e.amendment_number);
    }
  }
  return out;
}

json::object VersionJson(const Version& v, AuthorNames& authors, bool with_content,
                         const MergedByVersion& merged = {}) {
  json::object out{{"number", v.number},
                   {"label", v.label},
                   {"reason", VersionReasonName(v.reason)},
                   {"phase", auth::PhaseName(v.phase)},
                   {"author", authors.Of(v.author_user_id)},
                   {"created_at", FormatTime(v.created_at)},
                   {"sha256", v.sha256}};
  if (v.reason == VersionReason::kMerge) {
    auto it = merged.find(v.number);
    out["merged_amendments"] = it == merged.end() ? json::array() : it->second;
  }
  if (with_content) {
    out["markdown"] = v.canonical_text;
    out["html"] = v.canonical_html;
  }
  return out;
}

// {number} as a version number of the statement; nullopt if it is not a positive integer.
std::optional<int64_t> NumberParam(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? std::optional<int64_t>(n) : std::nullopt;
}

std::optional<Version> LoadVersion(ApiContext& ctx, const LoadedStatement& loaded,
                                   std::string_view number_text, HttpResponse* problem) {
  auto number = NumberParam(number_text);
  if (!number) {
    *problem = ApiError(404, "not-found", "Not found", "versions are numbered 1, 2, ...");
    return std::nullopt;
  }
  auto version = ctx.drafting->GetVersion(loaded.statement.id, *number);
  if (!version.ok()) {
    *problem = version.status().code() == Status::Code::kNotFound
                   ? ApiError(404, "not-found", "Not found", version.status().message())
                   : StoreProblem(version.status());
    return std::nullopt;
  }
  return std::move(*version);
}

std::string Param(const ApiRequest& req, const char* name) {
  auto it = req.params.find(name);
  return it == req.params.end() ? std::string() : it->second;
}

HttpResponse ListVersions(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto versions = ctx.drafting->ListVersions(loaded->statement.id);
  if (!versions.ok()) return StoreProblem(versions.status());
  auto merged = MergedAmendments(ctx, loaded->statement.id);
  if (!merged.ok()) return StoreProblem(merged.status());
  AuthorNames authors(ctx);
  json::array items;
  for (const auto& v : *versions) items.push_back(VersionJson(v, authors, false, *merged));
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse CreateVersion(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kPublishVersion, &problem);
  if (!loaded) return problem;
  JsonBody body;
  if (!body.Parse(req, {"label"}, &problem)) return problem;
  auto label = body.String("label", true, 1, 200);
  if (!body.ok()) return body.Problem();
  auto snapshot = SnapshotDraft(ctx, loaded->statement, *label, VersionReason::kManual,
                                loaded->statement.phase, caller->user.id);
  if (!snapshot.ok()) return StoreProblem(snapshot.status());
  auto stored = ctx.drafting->AddVersion(*snapshot);
  if (!stored.ok()) return StoreProblem(stored.status());
  ctx.Audit("version-created", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id),
            json::serialize(json::object{{"number", stored->number}, {"sha256", stored->sha256}}));
  AuthorNames authors(ctx);
  HttpResponse r = JsonResponse(201, json::serialize(VersionJson(*stored, authors, true)));
  r.headers.emplace_back("Location", "/api/v1/statements/" + loaded->statement.slug + "/versions/" +
                                         std::to_string(stored->number));
  return r;
}

HttpResponse GetVersion(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto version = LoadVersion(ctx, *loaded, Param(req, "number"), &problem);
  if (!version) return problem;
  auto merged = MergedAmendments(ctx, loaded->statement.id);
  if (!merged.ok()) return StoreProblem(merged.status());
  AuthorNames authors(ctx);
  return JsonResponse(200, json::serialize(VersionJson(*version, authors, true, *merged)));
}

HttpResponse GetVersionState(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto version = LoadVersion(ctx, *loaded, Param(req, "number"), &problem);
  if (!version) return problem;
  HttpResponse r;
  r.content_type = "application/octet-stream";
  r.body.assign(version->state.begin(), version->state.end());
  return r;
}

// The draft's canonical rendering now.
Result<drafting::Canonical> DraftText(ApiContext& ctx, const auth::StatementRef& statement) {
  auto state = ctx.documents->CurrentState(DraftDocumentName(statement.slug));
  if (!state.ok()) return state.status();
  return drafting::RenderCanonicalUpdate(*state);
}

HttpResponse GetDraftText(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto text = DraftText(ctx, loaded->statement);
  if (!text.ok()) return StoreProblem(text.status());
  return JsonResponse(200, json::serialize(json::object{
                               {"markdown", text->markdown},
                               {"html", text->html},
                               {"sha256", text->sha256_hex},
                           }));
}

HttpResponse GetDiff(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto query = [&](const char* name) -> std::string {
    auto it = req.query.find(name);
    return it == req.query.end() ? std::string() : it->second;
  };
  const std::string from = query("from");
  const std::string to = query("to").empty() ? std::string("draft") : query("to");
  const std::string layout = query("layout");
  if (from.empty()) {
    return ApiError(400, "bad-request", "Bad request",
                    "?from= must name a version number (and ?to= a number or 'draft')");
  }
  if (!layout.empty() && layout != "inline" && layout != "side-by-side") {
    return DiffResponse("", "", layout, {});
  }
  // Each side: a stored version's canonical text, or the draft's now.
  auto side = [&](const std::string& which, std::string* text, json::value* label) -> bool {
    if (which == "draft") {
      auto draft = DraftText(ctx, loaded->statement);
      if (!draft.ok()) {
        problem = StoreProblem(draft.status());
        return false;
      }
      *text = std::move(draft->markdown);
      *label = "draft";
      return true;
    }
    auto version = LoadVersion(ctx, *loaded, which, &problem);
    if (!version) return false;
    *text = std::move(version->canonical_text);
    *label = version->number;
    return true;
  };
  std::string old_text, new_text;
  json::value from_label, to_label;
  if (!side(from, &old_text, &from_label) || !side(to, &new_text, &to_label)) return problem;
  return DiffResponse(old_text, new_text, layout,
                      json::object{{"from", from_label}, {"to", to_label}});
}

// Who wrote under each client id of the draft, with the organization they write for here
// (the first of theirs that takes part in the statement), so clients can colour the text by
// organization.
HttpResponse ListAuthors(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto authors = ctx.documents->Authors(DraftDocumentName(loaded->statement.slug));
  if (!authors.ok()) return StoreProblem(authors.status());
  std::map<auth::Id, json::object> people;  // user id -> {user, organization}
  json::array items;
  for (const ClientAuthor& a : *authors) {
    auto it = people.find(a.user_id);
    if (it == people.end()) {
      json::object person;
      auto user = ctx.store->GetUser(a.user_id);
      person["user"] =
          json::object{{"id", a.user_id}, {"name", user.ok() ? user->display_name : std::string()}};
      json::value org = nullptr;
      auto memberships = ctx.store->ListMembershipsOfUser(a.user_id);
      if (memberships.ok()) {
        for (const auto& m : *memberships) {
          bool takes_part = false;
          for (const auto& p : loaded->participants) {
            takes_part = takes_part || p.organization_id == m.organization_id;
          }
          if (!takes_part && !org.is_null()) continue;
          auto o = ctx.store->GetOrganization(m.organization_id);
          if (!o.ok()) continue;
          org = json::object{{"id", o->id}, {"short_name", o->short_name}, {"name", o->name}};
          if (takes_part) break;
        }
      }
      person["organization"] = std::move(org);
      it = people.emplace(a.user_id, std::move(person)).first;
    }
    json::object item = it->second;
    item["client_id"] = a.client_id;
    item["since"] = FormatTime(a.first_seen);
    items.push_back(std::move(item));
  }
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse ListPhases(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto changes = ctx.drafting->ListPhaseChanges(loaded->statement.id);
  if (!changes.ok()) return StoreProblem(changes.status());
  AuthorNames authors(ctx);
  json::array items;
  for (const auto& c : *changes) {
    json::object item = ToJson(c);
    item["by"] = authors.Of(c.user_id);
    items.push_back(std::move(item));
  }
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

}  // namespace

json::object ToJson(const PhaseChange& c) {
  return json::object{
      {"from", auth::PhaseName(c.from)},
      {"to", auth::PhaseName(c.to)},
      {"deadline", c.deadline ? json::value(FormatTime(*c.deadline)) : nullptr},
      {"at", FormatTime(c.at)},
      {"user_id", c.user_id},
      {"version", c.version_number == 0 ? json::value(nullptr) : json::value(c.version_number)},
  };
}

Result<Version> SnapshotDraft(ApiContext& ctx, const auth::StatementRef& statement,
                              std::string label, VersionReason reason, auth::Phase phase,
                              auth::Id author) {
  auto state = ctx.documents->CurrentState(DraftDocumentName(statement.slug));
  if (!state.ok()) return state.status();
  auto text = drafting::RenderCanonicalUpdate(*state);
  if (!text.ok()) return text.status();
  Version v;
  v.statement_id = statement.id;
  v.label = std::move(label);
  v.reason = reason;
  v.phase = phase;
  v.author_user_id = author;
  v.created_at = ctx.now();
  v.state = std::move(*state);
  v.canonical_text = std::move(text->markdown);
  v.canonical_html = std::move(text->html);
  v.sha256 = std::move(text->sha256_hex);
  return v;
}

HttpResponse DiffResponse(std::string_view old_text, std::string_view new_text,
                          std::string_view layout, json::object head) {
  if (!layout.empty() && layout != "inline" && layout != "side-by-side") {
    return ApiError(400, "bad-request", "Bad request", "?layout= is 'inline' or 'side-by-side'");
  }
  drafting::TextDiff diff = drafting::DiffTexts(old_text, new_text);
  if (!layout.empty()) {
    HttpResponse r;
    r.content_type = "text/html; charset=utf-8";
    r.body = drafting::DiffToHtml(diff, layout == "inline" ? drafting::DiffLayout::kInline
                                                           : drafting::DiffLayout::kSideBySide);
    return r;
  }
  head["diff"] = json::parse(drafting::DiffToJson(diff));
  return JsonResponse(200, json::serialize(head));
}

std::vector<ApiRoute> VersionRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/versions", ListVersions},
      {"POST", "/api/v1/statements/{slug}/versions", CreateVersion},
      {"GET", "/api/v1/statements/{slug}/versions/{number}", GetVersion},
      {"GET", "/api/v1/statements/{slug}/versions/{number}/state", GetVersionState},
      {"GET", "/api/v1/statements/{slug}/text", GetDraftText},
      {"GET", "/api/v1/statements/{slug}/diff", GetDiff},
      {"GET", "/api/v1/statements/{slug}/phases", ListPhases},
      {"GET", "/api/v1/statements/{slug}/authors", ListAuthors},
  };
}

}  // namespace accord::server
