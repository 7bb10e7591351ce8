// Open adherence (issue 8; SIGNON-CONTRACT.md section 5): organizations that did not draft a
// final statement ask to adhere to it from its public page; the statement's secretariat vets
// the requests.
//
//   GET  /api/v1/statements/{slug}/adherence-challenge             (public) a proof-of-work
//        challenge {challenge, difficulty, expires_at} (adherence_challenge.h)
//   POST /api/v1/statements/{slug}/adherence-requests              (public) -> 202 {id, state}
//   GET  /api/v1/statements/{slug}/adherence-requests[?state=]     the statement's secretariat
//   POST /api/v1/statements/{slug}/adherence-requests/{id}/approve {organization_id?}
//   POST /api/v1/statements/{slug}/adherence-requests/{id}/reject  {reason}
//
// The public routes answer only while the statement is final and open for signature (409
// not-open-for-signature otherwise). Defences of the public form, in the order they apply:
//   1. every POST from an address counts against ApiConfig::adherence_per_ip (429 with
//      Retry-After), whatever its outcome, so probing costs the prober;
//   2. the honeypot "website_confirm" (a field the web form hides from people) must be absent
//      or empty. A filled one is refused with a generic 400 request-refused that does not say
//      why, and audited with the reason: only software fills it, and telling software which
//      check it failed teaches it; people never see this answer;
//   3. strict fields (422 validation-failed listing each bad field, the challenge and nonce
//      among them), before anything is said about the statement or the challenge;
//   4. the statement must be final and open for signature (409 not-open-for-signature);
//   5. the challenge must be this instance's, for this statement, at least 3 s and less than
//      30 min old, and solved (each failure its own problem type: a person's browser needs to
//      know whether to fetch a new challenge or wait);
//   6. the store spends the challenge with the request in one transaction (409 challenge-used
//      the second time), caps the pending requests per statement (409 queue-full) and refuses
//      a second pending request from one e-mail address (409 already-requested).
// A request that fails any step stores nothing and leaves its challenge unspent.
//
// The secretariat routes ask the policy for kManageParticipants: deciding a request decides
// who takes part in the statement. Approving thus lets a convening organization's secretariat
// create an organization and invite one signatory for it — the narrow consequence of that
// decision, not the instance-wide kManageOrganizations/kInvite rights.
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "accord/auth/secret.h"
#include "account_admin.h"
#include "adherence_challenge.h"
#include "adherence_store.h"
#include "api.h"
#include "api_json.h"
#include "api_statements.h"
#include "document_access.h"

namespace accord::server {
namespace json = boost::json;

namespace {

// ISO 3166-1 alpha-2: the officially assigned codes.
constexpr std::string_view kCountryCodes =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

bool IsAssignedCountry(std::string_view code) {
  if (code.size() != 2) return false;
  for (size_t i = 0; i + 2 <= kCountryCodes.size(); i += 3) {
    if (kCountryCodes.substr(i, 2) == code) return true;
  }
  return false;
}

HttpResponse Unavailable() {
  return ApiError(503, "unavailable", "Unavailable", "this server takes no requests to adhere");
}

HttpResponse NotOpen() {
  return ApiError(409, "not-open-for-signature", "Not open for signature",
                  "this statement does not take requests to adhere: it must be final and opened "
                  "for signature by its secretariat");
}

// The statement of a public route, if it takes requests now; else the problem.
std::optional<LoadedStatement> LoadOpenStatement(ApiContext& ctx, const ApiRequest& req,
                                                 HttpResponse* problem) {
  if (ctx.adherence == nullptr) {
    *problem = Unavailable();
    return std::nullopt;
  }
  auto loaded = LoadStatement(ctx, req, problem);
  if (!loaded) return std::nullopt;
  auto open = ctx.adherence->OpenForSignature(loaded->statement.id);
  if (!open.ok()) {
    *problem = StoreProblem(open.status());
    return std::nullopt;
  }
  if (!*open || loaded->statement.phase != auth::Phase::kFinal) {
    *problem = NotOpen();
    return std::nullopt;
  }
  return loaded;
}

json::value OptionalId(auth::Id id) { return id == 0 ? json::value(nullptr) : json::value(id); }

json::object ToJson(const AdherenceRequest& r) {
  return {{"id", r.id},
          {"statement_id", r.statement_id},
          {"organization", json::object{{"name", r.org_name},
                                        {"short_name", r.org_short_name},
                                        {"country", r.org_country},
                                        {"kind", auth::OrgKindName(r.org_kind)},
                                        {"website", r.org_website}}},
          {"signatory", json::object{{"name", r.signatory_name},
                                     {"title", r.signatory_title},
                                     {"email", r.signatory_email}}},
          {"message", r.message},
          {"ip", r.ip},
          {"state", AdherenceStateName(r.state)},
          {"created_at", FormatTime(r.created_at)},
          {"decided_by", OptionalId(r.decided_by)},
          {"decided_at",
           r.decided_at == 0 ? json::value(nullptr) : json::value(FormatTime(r.decided_at))},
          {"reason", r.reason},
          {"organization_id", OptionalId(r.organization_id)},
          {"invitation_id", OptionalId(r.invitation_id)}};
}

HttpResponse GetChallenge(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  HttpResponse problem;
  auto loaded = LoadOpenStatement(ctx, req, &problem);
  if (!loaded) return problem;
  IssuedChallenge issued = IssueChallenge(ctx.instance_key, loaded->statement.id,
                                          ctx.config->adherence_difficulty, ctx.now());
  return JsonResponse(
      200, json::serialize(json::object{{"challenge", issued.challenge},
                                        {"difficulty", issued.difficulty},
                                        {"expires_at", FormatTime(issued.expires_at)},
                                        {"not_before", FormatTime(ctx.now() + kChallengeMinAge)}}));
}

HttpResponse ChallengeProblem(ChallengeCheck check) {
  switch (check) {
    case ChallengeCheck::kTooEarly:
      return ApiError(400, "challenge-too-early", "Sent too soon",
                      "the form was sent too soon after it was opened; wait a few seconds and "
                      "send it again");
    case ChallengeCheck::kExpired:
      return ApiError(400, "challenge-expired", "Challenge expired",
                      "the form was open for more than 30 minutes; fetch a new challenge and "
                      "send it again");
    case ChallengeCheck::kNotSolved:
      return ApiError(400, "challenge-not-solved", "Challenge not solved",
                      "the nonce does not solve the challenge");
    default:
      return ApiError(400, "challenge-invalid", "Invalid challenge",
                      "the challenge was not issued by this server for this statement; fetch "
                      "one from GET adherence-challenge");
  }
}

// Reads the form's fields into `out`; errors are recorded in `body`.
void ReadRequestFields(JsonBody& body, AdherenceRequest& out) {
  if (auto org =
          body.Nested("organization", true, {"name", "short_name", "country", "kind", "website"})) {
    out.org_name = org->String("name", true, 1, 200).value_or("");
    out.org_short_name = org->String("short_name", true, 1, 32).value_or("");
    out.org_country = org->String("country", false, 0, 2).value_or("");
    if (!out.org_country.empty() && !IsAssignedCountry(out.org_country)) {
      org->AddError("country", "must be an ISO 3166-1 alpha-2 country code in capitals (BR, ZA)");
    }
    out.org_kind = org->Enum<auth::OrgKind>("kind", true, &auth::ParseOrgKind,
                                            "union, party, movement, ngo, other")
                       .value_or(auth::OrgKind::kOther);
    out.org_website = org->String("website", false, 0, 300).value_or("");
    if (std::string why = CheckWebsite(out.org_website); !why.empty()) {
      org->AddError("website", why);
    }
    body.Merge(*org, "organization");
  }
  if (auto who = body.Nested("signatory", true, {"name", "title", "email"})) {
    out.signatory_name = who->String("name", true, 1, 100).value_or("");
    out.signatory_title = who->String("title", false, 0, 100).value_or("");
    auto email = who->String("email", true, 3, 254);
    if (email) {
      if (std::string why = CheckEmail(*email); !why.empty()) who->AddError("email", why);
      out.signatory_email = AsciiLower(*email);
    }
    body.Merge(*who, "signatory");
  }
  out.message = body.String("message", false, 0, 2000).value_or("");
}

// A nonce as adherence_challenge.h wants it: 1 to 64 of [A-Za-z0-9_-].
bool NonceWellFormed(std::string_view nonce) {
  for (char c : nonce) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return !nonce.empty() && nonce.size() <= 64;
}

HttpResponse PostRequest(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.adherence == nullptr) return Unavailable();
  auto steady = ctx.steady_now();
  auto wait = ctx.adherence_ip_limiter->RetryAfter(req.ip, steady);
  if (wait.count() > 0) {
    return TooManyRequests(wait, "too many requests to adhere from this address");
  }
  ctx.adherence_ip_limiter->Record(req.ip, steady);
  HttpResponse problem;
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  const auth::Id statement_id = loaded->statement.id;
  const std::string subject = "statement:" + std::to_string(statement_id);
  const auth::Id actor = caller ? caller->user.id : 0;
  JsonBody body;
  if (!body.Parse(req,
                  {"organization", "signatory", "message", "challenge", "nonce", "website_confirm"},
                  &problem)) {
    return problem;
  }
  if (const json::value* trap = body.Field("website_confirm"); trap != nullptr) {
    if (!trap->is_string()) {
      body.AddError("website_confirm", "must be a string (left empty)");
    } else if (!trap->as_string().empty()) {
      ctx.Audit("adherence-refused", req, actor, subject,
                json::serialize(json::object{{"reason", "honeypot"}}));
      return ApiError(400, "request-refused", "Request refused",
                      "the request could not be accepted");
    }
  }
  // The form is checked whole before anything else is said about the statement or the
  // challenge: a person's browser hears about every field at once.
  auto challenge = body.String("challenge", true, 1, 256);
  auto nonce = body.String("nonce", true, 1, 64);
  if (nonce && !NonceWellFormed(*nonce)) {
    body.AddError("nonce", "may hold only letters, digits, '_' and '-'");
  }
  AdherenceRequest request;
  ReadRequestFields(body, request);
  if (!body.ok()) return body.Problem();
  if (auto open = LoadOpenStatement(ctx, req, &problem); !open) return problem;
  ChallengeCheck check =
      CheckChallenge(ctx.instance_key, *challenge, *nonce, statement_id, ctx.now());
  if (check != ChallengeCheck::kOk) {
    ctx.Audit("adherence-refused", req, actor, subject,
              json::serialize(json::object{{"reason", ChallengeCheckName(check)}}));
    return ChallengeProblem(check);
  }
  request.statement_id = statement_id;
  request.ip = req.ip.substr(0, 64);
  request.challenge_sha256 = ChallengeSha256(*challenge);
  request.created_at = ctx.now();
  auto stored = ctx.adherence->AddRequest(request, ctx.config->adherence_max_pending);
  if (!stored.ok()) {
    const Status& s = stored.status();
    switch (s.code()) {
      case Status::Code::kAlreadyExists:
        return ApiError(409, "challenge-used", "Challenge used",
                        "this challenge has been spent on a request already; fetch a new one");
      case Status::Code::kResourceExhausted:
        return ApiError(409, "queue-full", "Too many requests awaiting review",
                        "the secretariat has many requests to review; try again in a few days");
      case Status::Code::kFailedPrecondition:
        return ApiError(409, "already-requested", "Already requested",
                        "a request from this e-mail address awaits the secretariat's review");
      default:
        return StoreProblem(s);
    }
  }
  ctx.Audit("adherence-requested", req, actor, subject,
            json::serialize(json::object{{"request_id", stored->id},
                                         {"short_name", stored->org_short_name},
                                         {"email", stored->signatory_email}}));
  return JsonResponse(202, json::serialize(json::object{
                               {"id", stored->id}, {"state", AdherenceStateName(stored->state)}}));
}

// The statement for a secretariat route, the policy asked.
std::optional<LoadedStatement> LoadForSecretariat(ApiContext& ctx, const ApiRequest& req,
                                                  const ApiCaller& caller, HttpResponse* problem) {
  if (ctx.adherence == nullptr) {
    *problem = Unavailable();
    return std::nullopt;
  }
  return LoadStatementFor(ctx, req, caller, auth::Action::kManageParticipants, problem);
}

HttpResponse ListRequests(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadForSecretariat(ctx, req, *caller, &problem);
  if (!loaded) return problem;
  std::optional<AdherenceState> state;
  if (auto it = req.query.find("state"); it != req.query.end()) {
    state = ParseAdherenceState(it->second);
    if (!state) return ValidationProblem("state", "must be pending, approved or rejected");
  }
  auto requests = ctx.adherence->ListRequests(loaded->statement.id, state);
  if (!requests.ok()) return StoreProblem(requests.status());
  // An organization whose short name a request already uses: approving it as a new one would
  // clash, so the secretariat sees the candidate to link instead.
  auto orgs = ctx.store->ListOrganizations();
  if (!orgs.ok()) return StoreProblem(orgs.status());
  json::array items;
  for (const auto& r : *requests) {
    json::object o = ToJson(r);
    o["existing_organization"] = nullptr;
    for (const auto& org : *orgs) {
      if (AsciiLower(org.short_name) == AsciiLower(r.org_short_name)) {
        o["existing_organization"] = server::ToJson(org);
      }
    }
    items.push_back(std::move(o));
  }
  return JsonResponse(200, json::serialize(json::object{{"items", std::move(items)}}));
}

bool MailInvitation(ApiContext& ctx, const auth::StatementRef& statement,
                    const AdherenceApproved& approved, const std::string& link) {
  if (!ctx.mailer) return false;
  std::string body = "The request of " + approved.organization.name + " to adhere to \"" +
                     statement.title + "\" has been approved.\n\nOpen this link to choose your " +
                     "password as its signatory (it works once, until " +
                     FormatTime(approved.invitation.expires_at) + "), then create your signing " +
                     "key and sign:\n\n" + link + "\n";
  return ctx.mailer(approved.invitation.email, "Your request to adhere was approved", body);
}

HttpResponse Approve(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadForSecretariat(ctx, req, *caller, &problem);
  if (!loaded) return problem;
  JsonBody body;
  std::optional<int64_t> org_id;
  if (!req.body.empty()) {
    if (!body.Parse(req, {"organization_id"}, &problem)) return problem;
    org_id = body.Int("organization_id", false, 1, INT64_MAX);
    if (!body.ok()) return body.Problem();
  }
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("adherence request");
  AdherenceApproval approval;
  approval.statement_id = loaded->statement.id;
  approval.request_id = *id;
  approval.existing_organization_id = org_id.value_or(0);
  approval.decided_by = caller->user.id;
  approval.now = ctx.now();
  const std::string token = auth::GenerateToken("aci_");
  approval.invitation_token_hash = auth::HashToken(token);
  approval.invitation_expires_at = approval.now + ctx.config->invitation_ttl.count();
  auto approved = ctx.adherence->Approve(approval);
  if (!approved.ok()) {
    const Status& s = approved.status();
    if (s.code() == Status::Code::kNotFound && org_id) {
      // The request exists (else the store names it); the organization to link does not.
      if (ctx.adherence->GetRequest(loaded->statement.id, *id).ok()) {
        return ValidationProblem("organization_id", "names no organization");
      }
    }
    if (s.code() == Status::Code::kAlreadyExists) {
      return ApiError(409, "short-name-taken", "Short name taken",
                      s.message() +
                          "; approve with {\"organization_id\": <its id>} to link it, "
                          "or reject the request");
    }
    if (s.code() == Status::Code::kFailedPrecondition) {
      return ApiError(409, "already-decided", "Already decided", s.message());
    }
    return StoreProblem(s);
  }
  const std::string link =
      AccountLink(ctx.config->public_url, auth::Invitation::Kind::kInvitation, token);
  const bool mailed = MailInvitation(ctx, loaded->statement, *approved, link);
  ctx.Audit("adherence-approved", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id),
            json::serialize(json::object{{"request_id", *id},
                                         {"organization_id", approved->organization.id},
                                         {"organization_created", approved->organization_created},
                                         {"invitation_id", approved->invitation.id},
                                         {"emailed", mailed}}));
  ctx.RightsChanged(DraftDocumentName(loaded->statement.slug));
  const auth::Invitation& inv = approved->invitation;
  json::object invitation{{"id", inv.id},
                          {"email", inv.email},
                          {"organization_id", inv.organization_id},
                          {"role", auth::RoleName(inv.role)},
                          {"expires_at", FormatTime(inv.expires_at)},
                          {"emailed", mailed}};
  // Without mail the secretariat passes the link on; once mailed, it is nobody else's to see.
  invitation["link"] = mailed ? json::value(nullptr) : json::value(link);
  return JsonResponse(
      200, json::serialize(json::object{{"request", ToJson(approved->request)},
                                        {"organization", server::ToJson(approved->organization)},
                                        {"organization_created", approved->organization_created},
                                        {"invitation", std::move(invitation)}}));
}

HttpResponse Reject(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  HttpResponse problem;
  auto loaded = LoadForSecretariat(ctx, req, *caller, &problem);
  if (!loaded) return problem;
  JsonBody body;
  if (!body.Parse(req, {"reason"}, &problem)) return problem;
  auto reason = body.String("reason", true, 1, 2000);
  if (!body.ok()) return body.Problem();
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("adherence request");
  auto rejected =
      ctx.adherence->Reject(loaded->statement.id, *id, caller->user.id, *reason, ctx.now());
  if (!rejected.ok()) {
    if (rejected.status().code() == Status::Code::kFailedPrecondition) {
      return ApiError(409, "already-decided", "Already decided", rejected.status().message());
    }
    return StoreProblem(rejected.status());
  }
  ctx.Audit("adherence-rejected", req, caller->user.id,
            "statement:" + std::to_string(loaded->statement.id),
            json::serialize(json::object{{"request_id", *id}}));
  return JsonResponse(200, json::serialize(ToJson(*rejected)));
}

}  // namespace

std::vector<ApiRoute> AdherenceRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/adherence-challenge", GetChallenge, true},
      {"POST", "/api/v1/statements/{slug}/adherence-requests", PostRequest, true},
      {"GET", "/api/v1/statements/{slug}/adherence-requests", ListRequests},
      {"POST", "/api/v1/statements/{slug}/adherence-requests/{id}/approve", Approve},
      {"POST", "/api/v1/statements/{slug}/adherence-requests/{id}/reject", Reject},
  };
}

}  // namespace accord::server
