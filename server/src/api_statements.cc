// Statements as far as rights are concerned: their phase, deadline and participants. The live
// draft of statement `s` is the document "statement.s" (document_access.h).
//
//   GET    /api/v1/statements                         those the caller may read
//   POST   /api/v1/statements                         {slug, title} (instance secretariat)
//   GET    /api/v1/statements/{slug}                  with participants and the caller's rights
//   PATCH  /api/v1/statements/{slug}                  {phase?, phase_deadline?,
//                                                      open_for_signature?} (its secretariat)
//   PUT    /api/v1/statements/{slug}/participants/{org_id}  {convener?, edit?, amend?, sign?}
//   DELETE /api/v1/statements/{slug}/participants/{org_id}
#include <boost/json.hpp>
#include <cctype>
#include <ctime>

#include "adherence_store.h"
#include "api.h"
#include "api_json.h"
#include "api_signon.h"
#include "api_statements.h"
#include "document_access.h"
#include "log.h"

namespace accord::server {
namespace json = boost::json;

namespace {

// A BCP 47 tag in the usual short form: a 2–3 letter language, then subtags of 1–8 letters or
// digits ("es", "pt-BR", "es-419"), as the statements table's CHECK and openapi.yaml's
// LanguageTag allow.
bool IsLanguageTag(std::string_view tag) {
  size_t i = 0;
  while (i < tag.size() && std::isalpha(static_cast<unsigned char>(tag[i])) != 0) ++i;
  if (i < 2 || i > 3) return false;
  while (i < tag.size()) {
    if (tag[i++] != '-') return false;
    size_t start = i;
    while (i < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[i])) != 0)) ++i;
    if (i == start || i - start > 8) return false;
  }
  return true;
}

}  // namespace

std::optional<auth::UnixTime> ParseTime(std::string_view s) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' ||
      s[16] != ':' || s[19] != 'Z') {
    return std::nullopt;
  }
  auto num = [&](size_t at, size_t n) -> int {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_year < 70 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
      tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 ||
      tm.tm_sec > 59) {
    return std::nullopt;
  }
  std::tm copy = tm;
  auth::UnixTime t = timegm(&copy);
  if (copy.tm_mday != tm.tm_mday) return std::nullopt;  // 31 February and the like
  return t;
}

std::optional<LoadedStatement> LoadStatement(ApiContext& ctx, const ApiRequest& req,
                                             HttpResponse* problem) {
  auto it = req.params.find("slug");
  auto statement = ctx.store->FindStatementBySlug(it == req.params.end() ? "" : it->second);
  if (!statement.ok()) {
    *problem = statement.status().code() == Status::Code::kNotFound
                   ? ApiError(404, "not-found", "Not found", "no statement with that slug")
                   : StoreProblem(statement.status());
    return std::nullopt;
  }
  auto participants = ctx.store->ListParticipants(statement->id);
  if (!participants.ok()) {
    *problem = StoreProblem(participants.status());
    return std::nullopt;
  }
  return LoadedStatement{std::move(*statement), std::move(*participants)};
}

auth::Target TargetOf(ApiContext& ctx, const LoadedStatement& loaded) {
  auth::Target t;
  t.statement = &loaded.statement;
  t.participants = &loaded.participants;
  t.now = ctx.now();
  return t;
}

std::optional<LoadedStatement> LoadStatementFor(ApiContext& ctx, const ApiRequest& req,
                                                const ApiCaller& caller, auth::Action action,
                                                HttpResponse* problem) {
  auto loaded = LoadStatement(ctx, req, problem);
  if (!loaded) return std::nullopt;
  if (auto denied = Deny(ctx, req, caller, action, TargetOf(ctx, *loaded))) {
    *problem = std::move(*denied);
    return std::nullopt;
  }
  return loaded;
}

namespace {

json::object StatementView(ApiContext& ctx, const ApiCaller& caller,
                           const LoadedStatement& loaded) {
  json::object out = ToJson(loaded.statement);
  json::array participants;
  for (const auto& p : loaded.participants) participants.push_back(ToJson(p));
  out["participants"] = std::move(participants);
  // What the caller may do now (for each organization they could act for), so clients show
  // only the controls that will work.
  json::object rights;
  auth::Target target = TargetOf(ctx, loaded);
  for (auth::Action a :
       {auth::Action::kEditDraft, auth::Action::kSettleAmendment, auth::Action::kChangePhase,
        auth::Action::kPublishVersion, auth::Action::kManageParticipants, auth::Action::kComment,
        auth::Action::kResolveComment}) {
    rights[auth::ActionName(a)] = static_cast<bool>(auth::Authorize(caller.principal, a, target));
  }
  for (auth::Action a :
       {auth::Action::kProposeAmendment, auth::Action::kSupportAmendment, auth::Action::kEndorse}) {
    json::array orgs;
    for (const auto& m : caller.principal.memberships) {
      auth::Target acting = target;
      acting.acting_org = m.organization_id;
      bool seen = false;
      for (const auto& v : orgs) seen = seen || v.as_int64() == m.organization_id;
      if (!seen && auth::Authorize(caller.principal, a, acting)) orgs.push_back(m.organization_id);
    }
    rights[std::string(auth::ActionName(a)) + "-for"] = std::move(orgs);
  }
  out["rights"] = std::move(rights);
  // Whether the public may ask to adhere once the statement is final (api_adherence.cc).
  bool open = false;
  if (ctx.adherence != nullptr) {
    auto stored = ctx.adherence->OpenForSignature(loaded.statement.id);
    if (stored.ok()) {
      open = *stored;
    } else {
      Log("error", "cannot read open_for_signature",
          {{"statement", loaded.statement.slug}, {"error", stored.status().ToString()}});
    }
  }
  out["open_for_signature"] = open;
  return out;
}

HttpResponse ListStatements(ApiContext& ctx, const ApiRequest&, const ApiCaller* caller) {
  auto statements = ctx.store->ListStatements();
  if (!statements.ok()) return StoreProblem(statements.status());
  json::array items;
  for (auto& s : *statements) {
    auto participants = ctx.store->ListParticipants(s.id);
    if (!participants.ok()) return StoreProblem(participants.status());
    LoadedStatement loaded{s, std::move(*participants)};
    if (auth::Authorize(caller->principal, auth::Action::kReadStatement, TargetOf(ctx, loaded))) {
      json::object item = ToJson(s);
      json::array participants;
      for (const auto& p : loaded.participants) participants.push_back(ToJson(p));
      item["participants"] = std::move(participants);
      items.push_back(std::move(item));
    }
  }
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse CreateStatement(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kCreateStatement)) return *denied;
  JsonBody body;
  HttpResponse error;
  if (!body.Parse(req, {"slug", "title", "language"}, &error)) return error;
  auto slug = body.String("slug", true, 1, 64);
  if (slug) {
    if (std::string why = CheckSlug(*slug); !why.empty()) body.AddError("slug", why);
  }
  auto title = body.String("title", true, 1, 300);
  auto language = body.String("language", false, 2, 35);
  if (language && !IsLanguageTag(*language)) {
    body.AddError("language", "must be a BCP 47 language tag such as es, pt-BR or en");
  }
  if (!body.ok()) return body.Problem();
  auto created =
      ctx.store->CreateStatement(*slug, *title, language.value_or(std::string("en")), ctx.now());
  if (!created.ok()) return StoreProblem(created.status());
  ctx.Audit("statement-created", req, caller->user.id, "statement:" + std::to_string(created->id),
            json::serialize(json::object{{"slug", created->slug}}));
  HttpResponse r = JsonResponse(201, json::serialize(ToJson(*created)));
  r.headers.emplace_back("Location", "/api/v1/statements/" + created->slug);
  return r;
}

HttpResponse GetStatement(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  return JsonResponse(200, json::serialize(StatementView(ctx, *caller, *loaded)));
}

// Opens or closes the statement to requests to adhere. Asks for kManageParticipants rather
// than kChangePhase: opening it decides which organizations may come to take part.
std::optional<HttpResponse> SetOpenForSignature(ApiContext& ctx, const ApiRequest& req,
                                                const ApiCaller& caller,
                                                const LoadedStatement& loaded, bool open) {
  if (auto denied =
          Deny(ctx, req, caller, auth::Action::kManageParticipants, TargetOf(ctx, loaded))) {
    return denied;
  }
  if (ctx.adherence == nullptr) {
    return ApiError(503, "unavailable", "Unavailable", "this server takes no requests to adhere");
  }
  Status s = ctx.adherence->SetOpenForSignature(loaded.statement.id, open);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("open-for-signature", req, caller.user.id,
            "statement:" + std::to_string(loaded.statement.id),
            json::serialize(json::object{{"open", open}}));
  return std::nullopt;
}

HttpResponse PatchStatement(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  JsonBody body;
  if (!body.Parse(req, {"phase", "phase_deadline", "open_for_signature"}, &problem)) {
    return problem;
  }
  // A body with open_for_signature alone changes nothing of the phase and records no change.
  const bool phase_part =
      body.Has("phase") || body.Has("phase_deadline") || !body.Has("open_for_signature");
  if (phase_part) {
    if (auto denied = Deny(ctx, req, *caller, auth::Action::kChangePhase, TargetOf(ctx, *loaded))) {
      return *denied;
    }
  }
  auto open = body.Bool("open_for_signature", false);
  if (!phase_part) {
    if (!body.ok()) return body.Problem();
    if (auto failed = SetOpenForSignature(ctx, req, *caller, *loaded, *open)) return *failed;
    auto reloaded = LoadStatement(ctx, req, &problem);
    if (!reloaded) return problem;
    return JsonResponse(200, json::serialize(StatementView(ctx, *caller, *reloaded)));
  }
  auto phase = body.Enum<auth::Phase>("phase", false, &auth::ParsePhase,
                                      "drafting, amendments, consolidation, final");
  std::optional<auth::UnixTime> deadline = loaded->statement.phase_deadline;
  if (body.IsNull("phase_deadline")) {
    deadline.reset();
  } else if (auto text = body.String("phase_deadline", false, 20, 20)) {
    deadline = ParseTime(*text);
    if (!deadline) body.AddError("phase_deadline", "must be a UTC time like 2027-01-31T18:00:00Z");
  } else if (body.Has("phase_deadline") && body.ok()) {
    body.AddError("phase_deadline", "must be a UTC time like 2027-01-31T18:00:00Z, or null");
  }
  if (!body.ok()) return body.Problem();
  if (open) {
    if (auto failed = SetOpenForSignature(ctx, req, *caller, *loaded, *open)) return *failed;
  }
  // A new phase starts without the old phase's deadline unless one is given.
  if (phase && *phase != loaded->statement.phase && !body.Has("phase_deadline")) {
    deadline.reset();
  }
  const auth::Phase new_phase = phase.value_or(loaded->statement.phase);
  Status s = ctx.store->SetStatementPhase(loaded->statement.id, new_phase, deadline);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("phase-change", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id),
            json::serialize(json::object{
                {"from", auth::PhaseName(loaded->statement.phase)},
                {"to", auth::PhaseName(new_phase)},
                {"deadline", deadline ? json::value(FormatTime(*deadline)) : nullptr}}));
  ctx.RightsChanged(DraftDocumentName(loaded->statement.slug));
  // The record of the change; a new phase freezes the draft as a version, taken after the
  // writers were disconnected above (the room reads it in order behind their last updates).
  PhaseChange change;
  change.statement_id = loaded->statement.id;
  change.from = loaded->statement.phase;
  change.to = new_phase;
  change.deadline = deadline;
  change.user_id = caller->user.id;
  change.at = ctx.now();
  std::optional<Version> version;
  if (new_phase != loaded->statement.phase) {
    auto snapshot =
        SnapshotDraft(ctx, loaded->statement, "Start of " + std::string(auth::PhaseName(new_phase)),
                      VersionReason::kPhase, new_phase, caller->user.id);
    if (snapshot.ok()) {
      version = std::move(*snapshot);
    } else {
      std::string why = snapshot.status().ToString();
      Log("error", "phase change: no version taken",
          {{"statement", loaded->statement.slug}, {"error", why}});
    }
  }
  auto recorded = ctx.drafting->RecordPhaseChange(change, version ? &*version : nullptr);
  if (!recorded.ok()) return StoreProblem(recorded.status());
  // Entering `final` publishes the manifest of the version just frozen (sign-on): what
  // signatories sign. Each entry into `final` publishes a new one.
  std::optional<json::object> manifest;
  if (new_phase == auth::Phase::kFinal && change.from != auth::Phase::kFinal &&
      recorded->version_number != 0 && ctx.signon != nullptr) {
    auto published = PublishFinalManifest(ctx, loaded->statement, recorded->version_number);
    if (published.ok()) {
      manifest = std::move(*published);
    } else {
      Log("error", "final phase: no manifest published",
          {{"statement", loaded->statement.slug}, {"error", published.status().ToString()}});
    }
  }
  auto reloaded = LoadStatement(ctx, req, &problem);
  if (!reloaded) return problem;
  json::object view = StatementView(ctx, *caller, *reloaded);
  view["phase_change"] = ToJson(*recorded);
  if (manifest) view["manifest"] = std::move(*manifest);
  return JsonResponse(200, json::serialize(view));
}

HttpResponse PutParticipant(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kManageParticipants, &problem);
  if (!loaded) return problem;
  auto org_id = IdParam(req, "org_id");
  if (!org_id) return NotFoundProblem("organization");
  if (auto org = ctx.store->GetOrganization(*org_id); !org.ok()) return StoreProblem(org.status());
  JsonBody body;
  if (!body.Parse(req, {"convener", "edit", "amend", "sign"}, &problem)) return problem;
  auth::Participation p;
  p.statement_id = loaded->statement.id;
  p.organization_id = *org_id;
  p.convener = body.Bool("convener", false).value_or(false);
  p.edit = body.Bool("edit", false).value_or(true);
  p.amend = body.Bool("amend", false).value_or(true);
  p.sign = body.Bool("sign", false).value_or(true);
  if (!body.ok()) return body.Problem();
  Status s = ctx.store->SetParticipation(p);
  if (!s.ok()) return StoreProblem(s);
  json::object detail = ToJson(p);
  detail["change"] = "set";
  ctx.Audit("participant-change", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id), json::serialize(detail));
  ctx.RightsChanged(DraftDocumentName(loaded->statement.slug));
  return JsonResponse(200, json::serialize(ToJson(p)));
}

HttpResponse DeleteParticipant(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kManageParticipants, &problem);
  if (!loaded) return problem;
  auto org_id = IdParam(req, "org_id");
  if (!org_id) return NotFoundProblem("participant");
  Status s = ctx.store->RemoveParticipation(loaded->statement.id, *org_id);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("participant-change", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id),
            json::serialize(json::object{{"change", "removed"}, {"organization_id", *org_id}}));
  ctx.RightsChanged(DraftDocumentName(loaded->statement.slug));
  return NoContent();
}

}  // namespace

std::vector<ApiRoute> StatementRoutes() {
  return {
      {"GET", "/api/v1/statements", ListStatements},
      {"POST", "/api/v1/statements", CreateStatement},
      {"GET", "/api/v1/statements/{slug}", GetStatement},
      {"PATCH", "/api/v1/statements/{slug}", PatchStatement},
      {"PUT", "/api/v1/statements/{slug}/participants/{org_id}", PutParticipant},
      {"DELETE", "/api/v1/statements/{slug}/participants/{org_id}", DeleteParticipant},
  };
}

}  // namespace accord::server
