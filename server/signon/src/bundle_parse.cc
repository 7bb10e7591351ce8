// Reading a verification bundle's JSON into a Bundle. Strict about structure (a bundle we cannot
// read is reported as unreadable, exit 2 in `accord verify`), lenient about nothing else: what
// the fields say is VerifyBundle's business.
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <string>

#include "accord/signon/bundle.h"
#include "accord/signon/canonical_json.h"
#include "utf8.h"

namespace accord::signon {
namespace {

namespace json = boost::json;

Status Bad(const std::string& what) { return Status::Corruption("bundle: " + what); }

Result<const json::value*> Member(const json::object& obj, std::string_view key,
                                  const std::string& where) {
  auto it = obj.find(key);
  if (it == obj.end()) return Bad(where + "." + std::string(key) + " is missing");
  return &it->value();
}

Result<std::string> GetString(const json::object& obj, std::string_view key,
                              const std::string& where) {
  auto v = Member(obj, key, where);
  if (!v.ok()) return v.status();
  if (!(*v)->is_string()) return Bad(where + "." + std::string(key) + " is not a string");
  return std::string((*v)->get_string());
}

// A non-negative integer (JSON numbers without fraction up to 2^53, as any JSON reader agrees).
Result<uint64_t> GetCount(const json::object& obj, std::string_view key, const std::string& where) {
  auto v = Member(obj, key, where);
  if (!v.ok()) return v.status();
  const json::value& n = **v;
  constexpr uint64_t kMax = uint64_t{1} << 53;
  if (n.is_int64() && n.get_int64() >= 0 && static_cast<uint64_t>(n.get_int64()) <= kMax) {
    return static_cast<uint64_t>(n.get_int64());
  }
  if (n.is_uint64() && n.get_uint64() <= kMax) return n.get_uint64();
  return Bad(where + "." + std::string(key) + " is not a non-negative integer");
}

Result<const json::object*> GetObject(const json::object& obj, std::string_view key,
                                      const std::string& where) {
  auto v = Member(obj, key, where);
  if (!v.ok()) return v.status();
  if (!(*v)->is_object()) return Bad(where + "." + std::string(key) + " is not an object");
  return &(*v)->get_object();
}

Result<const json::array*> GetArray(const json::object& obj, std::string_view key,
                                    const std::string& where) {
  auto v = Member(obj, key, where);
  if (!v.ok()) return v.status();
  if (!(*v)->is_array()) return Bad(where + "." + std::string(key) + " is not an array");
  return &(*v)->get_array();
}

Result<std::vector<Hash>> GetHashes(const json::object& obj, std::string_view key,
                                    const std::string& where) {
  auto arr = GetArray(obj, key, where);
  if (!arr.ok()) return arr.status();
  std::vector<Hash> out;
  out.reserve((*arr)->size());
  for (size_t i = 0; i < (*arr)->size(); ++i) {
    const json::value& v = (**arr)[i];
    std::string at = where + "." + std::string(key) + "[" + std::to_string(i) + "]";
    if (!v.is_string()) return Bad(at + " is not a string");
    auto bytes = Base64Decode(v.get_string());
    if (!bytes || bytes->size() != 32) return Bad(at + " is not base64 of a 32-byte hash");
    Hash h;
    std::copy(bytes->begin(), bytes->end(), h.begin());
    out.push_back(h);
  }
  return out;
}

}  // namespace

Result<Bundle> ParseBundle(std::string_view json_text) {
  // Canonicalizing first refuses what a lenient reader would silently resolve (duplicate member
  // names, invalid UTF-8, lone surrogates), so the bundle means the same to every verifier.
  if (auto strict = CanonicalizeJson(json_text); !strict.ok()) {
    return Bad("not valid JSON: " + strict.status().message());
  }
  boost::system::error_code ec;
  json::value root = json::parse(json_text, ec);
  if (ec) return Bad("not valid JSON: " + ec.message());
  if (!root.is_object()) return Bad("the top level is not an object");
  const json::object& top = root.get_object();

  Bundle b;
  auto format = GetString(top, "format", "bundle");
  if (!format.ok()) return format.status();
  if (*format != kBundleFormat) {
    return Bad("format is \"" + *format + "\", expected \"" + std::string(kBundleFormat) + "\"");
  }

  auto statement = GetObject(top, "statement", "bundle");
  if (!statement.ok()) return statement.status();
  auto id = GetCount(**statement, "id", "statement");
  auto slug = GetString(**statement, "slug", "statement");
  auto title = GetString(**statement, "title", "statement");
  if (!id.ok()) return id.status();
  if (!slug.ok()) return slug.status();
  if (!title.ok()) return title.status();
  b.statement_id = static_cast<int64_t>(*id);
  b.statement_slug = *slug;
  b.statement_title = *title;

  auto log = GetObject(top, "log", "bundle");
  if (!log.ok()) return log.status();
  auto origin = GetString(**log, "origin", "log");
  auto key = GetString(**log, "key", "log");
  auto checkpoint = GetString(**log, "checkpoint", "log");
  auto size = GetCount(**log, "size", "log");
  if (!origin.ok()) return origin.status();
  if (!key.ok()) return key.status();
  if (!checkpoint.ok()) return checkpoint.status();
  if (!size.ok()) return size.status();
  b.log_origin = *origin;
  b.log_key = *key;
  b.log_checkpoint = *checkpoint;
  b.log_size = *size;

  auto manifest_index = GetCount(top, "manifest_index", "bundle");
  if (!manifest_index.ok()) return manifest_index.status();
  b.manifest_index = *manifest_index;

  auto texts = GetObject(top, "texts", "bundle");
  if (!texts.ok()) return texts.status();
  for (const auto& [lang, text] : **texts) {
    if (!text.is_string()) return Bad("texts." + std::string(lang) + " is not a string");
    b.texts.emplace(std::string(lang), std::string(text.get_string()));
  }

  auto entries = GetArray(top, "entries", "bundle");
  if (!entries.ok()) return entries.status();
  for (size_t i = 0; i < (*entries)->size(); ++i) {
    std::string where = "entries[" + std::to_string(i) + "]";
    const json::value& v = (**entries)[i];
    if (!v.is_object()) return Bad(where + " is not an object");
    BundleEntry e;
    auto index = GetCount(v.get_object(), "index", where);
    auto body = GetString(v.get_object(), "body", where);
    if (!index.ok()) return index.status();
    if (!body.ok()) return body.status();
    e.index = *index;
    e.body = std::move(*body);
    // Only the statement's own entries carry a proof; the others are covered by the root.
    if (v.get_object().contains("proof")) {
      auto proof = GetHashes(v.get_object(), "proof", where);
      if (!proof.ok()) return proof.status();
      e.proof = std::move(*proof);
    }
    b.entries.push_back(std::move(e));
  }
  return b;
}

}  // namespace accord::signon
