// Amendments of a statement (server/drafting/AMENDMENTS.md): forks of a version that
// organizations propose, support and the secretariat settles. Who may do what is decided by
// amendment_rules.h (on top of auth::Authorize); every change is audited.
//
//   GET    /api/v1/statements/{slug}/amendments[?state=]              list (read-statement)
//   POST   /api/v1/statements/{slug}/amendments                        {title, rationale?,
//                                                                       organization_id,
//                                                                       base_version?}
//   GET    /api/v1/statements/{slug}/amendments/{number}               with transitions and
//                                                                       supporters
//   PATCH  /api/v1/statements/{slug}/amendments/{number}               {title?, rationale?}
//   POST   /api/v1/statements/{slug}/amendments/{number}/transitions   {to, reason?,
//                                                                       obsoleted_by?}
//   PUT    /api/v1/statements/{slug}/amendments/{number}/support/{org_id}
//   DELETE /api/v1/statements/{slug}/amendments/{number}/support/{org_id}
//   GET    /api/v1/statements/{slug}/amendment-settings
//   PATCH  /api/v1/statements/{slug}/amendment-settings                {support_threshold?,
//                                                                       support_deadline?}
//
// Request bodies are checked before the statement is looked up, so a malformed request gets
// the same answer whoever sends it and whatever it names.
#include <boost/json.hpp>
#include <map>

#include "amendment_rules.h"
#include "amendment_workbench.h"
#include "api.h"
#include "api_json.h"
#include "api_statements.h"
#include "document_access.h"
#include "document_service.h"

namespace accord::server {
namespace json = boost::json;

namespace {

constexpr char kStates[] =
    "draft, submitted, supported, accepted, accepted-with-modification, rejected, withdrawn, "
    "referred, obsolete";

// Names of users and organizations, looked up once per request.
class Names {
 public:
  explicit Names(ApiContext& ctx) : ctx_(ctx) {}
  json::value User(auth::Id id) {
    if (id == 0) return nullptr;
    auto it = users_.find(id);
    if (it == users_.end()) {
      auto user = ctx_.store->GetUser(id);
      it = users_.emplace(id, user.ok() ? user->display_name : std::string()).first;
    }
    return json::object{{"id", id}, {"name", it->second}};
  }
  json::value Org(auth::Id id) {
    auto it = orgs_.find(id);
    if (it == orgs_.end()) {
      auto org = ctx_.store->GetOrganization(id);
      json::object o{{"id", id}};
      o["short_name"] = org.ok() ? org->short_name : std::string();
      o["name"] = org.ok() ? org->name : std::string();
      it = orgs_.emplace(id, std::move(o)).first;
    }
    return it->second;
  }

 private:
  ApiContext& ctx_;
  std::map<auth::Id, std::string> users_;
  std::map<auth::Id, json::object> orgs_;
};

json::object AmendmentJson(const Amendment& a, Names& names, const AmendmentFlags& flags) {
  json::array paragraphs, collides;
  for (const ParagraphRef& p : flags.paragraphs) {
    paragraphs.push_back(
        json::object{{"index", p.index}, {"marker", p.marker}, {"excerpt", p.excerpt}});
  }
  for (int64_t n : flags.collides_with) collides.push_back(n);
  return json::object{
      {"number", a.number},
      {"title", a.title},
      {"rationale", a.rationale},
      {"state", AmendmentStateName(a.state)},
      {"organization", names.Org(a.organization_id)},
      {"base_version", a.base_version},
      {"document", a.document},
      {"supporters", a.supporters},
      {"created_by", names.User(a.created_by)},
      {"created_at", FormatTime(a.created_at)},
      {"paragraphs", std::move(paragraphs)},
      {"collides_with", std::move(collides)},
      {"obsolete", flags.obsolete},
      {"merged_in_version",
       flags.merged_in_version ? json::value(*flags.merged_in_version) : json::value(nullptr)}};
}

// The flags of every amendment of the statement (collisions need them all), by number.
Result<std::map<int64_t, AmendmentFlags>> AllFlags(ApiContext& ctx,
                                                   const auth::StatementRef& statement) {
  auto all = ctx.drafting->ListAmendments(statement.id);
  if (!all.ok()) return all.status();
  AmendmentWorkbench bench(ctx, statement);
  return bench.Flags(*all);
}

json::object SettingsJson(const AmendmentSettings& s) {
  return json::object{
      {"support_threshold", s.support_threshold},
      {"support_deadline",
       s.support_deadline ? json::value(FormatTime(*s.support_deadline)) : json::value(nullptr)}};
}

// The amendment with its history and supporters.
HttpResponse Detail(ApiContext& ctx, const auth::StatementRef& statement, const Amendment& a,
                    int status) {
  auto flags = AllFlags(ctx, statement);
  if (!flags.ok()) return StoreProblem(flags.status());
  auto transitions = ctx.drafting->ListTransitions(a.id);
  if (!transitions.ok()) return StoreProblem(transitions.status());
  auto supporters = ctx.drafting->ListSupporters(a.id);
  if (!supporters.ok()) return StoreProblem(supporters.status());
  Names names(ctx);
  json::object out = AmendmentJson(a, names, (*flags)[a.number]);
  json::array history;
  for (const auto& t : *transitions) {
    history.push_back(json::object{{"from", AmendmentStateName(t.from)},
                                   {"to", AmendmentStateName(t.to)},
                                   {"by", names.User(t.user_id)},
                                   {"at", FormatTime(t.at)},
                                   {"reason", t.reason}});
  }
  json::array orgs;
  for (const auto& s : *supporters) {
    orgs.push_back(json::object{{"organization", names.Org(s.organization_id)},
                                {"by", names.User(s.user_id)},
                                {"at", FormatTime(s.at)}});
  }
  out["transitions"] = std::move(history);
  out["supporter_list"] = std::move(orgs);
  return JsonResponse(status, json::serialize(out));
}

// Statement (readable by the caller) and amendment of the request.
struct Loaded {
  LoadedStatement statement;
  Amendment amendment;
  AmendmentSettings settings;
};
std::optional<Loaded> LoadAll(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                              HttpResponse* problem) {
  auto statement = LoadStatementFor(ctx, req, caller, auth::Action::kReadStatement, problem);
  if (!statement) return std::nullopt;
  auto amendment = LoadAmendment(ctx, req, *statement, problem);
  if (!amendment) return std::nullopt;
  auto settings = ctx.drafting->GetAmendmentSettings(statement->statement.id);
  if (!settings.ok()) {
    *problem = StoreProblem(settings.status());
    return std::nullopt;
  }
  return Loaded{std::move(*statement), std::move(*amendment), std::move(*settings)};
}

// The rules' answer; on a denial the 403 problem, audited as the policy's denials are.
std::optional<HttpResponse> Refuse(ApiContext& ctx, const ApiRequest& req, const ApiCaller& caller,
                                   const Loaded& l, const AmendmentRequest& request) {
  auth::Decision d = DecideAmendment(caller.principal, TargetOf(ctx, l.statement), l.amendment,
                                     l.settings, request);
  if (d) return std::nullopt;
  json::object detail{
      {"action", "amendment"}, {"method", req.method}, {"path", req.path}, {"reason", d.reason}};
  ctx.Audit("permission-denied", req, caller.user.id, "user:" + std::to_string(caller.user.id),
            json::serialize(detail));
  if (d.reason.find("scope") != std::string::npos) {
    return ApiError(403, "insufficient-scope", "Insufficient scope", d.reason);
  }
  return ApiError(403, "forbidden", "Not allowed", d.reason);
}

std::string Subject(const Amendment& a) {
  return "statement:" + std::to_string(a.statement_id) + ":amendment:" + std::to_string(a.number);
}

// Moves `a` between submitted and supported as its support and the threshold call for, as the
// system (user 0). Returns the amendment as it is afterwards.
Result<Amendment> ApplySupportRule(ApiContext& ctx, const ApiRequest& req, Amendment a,
                                   const AmendmentSettings& settings) {
  auto move = SupportMove(a.state, a.supporters, settings.support_threshold);
  if (!move) return a;
  AmendmentTransition t;
  t.amendment_id = a.id;
  t.from = a.state;
  t.to = *move;
  t.user_id = 0;
  t.at = ctx.now();
  t.reason = std::to_string(a.supporters) + " of " + std::to_string(settings.support_threshold) +
             " supporting organizations";
  auto stored = ctx.drafting->TransitionAmendment(t);
  if (!stored.ok()) {
    // A concurrent request moved it first (its own count decided); the support itself stands.
    if (stored.status().code() != Status::Code::kFailedPrecondition) return stored.status();
    return ctx.drafting->GetAmendment(a.statement_id, a.number);
  }
  ctx.Audit("amendment-transition", req, 0, Subject(a),
            json::serialize(json::object{{"from", AmendmentStateName(t.from)},
                                         {"to", AmendmentStateName(t.to)},
                                         {"reason", t.reason}}));
  a.state = *move;
  return a;
}

HttpResponse List(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  std::optional<AmendmentState> filter;
  if (auto it = req.query.find("state"); it != req.query.end()) {
    filter = ParseAmendmentState(it->second);
    if (!filter) {
      return ApiError(400, "bad-request", "Bad request",
                      std::string("?state= is one of ") + kStates);
    }
  }
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto amendments = ctx.drafting->ListAmendments(loaded->statement.id);
  if (!amendments.ok()) return StoreProblem(amendments.status());
  AmendmentWorkbench bench(ctx, loaded->statement);
  auto flags = bench.Flags(*amendments);
  if (!flags.ok()) return StoreProblem(flags.status());
  Names names(ctx);
  json::array items;
  for (const auto& a : *amendments) {
    if (!filter || a.state == *filter) items.push_back(AmendmentJson(a, names, (*flags)[a.number]));
  }
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

HttpResponse Create(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"title", "rationale", "organization_id", "base_version"}, &problem)) {
    return problem;
  }
  auto title = body.String("title", true, 1, 200);
  auto rationale = body.String("rationale", false, 0, 10000);
  auto org = body.Int("organization_id", true, 1, INT64_MAX);
  auto base = body.Int("base_version", false, 1, INT64_MAX);
  if (!body.ok()) return body.Problem();
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  auth::Target target = TargetOf(ctx, *loaded);
  target.acting_org = *org;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kProposeAmendment, target)) {
    return *denied;
  }
  auto version = base ? ctx.drafting->GetVersion(loaded->statement.id, *base)
                      : ctx.drafting->LatestVersion(loaded->statement.id);
  if (!version.ok()) {
    if (version.status().code() != Status::Code::kNotFound) return StoreProblem(version.status());
    if (base) return ValidationProblem("base_version", "the statement has no such version");
    return ApiError(409, "conflict", "Conflict",
                    "the statement has no version to amend yet: name a version first");
  }
  Amendment a;
  a.statement_id = loaded->statement.id;
  a.base_version = version->number;
  a.title = *title;
  a.rationale = rationale.value_or("");
  a.organization_id = *org;
  a.created_by = caller->user.id;
  a.created_at = ctx.now();
  auto stored = ctx.drafting->CreateAmendment(a, AmendmentDocumentPrefix(loaded->statement.slug));
  if (!stored.ok()) return StoreProblem(stored.status());
  // The fork: the amendment's document starts as the version's state, so its edits refer to
  // the base's items.
  Status created = ctx.documents->Create(stored->document, version->state);
  if (!created.ok()) return StoreProblem(created);
  ctx.Audit("amendment-created", req, caller->user.id, Subject(*stored),
            json::serialize(json::object{{"organization_id", *org},
                                         {"base_version", stored->base_version},
                                         {"document", stored->document}}));
  HttpResponse r = Detail(ctx, loaded->statement, *stored, 201);
  r.headers.emplace_back("Location", "/api/v1/statements/" + loaded->statement.slug +
                                         "/amendments/" + std::to_string(stored->number));
  return r;
}

HttpResponse Get(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto l = LoadAll(ctx, req, *caller, &problem);
  if (!l) return problem;
  return Detail(ctx, l->statement.statement, l->amendment, 200);
}

HttpResponse Update(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"title", "rationale"}, &problem)) return problem;
  auto title = body.String("title", false, 1, 200);
  auto rationale = body.String("rationale", false, 0, 10000);
  if (!body.ok()) return body.Problem();
  auto l = LoadAll(ctx, req, *caller, &problem);
  if (!l) return problem;
  AmendmentRequest edit;
  edit.kind = AmendmentRequest::Kind::kEdit;
  if (auto refused = Refuse(ctx, req, *caller, *l, edit)) return *refused;
  Amendment a = l->amendment;
  if (title) a.title = *title;
  if (rationale) a.rationale = *rationale;
  Status s = ctx.drafting->UpdateAmendmentText(a.id, a.title, a.rationale);
  if (!s.ok()) return StoreProblem(s);
  ctx.Audit("amendment-updated", req, caller->user.id, Subject(a),
            json::serialize(json::object{{"title", a.title}}));
  return Detail(ctx, l->statement.statement, a, 200);
}

HttpResponse Transition(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"to", "reason", "obsoleted_by"}, &problem)) return problem;
  auto to = body.Enum<AmendmentState>("to", true, &ParseAmendmentState, kStates);
  auto reason = body.String("reason", false, 0, 2000);
  auto by = body.Int("obsoleted_by", false, 1, INT64_MAX);
  if (to && *to == AmendmentState::kObsolete && !by && body.ok()) {
    body.AddError("obsoleted_by", "name the accepted amendment that makes this one obsolete");
  }
  if (!body.ok()) return body.Problem();
  auto l = LoadAll(ctx, req, *caller, &problem);
  if (!l) return problem;
  AmendmentRequest request;
  request.to = *to;
  request.reason = reason.value_or("");
  if (*to == AmendmentState::kObsolete) {
    auto other = ctx.drafting->GetAmendment(l->statement.statement.id, *by);
    if (!other.ok()) {
      if (other.status().code() == Status::Code::kNotFound) {
        return ValidationProblem("obsoleted_by", "the statement has no such amendment");
      }
      return StoreProblem(other.status());
    }
    if (other->id == l->amendment.id) {
      return ValidationProblem("obsoleted_by", "an amendment does not make itself obsolete");
    }
    request.obsoleted_by = other->state;
    std::string why = "made obsolete by amendment " + std::to_string(*by);
    request.reason = request.reason.empty() ? why : why + ": " + request.reason;
  }
  if (auto refused = Refuse(ctx, req, *caller, *l, request)) return *refused;
  AmendmentTransition t;
  t.amendment_id = l->amendment.id;
  t.from = l->amendment.state;
  t.to = *to;
  t.user_id = caller->user.id;
  t.at = ctx.now();
  t.reason = request.reason;
  auto stored = ctx.drafting->TransitionAmendment(t);
  if (!stored.ok()) return StoreProblem(stored.status());
  ctx.Audit("amendment-transition", req, caller->user.id, Subject(l->amendment),
            json::serialize(json::object{{"from", AmendmentStateName(t.from)},
                                         {"to", AmendmentStateName(t.to)},
                                         {"reason", t.reason}}));
  // Every move changes who may write the document (the proposer in draft, the secretariat
  // while settling, nobody after).
  ctx.RightsChanged(l->amendment.document);
  Amendment a = l->amendment;
  a.state = *to;
  return Detail(ctx, l->statement.statement, a, 200);
}

// {org_id} as the acting organization of a support request.
HttpResponse ChangeSupport(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller,
                           bool adding) {
  HttpResponse problem;
  if (adding && !req.body.empty()) {
    JsonBody body;  // no fields; an empty object is allowed
    if (!body.Parse(req, {}, &problem)) return problem;
  }
  auto org = IdParam(req, "org_id");
  if (!org) return NotFoundProblem("organization");
  auto l = LoadAll(ctx, req, *caller, &problem);
  if (!l) return problem;
  auto supporters = ctx.drafting->ListSupporters(l->amendment.id);
  if (!supporters.ok()) return StoreProblem(supporters.status());
  AmendmentRequest request;
  request.kind =
      adding ? AmendmentRequest::Kind::kSupport : AmendmentRequest::Kind::kWithdrawSupport;
  request.acting_org = *org;
  for (const auto& s : *supporters) {
    request.already_supports = request.already_supports || s.organization_id == *org;
  }
  if (auto refused = Refuse(ctx, req, *caller, *l, request)) return *refused;
  auto count = adding
                   ? ctx.drafting->AddSupporter({l->amendment.id, *org, caller->user.id, ctx.now()})
                   : ctx.drafting->RemoveSupporter(l->amendment.id, *org);
  if (!count.ok()) return StoreProblem(count.status());
  ctx.Audit(adding ? "amendment-supported" : "amendment-support-withdrawn", req, caller->user.id,
            Subject(l->amendment),
            json::serialize(json::object{{"organization_id", *org}, {"supporters", *count}}));
  Amendment a = l->amendment;
  a.supporters = *count;
  auto moved = ApplySupportRule(ctx, req, a, l->settings);
  if (!moved.ok()) return StoreProblem(moved.status());
  if (!adding) return NoContent();
  return Detail(ctx, l->statement.statement, *moved, 200);
}

HttpResponse Support(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  return ChangeSupport(ctx, req, caller, true);
}
HttpResponse Unsupport(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  return ChangeSupport(ctx, req, caller, false);
}

HttpResponse GetSettings(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kReadStatement, &problem);
  if (!loaded) return problem;
  auto settings = ctx.drafting->GetAmendmentSettings(loaded->statement.id);
  if (!settings.ok()) return StoreProblem(settings.status());
  return JsonResponse(200, json::serialize(SettingsJson(*settings)));
}

HttpResponse PatchSettings(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  JsonBody body;
  if (!body.Parse(req, {"support_threshold", "support_deadline"}, &problem)) return problem;
  auto threshold = body.Int("support_threshold", false, 0, 1000);
  std::optional<std::optional<auth::UnixTime>> deadline;  // outer: given; inner: null clears
  if (body.IsNull("support_deadline")) {
    deadline.emplace(std::nullopt);
  } else if (auto text = body.String("support_deadline", false, 20, 20)) {
    auto t = ParseTime(*text);
    if (!t) body.AddError("support_deadline", "must be a UTC time like 2027-01-31T18:00:00Z");
    deadline.emplace(t);
  } else if (body.Has("support_deadline") && body.ok()) {
    body.AddError("support_deadline", "must be a UTC time like 2027-01-31T18:00:00Z, or null");
  }
  if (!body.ok()) return body.Problem();
  auto loaded = LoadStatementFor(ctx, req, *caller, auth::Action::kChangePhase, &problem);
  if (!loaded) return problem;
  auto settings = ctx.drafting->GetAmendmentSettings(loaded->statement.id);
  if (!settings.ok()) return StoreProblem(settings.status());
  AmendmentSettings s = *settings;
  s.statement_id = loaded->statement.id;
  if (threshold) s.support_threshold = *threshold;
  if (deadline) s.support_deadline = *deadline;
  Status stored = ctx.drafting->SetAmendmentSettings(s);
  if (!stored.ok()) return StoreProblem(stored);
  ctx.Audit("amendment-settings-changed", req, caller->user.id,
            "statement:" + std::to_string(s.statement_id), json::serialize(SettingsJson(s)));
  // A new threshold may make open amendments supported, or no longer.
  auto amendments = ctx.drafting->ListAmendments(s.statement_id);
  if (!amendments.ok()) return StoreProblem(amendments.status());
  for (const auto& a : *amendments) {
    auto moved = ApplySupportRule(ctx, req, a, s);
    if (!moved.ok()) return StoreProblem(moved.status());
  }
  return JsonResponse(200, json::serialize(SettingsJson(s)));
}

}  // namespace

static std::optional<int64_t> NumberParam(const ApiRequest& req) {
  auto it = req.params.find("number");
  if (it == req.params.end() || it->second.empty() || it->second.size() > 9) return std::nullopt;
  int64_t n = 0;
  for (char c : it->second) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? std::optional<int64_t>(n) : std::nullopt;
}

std::optional<Amendment> LoadAmendment(ApiContext& ctx, const ApiRequest& req,
                                       const LoadedStatement& loaded, HttpResponse* problem) {
  auto number = NumberParam(req);
  if (!number) {
    *problem = ApiError(404, "not-found", "Not found", "amendments are numbered 1, 2, ...");
    return std::nullopt;
  }
  auto a = ctx.drafting->GetAmendment(loaded.statement.id, *number);
  if (!a.ok()) {
    *problem = StoreProblem(a.status());
    return std::nullopt;
  }
  return std::move(*a);
}

std::vector<ApiRoute> AmendmentRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/amendments", List},
      {"POST", "/api/v1/statements/{slug}/amendments", Create},
      {"GET", "/api/v1/statements/{slug}/amendments/{number}", Get},
      {"PATCH", "/api/v1/statements/{slug}/amendments/{number}", Update},
      {"POST", "/api/v1/statements/{slug}/amendments/{number}/transitions", Transition},
      {"PUT", "/api/v1/statements/{slug}/amendments/{number}/support/{org_id}", Support},
      {"DELETE", "/api/v1/statements/{slug}/amendments/{number}/support/{org_id}", Unsupport},
      {"GET", "/api/v1/statements/{slug}/amendment-settings", GetSettings},
      {"PATCH", "/api/v1/statements/{slug}/amendment-settings", PatchSettings},
  };
}

}  // namespace accord::server
