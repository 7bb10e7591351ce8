#include "diff_tokens.h"

#include <algorithm>
#include <cstddef>

namespace accord::drafting::internal {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// Decodes the code point at s[i]; returns its length in bytes. A malformed or truncated
// sequence yields kInvalid and length 1, so the caller moves on byte by byte.
size_t Decode(std::string_view s, size_t i, char32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t len;
  char32_t value;
  if (b < 0x80) {
    *cp = b;
    return 1;
  } else if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
    value = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    value = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    value = b & 0x07;
  } else {
    *cp = kInvalid;
    return 1;
  }
  if (i + len > s.size()) {
    *cp = kInvalid;
    return 1;
  }
  for (size_t k = 1; k < len; ++k) {
    unsigned char c = byte(i + k);
    if ((c & 0xC0) != 0x80) {
      *cp = kInvalid;
      return 1;
    }
    value = (value << 6) | (c & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not code points.
  if ((len == 3 && value < 0x800) || (len == 4 && (value < 0x10000 || value > 0x10FFFF)) ||
      (value >= 0xD800 && value <= 0xDFFF)) {
    *cp = kInvalid;
    return 1;
  }
  *cp = value;
  return len;
}

enum class CpClass {
  kSpace,   // joins a whitespace run
  kLetter,  // joins a word
  kSingle,  // a token by itself (punctuation, markup, symbols, invalid bytes)
  kIdeo,    // a word by itself: Han and kana are written without spaces between words
  kEmoji,   // a token by itself that keeps its modifiers, variation selectors and ZWJ parts
};

bool In(char32_t cp, char32_t lo, char32_t hi) { return cp >= lo && cp <= hi; }

CpClass Classify(char32_t cp) {
  if (cp == kInvalid) return CpClass::kSingle;
  if (cp < 0x80) {
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') {
      return CpClass::kSpace;
    }
    if (In(cp, 'a', 'z') || In(cp, 'A', 'Z') || In(cp, '0', '9')) return CpClass::kLetter;
    return CpClass::kSingle;
  }
  if (cp == 0xA0 || cp == 0x1680 || In(cp, 0x2000, 0x200A) || cp == 0x2028 || cp == 0x2029 ||
      cp == 0x202F || cp == 0x205F || cp == 0x3000) {
    return CpClass::kSpace;
  }
  // Latin-1 punctuation and signs, except the letters and digits among them (ª ² ³ µ ¹ º ¼-¾).
  if (In(cp, 0xA1, 0xBF)) {
    bool letter = cp == 0xAA || cp == 0xB2 || cp == 0xB3 || cp == 0xB5 || cp == 0xB9 ||
                  cp == 0xBA || In(cp, 0xBC, 0xBE);
    return letter ? CpClass::kLetter : CpClass::kSingle;
  }
  if (cp == 0xD7 || cp == 0xF7) return CpClass::kSingle;
  if (In(cp, 0x2010, 0x2027) || In(cp, 0x2030, 0x205E) || In(cp, 0x20A0, 0x20CF) ||
      In(cp, 0x3001, 0x303F) || In(cp, 0xFF01, 0xFF0F) || In(cp, 0xFF1A, 0xFF20) ||
      In(cp, 0xFF3B, 0xFF40) || In(cp, 0xFF5B, 0xFF65)) {
    return CpClass::kSingle;
  }
  if (In(cp, 0x2190, 0x2BFF) || In(cp, 0x1F000, 0x1FAFF)) return CpClass::kEmoji;
  if (In(cp, 0x3040, 0x30FF) || In(cp, 0x31F0, 0x31FF) || In(cp, 0x3400, 0x4DBF) ||
      In(cp, 0x4E00, 0x9FFF) || In(cp, 0xF900, 0xFAFF) || In(cp, 0x20000, 0x3FFFF)) {
    return CpClass::kIdeo;
  }
  return CpClass::kLetter;  // every other non-ASCII code point: letters, marks, digits
}

// Characters that stay inside a word when letters follow them: don't, Nato’s, well-known.
bool IsWordJoiner(char32_t cp) { return cp == '\'' || cp == 0x2019 || cp == '-' || cp == 0x2010; }

// Code points that modify the emoji before them (variation selectors, skin tones, keycap).
bool IsEmojiModifier(char32_t cp) {
  return In(cp, 0xFE00, 0xFE0F) || In(cp, 0x1F3FB, 0x1F3FF) || cp == 0x20E3;
}

}  // namespace

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    size_t len = Decode(text, i, &cp);
    CpClass cls = Classify(cp);
    size_t end = i + len;
    TokenKind kind = TokenKind::kOther;
    if (cls == CpClass::kSpace) {
      kind = TokenKind::kSpace;
      while (end < text.size()) {
        char32_t next;
        size_t n = Decode(text, end, &next);
        if (Classify(next) != CpClass::kSpace) break;
        end += n;
      }
    } else if (cls == CpClass::kLetter) {
      kind = TokenKind::kWord;
      while (end < text.size()) {
        char32_t next;
        size_t n = Decode(text, end, &next);
        CpClass next_cls = Classify(next);
        if (next_cls == CpClass::kLetter) {
          end += n;
          continue;
        }
        if (!IsWordJoiner(next) || end + n >= text.size()) break;
        char32_t after;
        size_t m = Decode(text, end + n, &after);
        if (Classify(after) != CpClass::kLetter) break;
        end += n + m;
      }
    } else if (cls == CpClass::kIdeo) {
      kind = TokenKind::kWord;
    } else if (cls == CpClass::kEmoji) {
      while (end < text.size()) {
        char32_t next;
        size_t n = Decode(text, end, &next);
        if (IsEmojiModifier(next)) {
          end += n;
        } else if (next == 0x200D && end + n < text.size()) {  // ZWJ joins the next emoji
          char32_t after;
          size_t m = Decode(text, end + n, &after);
          end += n + m;
        } else {
          break;
        }
      }
    }
    tokens.push_back({kind, text.substr(i, end - i)});
    i = end;
  }
  return tokens;
}

std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    size_t len = Decode(text, i, &cp);
    if (cp == kInvalid) {
      out += "\xEF\xBF\xBD";
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::vector<uint64_t> WordBag(std::string_view text) {
  std::vector<uint64_t> bag;
  for (const Token& token : Tokenize(text)) {
    if (token.kind != TokenKind::kWord) continue;
    uint64_t hash = 14695981039346656037ull;  // FNV-1a
    for (char c : token.text) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    }
    bag.push_back(hash);
  }
  std::sort(bag.begin(), bag.end());
  return bag;
}

double Dice(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  if (a.empty() && b.empty()) return 0.0;
  size_t common = 0;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common;
      ++i;
      ++j;
    }
  }
  return 2.0 * static_cast<double>(common) / static_cast<double>(a.size() + b.size());
}

}  // namespace accord::drafting::internal
