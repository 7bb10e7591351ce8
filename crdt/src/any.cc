// Any: JavaScript object key order, deep equality, JSON.stringify and JSON.parse.
#include "accord/crdt/any.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <unordered_map>

#include "lib0_decoder.h"

namespace accord::crdt {
namespace {

template <typename... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};
// Spelled out for clang 14 (the fuzz build), which lacks C++20 aggregate deduction.
template <typename... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// An array index in JavaScript's sense: the canonical decimal form of an integer in
// [0, 2^32 - 2]. Such keys come first in an object's own-key order, ascending.
bool ArrayIndex(std::string_view key, uint32_t* index) {
  if (key.empty() || key.size() > 10) return false;
  if (key.size() > 1 && key[0] == '0') return false;
  uint64_t v = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > 4294967294ULL) return false;
  *index = static_cast<uint32_t>(v);
  return true;
}

// Number#toString / JSON.stringify for finite numbers: the shortest digits that round-trip,
// laid out as ECMAScript's Number::toString prescribes (plain notation for exponents in
// [-7, 21), exponential otherwise).
void AppendJsNumber(double d, std::string* out) {
  if (!std::isfinite(d)) {
    out->append("null");  // JSON.stringify's rendering of NaN and +-Infinity
    return;
  }
  if (d == 0) {
    out->push_back('0');  // also -0
    return;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  // sci is "[-]d[.ddd]e[+-]xx".
  bool negative = sci[0] == '-';
  if (negative) sci.remove_prefix(1);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e_pos + (sci[e_pos + 1] == '+' ? 2 : 1), sci.data() + sci.size(),
                  exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // position of the decimal point relative to the digits
  if (negative) out->push_back('-');
  if (k <= n && n <= 21) {
    out->append(digits);
    out->append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits, 0, static_cast<size_t>(n));
    out->push_back('.');
    out->append(digits, static_cast<size_t>(n), std::string::npos);
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-n), '0');
    out->append(digits);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits, 1, std::string::npos);
    }
    out->push_back('e');
    out->push_back(n - 1 < 0 ? '-' : '+');
    out->append(std::to_string(std::abs(n - 1)));
  }
}

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xf]);
        } else {
          out->push_back(ch);
        }
    }
  }
  out->push_back('"');
}

void AppendBase64(const Bytes& b, std::string* out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= b.size(); i += 3) {
    uint32_t v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    for (int s = 18; s >= 0; s -= 6) out->push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i + 1 == b.size()) {
    uint32_t v = b[i] << 16;
    out->push_back(kAlphabet[(v >> 18) & 63]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->append("==");
  } else if (i + 2 == b.size()) {
    uint32_t v = (b[i] << 16) | (b[i + 1] << 8);
    out->push_back(kAlphabet[(v >> 18) & 63]);
    out->push_back(kAlphabet[(v >> 12) & 63]);
    out->push_back(kAlphabet[(v >> 6) & 63]);
    out->push_back('=');
  }
}

void AppendJson(const Any& any, bool js_bytes, std::string* out) {
  std::visit(Overloaded{
                 [&](const Undefined&) { out->append("null"); },
                 [&](const Null&) { out->append("null"); },
                 [&](bool b) { out->append(b ? "true" : "false"); },
                 [&](double d) { AppendJsNumber(d, out); },
                 [&](const BigInt& b) { out->append(std::to_string(b.value)); },
                 [&](const std::string& s) { AppendJsonString(s, out); },
                 [&](const Bytes& b) {
                   if (js_bytes) {
                     out->push_back('{');
                     for (size_t i = 0; i < b.size(); ++i) {
                       if (i > 0) out->push_back(',');
                       out->push_back('"');
                       out->append(std::to_string(i));
                       out->append("\":");
                       out->append(std::to_string(b[i]));
                     }
                     out->push_back('}');
                     return;
                   }
                   out->append("{\"$binary\":\"");
                   AppendBase64(b, out);
                   out->append("\"}");
                 },
                 [&](const std::shared_ptr<const AnyArray>& a) {
                   out->push_back('[');
                   for (size_t i = 0; i < a->size(); ++i) {
                     if (i > 0) out->push_back(',');
                     AppendJson((*a)[i], js_bytes, out);  // undefined prints as null inside arrays
                   }
                   out->push_back(']');
                 },
                 [&](const std::shared_ptr<const AnyObject>& o) {
                   out->push_back('{');
                   bool first = true;
                   for (const auto& [key, value] : *o) {
                     if (value.is_undefined()) continue;  // dropped, as JSON.stringify does
                     if (!first) out->push_back(',');
                     first = false;
                     AppendJsonString(key, out);
                     out->push_back(':');
                     AppendJson(value, js_bytes, out);
                   }
                   out->push_back('}');
                 },
             },
             any.value());
}

// JSON.parse, recursive descent over validated UTF-8.
class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : s_(text) {}

  bool ParseDocument(Any* out) {
    SkipWhitespace();
    if (!ParseValue(0, out)) return false;
    SkipWhitespace();
    return pos_ == s_.size();
  }

 private:
  void SkipWhitespace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Consume(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }

  bool ParseValue(int depth, Any* out) {
    if (pos_ >= s_.size()) return false;
    switch (s_[pos_]) {
      case '{':
        return ParseObject(depth, out);
      case '[':
        return ParseArray(depth, out);
      case '"': {
        std::string str;
        if (!ParseString(&str)) return false;
        *out = Any(std::move(str));
        return true;
      }
      case 't':
        *out = Any(true);
        return Consume("true");
      case 'f':
        *out = Any(false);
        return Consume("false");
      case 'n':
        *out = Any(Null{});
        return Consume("null");
      default:
        return ParseNumber(out);
    }
  }

  bool ParseObject(int depth, Any* out) {
    if (depth >= kMaxAnyDepth) return false;
    ++pos_;  // '{'
    AnyObject entries;
    SkipWhitespace();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      *out = Any::Object(std::move(entries));
      return true;
    }
    while (true) {
      SkipWhitespace();
      std::string key;
      if (pos_ >= s_.size() || s_[pos_] != '"' || !ParseString(&key)) return false;
      SkipWhitespace();
      if (!Consume(":")) return false;
      SkipWhitespace();
      Any value;
      if (!ParseValue(depth + 1, &value)) return false;
      entries.emplace_back(std::move(key), std::move(value));
      SkipWhitespace();
      if (Consume(",")) continue;
      if (Consume("}")) break;
      return false;
    }
    *out = Any::Object(std::move(entries));
    return true;
  }

  bool ParseArray(int depth, Any* out) {
    if (depth >= kMaxAnyDepth) return false;
    ++pos_;  // '['
    AnyArray items;
    SkipWhitespace();
    if (Consume("]")) {
      *out = Any(std::move(items));
      return true;
    }
    while (true) {
      SkipWhitespace();
      Any value;
      if (!ParseValue(depth + 1, &value)) return false;
      items.push_back(std::move(value));
      SkipWhitespace();
      if (Consume(",")) continue;
      if (Consume("]")) break;
      return false;
    }
    *out = Any(std::move(items));
    return true;
  }

  bool ParseHex4(uint32_t* v) {
    if (s_.size() - pos_ < 4) return false;
    *v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      uint32_t d;
      if (c >= '0' && c <= '9') {
        d = static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        d = static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        d = static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
      *v = (*v << 4) | d;
    }
    return true;
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  bool ParseString(std::string* out) {
    ++pos_;  // '"'
    while (true) {
      if (pos_ >= s_.size()) return false;
      unsigned char c = static_cast<unsigned char>(s_[pos_++]);
      if (c == '"') return true;
      if (c < 0x20) return false;
      if (c != '\\') {
        out->push_back(static_cast<char>(c));
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out->push_back('"');
          break;
        case '\\':
          out->push_back('\\');
          break;
        case '/':
          out->push_back('/');
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          uint32_t cp;
          if (!ParseHex4(&cp)) return false;
          if (cp >= 0xd800 && cp <= 0xdbff && s_.substr(pos_, 2) == "\\u") {
            size_t save = pos_;
            pos_ += 2;
            uint32_t low;
            if (!ParseHex4(&low)) return false;
            if (low >= 0xdc00 && low <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            } else {
              pos_ = save;  // not a pair: the next escape stands on its own
            }
          }
          if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;  // lone surrogate
          AppendUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
  }

  bool IsDigit(size_t i) const { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; }

  bool ParseNumber(Any* out) {
    size_t start = pos_;
    bool negative = false;
    if (pos_ < s_.size() && s_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    if (!IsDigit(pos_)) return false;
    size_t int_start = pos_;
    if (s_[pos_] == '0') {
      ++pos_;
    } else {
      while (IsDigit(pos_)) ++pos_;
    }
    size_t int_len = pos_ - int_start;
    bool int_is_zero = s_[int_start] == '0';
    size_t frac_leading_zeros = 0;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!IsDigit(pos_)) return false;
      while (IsDigit(pos_) && s_[pos_] == '0') {
        ++frac_leading_zeros;
        ++pos_;
      }
      while (IsDigit(pos_)) ++pos_;
    }
    int64_t exp = 0;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      bool exp_negative = false;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) {
        exp_negative = s_[pos_] == '-';
        ++pos_;
      }
      if (!IsDigit(pos_)) return false;
      while (IsDigit(pos_)) {
        if (exp < 1000000000) exp = exp * 10 + (s_[pos_] - '0');  // saturate
        ++pos_;
      }
      if (exp_negative) exp = -exp;
    }
    double d = 0;
    auto res = std::from_chars(s_.data() + start, s_.data() + pos_, d);
    bool all_zero = true;
    for (size_t i = int_start; i < pos_ && s_[i] != 'e' && s_[i] != 'E'; ++i) {
      if (s_[i] >= '1' && s_[i] <= '9') all_zero = false;
    }
    if (res.ec == std::errc::result_out_of_range) {
      // from_chars reports overflow and underflow alike; decide from the decimal exponent of
      // the leading digit, as JavaScript yields +-Infinity or +-0.
      int64_t lead_exp = int_is_zero ? exp - static_cast<int64_t>(frac_leading_zeros) - 1
                                     : exp + static_cast<int64_t>(int_len) - 1;
      d = (lead_exp > 0 && !all_zero) ? HUGE_VAL : 0.0;
      if (negative) d = -d;
    } else if (res.ec != std::errc() || res.ptr != s_.data() + pos_) {
      return false;
    }
    *out = Any(d);
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Any Any::Object(AnyObject entries) {
  // Collapse repeated keys: first position, last value.
  AnyObject unique;
  unique.reserve(entries.size());
  std::unordered_map<std::string_view, size_t> seen;
  if (entries.size() > 8) seen.reserve(entries.size());
  for (auto& entry : entries) {
    size_t found = unique.size();
    if (entries.size() > 8) {
      auto it = seen.find(entry.first);
      if (it != seen.end()) found = it->second;
    } else {
      for (size_t i = 0; i < unique.size(); ++i) {
        if (unique[i].first == entry.first) found = i;
      }
    }
    if (found < unique.size()) {
      unique[found].second = std::move(entry.second);
    } else {
      unique.push_back(std::move(entry));
      // Keys live in `unique`, which never reallocates (reserved above).
      if (entries.size() > 8) seen.emplace(unique.back().first, unique.size() - 1);
    }
  }
  // Array-index keys first, ascending; the rest keep their order.
  std::vector<std::pair<uint32_t, size_t>> index_keys;
  for (size_t i = 0; i < unique.size(); ++i) {
    uint32_t idx;
    if (ArrayIndex(unique[i].first, &idx)) index_keys.emplace_back(idx, i);
  }
  if (!index_keys.empty()) {
    std::sort(index_keys.begin(), index_keys.end());
    AnyObject ordered;
    ordered.reserve(unique.size());
    std::vector<bool> taken(unique.size(), false);
    for (const auto& [idx, i] : index_keys) {
      ordered.push_back(std::move(unique[i]));
      taken[i] = true;
    }
    for (size_t i = 0; i < unique.size(); ++i) {
      if (!taken[i]) ordered.push_back(std::move(unique[i]));
    }
    unique = std::move(ordered);
  }
  Any result;
  result.v_ = std::make_shared<const AnyObject>(std::move(unique));
  return result;
}

const Any* Any::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [k, v] : as_object()) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool Any::operator==(const Any& other) const {
  if (v_.index() != other.v_.index()) return false;
  return std::visit(
      Overloaded{
          [&](const Undefined&) { return true; },
          [&](const Null&) { return true; },
          [&](bool b) { return b == other.as_bool(); },
          [&](double d) {
            double e = other.as_number();
            return d == e || (std::isnan(d) && std::isnan(e));
          },
          [&](const BigInt& b) { return b.value == other.as_bigint(); },
          [&](const std::string& s) { return s == other.as_string(); },
          [&](const Bytes& b) { return b == other.as_bytes(); },
          [&](const std::shared_ptr<const AnyArray>& a) { return *a == other.as_array(); },
          [&](const std::shared_ptr<const AnyObject>& o) {
            const AnyObject& p = other.as_object();
            if (o->size() != p.size()) return false;
            for (const auto& [key, value] : *o) {
              const Any* found = other.Find(key);
              if (found == nullptr || !(*found == value)) return false;
            }
            return true;
          },
      },
      v_);
}

std::string Any::ToJson() const {
  std::string out;
  AppendJson(*this, /*js_bytes=*/false, &out);
  return out;
}

std::string Any::ToJsonLikeJs() const {
  std::string out;
  AppendJson(*this, /*js_bytes=*/true, &out);
  return out;
}

std::optional<Any> Any::FromJson(std::string_view json) {
  try {
    CheckUtf8(json);
  } catch (const DecodeError&) {
    return std::nullopt;
  }
  Any out;
  JsonParser parser(json);
  if (!parser.ParseDocument(&out)) return std::nullopt;
  return out;
}

}  // namespace accord::crdt
