// golden_testutil.h: loading the Yjs-generated golden vectors in crdt/testdata/golden/ (made by
// tests/node/tools/gen-crdt-golden.mjs) for the crdt tests. Test-only; header-only.
#ifndef ACCORD_CRDT_SRC_GOLDEN_TESTUTIL_H_
#define ACCORD_CRDT_SRC_GOLDEN_TESTUTIL_H_

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "accord/crdt/any.h"

namespace accord::crdt::testing {

// The golden file `name`, parsed as JSON. Looks under $ACCORD_SOURCE_DIR (set by ctest), then
// relative to the working directory.
inline Any LoadGolden(const std::string& name) {
  std::vector<std::string> roots;
  if (const char* dir = std::getenv("ACCORD_SOURCE_DIR")) roots.emplace_back(dir);
  roots.insert(roots.end(), {".", "..", "../..", "../../.."});
  for (const std::string& root : roots) {
    std::ifstream in(root + "/crdt/testdata/golden/" + name, std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    std::optional<Any> parsed = Any::FromJson(ss.str());
    if (!parsed) throw std::runtime_error("golden file does not parse: " + name);
    return *parsed;
  }
  throw std::runtime_error("golden file not found (set ACCORD_SOURCE_DIR): " + name);
}

inline std::vector<uint8_t> FromHex(std::string_view hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

// A number as the generator writes it (String(n), or "-0").
inline double ParseNum(const std::string& s) {
  if (s == "-0") return -0.0;
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "Infinity") return HUGE_VAL;
  if (s == "-Infinity") return -HUGE_VAL;
  double d = 0;
  std::from_chars(s.data(), s.data() + s.size(), d);
  return d;
}

// The Any described by the generator's tagged form {t: type, v: value}. Objects come as their
// insertion-order entries and go through Any::Object, which must apply JavaScript's ordering.
inline Any FromTagged(const Any& tagged) {
  const std::string& t = tagged.Find("t")->as_string();
  const Any* v = tagged.Find("v");
  if (t == "undefined") return Any();
  if (t == "null") return Any(Null{});
  if (t == "bool") return Any(v->as_bool());
  if (t == "number") return Any(ParseNum(v->as_string()));
  if (t == "bigint") return Any(BigInt{std::stoll(v->as_string())});
  if (t == "string") return Any(v->as_string());
  if (t == "bytes") return Any(FromHex(v->as_string()));
  if (t == "array") {
    AnyArray arr;
    for (const Any& e : v->as_array()) arr.push_back(FromTagged(e));
    return Any(std::move(arr));
  }
  AnyObject entries;
  for (const Any& e : v->as_array()) {
    entries.emplace_back(e.as_array()[0].as_string(), FromTagged(e.as_array()[1]));
  }
  return Any::Object(std::move(entries));
}

}  // namespace accord::crdt::testing

#endif  // ACCORD_CRDT_SRC_GOLDEN_TESTUTIL_H_
