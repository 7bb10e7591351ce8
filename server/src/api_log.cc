// The transparency log's public read API (transparency_log.h, server/signon/LOG.md):
//
//   GET /api/v1/log/checkpoint                      the signed checkpoint (text/plain note)
//   GET /api/v1/log/key                             {origin, verifier_key}
//   GET /api/v1/log/entries?start=&end=             entries [start, end), at most 100
//   GET /api/v1/log/proof/inclusion?index=&size=    {index, size, root, path}
//   GET /api/v1/log/proof/consistency?from=&to=     {from, to, path}
//
// Public: anyone may audit the log, signed in or not; nothing here writes. Hashes are lower-case
// hex. `size` and `to` default to the current tree size; a client that verifies takes them
// from a checkpoint it has checked instead.
#include <boost/json.hpp>
#include <charconv>
#include <initializer_list>
#include <optional>
#include <string>

#include "accord/signon/merkle.h"
#include "api.h"
#include "log.h"
#include "signon_encoding.h"
#include "transparency_log.h"

namespace accord::server {
namespace {

namespace json = boost::json;

constexpr uint64_t kMaxEntriesPerPage = 100;

HttpResponse BadParameter(std::string detail) {
  return ApiError(400, "bad-request", "Bad request", detail);
}

// Refuses query parameters other than `known`; nullopt if all are known.
std::optional<HttpResponse> UnknownParameter(const ApiRequest& req,
                                             std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : req.query) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || key == k;
    if (!ok) {
      std::string names;
      for (std::string_view k : known) names += (names.empty() ? "" : ", ") + std::string(k);
      return ApiError(400, "unknown-field", "Unknown parameter",
                      "the query parameter '" + key.substr(0, 64) +
                          "' is not known (known: " + (names.empty() ? "none" : names) + ")");
    }
  }
  return std::nullopt;
}

// A query parameter as a non-negative decimal integer (no sign, at most 18 digits).
// *value keeps `fallback` when the parameter is absent; an error response when it is malformed
// or absent and required.
std::optional<HttpResponse> Count(const ApiRequest& req, const std::string& name,
                                  std::optional<uint64_t> fallback, uint64_t* value) {
  auto it = req.query.find(name);
  if (it == req.query.end()) {
    if (!fallback) return BadParameter("the query parameter '" + name + "' is required");
    *value = *fallback;
    return std::nullopt;
  }
  const std::string& text = it->second;
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || text.size() > 18 || ec != std::errc() || end != text.data() + text.size()) {
    return BadParameter("the query parameter '" + name + "' must be a non-negative integer, not '" +
                        text.substr(0, 32) + "'");
  }
  *value = n;
  return std::nullopt;
}

HttpResponse LogProblem(const Status& status) {
  if (status.code() == Status::Code::kInvalidArgument) return BadParameter(status.message());
  Log("error", "transparency log failed", {{"error", status.ToString()}});
  return ApiError(500, "internal", "Internal error",
                  "the server could not read its log; the operator has been told");
}

HttpResponse NoLog() {
  return ApiError(503, "unavailable", "Unavailable", "this server keeps no transparency log");
}

json::array HexList(const std::vector<signon::Hash>& hashes) {
  json::array out;
  for (const auto& h : hashes) out.emplace_back(HashHex(h));
  return out;
}

HttpResponse GetCheckpoint(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto bad = UnknownParameter(req, {})) return *bad;
  if (ctx.log == nullptr) return NoLog();
  auto note = ctx.log->Checkpoint();
  if (!note.ok()) return LogProblem(note.status());
  HttpResponse r;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(*note);
  return r;
}

HttpResponse GetKey(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto bad = UnknownParameter(req, {})) return *bad;
  if (ctx.log == nullptr) return NoLog();
  const signon::NoteVerifier& verifier = ctx.log->verifier();
  return JsonResponse(200, json::serialize(json::object{
                               {"origin", verifier.name()},
                               {"verifier_key", verifier.ToString()},
                           }));
}

HttpResponse GetEntries(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto bad = UnknownParameter(req, {"start", "end"})) return *bad;
  if (ctx.log == nullptr) return NoLog();
  uint64_t start = 0, end = 0;
  if (auto bad = Count(req, "start", std::nullopt, &start)) return *bad;
  if (auto bad = Count(req, "end", start + kMaxEntriesPerPage, &end)) return *bad;
  auto size = ctx.log->Size();
  if (!size.ok()) return LogProblem(size.status());
  if (end < start) return BadParameter("end must not be smaller than start");
  if (end - start > kMaxEntriesPerPage) {
    return BadParameter("at most " + std::to_string(kMaxEntriesPerPage) +
                        " entries are served at a time (end - start)");
  }
  if (start > *size) {
    return BadParameter("start " + std::to_string(start) + " is beyond the log (" +
                        std::to_string(*size) + " entries)");
  }
  auto entries = ctx.log->Entries(start, end);
  if (!entries.ok()) return LogProblem(entries.status());
  // The body is written as stored, byte for byte: it is canonical JSON, so a client that
  // canonicalizes what it parsed gets the bytes of the leaf hash back.
  std::string out = "{\"tree_size\":" + std::to_string(*size) +
                    ",\"start\":" + std::to_string(start) +
                    ",\"end\":" + std::to_string(start + entries->size()) + ",\"entries\":[";
  for (size_t i = 0; i < entries->size(); ++i) {
    const LogEntry& e = (*entries)[i];
    if (i > 0) out += ",";
    out += "{\"index\":" + std::to_string(e.index) +
           ",\"kind\":" + json::serialize(json::value(e.kind)) + ",\"body\":" + e.body +
           ",\"leaf_hash\":\"" + HashHex(e.leaf_hash) + "\"}";
  }
  out += "]}";
  return JsonResponse(200, std::move(out));
}

HttpResponse GetInclusionProof(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto bad = UnknownParameter(req, {"index", "size"})) return *bad;
  if (ctx.log == nullptr) return NoLog();
  auto current = ctx.log->Size();
  if (!current.ok()) return LogProblem(current.status());
  uint64_t index = 0, size = 0;
  if (auto bad = Count(req, "index", std::nullopt, &index)) return *bad;
  if (auto bad = Count(req, "size", *current, &size)) return *bad;
  auto path = ctx.log->InclusionProof(index, size);
  if (!path.ok()) return LogProblem(path.status());
  auto root = ctx.log->Root(size);
  if (!root.ok()) return LogProblem(root.status());
  return JsonResponse(200, json::serialize(json::object{
                               {"index", index},
                               {"size", size},
                               {"root", HashHex(*root)},
                               {"path", HexList(*path)},
                           }));
}

HttpResponse GetConsistencyProof(ApiContext& ctx, const ApiRequest& req, const ApiCaller*) {
  if (auto bad = UnknownParameter(req, {"from", "to"})) return *bad;
  if (ctx.log == nullptr) return NoLog();
  auto current = ctx.log->Size();
  if (!current.ok()) return LogProblem(current.status());
  uint64_t from = 0, to = 0;
  if (auto bad = Count(req, "from", std::nullopt, &from)) return *bad;
  if (auto bad = Count(req, "to", *current, &to)) return *bad;
  auto path = ctx.log->ConsistencyProof(from, to);
  if (!path.ok()) return LogProblem(path.status());
  return JsonResponse(200, json::serialize(json::object{
                               {"from", from},
                               {"to", to},
                               {"path", HexList(*path)},
                           }));
}

}  // namespace

std::vector<ApiRoute> LogRoutes() {
  return {
      {"GET", "/api/v1/log/checkpoint", &GetCheckpoint, true},
      {"GET", "/api/v1/log/key", &GetKey, true},
      {"GET", "/api/v1/log/entries", &GetEntries, true},
      {"GET", "/api/v1/log/proof/inclusion", &GetInclusionProof, true},
      {"GET", "/api/v1/log/proof/consistency", &GetConsistencyProof, true},
  };
}

}  // namespace accord::server
