// Endorsements of a statement's final manifest, and their withdrawals (sign-on contract,
// sections 3 and 5):
//
//   POST /api/v1/statements/{slug}/endorsements     {endorsement, signature, key_id} -> 201
//   GET  /api/v1/statements/{slug}/endorsements     the current manifest's (public)
//   POST /api/v1/statements/{slug}/endorsements/{id}/withdrawal {withdrawal, signature, key_id}
//
// A signatory's browser signs the JCS bytes of the object with its own approved key; the server
// checks everything section 3 lists — each failure a problem+json with its own type, nothing
// stored — then hands the write to the group-commit writer (signon_writer.h), which stores it
// and appends its log entry in one transaction and answers only once that has committed.
#include <boost/json.hpp>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "accord/signon/canonical_json.h"
#include "api.h"
#include "api_json.h"
#include "api_signon.h"
#include "api_statements.h"
#include "endorsement.h"
#include "log.h"
#include "signon_writer.h"

namespace accord::server {
namespace {
namespace json = boost::json;

// How far a signed_at may be from the server's clock: the browser's clock may be off a little,
// but an object signed long ago (or for later) is not what its signer is doing now.
constexpr auth::UnixTime kMaxClockSkew = 15 * 60;

// The request body both POSTs share: the signed text under `field`, its signature and key.
struct SignedRequest {
  std::string text;
  std::string signature;
  auth::Id key_id = 0;
};

bool ReadSignedRequest(const ApiRequest& req, const char* field, SignedRequest* out,
                       HttpResponse* problem) {
  JsonBody body;
  if (!body.Parse(req, {field, "signature", "key_id"}, problem)) return false;
  const json::value* text = body.Field(field);
  if (text == nullptr || !text->is_string() || !text->as_string().starts_with("{")) {
    body.AddError(field, "must be the signed object's canonical JSON text, as a string");
  } else {
    out->text = std::string(text->as_string());
  }
  auto signature = body.String("signature", true, 88, 88);
  auto key_id = body.Int("key_id", true, 1, INT64_MAX);
  if (!body.ok()) {
    *problem = body.Problem();
    return false;
  }
  out->signature = *signature;
  out->key_id = *key_id;
  return true;
}

HttpResponse InvalidSigned(std::string_view what, const Status& status) {
  if (status.code() == Status::Code::kResourceExhausted) {
    return ApiError(413, "body-too-large", "Body too large", status.message());
  }
  return ApiError(400, "invalid-" + std::string(what), "Invalid " + std::string(what),
                  status.message());
}

// The key `id` if it is the caller's and of organization `org`; 403 `wrong-key` otherwise.
std::optional<SigningKey> CallersKey(ApiContext& ctx, const ApiCaller& caller, auth::Id id,
                                     auth::Id org, HttpResponse* problem) {
  auto key = ctx.signon->GetKey(id);
  if (!key.ok() && key.status().code() != Status::Code::kNotFound) {
    *problem = StoreProblem(key.status());
    return std::nullopt;
  }
  if (!key.ok() || key->user_id != caller.user.id || key->organization_id != org) {
    *problem = ApiError(
        403, "wrong-key", "Wrong key",
        "key_id must name one of your signing keys for organization " + std::to_string(org));
    return std::nullopt;
  }
  return std::move(*key);
}

// The checks on the key that signed: the signature first, then the key's state.
std::optional<HttpResponse> CheckSignatureAndKey(const SigningKey& key, std::string_view text,
                                                 const SignedRequest& signed_request) {
  if (!VerifySignature(text, signed_request.signature, key.public_key)) {
    return ApiError(400, "bad-signature", "Bad signature",
                    "the signature is not the Ed25519 signature of these exact bytes by key " +
                        std::to_string(key.id));
  }
  if (key.state == KeyState::kRevoked) {
    return ApiError(403, "key-revoked", "Key revoked", "the signing key was revoked");
  }
  if (key.state != KeyState::kApproved) {
    return ApiError(403, "key-not-approved", "Key not approved",
                    "the signing key is " + std::string(KeyStateName(key.state)) +
                        "; the secretariat must approve it before it signs");
  }
  return std::nullopt;
}

std::optional<HttpResponse> CheckCurrentManifest(ApiContext& ctx, auth::Id statement_id,
                                                 std::string_view manifest_sha256) {
  auto manifest = ctx.signon->CurrentManifest(statement_id);
  if (!manifest.ok() && manifest.status().code() != Status::Code::kNotFound) {
    return StoreProblem(manifest.status());
  }
  if (!manifest.ok() || manifest->sha256 != manifest_sha256) {
    return ApiError(409, "stale-manifest", "Stale manifest",
                    "the signed object names a manifest that is not the statement's current "
                    "one; fetch the manifest again and sign that");
  }
  return std::nullopt;
}

std::optional<HttpResponse> CheckTime(ApiContext& ctx, auth::UnixTime signed_at) {
  if (std::llabs(signed_at - ctx.now()) > kMaxClockSkew) {
    return ApiError(400, "bad-time", "Bad time",
                    "signed_at must be within 15 minutes of the server's clock (now " +
                        FormatTime(ctx.now()) + ")");
  }
  return std::nullopt;
}

SignonOutcome CommitWrite(ApiContext& ctx, SignonWrite write) {
  if (ctx.signon_writer != nullptr) return ctx.signon_writer->Commit(std::move(write));
  return std::move(ctx.signon->CommitBatch(std::span(&write, 1)).front());
}

HttpResponse OutcomeProblem(const SignonOutcome& outcome) {
  const std::string& why = outcome.status.message();
  switch (outcome.refusal) {
    case SignonRefusal::kStaleManifest:
      return ApiError(409, "stale-manifest", "Stale manifest", why);
    case SignonRefusal::kKeyNotApproved:
      return ApiError(403, "key-not-approved", "Key not approved", why);
    case SignonRefusal::kKeyRevoked:
      return ApiError(403, "key-revoked", "Key revoked", why);
    case SignonRefusal::kReplayed:
      return ApiError(409, "replayed", "Replayed", why);
    case SignonRefusal::kAlreadyEndorsed:
      return ApiError(409, "already-endorsed", "Already endorsed", why);
    case SignonRefusal::kNotActive:
      return ApiError(409, "not-active", "Not active", why);
    case SignonRefusal::kNone:
      break;
  }
  Log("error", "cannot store a signed object", {{"error", outcome.status.ToString()}});
  return ApiError(500, "internal", "Internal error",
                  "the server could not store it; nothing was recorded");
}

json::object EndorsementJson(const Endorsement& e) {
  json::value signed_object = json::parse(e.canonical);
  const json::object& o = signed_object.as_object();
  json::object out{
      {"id", e.id},
      {"organization", o.at("organization")},
      {"signatory", o.at("signatory")},
      {"kind", e.kind},
      {"reservations", o.contains("reservations") ? o.at("reservations") : json::value(nullptr)},
      {"signed_at", o.at("signed_at")},
      {"received_at", FormatTime(e.received_at)},
      {"key_id", e.key_id},
      {"public_key", e.public_key},
      {"signature", e.signature},
      {"canonical", e.canonical},
      {"endorsement_sha256", e.sha256},
      {"log_index", e.log_index},
      {"withdrawal", nullptr},
  };
  if (e.withdrawal) {
    const Withdrawal& w = *e.withdrawal;
    out["withdrawal"] = json::object{
        {"reason", w.reason},
        {"signed_at", FormatTime(w.signed_at)},
        {"received_at", FormatTime(w.received_at)},
        {"log_index", w.log_index},
        {"canonical", w.canonical},
        {"signature", w.signature},
        {"key_id", w.key_id},
    };
  }
  return out;
}

// The log entry of a signed object (contract section 2): {"kind": kind, kind: the object,
// kind + "_sha256": its hash, and the key and signature that verify it}, as canonical JSON.
Result<std::string> SignedLogBody(std::string_view kind, const json::object& signed_object,
                                  const std::string& sha256, const SigningKey& key,
                                  const std::string& signature) {
  const std::string hash_member = std::string(kind) + "_sha256";
  return signon::CanonicalizeJsonValue(json::object{
      {"kind", kind},
      {kind, signed_object},
      {hash_member, sha256},
      {"key_id", key.id},
      {"public_key", key.public_key},
      {"signature", signature},
  });
}

HttpResponse PostEndorsement(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  HttpResponse problem;
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  SignedRequest sr;
  if (!ReadSignedRequest(req, "endorsement", &sr, &problem)) return problem;
  auto e = ParseEndorsement(sr.text);
  if (!e.ok()) return InvalidSigned("endorsement", e.status());
  auth::Target target = TargetOf(ctx, *loaded);
  target.acting_org = e->organization_id;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kEndorse, target)) return *denied;
  auto key = CallersKey(ctx, *caller, sr.key_id, e->organization_id, &problem);
  if (!key) return problem;
  if (auto bad = CheckSignatureAndKey(*key, e->canonical, sr)) return *bad;
  auto org = ctx.store->GetOrganization(e->organization_id);
  if (!org.ok()) return StoreProblem(org.status());
  if (org->name != e->organization_name || org->country != e->country) {
    return ApiError(400, "organization-mismatch", "Organization mismatch",
                    "the signed organization name and country must be as registered: \"" +
                        org->name + "\", \"" + org->country + "\"");
  }
  if (auto stale = CheckCurrentManifest(ctx, loaded->statement.id, e->manifest_sha256)) {
    return *stale;
  }
  if (auto bad = CheckTime(ctx, e->signed_at)) return *bad;

  SignonWrite write;
  write.statement_id = loaded->statement.id;
  write.manifest_sha256 = e->manifest_sha256;
  Endorsement& row = write.endorsement;
  row.organization_id = e->organization_id;
  row.user_id = caller->user.id;
  row.key_id = key->id;
  row.kind = e->kind;
  row.canonical = e->canonical;
  row.sha256 = e->sha256;
  row.signature = sr.signature;
  row.nonce = e->nonce;
  row.signed_at = e->signed_at;
  row.received_at = ctx.now();
  auto body = SignedLogBody("endorsement", e->object, e->sha256, *key, sr.signature);
  if (!body.ok()) return StoreProblem(body.status());
  write.log_body = std::move(*body);
  SignonOutcome outcome = CommitWrite(ctx, std::move(write));
  if (!outcome.status.ok()) return OutcomeProblem(outcome);
  HttpResponse r = JsonResponse(201, json::serialize(EndorsementJson(outcome.endorsement)));
  r.headers.emplace_back("Location", "/api/v1/statements/" + loaded->statement.slug +
                                         "/endorsements/" + std::to_string(outcome.endorsement.id));
  return r;
}

HttpResponse PostWithdrawal(ApiContext& ctx, const ApiRequest& req, const ApiCaller* caller) {
  if (ctx.signon == nullptr) return NoSignon();
  HttpResponse problem;
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  SignedRequest sr;
  if (!ReadSignedRequest(req, "withdrawal", &sr, &problem)) return problem;
  auto id = IdParam(req);
  if (!id) return NotFoundProblem("endorsement");
  auto w = ParseWithdrawal(sr.text);
  if (!w.ok()) return InvalidSigned("withdrawal", w.status());
  auth::Target target = TargetOf(ctx, *loaded);
  target.acting_org = w->organization_id;
  if (auto denied = Deny(ctx, req, *caller, auth::Action::kEndorse, target)) return *denied;
  auto endorsement = ctx.signon->GetEndorsement(loaded->statement.id, *id);
  if (!endorsement.ok()) return StoreProblem(endorsement.status());
  if (endorsement->sha256 != w->endorsement_sha256 ||
      endorsement->organization_id != w->organization_id) {
    return ApiError(400, "withdrawal-mismatch", "Withdrawal mismatch",
                    "the withdrawal must name this endorsement's hash and organization");
  }
  auto key = CallersKey(ctx, *caller, sr.key_id, w->organization_id, &problem);
  if (!key) return problem;
  if (auto bad = CheckSignatureAndKey(*key, w->canonical, sr)) return *bad;
  if (auto stale = CheckCurrentManifest(ctx, loaded->statement.id, w->manifest_sha256)) {
    return *stale;
  }
  if (auto bad = CheckTime(ctx, w->signed_at)) return *bad;

  SignonWrite write;
  write.is_withdrawal = true;
  write.statement_id = loaded->statement.id;
  write.manifest_sha256 = w->manifest_sha256;
  Withdrawal& row = write.withdrawal;
  row.endorsement_id = endorsement->id;
  row.user_id = caller->user.id;
  row.key_id = key->id;
  row.reason = w->reason;
  row.canonical = w->canonical;
  row.sha256 = w->sha256;
  row.signature = sr.signature;
  row.nonce = w->nonce;
  row.signed_at = w->signed_at;
  row.received_at = ctx.now();
  auto body = SignedLogBody("withdrawal", w->object, w->sha256, *key, sr.signature);
  if (!body.ok()) return StoreProblem(body.status());
  write.log_body = std::move(*body);
  SignonOutcome outcome = CommitWrite(ctx, std::move(write));
  if (!outcome.status.ok()) return OutcomeProblem(outcome);
  return JsonResponse(201, json::serialize(EndorsementJson(outcome.endorsement)));
}

HttpResponse ListEndorsements(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (ctx.signon == nullptr) return NoSignon();
  HttpResponse problem;
  auto loaded = LoadStatement(ctx, req, &problem);
  if (!loaded) return problem;
  auto manifest = ctx.signon->CurrentManifest(loaded->statement.id);
  if (!manifest.ok()) {
    return manifest.status().code() == Status::Code::kNotFound
               ? ApiError(404, "not-found", "Not found", "the statement has no final manifest")
               : StoreProblem(manifest.status());
  }
  auto endorsements = ctx.signon->ListEndorsements(manifest->id);
  if (!endorsements.ok()) return StoreProblem(endorsements.status());
  int64_t count = 0, with_reservations = 0, withdrawn = 0;
  json::array items;
  for (const Endorsement& e : *endorsements) {
    if (e.withdrawal) {
      ++withdrawn;
    } else {
      ++count;
      if (e.kind == "adheres-with-reservations") ++with_reservations;
    }
    items.push_back(EndorsementJson(e));
  }
  return JsonResponse(200, json::serialize(json::object{
                               {"manifest_sha256", manifest->sha256},
                               {"count", count},
                               {"with_reservations", with_reservations},
                               {"withdrawn", withdrawn},
                               {"endorsements", std::move(items)},
                           }));
}

}  // namespace

std::vector<ApiRoute> EndorsementRoutes() {
  return {
      {"POST", "/api/v1/statements/{slug}/endorsements", PostEndorsement},
      {"GET", "/api/v1/statements/{slug}/endorsements", ListEndorsements, true},
      {"POST", "/api/v1/statements/{slug}/endorsements/{id}/withdrawal", PostWithdrawal},
  };
}

}  // namespace accord::server
