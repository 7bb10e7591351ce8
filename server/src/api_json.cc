#include "api_json.h"

#include "document_access.h"

#include <ctime>

namespace accord::server {
namespace json = boost::json;

namespace {

bool IsJsonContentType(std::string_view value) {
  // "application/json" with optional parameters ("; charset=utf-8"), case-insensitive.
  std::string lower;
  for (char c : value.substr(0, value.find(';'))) {
    if (c != ' ' && c != '\t')
      lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower == "application/json";
}

std::string TypeName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_:
      return "a number";
    case json::kind::string:
      return "a string";
    case json::kind::array:
      return "an array";
    case json::kind::object:
      return "an object";
  }
  return "a value";
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

bool JsonBody::Parse(const ApiRequest& req, std::initializer_list<std::string_view> allowed,
                     HttpResponse* error) {
  if (!IsJsonContentType(req.Header("content-type"))) {
    *error = ApiError(415, "unsupported-media-type", "Unsupported media type",
                      "send the body as application/json");
    return false;
  }
  json::parse_options options;
  options.max_depth = 8;  // bodies are flat objects; a deep one is hostile
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec, {}, options);
  if (ec) {
    *error = ApiError(400, "invalid-json", "Invalid JSON",
                      "the body is not valid JSON: " + ec.message());
    return false;
  }
  if (!v.is_object()) {
    *error = ApiError(400, "invalid-json", "Invalid JSON",
                      "the body must be a JSON object, not " + TypeName(v));
    return false;
  }
  object_ = std::move(v.as_object());
  for (const auto& [key, value] : object_) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      std::string fields;
      for (std::string_view a : allowed) fields += (fields.empty() ? "" : ", ") + std::string(a);
      *error = ApiError(
          400, "unknown-field", "Unknown field",
          "the field '" + std::string(key.substr(0, 64)) + "' is not part of this request" +
              (fields.empty() ? " (it takes no fields)" : " (known: " + fields + ")"));
      return false;
    }
  }
  return true;
}

std::optional<JsonBody> JsonBody::Nested(std::string_view field, bool required,
                                         std::initializer_list<std::string_view> allowed) {
  auto it = object_.find(field);
  if (it == object_.end()) {
    if (required) AddError(field, "is required");
    return std::nullopt;
  }
  if (!it->value().is_object()) {
    AddError(field, "must be an object, not " + TypeName(it->value()));
    return std::nullopt;
  }
  JsonBody nested;
  nested.object_ = it->value().as_object();
  for (const auto& [key, value] : nested.object_) {
    bool known = false;
    for (std::string_view a : allowed) known = known || key == a;
    if (!known) {
      std::string fields;
      for (std::string_view a : allowed) fields += (fields.empty() ? "" : ", ") + std::string(a);
      AddError(field,
               "has no field '" + std::string(key.substr(0, 64)) + "' (known: " + fields + ")");
      return std::nullopt;
    }
  }
  return nested;
}

void JsonBody::Merge(const JsonBody& nested, std::string_view prefix) {
  for (const auto& [field, message] : nested.errors_) {
    errors_.emplace_back(std::string(prefix) + "." + field, message);
  }
}

bool JsonBody::Has(std::string_view field) const { return object_.contains(field); }
bool JsonBody::IsNull(std::string_view field) const {
  auto it = object_.find(field);
  return it != object_.end() && it->value().is_null();
}

void JsonBody::AddError(std::string_view field, std::string message) {
  errors_.emplace_back(std::string(field), std::move(message));
}

std::optional<std::string> JsonBody::String(std::string_view field, bool required, size_t min,
                                            size_t max) {
  auto it = object_.find(field);
  if (it == object_.end()) {
    if (required) AddError(field, "is required");
    return std::nullopt;
  }
  if (!it->value().is_string()) {
    AddError(field, "must be a string, not " + TypeName(it->value()));
    return std::nullopt;
  }
  std::string text(it->value().as_string());
  auto length = Utf8Length(text);
  if (!length) {
    AddError(field, "must be valid UTF-8 without control characters");
    return std::nullopt;
  }
  if (*length < min || *length > max) {
    AddError(field, min == max ? "must be " + std::to_string(min) + " characters long"
                               : "must be " + std::to_string(min) + " to " + std::to_string(max) +
                                     " characters long");
    return std::nullopt;
  }
  return text;
}

std::optional<bool> JsonBody::Bool(std::string_view field, bool required) {
  auto it = object_.find(field);
  if (it == object_.end()) {
    if (required) AddError(field, "is required");
    return std::nullopt;
  }
  if (!it->value().is_bool()) {
    AddError(field, "must be a boolean, not " + TypeName(it->value()));
    return std::nullopt;
  }
  return it->value().as_bool();
}

std::optional<int64_t> JsonBody::Int(std::string_view field, bool required, int64_t min,
                                     int64_t max) {
  auto it = object_.find(field);
  if (it == object_.end()) {
    if (required) AddError(field, "is required");
    return std::nullopt;
  }
  const json::value& v = it->value();
  std::optional<int64_t> n;
  if (v.is_int64()) n = v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    n = static_cast<int64_t>(v.as_uint64());
  }
  if (!n) {
    AddError(field, "must be an integer, not " + TypeName(v));
    return std::nullopt;
  }
  if (*n < min || *n > max) {
    AddError(field, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

HttpResponse JsonBody::Problem() const {
  std::string detail;
  json::array errors;
  for (const auto& [field, message] : errors_) {
    if (!detail.empty()) detail += "; ";
    detail += field + " " + message;
    errors.push_back(json::object{{"field", field}, {"message", message}});
  }
  HttpResponse r = ApiError(422, "validation-failed", "Validation failed", detail);
  json::value body = json::parse(r.body);
  body.as_object()["errors"] = std::move(errors);
  r.body = json::serialize(body);
  return r;
}

HttpResponse ValidationProblem(std::string_view field, std::string_view message) {
  JsonBody body;
  body.AddError(field, std::string(message));
  return body.Problem();
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<size_t> Utf8Length(std::string_view text) {
  size_t count = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > text.size()) return std::nullopt;
    if (n == 1 && (c < 0x20 || c == 0x7F)) return std::nullopt;  // control characters
    uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (size_t k = 1; k < n; ++k) {
      unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values beyond Unicode are not UTF-8.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return std::nullopt;
    }
    i += n;
    ++count;
  }
  return count;
}

std::string CheckEmail(std::string_view email) {
  if (email.size() < 3 || email.size() > 254) return "must be 3 to 254 characters long";
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size() ||
      email.find('@', at + 1) != std::string_view::npos) {
    return "must be an address like name@example.org";
  }
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == ',' || c == '<' || c == '>') {
      return "must not contain spaces, commas or angle brackets";
    }
  }
  if (email.substr(at + 1).find('.') == std::string_view::npos) {
    return "must have a domain with a dot (name@example.org)";
  }
  return "";
}

std::string CheckLanguageTag(std::string_view tag) {
  // A pragmatic BCP 47 subset: a 2–3 letter language, then subtags of 1–8 letters or digits.
  const std::string kHint = "must be a language tag such as en, fr or pt-BR";
  if (tag.empty() || tag.size() > 35) return kHint;
  size_t i = 0;
  bool first = true;
  while (i <= tag.size()) {
    size_t end = tag.find('-', i);
    if (end == std::string_view::npos) end = tag.size();
    std::string_view part = tag.substr(i, end - i);
    if (part.empty() || part.size() > 8) return kHint;
    for (char c : part) {
      if (!IsAsciiAlnum(c) || (first && !std::isalpha(static_cast<unsigned char>(c)))) {
        return kHint;
      }
    }
    if (first && (part.size() < 2 || part.size() > 3)) return kHint;
    first = false;
    i = end + 1;
  }
  return "";
}

std::string CheckCountryCode(std::string_view code) {
  if (code.empty()) return "";
  if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
      !std::isupper(static_cast<unsigned char>(code[1]))) {
    return "must be an ISO 3166-1 alpha-2 code in capitals (BR, ZA), or empty";
  }
  return "";
}

std::string CheckWebsite(std::string_view url) {
  if (url.empty()) return "";
  if (url.size() > 300) return "must be at most 300 characters long";
  if (!url.starts_with("https://") && !url.starts_with("http://")) {
    return "must start with https:// (or http://)";
  }
  std::string_view rest = url.substr(url.find("//") + 2);
  if (rest.empty() || rest[0] == '/') return "must name a host";
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>') {
      return "must not contain spaces, quotes or angle brackets";
    }
  }
  return "";
}

std::string CheckSlug(std::string_view slug) {
  if (slug.empty() || slug.size() > 64) return "must be 1 to 64 characters long";
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return "may hold only lower-case letters a-z, digits and '-'";
    }
  }
  if (slug.front() == '-' || slug.back() == '-') return "must not begin or end with '-'";
  return "";
}

std::string FormatTime(auth::UnixTime t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {
json::value OptionalTime(const std::optional<auth::UnixTime>& t) {
  if (!t) return nullptr;
  return json::value(FormatTime(*t));
}
}  // namespace

json::object ToJson(const auth::User& user) {
  return {{"id", user.id},
          {"email", user.email},
          {"display_name", user.display_name},
          {"language", user.language},
          {"has_password", user.has_password},
          {"disabled", user.disabled},
          {"created_at", FormatTime(user.created_at)}};
}

json::object ToJson(const auth::Organization& org) {
  return {{"id", org.id},
          {"name", org.name},
          {"short_name", org.short_name},
          {"country", org.country},
          {"kind", auth::OrgKindName(org.kind)},
          {"website", org.website},
          {"hosts_instance", org.hosts_instance},
          {"created_at", FormatTime(org.created_at)}};
}

json::object ToJson(const auth::Membership& m) {
  return {{"id", m.id},
          {"user_id", m.user_id},
          {"organization_id", m.organization_id},
          {"role", auth::RoleName(m.role)},
          {"created_at", FormatTime(m.created_at)}};
}

json::object ToJson(const auth::Invitation& inv) {
  json::object o{
      {"id", inv.id},
      {"kind", inv.kind == auth::Invitation::Kind::kInvitation ? "invitation" : "password-reset"},
      {"email", inv.email},
      {"display_name", inv.display_name},
      {"invited_by", inv.invited_by == 0 ? json::value(nullptr) : json::value(inv.invited_by)},
      {"created_at", FormatTime(inv.created_at)},
      {"expires_at", FormatTime(inv.expires_at)},
      {"used_at", OptionalTime(inv.used_at)},
      {"revoked_at", OptionalTime(inv.revoked_at)}};
  if (inv.kind == auth::Invitation::Kind::kInvitation) {
    o["organization_id"] = inv.organization_id;
    o["role"] = auth::RoleName(inv.role);
  } else {
    o["organization_id"] = nullptr;
    o["role"] = nullptr;
  }
  return o;
}

json::object ToJson(const auth::Session& s, bool current) {
  return {{"id", s.id},
          {"created_at", FormatTime(s.created_at)},
          {"last_seen_at", FormatTime(s.last_seen_at)},
          {"expires_at", FormatTime(s.expires_at)},
          {"user_agent", s.user_agent},
          {"ip", s.ip},
          {"current", current}};
}

json::object ToJson(const auth::ApiToken& t) {
  json::array scopes;
  std::string text = auth::FormatScopes(t.scopes);
  for (size_t i = 0; i < text.size();) {
    size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    scopes.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"name", t.name},
          {"scopes", std::move(scopes)},
          {"document_pattern", t.document_pattern},
          {"created_at", FormatTime(t.created_at)},
          {"expires_at", OptionalTime(t.expires_at)},
          {"last_used_at", OptionalTime(t.last_used_at)},
          {"revoked_at", OptionalTime(t.revoked_at)}};
}

json::object ToJson(const auth::AuditEvent& e) {
  json::value detail = json::object{};
  boost::system::error_code ec;
  if (!e.detail.empty()) {
    json::value parsed = json::parse(e.detail, ec);
    if (!ec) detail = std::move(parsed);
  }
  return {
      {"id", e.id},
      {"at", FormatTime(e.at)},
      {"kind", e.kind},
      {"actor_user_id", e.actor_user_id == 0 ? json::value(nullptr) : json::value(e.actor_user_id)},
      {"ip", e.ip},
      {"subject", e.subject},
      {"detail", std::move(detail)}};
}

json::object ToJson(const auth::StatementRef& s) {
  return {{"id", s.id},
          {"slug", s.slug},
          {"title", s.title},
          {"language", s.language},
          {"phase", auth::PhaseName(s.phase)},
          {"phase_deadline", OptionalTime(s.phase_deadline)},
          {"document", DraftDocumentName(s.slug)}};
}

json::object ToJson(const auth::Participation& p) {
  return {{"organization_id", p.organization_id},
          {"convener", p.convener},
          {"edit", p.edit},
          {"amend", p.amend},
          {"sign", p.sign}};
}

HttpResponse StoreProblem(const Status& status) {
  switch (status.code()) {
    case Status::Code::kNotFound:
      return ApiError(404, "not-found", "Not found", status.message());
    case Status::Code::kAlreadyExists:
      return ApiError(409, "conflict", "Conflict", status.message());
    case Status::Code::kInvalidArgument:
      return ValidationProblem("body", status.message());
    case Status::Code::kFailedPrecondition:
      return ApiError(409, "conflict", "Conflict", status.message());
    default:
      return ApiError(500, "internal", "Internal error",
                      "the server could not complete the request; the operator has been told");
  }
}

}  // namespace accord::server
