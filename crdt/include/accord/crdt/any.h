// accord/crdt/any.h: a JSON-like value as lib0's `writeAny` / `readAny` carry it.
//
// Any is what Yjs stores in Map entries, Array elements (ContentAny), formatting attributes,
// embeds and XML attributes. It mirrors the JavaScript values lib0 can encode: undefined, null,
// booleans, numbers (always a double, as in JavaScript), bigints (int64), strings (UTF-8 here),
// byte arrays (Uint8Array), arrays and objects. Object keys keep JavaScript's own property order
// (array-index keys ascending first, then the others in insertion order) so that re-encoding a
// decoded value gives the same bytes as Yjs. Values are immutable after construction in practice
// and safe to share between threads for reading.
#ifndef ACCORD_CRDT_ANY_H_
#define ACCORD_CRDT_ANY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace accord::crdt {

class Any;
using AnyArray = std::vector<Any>;
// Ordered as JavaScript orders an object's own string keys (see the file comment).
using AnyObject = std::vector<std::pair<std::string, Any>>;
using Bytes = std::vector<uint8_t>;

struct Undefined {
  bool operator==(const Undefined&) const = default;
};
struct Null {
  bool operator==(const Null&) const = default;
};
struct BigInt {
  int64_t value = 0;
  bool operator==(const BigInt&) const = default;
};

class Any {
 public:
  using Value = std::variant<Undefined, Null, bool, double, BigInt, std::string, Bytes,
                             std::shared_ptr<const AnyArray>, std::shared_ptr<const AnyObject>>;

  Any() = default;                                // undefined
  Any(Null) : v_(Null{}) {}                       // NOLINT(google-explicit-constructor)
  Any(bool b) : v_(b) {}                          // NOLINT(google-explicit-constructor)
  Any(double d) : v_(d) {}                        // NOLINT(google-explicit-constructor)
  Any(int i) : v_(static_cast<double>(i)) {}      // NOLINT(google-explicit-constructor)
  Any(int64_t i) : v_(static_cast<double>(i)) {}  // NOLINT(google-explicit-constructor)
  Any(BigInt b) : v_(b) {}                        // NOLINT(google-explicit-constructor)
  Any(std::string s) : v_(std::move(s)) {}        // NOLINT(google-explicit-constructor)
  Any(const char* s) : v_(std::string(s)) {}      // NOLINT(google-explicit-constructor)
  Any(Bytes b) : v_(std::move(b)) {}              // NOLINT(google-explicit-constructor)
  Any(AnyArray a)                                 // NOLINT(google-explicit-constructor)
      : v_(std::make_shared<const AnyArray>(std::move(a))) {}
  // Keys are re-ordered into JavaScript property order; a repeated key keeps its first
  // position and its last value, as an object literal would.
  static Any Object(AnyObject entries);

  const Value& value() const { return v_; }
  bool is_undefined() const { return std::holds_alternative<Undefined>(v_); }
  bool is_null() const { return std::holds_alternative<Null>(v_); }
  bool is_bool() const { return std::holds_alternative<bool>(v_); }
  bool is_number() const { return std::holds_alternative<double>(v_); }
  bool is_bigint() const { return std::holds_alternative<BigInt>(v_); }
  bool is_string() const { return std::holds_alternative<std::string>(v_); }
  bool is_bytes() const { return std::holds_alternative<Bytes>(v_); }
  bool is_array() const { return std::holds_alternative<std::shared_ptr<const AnyArray>>(v_); }
  bool is_object() const { return std::holds_alternative<std::shared_ptr<const AnyObject>>(v_); }

  bool as_bool() const { return std::get<bool>(v_); }
  double as_number() const { return std::get<double>(v_); }
  int64_t as_bigint() const { return std::get<BigInt>(v_).value; }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const Bytes& as_bytes() const { return std::get<Bytes>(v_); }
  const AnyArray& as_array() const { return *std::get<std::shared_ptr<const AnyArray>>(v_); }
  const AnyObject& as_object() const { return *std::get<std::shared_ptr<const AnyObject>>(v_); }
  // The value of `key` in an object, or nullptr.
  const Any* Find(std::string_view key) const;

  // Deep structural equality (numbers compare as doubles; NaN equals NaN here).
  bool operator==(const Any& other) const;

  // JSON.stringify(value) exactly as JavaScript prints it (number formatting, string escapes,
  // undefined members dropped from objects and turned into null inside arrays). Bytes are
  // printed as {"$binary":"<base64>"} (the ydoc tool's convention) and bigints as digits.
  std::string ToJson() const;
  // The same, except that bytes print as JSON.stringify prints a Uint8Array ({"0":b0,"1":b1,..}).
  // This is what Yjs's v1 encoder stores for embeds and format values.
  std::string ToJsonLikeJs() const;

  // JSON.parse(json): objects become Objects (JavaScript key order, last duplicate wins),
  // numbers doubles (out-of-range literals become +-Infinity or +-0 as in JavaScript), strings
  // UTF-8 (a lone \uD800-\uDFFF escape becomes U+FFFD, which is what TextEncoder would make of
  // it). Returns nullopt for text JSON.parse would reject, for invalid UTF-8, and for nesting
  // deeper than 256 levels.
  static std::optional<Any> FromJson(std::string_view json);

 private:
  Value v_;
};

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_ANY_H_
