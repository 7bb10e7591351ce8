// The string forms of the XML types (Yjs YXmlFragment/YXmlElement/YXmlText.toString) and
// JavaScript's String() for the values they hold.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "text_delta.h"
#include "text_internal.h"
#include "values.h"
#include "xml_internal.h"

namespace accord::crdt {
namespace {

constexpr std::string_view kObjectString = "[object Object]";

// Decodes one code point of valid UTF-8 at `i` and advances `i`.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  if (i + len > s.size()) len = s.size() - i;
  uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += len;
  return cp;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::u16string ToUtf16(std::string_view s) {
  std::u16string out;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = NextCodePoint(s, i);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// JavaScript's `a < b` on strings: UTF-16 code unit order, which differs from UTF-8 byte order
// for characters above U+FFFF against U+E000..U+FFFF.
bool JsLess(const std::string& a, const std::string& b) { return ToUtf16(a) < ToUtf16(b); }

void SortJsKeys(std::vector<std::pair<std::string, std::string>>& kv) {
  std::sort(kv.begin(), kv.end(),
            [](const auto& x, const auto& y) { return JsLess(x.first, y.first); });
}

void AppendJsString(const Any& v, std::string& out) {
  if (v.is_undefined()) {
    out += "undefined";
  } else if (v.is_null()) {
    out += "null";
  } else if (v.is_bool()) {
    out += v.as_bool() ? "true" : "false";
  } else if (v.is_number()) {
    const double d = v.as_number();
    if (d != d) {
      out += "NaN";
    } else if (d == HUGE_VAL) {
      out += "Infinity";
    } else if (d == -HUGE_VAL) {
      out += "-Infinity";
    } else {
      out += v.ToJson();  // JSON.stringify prints finite numbers as Number#toString does
    }
  } else if (v.is_bigint()) {
    out += std::to_string(v.as_bigint());
  } else if (v.is_string()) {
    out += v.as_string();
  } else if (v.is_bytes()) {
    const Bytes& b = v.as_bytes();
    for (size_t i = 0; i < b.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += std::to_string(b[i]);
    }
  } else if (v.is_array()) {
    const AnyArray& a = v.as_array();
    for (size_t i = 0; i < a.size(); ++i) {
      if (i > 0) out.push_back(',');
      if (!a[i].is_null() && !a[i].is_undefined()) AppendJsString(a[i], out);
    }
  } else {
    out += kObjectString;
  }
}

// String(value) for a value read from a type. Strict mode rejects null and undefined, where
// Yjs calls value.toString().
Result<std::string> ValueString(const Value& v, bool strict, bool throw_on_nullish, int depth) {
  switch (v.kind) {
    case Value::Kind::kUndefined:
      if (throw_on_nullish && strict) {
        return Status::InvalidArgument("Cannot read properties of undefined (reading 'toString')");
      }
      return std::string("undefined");
    case Value::Kind::kAny:
      if (v.any.is_null() && throw_on_nullish && strict) {
        return Status::InvalidArgument("Cannot read properties of null (reading 'toString')");
      }
      return JsString(v.any);
    case Value::Kind::kType:
      return TypeToJsString(v.type.internal(), strict, depth + 1);
    case Value::Kind::kDoc:
      return std::string(kObjectString);
  }
  return std::string();
}

// for (key in value): the enumerable keys of a JavaScript value and the value under each, as
// YXmlText.toString walks a formatting attribute. Strings enumerate their UTF-16 code units.
std::vector<std::pair<std::string, std::string>> EnumerateAttr(const Any& v) {
  std::vector<std::pair<std::string, std::string>> out;
  if (v.is_object()) {
    for (const auto& [k, e] : v.as_object()) out.emplace_back(k, JsString(e));
  } else if (v.is_array()) {
    const AnyArray& a = v.as_array();
    for (size_t i = 0; i < a.size(); ++i) out.emplace_back(std::to_string(i), JsString(a[i]));
  } else if (v.is_bytes()) {
    const Bytes& b = v.as_bytes();
    for (size_t i = 0; i < b.size(); ++i) out.emplace_back(std::to_string(i), std::to_string(b[i]));
  } else if (v.is_string()) {
    const std::u16string units = ToUtf16(v.as_string());
    for (size_t i = 0; i < units.size(); ++i) {
      uint32_t cp = units[i];
      // A lone half of a surrogate pair has no UTF-8 form; it prints as U+FFFD.
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      std::string s;
      AppendUtf8(cp, s);
      out.emplace_back(std::to_string(i), std::move(s));
    }
  }
  return out;
}

Result<std::string> XmlTextString(const AbstractType* type, bool strict, int depth) {
  std::string out;
  for (const DeltaInsert& op : TextToDelta(type)) {
    struct Node {
      std::string name;
      std::vector<std::pair<std::string, std::string>> attrs;
    };
    std::vector<Node> nodes;
    for (const auto& [name, value] : op.attributes) {
      Node node{name, EnumerateAttr(value)};
      SortJsKeys(node.attrs);
      nodes.push_back(std::move(node));
    }
    std::sort(nodes.begin(), nodes.end(),
              [](const Node& a, const Node& b) { return JsLess(a.name, b.name); });
    for (const Node& node : nodes) {
      out += "<" + node.name;
      for (const auto& [k, v] : node.attrs) out += " " + k + "=\"" + v + "\"";
      out += ">";
    }
    switch (op.kind) {
      case DeltaInsert::Kind::kString:
        out += op.text;
        break;
      case DeltaInsert::Kind::kEmbed:
        out += JsString(op.embed);
        break;
      case DeltaInsert::Kind::kType: {
        Result<std::string> s = TypeToJsString(op.type.internal(), strict, depth + 1);
        if (!s.ok()) return s.status();
        out += *s;
        break;
      }
    }
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) out += "</" + it->name + ">";
  }
  return out;
}

Result<std::string> FragmentString(const AbstractType* type, bool strict, int depth) {
  std::string out;
  for (const Item* n = type->start(); n != nullptr; n = n->right) {
    if (!n->countable() || n->deleted()) continue;
    for (uint64_t i = 0; i < n->length; ++i) {
      Result<std::string> s =
          ValueString(ItemValue(n, i), strict, /*throw_on_nullish=*/true, depth);
      if (!s.ok()) return s.status();
      out += *s;
    }
  }
  return out;
}

Result<std::string> ElementString(const AbstractType* type, bool strict, int depth) {
  std::vector<std::pair<std::string, std::string>> attrs;
  for (const auto& [key, item] : type->map_entries()) {
    // Assigning "__proto__" on a plain object does not create a key.
    if (item->deleted() || *key == "__proto__") continue;
    Result<std::string> s =
        ValueString(ItemValue(item, item->length - 1), strict, /*throw_on_nullish=*/false, depth);
    if (!s.ok()) return s.status();
    attrs.emplace_back(*key, std::move(*s));
  }
  SortJsKeys(attrs);
  const std::string name = LowerNodeName(type->node_name());
  std::string out = "<" + name;
  for (const auto& [k, v] : attrs) out += " " + k + "=\"" + v + "\"";
  out += ">";
  Result<std::string> inner = FragmentString(type, strict, depth);
  if (!inner.ok()) return inner.status();
  out += *inner;
  out += "</" + name + ">";
  return out;
}

// Letters of the scripts LowerNodeName covers (enough for the final-sigma context).
bool IsCasedLetter(uint32_t cp) {
  return (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
         (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x386 && cp <= 0x3FF) ||
         (cp >= 0x400 && cp <= 0x4FF);
}

}  // namespace

std::string JsString(const Any& value) {
  std::string out;
  AppendJsString(value, out);
  return out;
}

Result<std::string> TypeToJsString(const AbstractType* type, bool strict, int depth) {
  if (type == nullptr) return std::string();
  if (depth > kMaxXmlDepth) return Status::ResourceExhausted("document nested too deeply");
  switch (type->kind()) {
    case TypeKind::kText:
      return TextToString(type);
    case TypeKind::kXmlText:
      return XmlTextString(type, strict, depth);
    case TypeKind::kXmlElement:
      return ElementString(type, strict, depth);
    case TypeKind::kXmlFragment:
      return FragmentString(type, strict, depth);
    default:
      return std::string(kObjectString);  // Array, Map, XmlHook: no toString of their own
  }
}

// toLocaleLowerCase for the scripts node names plausibly use: ASCII, Latin-1, Latin
// Extended-A, basic Greek and Cyrillic. Other characters are kept as they are.
std::string LowerNodeName(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool after_letter = false;  // for the final-sigma rule
  for (size_t i = 0; i < name.size();) {
    uint32_t cp = NextCodePoint(name, i);
    const bool letter = IsCasedLetter(cp);
    if (cp == 0x3A3) {
      // Σ becomes final ς after a letter when no letter follows (Unicode Final_Sigma).
      size_t j = i;
      const bool letter_follows = j < name.size() && IsCasedLetter(NextCodePoint(name, j));
      AppendUtf8(after_letter && !letter_follows ? 0x3C2 : 0x3C3, out);
      after_letter = true;
      continue;
    }
    after_letter = letter;
    if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) ||
        (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) || (cp >= 0x410 && cp <= 0x42F)) {
      cp += 0x20;
    } else if (cp >= 0x400 && cp <= 0x40F) {
      cp += 0x50;
    } else if (cp == 0x130) {
      out += "i\xCC\x87";  // İ lowercases to i + combining dot above
      continue;
    } else if ((cp >= 0x100 && cp <= 0x12F) || (cp >= 0x132 && cp <= 0x137) ||
               (cp >= 0x14A && cp <= 0x177)) {
      cp |= 1;
    } else if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
      if (cp % 2 == 1) cp += 1;
    } else if (cp == 0x178) {
      cp = 0xFF;
    }
    AppendUtf8(cp, out);
  }
  return out;
}

}  // namespace accord::crdt
