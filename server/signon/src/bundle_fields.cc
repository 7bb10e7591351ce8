#include "bundle_fields.h"

#include <set>

#include "accord/signon/canonical_json.h"
#include "accord/signon/merkle.h"
#include "utf8.h"

namespace accord::signon {
namespace {

namespace json = boost::json;

constexpr size_t kMaxReservations = 4000;
constexpr size_t kMaxReason = 2000;

std::optional<std::string> Base64Field(const json::object& obj, std::string_view key, size_t size) {
  auto text = StrField(obj, key);
  if (!text) return std::nullopt;
  auto bytes = Base64Decode(*text);
  if (!bytes || bytes->size() != size) return std::nullopt;
  return bytes;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t pos = 0; pos < s.size(); ++n) {
    char32_t cp;
    if (!DecodeUtf8(s, pos, cp)) ++pos;
  }
  return n;
}

// "YYYY-MM-DDTHH:MM:SSZ", the only time form signed objects use.
bool IsUtcTime(std::string_view t) {
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
  if (t.size() != kShape.size()) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (kShape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != kShape[i]) return false;
  }
  return true;
}

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// "" if `obj` has exactly the members `required` plus any of `optional`.
std::string MembersProblem(const json::object& obj, const std::string& what,
                           std::set<std::string_view> required,
                           std::set<std::string_view> optional = {}) {
  for (const auto& kv : obj) {
    if (!required.count(kv.key()) && !optional.count(kv.key())) {
      return what + " has an unexpected member \"" + std::string(kv.key()) + "\"";
    }
  }
  for (std::string_view r : required) {
    if (!obj.contains(r)) return what + " lacks the member \"" + std::string(r) + "\"";
  }
  return "";
}

}  // namespace

std::optional<std::string> StrField(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::optional<int64_t> IntField(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::nullopt;
  const json::value& v = it->value();
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64() && v.get_uint64() <= uint64_t{INT64_MAX}) {
    return static_cast<int64_t>(v.get_uint64());
  }
  return std::nullopt;
}

const json::object* ObjField(const json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_object()) return nullptr;
  return &it->value().get_object();
}

std::optional<std::string> KeyBytes(const json::object& entry) {
  return Base64Field(entry, "public_key", 32);
}

SignedEntry ReadSignedEntry(const json::object& body, std::string_view member) {
  SignedEntry s;
  s.object = ObjField(body, member);
  if (s.object) {
    auto jcs = CanonicalizeJsonValue(json::value(*s.object));
    if (jcs.ok()) {
      s.canonical = std::move(jcs.value());
      Hash h = Sha256(s.canonical);
      s.canonical_sha256 = HexEncode({reinterpret_cast<const char*>(h.data()), h.size()});
    }
  }
  s.stated_sha256 = StrField(body, std::string(member) + "_sha256");
  s.key_id = IntField(body, "key_id");
  s.public_key = KeyBytes(body);
  s.signature = Base64Field(body, "signature", 64);
  return s;
}

std::string EndorsementFormatProblem(const json::object& e) {
  std::string problem = MembersProblem(
      e, "the endorsement",
      {"format", "manifest_sha256", "organization", "signatory", "kind", "signed_at", "nonce"},
      {"reservations"});
  if (!problem.empty()) return problem;
  if (StrField(e, "format") != "accord-endorsement-v1") {
    return "the endorsement's format is not \"accord-endorsement-v1\"";
  }
  if (!IsSha256Hex(StrField(e, "manifest_sha256").value_or(""))) {
    return "the endorsement's manifest_sha256 is not a lower-case hex SHA-256";
  }
  const json::object* org = ObjField(e, "organization");
  if (!org) return "the endorsement's organization is not an object";
  problem = MembersProblem(*org, "the endorsement's organization", {"id", "name", "country"});
  if (!problem.empty()) return problem;
  if (!IntField(*org, "id") || !StrField(*org, "name") || !StrField(*org, "country")) {
    return "the endorsement's organization needs an integer id and string name and country";
  }
  const json::object* who = ObjField(e, "signatory");
  if (!who) return "the endorsement's signatory is not an object";
  problem = MembersProblem(*who, "the endorsement's signatory", {"name", "title"});
  if (!problem.empty()) return problem;
  if (!StrField(*who, "name") || !StrField(*who, "title")) {
    return "the endorsement's signatory needs string name and title";
  }
  std::string kind = StrField(e, "kind").value_or("");
  auto reservations = StrField(e, "reservations");
  if (kind == "adheres") {
    if (e.contains("reservations")) return "an endorsement of kind adheres has reservations";
  } else if (kind == "adheres-with-reservations") {
    if (!reservations || reservations->empty()) {
      return "an endorsement with reservations has no reservation text";
    }
    if (CodePoints(*reservations) > kMaxReservations) {
      return "the reservations are longer than 4000 characters";
    }
  } else {
    return "the endorsement's kind \"" + kind +
           "\" is neither adheres nor adheres-with-reservations";
  }
  if (!IsUtcTime(StrField(e, "signed_at").value_or(""))) {
    return "the endorsement's signed_at is not a time YYYY-MM-DDTHH:MM:SSZ";
  }
  if (!Base64Field(e, "nonce", 16)) return "the endorsement's nonce is not base64 of 16 bytes";
  return "";
}

std::string WithdrawalFormatProblem(const json::object& w) {
  std::string problem = MembersProblem(w, "the withdrawal",
                                       {"format", "endorsement_sha256", "manifest_sha256",
                                        "organization", "reason", "signed_at", "nonce"});
  if (!problem.empty()) return problem;
  if (StrField(w, "format") != "accord-withdrawal-v1") {
    return "the withdrawal's format is not \"accord-withdrawal-v1\"";
  }
  if (!IsSha256Hex(StrField(w, "endorsement_sha256").value_or("")) ||
      !IsSha256Hex(StrField(w, "manifest_sha256").value_or(""))) {
    return "the withdrawal's endorsement_sha256 and manifest_sha256 must be lower-case hex SHA-256";
  }
  const json::object* org = ObjField(w, "organization");
  if (!org) return "the withdrawal's organization is not an object";
  problem = MembersProblem(*org, "the withdrawal's organization", {"id"});
  if (!problem.empty()) return problem;
  if (!IntField(*org, "id")) return "the withdrawal's organization id is not an integer";
  auto reason = StrField(w, "reason");
  if (!reason) return "the withdrawal's reason is not a string";
  if (CodePoints(*reason) > kMaxReason)
    return "the withdrawal's reason is longer than 2000 characters";
  if (!IsUtcTime(StrField(w, "signed_at").value_or(""))) {
    return "the withdrawal's signed_at is not a time YYYY-MM-DDTHH:MM:SSZ";
  }
  if (!Base64Field(w, "nonce", 16)) return "the withdrawal's nonce is not base64 of 16 bytes";
  return "";
}

}  // namespace accord::signon
