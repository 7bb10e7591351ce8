// api_json.h: JSON in and out of the REST API — strict request bodies and the resources'
// representations.
//
// A request body must be one JSON object whose fields are all known to the endpoint: an
// unknown field is an error (a typo must never be silently ignored), as is a wrong type or a
// value out of range. JsonBody collects every field error so the client hears about all of
// them at once, as a `validation-failed` problem with an `errors` list.
//
// Thread-compatible: one JsonBody per request.
#ifndef ACCORD_SERVER_API_JSON_H_
#define ACCORD_SERVER_API_JSON_H_

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accord/auth/model.h"
#include "api.h"

namespace accord::server {

class JsonBody {
 public:
  // Parses the body of `req` as a JSON object with only `allowed` fields. On failure returns
  // false and sets *error to the problem (unsupported-media-type, invalid-json, unknown-field).
  bool Parse(const ApiRequest& req, std::initializer_list<std::string_view> allowed,
             HttpResponse* error);

  // Field readers: nullopt when the field is absent (an error is recorded if `required`) or
  // invalid (an error is recorded). Strings must be valid UTF-8 without control characters,
  // and `min`..`max` code points long.
  std::optional<std::string> String(std::string_view field, bool required, size_t min, size_t max);
  std::optional<bool> Bool(std::string_view field, bool required);
  std::optional<int64_t> Int(std::string_view field, bool required, int64_t min, int64_t max);
  // A string field that must be one of the names `parse` accepts.
  template <typename T>
  std::optional<T> Enum(std::string_view field, bool required,
                        std::optional<T> (*parse)(std::string_view), std::string_view expected) {
    auto text = String(field, required, 1, 64);
    if (!text) return std::nullopt;
    auto value = parse(*text);
    if (!value) AddError(field, "must be one of " + std::string(expected));
    return value;
  }
  // The object field `field` as a body of its own with only `allowed` fields; nullopt when it
  // is absent (an error if `required`), not an object, or holds an unknown field (the error
  // is recorded here, on `field`). Merge() its errors back once read.
  std::optional<JsonBody> Nested(std::string_view field, bool required,
                                 std::initializer_list<std::string_view> allowed);
  // Records the errors of `nested` (read from field `prefix`) as "prefix.field".
  void Merge(const JsonBody& nested, std::string_view prefix);
  bool Has(std::string_view field) const;
  // The raw value of a field for shapes the readers above do not cover (arrays); null if absent.
  const boost::json::value* Field(std::string_view field) const {
    return object_.if_contains(field);
  }
  bool IsNull(std::string_view field) const;

  // Records an error found by the caller's own checks.
  void AddError(std::string_view field, std::string message);
  bool ok() const { return errors_.empty(); }
  // The validation-failed problem listing every error (422).
  HttpResponse Problem() const;

 private:
  boost::json::object object_;
  std::vector<std::pair<std::string, std::string>> errors_;  // field, message
};

// A 422 validation-failed problem with one error.
HttpResponse ValidationProblem(std::string_view field, std::string_view message);

// Value checks shared by endpoints and the command line. Each returns "" when `value` is
// acceptable, else what is wrong.
std::string CheckEmail(std::string_view email);
std::string CheckLanguageTag(std::string_view tag);   // "en", "pt-BR", "es-419"
std::string CheckCountryCode(std::string_view code);  // "" or ISO 3166-1 alpha-2 ("BR")
std::string CheckWebsite(std::string_view url);       // "" or an http(s) URL
std::string CheckSlug(std::string_view slug);         // [a-z0-9-], 1..64, no edge '-'
// `s` with ASCII letters lower-cased (e-mail addresses and short names compare this way).
std::string AsciiLower(std::string_view s);
// Number of Unicode code points, or nullopt if `text` is not valid UTF-8.
std::optional<size_t> Utf8Length(std::string_view text);

// Representations (proto/openapi.yaml has their schemas).
boost::json::object ToJson(const auth::User& user);
boost::json::object ToJson(const auth::Organization& org);
boost::json::object ToJson(const auth::Membership& membership);
boost::json::object ToJson(const auth::Invitation& invitation);
boost::json::object ToJson(const auth::Session& session, bool current);
boost::json::object ToJson(const auth::ApiToken& token);
boost::json::object ToJson(const auth::AuditEvent& event);
boost::json::object ToJson(const auth::StatementRef& statement);
boost::json::object ToJson(const auth::Participation& participation);
// RFC 3339 UTC ("2026-12-03T08:00:00Z") for Unix seconds.
std::string FormatTime(auth::UnixTime t);

// The problem for a store error: 404 not-found, 409 conflict, 422 validation-failed, 500.
HttpResponse StoreProblem(const Status& status);

}  // namespace accord::server

#endif  // ACCORD_SERVER_API_JSON_H_
