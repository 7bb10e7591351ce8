// accord/auth/web_security.h: the browser-facing pieces of authentication, as string functions:
// the session cookie, the Origin allow-list and CSRF tokens.
//
// - The session cookie is `HttpOnly; SameSite=Lax; Path=/`, and over HTTPS also `Secure` with
//   the `__Host-` name prefix (which browsers only accept from a secure origin, with Path=/ and
//   no Domain). Plain HTTP is for loopback development only; the server refuses to start
//   without HTTPS on a non-loopback address unless told it sits behind a TLS proxy.
// - State-changing requests authenticated by the cookie must carry an `Origin` from the
//   allow-list and an `X-CSRF-Token` header. The CSRF token is a keyed BLAKE2b MAC of the
//   session token under the instance's secret key: the server can check it without storing it,
//   it changes with every session, and it is useless without the cookie's session.
//
// Thread-safe: pure functions.
#ifndef ACCORD_AUTH_WEB_SECURITY_H_
#define ACCORD_AUTH_WEB_SECURITY_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accord::auth {

// "__Host-accord_session" when `secure`, else "accord_session".
std::string_view SessionCookieName(bool secure);
// The Set-Cookie value that installs `token` for `max_age`.
std::string BuildSessionCookie(std::string_view token, bool secure, std::chrono::seconds max_age);
// The Set-Cookie value that removes the session cookie (Max-Age=0).
std::string BuildClearSessionCookie(bool secure);
// The value of cookie `name` in a Cookie request header ("a=1; b=2"); nullopt if absent.
std::optional<std::string> FindCookie(std::string_view cookie_header, std::string_view name);

// Whether `origin` (the Origin header: "scheme://host[:port]") is one of `allowed`. Scheme and
// host compare case-insensitively, a default port (:80 for http, :443 for https) equals its
// absence; "null" and an empty origin are never allowed. Only http and https origins match,
// and a trailing "/" on an allow-list entry is ignored (entries are often copied from URLs).
bool OriginAllowed(std::string_view origin, const std::vector<std::string>& allowed);

// The CSRF token of a session: base64url (no padding) of a 32-byte keyed BLAKE2b MAC of
// `session_token`. `key` is the instance's 32-byte secret (raw bytes). A key of another size or
// an empty session token yields "" (and CsrfTokenValid is then always false).
std::string CsrfTokenFor(std::string_view key, std::string_view session_token);
// Constant-time check of a presented CSRF token.
bool CsrfTokenValid(std::string_view key, std::string_view session_token,
                    std::string_view presented);

}  // namespace accord::auth

#endif  // ACCORD_AUTH_WEB_SECURITY_H_
