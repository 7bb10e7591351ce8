// The final manifest and the verification bundle (sign-on contract, sections 1, 5 and 6):
//
//   GET /api/v1/statements/{slug}/manifest   the current manifest, its texts (public)
//   GET /api/v1/statements/{slug}/bundle     everything an offline verifier needs (public)
//
// Both are public once the statement has a manifest: the final text and who signed it are
// meant to be checked by anyone. Before that, 404 as for a statement that does not exist.
#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "accord/signon/checkpoint.h"
#include "adherence_store.h"
#include "api.h"
#include "api_json.h"
#include "api_signon.h"
#include "api_statements.h"
#include "drafting_store.h"
#include "log.h"
#include "manifest.h"
#include "signon_encoding.h"
#include "transparency_log.h"

namespace accord::server {
namespace json = boost::json;

Result<json::object> PublishFinalManifest(ApiContext& ctx, const auth::StatementRef& statement,
                                          int64_t version_number) {
  if (ctx.signon == nullptr || ctx.log == nullptr) {
    return Status::FailedPrecondition("no sign-on store or log");
  }
  auto version = ctx.drafting->GetVersion(statement.id, version_number);
  if (!version.ok()) return version.status();
  const signon::NoteVerifier& verifier = ctx.log->verifier();
  ManifestInput in;
  in.origin = verifier.name();
  in.public_key = std::string(verifier.public_key());
  in.statement_id = statement.id;
  in.slug = statement.slug;
  in.title = statement.title;
  in.version_id = version->id;
  in.version_number = version->number;
  in.source_language = statement.language;
  in.text_sha256[statement.language] = version->sha256;
  in.created_at = ctx.now();
  auto built = BuildManifest(in);
  if (!built.ok()) return built.status();
  FinalManifest row;
  row.statement_id = statement.id;
  row.version_id = version->id;
  row.canonical = built->canonical;
  row.sha256 = built->sha256;
  row.created_at = in.created_at;
  auto stored = ctx.signon->PublishManifest(row, built->log_body);
  if (!stored.ok()) return stored.status();
  json::object out = built->manifest;
  out["manifest_sha256"] = stored->sha256;
  out["log_index"] = stored->log_index;
  return out;
}

namespace {

struct Published {
  LoadedStatement statement;
  FinalManifest manifest;
  json::object object;  // the manifest, parsed
  Version version;      // with its texts
};

// The statement of {slug} and its current manifest; nullopt with a problem (404 when either
// is missing).
std::optional<Published> LoadPublished(ApiContext& ctx, const ApiRequest& req,
                                       HttpResponse* problem) {
  if (ctx.signon == nullptr) {
    *problem = NoSignon();
    return std::nullopt;
  }
  auto loaded = LoadStatement(ctx, req, problem);
  if (!loaded) return std::nullopt;
  auto manifest = ctx.signon->CurrentManifest(loaded->statement.id);
  if (!manifest.ok()) {
    *problem = manifest.status().code() == Status::Code::kNotFound
                   ? ApiError(404, "not-found", "Not found", "the statement has no final manifest")
                   : StoreProblem(manifest.status());
    return std::nullopt;
  }
  json::value parsed = json::parse(manifest->canonical);
  int64_t number = parsed.at("version").at("number").to_number<int64_t>();
  auto version = ctx.drafting->GetVersion(loaded->statement.id, number);
  if (!version.ok()) {
    *problem = StoreProblem(version.status());
    return std::nullopt;
  }
  return Published{std::move(*loaded), std::move(*manifest), std::move(parsed.as_object()),
                   std::move(*version)};
}

HttpResponse GetManifest(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  HttpResponse problem;
  auto p = LoadPublished(ctx, req, &problem);
  if (!p) return problem;
  const std::string& language = p->statement.statement.language;
  // Whether the public may ask to adhere (the adherence store keeps the flag); false when the
  // flag cannot be read, which only hides the form.
  bool open = false;
  if (ctx.adherence) {
    auto stored = ctx.adherence->OpenForSignature(p->statement.statement.id);
    if (stored.ok()) open = *stored;
  }
  return JsonResponse(200, json::serialize(json::object{
                               {"manifest", p->object},
                               {"manifest_sha256", p->manifest.sha256},
                               {"canonical", p->manifest.canonical},
                               {"log_index", p->manifest.log_index},
                               {"texts", json::object{{language, p->version.canonical_text}}},
                               {"html", json::object{{language, p->version.canonical_html}}},
                               {"open_for_signature", open},
                           }));
}

std::string B64(const signon::Hash& h) {
  return Base64(std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
}

HttpResponse BundleProblem(const Status& status) {
  Log("error", "cannot build a verification bundle", {{"error", status.ToString()}});
  return ApiError(500, "internal", "Internal error",
                  "the server could not read its log; the operator has been told");
}

HttpResponse GetBundle(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  HttpResponse problem;
  auto p = LoadPublished(ctx, req, &problem);
  if (!p) return problem;
  if (ctx.log == nullptr) {
    return ApiError(503, "unavailable", "Unavailable", "this server keeps no transparency log");
  }
  auto endorsements = ctx.signon->ListEndorsements(p->manifest.id);
  if (!endorsements.ok()) return StoreProblem(endorsements.status());
  // The entries about this manifest, and the approvals and revocations of every key they use.
  std::set<int64_t> indices{p->manifest.log_index};
  std::set<auth::Id> keys;
  for (const Endorsement& e : *endorsements) {
    indices.insert(e.log_index);
    keys.insert(e.key_id);
    if (e.withdrawal) {
      indices.insert(e.withdrawal->log_index);
      keys.insert(e.withdrawal->key_id);
    }
  }
  for (auth::Id id : keys) {
    auto key = ctx.signon->GetKey(id);
    if (!key.ok()) return StoreProblem(key.status());
    if (key->approval_log_index) indices.insert(*key->approval_log_index);
    if (key->revocation_log_index) indices.insert(*key->revocation_log_index);
  }
  // The checkpoint is taken after the rows were read, so it covers every index above.
  auto note = ctx.log->Checkpoint();
  if (!note.ok()) return BundleProblem(note.status());
  auto checkpoint = signon::OpenCheckpoint(*note, ctx.log->verifier());
  if (!checkpoint.ok()) return BundleProblem(checkpoint.status());
  const uint64_t size = checkpoint->tree_size;
  const auth::StatementRef& s = p->statement.statement;
  // EVERY entry of the log, so that a verifier recomputes the root from the bodies and an entry
  // left out is named (BUNDLE.md). Written straight into the reply, reading the log in chunks:
  // memory is the reply itself (about 0.8 KB per entry, ~40 MB for 50,000 entries) plus one
  // chunk, and the log's lock is held for one chunk at a time.
  std::string out = R"({"format":"accord-bundle-v1","statement":)";
  out += json::serialize(json::object{{"id", s.id}, {"slug", s.slug}, {"title", s.title}});
  out += R"(,"log":)";
  out += json::serialize(json::object{{"origin", ctx.log->verifier().name()},
                                      {"key", ctx.log->verifier().ToString()},
                                      {"checkpoint", *note},
                                      {"size", size}});
  out += R"(,"manifest_index":)" + std::to_string(p->manifest.log_index);
  out += R"(,"texts":)";
  out += json::serialize(json::object{{s.language, p->version.canonical_text}});
  out += R"(,"entries":[)";
  constexpr uint64_t kChunk = 1000;
  for (uint64_t start = 0; start < size; start += kChunk) {
    auto chunk = ctx.log->Entries(start, std::min(size, start + kChunk));
    if (!chunk.ok()) return BundleProblem(chunk.status());
    if (chunk->size() != std::min(size, start + kChunk) - start) {
      return BundleProblem(Status::Corruption("the log has fewer entries than its checkpoint"));
    }
    for (const LogEntry& entry : *chunk) {
      json::object e{{"index", entry.index}, {"body", entry.body}};
      // The statement's own entries keep their inclusion proof: each can be checked alone.
      if (indices.count(static_cast<int64_t>(entry.index))) {
        auto proof = ctx.log->InclusionProof(entry.index, size);
        if (!proof.ok()) return BundleProblem(proof.status());
        json::array path;
        for (const auto& h : *proof) path.emplace_back(B64(h));
        e["proof"] = std::move(path);
      }
      if (entry.index != 0) out += ',';
      out += json::serialize(e);
    }
  }
  out += "]}";
  HttpResponse r = JsonResponse(200, std::move(out));
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + s.slug + "-bundle.json\"");
  return r;
}

}  // namespace

std::vector<ApiRoute> ManifestRoutes() {
  return {
      {"GET", "/api/v1/statements/{slug}/manifest", GetManifest, true},
      {"GET", "/api/v1/statements/{slug}/bundle", GetBundle, true},
  };
}

}  // namespace accord::server
