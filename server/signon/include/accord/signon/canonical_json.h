// accord/signon/canonical_json.h: the JSON Canonicalization Scheme (RFC 8785, "JCS").
//
// Endorsements and manifests are signed as bytes, so two parties that build the same JSON value
// must produce the same bytes. JCS fixes them: no whitespace, object members sorted by the
// UTF-16 code units of their names, strings escaped as ECMAScript's JSON.stringify does, and
// numbers written as ECMAScript's Number.prototype.toString writes an IEEE 754 double.
//
// What JCS cannot represent is refused with kInvalidArgument (never silently repaired): text
// that is not JSON, invalid UTF-8, lone surrogates (also as \u escapes), duplicate member
// names, numbers outside the range of a double, NaN and Infinity (the latter only reachable
// through a Boost.JSON value). Nesting deeper than kMaxJsonDepth is kResourceExhausted.
//
// Pure functions of their input; safe from any thread.
#ifndef ACCORD_SIGNON_CANONICAL_JSON_H_
#define ACCORD_SIGNON_CANONICAL_JSON_H_

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "accord/status.h"

namespace accord::signon {

// Arrays and objects nested deeper than this are refused: the parser recurses once per level.
inline constexpr int kMaxJsonDepth = 256;

// Canonical form of one JSON text (RFC 8259; surrounding whitespace allowed).
Result<std::string> CanonicalizeJson(std::string_view json_text);

// Canonical form of a Boost.JSON value. Integers (int64/uint64) are numbers like any other:
// they are converted to the nearest double first, as a JSON parser in ECMAScript would. (Named
// apart from CanonicalizeJson: a string literal converts to both string_view and json::value.)
Result<std::string> CanonicalizeJsonValue(const boost::json::value& value);

// Appends `utf8` as a JSON string literal the way JSON.stringify writes it (RFC 8785 section
// 3.2.2.2): \" \\ \b \f \n \r \t, other controls as \u00xx with lowercase hex, every other byte
// as itself. Bytes are copied unchecked: CanonicalizeJson validates UTF-8 before; other callers
// (the server's JSON log lines) write what they were given.
void AppendJsonString(std::string_view utf8, std::string& out);

// ECMAScript Number.prototype.toString of a finite double (the shortest digits that round-trip;
// plain notation for exponents -7 < e < 21, else "1e+21", "1.5e-7"); -0 gives "0".
// Precondition: std::isfinite(value).
std::string FormatJsonNumber(double value);

}  // namespace accord::signon

#endif  // ACCORD_SIGNON_CANONICAL_JSON_H_
