#include "accord/auth/web_security.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace accord::auth {
namespace {

constexpr std::string_view kSecureCookieName = "__Host-accord_session";
constexpr std::string_view kPlainCookieName = "accord_session";

std::string_view Trim(std::string_view s) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexDigit(char c) { return IsDigit(c) || (Lower(c) >= 'a' && Lower(c) <= 'f'); }

// A serialized origin as RFC 6454 defines it, normalised for comparison.
struct Origin {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower case; an IPv6 address keeps its brackets
  int port = 0;        // explicit, or the scheme's default

  bool operator==(const Origin&) const = default;
};

// Parses "scheme://host[:port]". Only http and https take part in the allow-list; userinfo,
// paths, queries, fragments and whitespace make the value unusable.
std::optional<Origin> ParseOrigin(std::string_view text) {
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Origin origin;
  origin.scheme = ToLower(text.substr(0, sep));
  int default_port;
  if (origin.scheme == "http") {
    default_port = 80;
  } else if (origin.scheme == "https") {
    default_port = 443;
  } else {
    return std::nullopt;
  }
  std::string_view rest = text.substr(sep + 3);
  std::string_view host;
  if (!rest.empty() && rest.front() == '[') {  // IPv6 literal
    const size_t close = rest.find(']');
    if (close == std::string_view::npos || close < 3) return std::nullopt;
    host = rest.substr(0, close + 1);
    for (char c : host.substr(1, host.size() - 2)) {
      if (!IsHexDigit(c) && c != ':' && c != '.') return std::nullopt;
    }
    rest.remove_prefix(close + 1);
  } else {
    const size_t colon = rest.find(':');
    host = rest.substr(0, colon);
    if (host.empty()) return std::nullopt;
    for (char c : host) {
      if (!IsAlpha(c) && !IsDigit(c) && c != '-' && c != '.' && c != '_') return std::nullopt;
    }
    rest.remove_prefix(host.size());
  }
  origin.host = ToLower(host);
  origin.port = default_port;
  if (!rest.empty()) {
    if (rest.front() != ':') return std::nullopt;
    const std::string_view digits = rest.substr(1);
    if (digits.empty() || digits.size() > 5) return std::nullopt;
    int port = 0;
    for (char c : digits) {
      if (!IsDigit(c)) return std::nullopt;
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return std::nullopt;
    origin.port = port;
  }
  return origin;
}

constexpr size_t kCsrfKeyBytes = 32;
constexpr size_t kCsrfMacBytes = 32;

std::string CookieWithMaxAge(std::string_view value, bool secure, int64_t max_age) {
  std::string cookie(SessionCookieName(secure));
  cookie += '=';
  cookie += value;
  cookie += "; Path=/; HttpOnly; SameSite=Lax; Max-Age=";
  cookie += std::to_string(max_age);
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

std::string_view SessionCookieName(bool secure) {
  return secure ? kSecureCookieName : kPlainCookieName;
}

std::string BuildSessionCookie(std::string_view token, bool secure, std::chrono::seconds max_age) {
  return CookieWithMaxAge(token, secure, std::max<int64_t>(max_age.count(), 0));
}

std::string BuildClearSessionCookie(bool secure) { return CookieWithMaxAge("", secure, 0); }

std::optional<std::string> FindCookie(std::string_view cookie_header, std::string_view name) {
  if (name.empty()) return std::nullopt;
  while (!cookie_header.empty()) {
    const size_t semi = cookie_header.find(';');
    std::string_view pair = Trim(cookie_header.substr(0, semi));
    cookie_header.remove_prefix(semi == std::string_view::npos ? cookie_header.size() : semi + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;  // "flag" without a value: not a cookie pair
    if (Trim(pair.substr(0, eq)) != name) continue;
    std::string_view value = Trim(pair.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);  // the first one wins, as browsers send the most specific first
  }
  return std::nullopt;
}

bool OriginAllowed(std::string_view origin, const std::vector<std::string>& allowed) {
  const std::optional<Origin> parsed = ParseOrigin(origin);  // "null" and "" fail here
  if (!parsed) return false;
  for (std::string_view entry : allowed) {
    if (!entry.empty() && entry.back() == '/') entry.remove_suffix(1);
    const std::optional<Origin> candidate = ParseOrigin(entry);
    if (candidate && *candidate == *parsed) return true;
  }
  return false;
}

std::string CsrfTokenFor(std::string_view key, std::string_view session_token) {
  // A key of the wrong size (hex text passed for raw bytes, say) or no session yields no token,
  // and so nothing validates: fail closed.
  if (key.size() != kCsrfKeyBytes || session_token.empty()) return "";
  std::array<unsigned char, kCsrfMacBytes> mac;
  crypto_generichash(
      mac.data(), mac.size(), reinterpret_cast<const unsigned char*>(session_token.data()),
      session_token.size(), reinterpret_cast<const unsigned char*>(key.data()), key.size());
  const size_t b64_len =
      sodium_base64_ENCODED_LEN(mac.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  std::string b64(b64_len, '\0');
  sodium_bin2base64(b64.data(), b64.size(), mac.data(), mac.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  b64.resize(b64_len - 1);  // the length counts the terminating NUL
  return b64;
}

bool CsrfTokenValid(std::string_view key, std::string_view session_token,
                    std::string_view presented) {
  const std::string expected = CsrfTokenFor(key, session_token);
  if (expected.empty() || presented.size() != expected.size()) return false;
  return sodium_memcmp(expected.data(), presented.data(), expected.size()) == 0;
}

}  // namespace accord::auth
