// Reading endorsements and withdrawals (sign-on contract, section 3).
#include "endorsement.h"

#include <sodium.h>

#include <initializer_list>

#include "accord/signon/canonical_json.h"
#include "api_statements.h"
#include "signon_encoding.h"

namespace accord::server {
namespace {
namespace json = boost::json;

// Code points of valid UTF-8 (JCS text is valid UTF-8).
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Reads one JSON object's members, remembering the first problem.
class Reader {
 public:
  Reader(const json::object& object, std::string where) : object_(object), where_(where) {}

  // The object must have exactly these members.
  bool Members(std::initializer_list<std::string_view> names) {
    for (const auto& member : object_) {
      bool known = false;
      for (std::string_view n : names) known = known || member.key() == n;
      if (!known) return Fail("has the unknown member \"" + std::string(member.key()) + "\"");
    }
    for (std::string_view n : names) {
      if (!object_.contains(n)) return Fail("lacks the member \"" + std::string(n) + "\"");
    }
    return true;
  }
  std::string String(std::string_view name, size_t max_chars, bool non_empty) {
    const json::value& v = object_.at(name);
    if (!v.is_string()) {
      Fail("member \"" + std::string(name) + "\" must be a string");
      return "";
    }
    std::string s(v.as_string());
    if (non_empty && s.empty()) Fail("member \"" + std::string(name) + "\" must not be empty");
    if (CodePoints(s) > max_chars) {
      Fail("member \"" + std::string(name) + "\" is longer than " + std::to_string(max_chars) +
           " characters");
    }
    return s;
  }
  auth::Id Id(std::string_view name) {
    const json::value& v = object_.at(name);
    if (!v.is_int64() || v.as_int64() <= 0) {
      Fail("member \"" + std::string(name) + "\" must be a positive integer");
      return 0;
    }
    return v.as_int64();
  }
  const json::object* Object(std::string_view name) {
    const json::value& v = object_.at(name);
    if (!v.is_object()) {
      Fail("member \"" + std::string(name) + "\" must be an object");
      return nullptr;
    }
    return &v.as_object();
  }
  bool Fail(std::string why) {
    if (error_.empty()) error_ = where_ + " " + why;
    return false;
  }
  const std::string& error() const { return error_; }
  void Adopt(const Reader& inner) {
    if (error_.empty()) error_ = inner.error_;
  }

 private:
  const json::object& object_;
  std::string where_;
  std::string error_;
};

// The text, checked canonical and parsed as an object.
Result<json::object> CanonicalObject(std::string_view text, std::string_view what) {
  if (text.size() > kMaxSignedObjectBytes) {
    return Status::ResourceExhausted("the " + std::string(what) + " is larger than " +
                                     std::to_string(kMaxSignedObjectBytes) + " bytes");
  }
  auto canonical = signon::CanonicalizeJson(text);
  if (!canonical.ok()) {
    return Status::InvalidArgument("the " + std::string(what) +
                                   " is not JSON: " + canonical.status().message());
  }
  if (*canonical != text) {
    return Status::InvalidArgument("the " + std::string(what) +
                                   " must be sent as its RFC 8785 canonical JSON text");
  }
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    return Status::InvalidArgument("the " + std::string(what) + " must be a JSON object");
  }
  return std::move(value.as_object());
}

// signed_at and nonce, shared by both formats.
void TimeAndNonce(Reader& r, auth::UnixTime* signed_at, std::string* nonce) {
  std::string at = r.String("signed_at", 20, true);
  if (r.error().empty()) {
    auto t = ParseTime(at);
    if (!t) r.Fail("member \"signed_at\" must be a UTC time like 2026-12-03T20:00:00Z");
    *signed_at = t.value_or(0);
  }
  *nonce = r.String("nonce", 24, true);
  if (r.error().empty() && !DecodeBase64(*nonce, 16)) {
    r.Fail("member \"nonce\" must be the base64 of 16 random bytes");
  }
}

}  // namespace

Result<SignedEndorsement> ParseEndorsement(std::string_view text) {
  auto object = CanonicalObject(text, "endorsement");
  if (!object.ok()) return object.status();
  SignedEndorsement e;
  e.canonical = std::string(text);
  e.object = std::move(*object);
  e.sha256 = Sha256Hex(text);
  Reader r(e.object, "the endorsement");
  const json::value* kind = e.object.if_contains("kind");
  const bool with_reservations =
      kind && kind->is_string() && kind->as_string() == "adheres-with-reservations";
  if (with_reservations) {
    r.Members({"format", "manifest_sha256", "organization", "signatory", "kind", "reservations",
               "signed_at", "nonce"});
  } else {
    r.Members(
        {"format", "manifest_sha256", "organization", "signatory", "kind", "signed_at", "nonce"});
  }
  if (!r.error().empty()) return Status::InvalidArgument(r.error());
  if (r.String("format", 64, true) != "accord-endorsement-v1") {
    r.Fail("member \"format\" must be \"accord-endorsement-v1\"");
  }
  e.manifest_sha256 = r.String("manifest_sha256", 64, true);
  if (r.error().empty() && !IsSha256Hex(e.manifest_sha256)) {
    r.Fail("member \"manifest_sha256\" must be 64 lower-case hex digits");
  }
  if (const json::object* org = r.Object("organization")) {
    Reader o(*org, "the endorsement's organization");
    if (o.Members({"id", "name", "country"})) {
      e.organization_id = o.Id("id");
      e.organization_name = o.String("name", 300, true);
      e.country = o.String("country", 2, false);
    }
    r.Adopt(o);
  }
  if (const json::object* who = r.Object("signatory")) {
    Reader s(*who, "the endorsement's signatory");
    if (s.Members({"name", "title"})) {
      e.signatory_name = s.String("name", 300, true);
      e.signatory_title = s.String("title", 300, false);
    }
    r.Adopt(s);
  }
  e.kind = r.String("kind", 64, true);
  if (r.error().empty() && e.kind != "adheres" && !with_reservations) {
    r.Fail("member \"kind\" must be \"adheres\" or \"adheres-with-reservations\"");
  }
  if (with_reservations) e.reservations = r.String("reservations", kMaxReservationChars, true);
  TimeAndNonce(r, &e.signed_at, &e.nonce);
  if (r.error().empty()) e.signed_at_text = std::string(e.object.at("signed_at").as_string());
  if (!r.error().empty()) return Status::InvalidArgument(r.error());
  return e;
}

Result<SignedWithdrawal> ParseWithdrawal(std::string_view text) {
  auto object = CanonicalObject(text, "withdrawal");
  if (!object.ok()) return object.status();
  SignedWithdrawal w;
  w.canonical = std::string(text);
  w.object = std::move(*object);
  w.sha256 = Sha256Hex(text);
  Reader r(w.object, "the withdrawal");
  if (!r.Members({"format", "endorsement_sha256", "manifest_sha256", "organization", "reason",
                  "signed_at", "nonce"})) {
    return Status::InvalidArgument(r.error());
  }
  if (r.String("format", 64, true) != "accord-withdrawal-v1") {
    r.Fail("member \"format\" must be \"accord-withdrawal-v1\"");
  }
  for (auto [name, out] : {std::pair{"endorsement_sha256", &w.endorsement_sha256},
                           std::pair{"manifest_sha256", &w.manifest_sha256}}) {
    *out = r.String(name, 64, true);
    if (r.error().empty() && !IsSha256Hex(*out)) {
      r.Fail("member \"" + std::string(name) + "\" must be 64 lower-case hex digits");
    }
  }
  if (const json::object* org = r.Object("organization")) {
    Reader o(*org, "the withdrawal's organization");
    if (o.Members({"id"})) w.organization_id = o.Id("id");
    r.Adopt(o);
  }
  w.reason = r.String("reason", kMaxWithdrawalReasonChars, false);
  TimeAndNonce(r, &w.signed_at, &w.nonce);
  if (!r.error().empty()) return Status::InvalidArgument(r.error());
  return w;
}

bool VerifySignature(std::string_view message, std::string_view signature_b64,
                     std::string_view public_key_b64) {
  auto signature = DecodeBase64(signature_b64, crypto_sign_BYTES);
  auto key = DecodeBase64(public_key_b64, crypto_sign_PUBLICKEYBYTES);
  if (!signature || !key) return false;
  return crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature->data()),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(),
                                     reinterpret_cast<const unsigned char*>(key->data())) == 0;
}

}  // namespace accord::server
