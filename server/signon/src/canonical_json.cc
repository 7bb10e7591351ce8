#include "accord/signon/canonical_json.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "utf8.h"

namespace accord::signon {

// DEL, U+2028 and all non-ASCII stay themselves, as in JSON.stringify.
void AppendJsonString(std::string_view utf8, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : utf8) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

namespace {

// One object member: its name (UTF-8) and its value already in canonical form.
using Member = std::pair<std::string, std::string>;

// Sorts members by the UTF-16 code units of their names (RFC 8785 section 3.2.3) — which differs
// from UTF-8 byte order for names mixing U+E000..U+FFFF with characters beyond the BMP — and
// writes the object. Equal names are refused: JCS input must not have duplicates.
Status WriteObject(std::vector<Member>& members, std::string& out) {
  std::vector<std::pair<std::u16string, size_t>> order;
  order.reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i) order.emplace_back(Utf8ToUtf16(members[i].first), i);
  std::sort(order.begin(), order.end());
  out.push_back('{');
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0 && order[i].first == order[i - 1].first) {
      return Status::InvalidArgument("JSON object has a duplicate member name \"" +
                                     members[order[i].second].first + "\"");
    }
    if (i > 0) out.push_back(',');
    const Member& m = members[order[i].second];
    AppendJsonString(m.first, out);
    out.push_back(':');
    out += m.second;
  }
  out.push_back('}');
  return Status::Ok();
}

// A strict RFC 8259 parser that writes the canonical form as it goes (objects are buffered to
// be sorted). Recursion is bounded by kMaxJsonDepth.
class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  Result<std::string> Run() {
    std::string out;
    SkipWhitespace();
    if (Status s = Value(0, out); !s.ok()) return s;
    SkipWhitespace();
    if (pos_ != in_.size()) return Fail("unexpected characters after the JSON value");
    return out;
  }

 private:
  Status Fail(std::string_view what) const {
    return Status::InvalidArgument("JSON at byte " + std::to_string(pos_) + ": " +
                                   std::string(what));
  }

  void SkipWhitespace() {
    while (pos_ < in_.size() &&
           (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view word) {
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status Value(int depth, std::string& out) {
    if (pos_ >= in_.size()) return Fail("unexpected end of input");
    char c = in_[pos_];
    if (c == '{' || c == '[') {
      if (depth >= kMaxJsonDepth) {
        return Status::ResourceExhausted("JSON nests deeper than " + std::to_string(kMaxJsonDepth));
      }
      return c == '{' ? Object(depth + 1, out) : Array(depth + 1, out);
    }
    if (c == '"') {
      std::string s;
      if (Status st = String(s); !st.ok()) return st;
      AppendJsonString(s, out);
      return Status::Ok();
    }
    if (c == '-' || (c >= '0' && c <= '9')) return Number(out);
    for (std::string_view word : {"true", "false", "null"}) {
      if (Consume(word)) {
        out += word;
        return Status::Ok();
      }
    }
    return Fail("expected a JSON value");
  }

  Status Array(int depth, std::string& out) {
    ++pos_;  // '['
    out.push_back('[');
    SkipWhitespace();
    if (Consume("]")) {
      out.push_back(']');
      return Status::Ok();
    }
    for (bool first = true;; first = false) {
      if (!first) out.push_back(',');
      SkipWhitespace();
      if (Status s = Value(depth, out); !s.ok()) return s;
      SkipWhitespace();
      if (Consume("]")) break;
      if (!Consume(",")) return Fail("expected ',' or ']' in an array");
    }
    out.push_back(']');
    return Status::Ok();
  }

  Status Object(int depth, std::string& out) {
    ++pos_;  // '{'
    std::vector<Member> members;
    SkipWhitespace();
    if (!Consume("}")) {
      for (;;) {
        SkipWhitespace();
        if (pos_ >= in_.size() || in_[pos_] != '"') return Fail("expected a member name");
        Member m;
        if (Status s = String(m.first); !s.ok()) return s;
        SkipWhitespace();
        if (!Consume(":")) return Fail("expected ':' after a member name");
        SkipWhitespace();
        if (Status s = Value(depth, m.second); !s.ok()) return s;
        members.push_back(std::move(m));
        SkipWhitespace();
        if (Consume("}")) break;
        if (!Consume(",")) return Fail("expected ',' or '}' in an object");
      }
    }
    return WriteObject(members, out);
  }

  // Four hex digits of a \u escape at pos_.
  bool Hex4(char32_t& unit) {
    if (in_.size() - pos_ < 4) return false;
    unit = 0;
    for (int i = 0; i < 4; ++i) {
      char c = in_[pos_ + i];
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      if (d < 0) return false;
      unit = unit * 16 + d;
    }
    pos_ += 4;
    return true;
  }

  // Decodes a string literal at pos_ into UTF-8, refusing raw controls, invalid UTF-8 and
  // unpaired surrogate escapes.
  Status String(std::string& decoded) {
    ++pos_;  // '"'
    for (;;) {
      if (pos_ >= in_.size()) return Fail("unterminated string");
      auto u = static_cast<unsigned char>(in_[pos_]);
      if (u == '"') {
        ++pos_;
        return Status::Ok();
      }
      if (u < 0x20) return Fail("unescaped control character in a string");
      if (u != '\\') {
        size_t start = pos_;
        char32_t cp;
        if (!DecodeUtf8(in_, pos_, cp)) return Fail("invalid UTF-8");
        decoded.append(in_.substr(start, pos_ - start));
        continue;
      }
      ++pos_;
      if (pos_ >= in_.size()) return Fail("unterminated escape");
      char e = in_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          decoded.push_back(e);
          break;
        case 'b':
          decoded.push_back('\b');
          break;
        case 'f':
          decoded.push_back('\f');
          break;
        case 'n':
          decoded.push_back('\n');
          break;
        case 'r':
          decoded.push_back('\r');
          break;
        case 't':
          decoded.push_back('\t');
          break;
        case 'u': {
          char32_t unit;
          if (!Hex4(unit)) return Fail("bad \\u escape");
          if (unit >= 0xDC00 && unit <= 0xDFFF) return Fail("lone low surrogate escape");
          if (unit >= 0xD800 && unit <= 0xDBFF) {
            char32_t low;
            if (!Consume("\\u") || !Hex4(low) || low < 0xDC00 || low > 0xDFFF) {
              return Fail("lone high surrogate escape");
            }
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
          }
          AppendUtf8(unit, decoded);
          break;
        }
        default:
          return Fail("unknown escape in a string");
      }
    }
  }

  // Parses the RFC 8259 number grammar and writes it as ECMAScript would after JSON.parse.
  Status Number(std::string& out) {
    size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    Consume("-");
    size_t int_start = pos_;
    size_t int_digits = digits();
    if (int_digits == 0) return Fail("a number needs digits");
    if (int_digits > 1 && in_[int_start] == '0') return Fail("leading zero in a number");
    if (Consume(".") && digits() == 0) return Fail("a fraction needs digits");
    if (pos_ < in_.size() && (in_[pos_] == 'e' || in_[pos_] == 'E')) {
      ++pos_;
      if (!Consume("+")) Consume("-");
      if (digits() == 0) return Fail("an exponent needs digits");
    }
    std::string_view text = in_.substr(start, pos_ - start);
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) {
      // Too small for a double rounds to zero (as in ECMAScript); too large has no JCS form.
      if (!IsTiny(text)) return Fail("number is out of the range of a double");
      value = 0;
    } else if (ec != std::errc() || end != text.data() + text.size()) {
      return Fail("malformed number");
    }
    out += FormatJsonNumber(value);
    return Status::Ok();
  }

  // Whether a valid, non-zero JSON number literal has magnitude below 1 (its leading non-zero
  // digit sits at a negative decimal power): only then can it be out of range by underflow.
  static bool IsTiny(std::string_view text) {
    if (!text.empty() && text[0] == '-') text.remove_prefix(1);
    size_t e = text.find_first_of("eE");
    std::string_view mantissa = text.substr(0, e);
    int64_t exponent = 0;
    if (e != std::string_view::npos) {
      std::string_view ex = text.substr(e + 1);
      bool negative = !ex.empty() && ex[0] == '-';
      if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) ex.remove_prefix(1);
      for (char c : ex) exponent = std::min<int64_t>(exponent * 10 + (c - '0'), 1'000'000'000);
      if (negative) exponent = -exponent;
    }
    size_t dot = mantissa.find('.');
    std::string_view whole = mantissa.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? "" : mantissa.substr(dot + 1);
    size_t nz = whole.find_first_not_of('0');
    int64_t power;
    if (nz != std::string_view::npos) {
      power = static_cast<int64_t>(whole.size() - nz) - 1;
    } else {
      size_t fnz = frac.find_first_not_of('0');
      if (fnz == std::string_view::npos) return true;  // zero: never out of range anyway
      power = -static_cast<int64_t>(fnz) - 1;
    }
    return power + exponent < 0;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

Status CanonicalValue(const boost::json::value& v, int depth, std::string& out) {
  switch (v.kind()) {
    case boost::json::kind::null:
      out += "null";
      return Status::Ok();
    case boost::json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return Status::Ok();
    case boost::json::kind::int64:
      out += FormatJsonNumber(static_cast<double>(v.get_int64()));
      return Status::Ok();
    case boost::json::kind::uint64:
      out += FormatJsonNumber(static_cast<double>(v.get_uint64()));
      return Status::Ok();
    case boost::json::kind::double_:
      if (!std::isfinite(v.get_double())) {
        return Status::InvalidArgument("JSON number is NaN or infinite");
      }
      out += FormatJsonNumber(v.get_double());
      return Status::Ok();
    case boost::json::kind::string: {
      std::string_view s = v.get_string();
      if (!IsValidUtf8(s)) return Status::InvalidArgument("JSON string is not valid UTF-8");
      AppendJsonString(s, out);
      return Status::Ok();
    }
    case boost::json::kind::array: {
      if (depth >= kMaxJsonDepth) {
        return Status::ResourceExhausted("JSON nests deeper than " + std::to_string(kMaxJsonDepth));
      }
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        if (Status s = CanonicalValue(item, depth + 1, out); !s.ok()) return s;
      }
      out.push_back(']');
      return Status::Ok();
    }
    case boost::json::kind::object: {
      if (depth >= kMaxJsonDepth) {
        return Status::ResourceExhausted("JSON nests deeper than " + std::to_string(kMaxJsonDepth));
      }
      std::vector<Member> members;
      for (const auto& kv : v.get_object()) {
        std::string_view key = kv.key();
        if (!IsValidUtf8(key)) return Status::InvalidArgument("JSON member name is not UTF-8");
        Member m{std::string(key), {}};
        if (Status s = CanonicalValue(kv.value(), depth + 1, m.second); !s.ok()) return s;
        members.push_back(std::move(m));
      }
      return WriteObject(members, out);
    }
  }
  return Status::Internal("unknown Boost.JSON kind");
}

}  // namespace

Result<std::string> CanonicalizeJson(std::string_view json_text) { return Parser(json_text).Run(); }

Result<std::string> CanonicalizeJsonValue(const boost::json::value& value) {
  std::string out;
  if (Status s = CanonicalValue(value, 0, out); !s.ok()) return s;
  return out;
}

std::string FormatJsonNumber(double value) {
  if (value == 0) return "0";  // both zeros
  std::string out;
  if (value < 0) {
    out.push_back('-');
    value = -value;
  }
  // The shortest digits that round-trip, as d.ddde±x; ECMAScript (section 6.1.6.1.20) picks the
  // same digits (fewest, then closest) and only lays them out differently.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, end - buf);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp10);
  const int k = static_cast<int>(digits.size());
  const int n = exp10 + 1;  // the value is 0.digits × 10^n
  if (k <= n && n <= 21) {
    out += digits;
    out.append(n - k, '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, n);
    out.push_back('.');
    out += digits.substr(n);
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(-n, '0');
    out += digits;
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out += digits.substr(1);
    }
    out.push_back('e');
    out.push_back(n - 1 >= 0 ? '+' : '-');
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace accord::signon
