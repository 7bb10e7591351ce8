#include "accord/proto/awareness.h"

#include <algorithm>
#include <string_view>

#include "varint.h"

namespace accord::proto {
namespace {

using internal::Reader;
using internal::ReadError;

// A recursive-descent checker of JSON syntax (no values are built). Depth-bounded.
class JsonChecker {
 public:
  explicit JsonChecker(std::string_view s) : s_(s) {}

  Status Check() {
    SkipSpace();
    if (!Value(0)) return Status::Corruption(error_ + " at offset " + std::to_string(pos_));
    SkipSpace();
    if (pos_ != s_.size()) {
      return Status::Corruption("unexpected text after the JSON value at offset " +
                                std::to_string(pos_));
    }
    return Status::Ok();
  }

 private:
  bool Fail(const char* why) {
    error_ = why;
    return false;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  void SkipSpace() {
    while (!AtEnd() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail("invalid literal");
    pos_ += word.size();
    return true;
  }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }
  static bool IsHex(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  bool Value(size_t depth) {
    if (depth >= kMaxAwarenessJsonDepth) return Fail("JSON nested too deeply");
    switch (Peek()) {
      case '{':
        return Object(depth + 1);
      case '[':
        return Array(depth + 1);
      case '"':
        return String();
      case 't':
        return Literal("true");
      case 'f':
        return Literal("false");
      case 'n':
        return Literal("null");
      default:
        return Number();
    }
  }

  bool Object(size_t depth) {
    ++pos_;  // '{'
    SkipSpace();
    if (Peek() == '}') return ++pos_, true;
    for (;;) {
      SkipSpace();
      if (Peek() != '"') return Fail("expected a string key");
      if (!String()) return false;
      SkipSpace();
      if (Peek() != ':') return Fail("expected ':'");
      ++pos_;
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') return ++pos_, true;
      return Fail("expected ',' or '}'");
    }
  }

  bool Array(size_t depth) {
    ++pos_;  // '['
    SkipSpace();
    if (Peek() == ']') return ++pos_, true;
    for (;;) {
      SkipSpace();
      if (!Value(depth)) return false;
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') return ++pos_, true;
      return Fail("expected ',' or ']'");
    }
  }

  bool String() {
    ++pos_;  // '"'
    while (!AtEnd()) {
      auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') return ++pos_, true;
      if (c < 0x20) return Fail("control character in string");
      if (c == '\\') {
        ++pos_;
        char e = Peek();
        if (e == 'u') {
          for (int i = 1; i <= 4; ++i) {
            if (pos_ + i >= s_.size() || !IsHex(s_[pos_ + i])) return Fail("bad \\u escape");
          }
          pos_ += 5;
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos || AtEnd()) {
          return Fail("bad escape");
        }
        ++pos_;
        continue;
      }
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      if (!Utf8Sequence()) return false;
    }
    return Fail("unterminated string");
  }

  // One multi-byte UTF-8 sequence starting at pos_ (shortest form, no surrogates, <= U+10FFFF).
  bool Utf8Sequence() {
    auto at = [&](size_t i) { return static_cast<unsigned char>(s_[pos_ + i]); };
    unsigned char c = at(0);
    size_t len;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2, cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3, cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4, cp = c & 0x07;
    } else {
      return Fail("invalid UTF-8");
    }
    if (pos_ + len > s_.size()) return Fail("invalid UTF-8");
    for (size_t i = 1; i < len; ++i) {
      if ((at(i) & 0xc0) != 0x80) return Fail("invalid UTF-8");
      cp = (cp << 6) | (at(i) & 0x3f);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return Fail("invalid UTF-8");
    }
    pos_ += len;
    return true;
  }

  bool Number() {
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (IsDigit(Peek())) {
      while (IsDigit(Peek())) ++pos_;
    } else {
      return Fail("unexpected character");
    }
    if (Peek() == '.') {
      ++pos_;
      if (!IsDigit(Peek())) return Fail("bad number");
      while (IsDigit(Peek())) ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!IsDigit(Peek())) return Fail("bad number");
      while (IsDigit(Peek())) ++pos_;
    }
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
};

bool IsNullJson(std::string_view json) {
  size_t b = json.find_first_not_of(" \t\n\r");
  size_t e = json.find_last_not_of(" \t\n\r");
  return b != std::string_view::npos && json.substr(b, e - b + 1) == "null";
}

}  // namespace

Status ValidateJson(std::string_view json) { return JsonChecker(json).Check(); }

Result<std::vector<AwarenessEntry>> DecodeAwarenessUpdate(std::span<const uint8_t> update,
                                                          size_t max_state_bytes) {
  Reader r(update);
  auto failure = [&](std::string_view what) -> Status {
    switch (r.error()) {
      case ReadError::kTooLong:
        return Status::ResourceExhausted("awareness state longer than " +
                                         std::to_string(max_state_bytes) + " bytes");
      case ReadError::kOutOfRange:
        return Status::Corruption("awareness " + std::string(what) + " out of range");
      default:
        return Status::Corruption("truncated awareness update at " + std::string(what));
    }
  };
  uint64_t count;
  if (!r.ReadVarUint(count)) return failure("count");
  std::vector<AwarenessEntry> entries;
  // Each entry takes at least three bytes, so `count` is not trusted for reserve().
  for (uint64_t i = 0; i < count; ++i) {
    AwarenessEntry e;
    if (!r.ReadVarUint(e.client_id)) return failure("client id");
    if (!r.ReadVarUint(e.clock)) return failure("clock");
    if (!r.ReadVarString(e.state_json, max_state_bytes)) return failure("state");
    if (Status s = ValidateJson(e.state_json); !s.ok()) {
      return Status::Corruption("awareness state of client " + std::to_string(e.client_id) +
                                " is not JSON: " + s.message());
    }
    entries.push_back(std::move(e));
  }
  if (r.remaining() != 0) {
    return Status::Corruption(std::to_string(r.remaining()) +
                              " trailing bytes after the awareness update");
  }
  return entries;
}

std::vector<uint8_t> EncodeAwarenessUpdate(std::span<const AwarenessEntry> entries) {
  std::vector<uint8_t> out;
  internal::WriteVarUint(out, entries.size());
  for (const AwarenessEntry& e : entries) {
    internal::WriteVarUint(out, e.client_id);
    internal::WriteVarUint(out, e.clock);
    internal::WriteVarString(out, e.state_json);
  }
  return out;
}

Result<std::vector<uint8_t>> AwarenessRegistry::Apply(uint64_t connection,
                                                      std::span<const uint8_t> update) {
  Result<std::vector<AwarenessEntry>> decoded = DecodeAwarenessUpdate(update, max_state_bytes_);
  if (!decoded.ok()) return decoded.status();
  std::vector<uint64_t> changed;
  for (AwarenessEntry& e : *decoded) {
    const bool is_null = IsNullJson(e.state_json);
    auto it = clients_.find(e.client_id);
    const bool known = it != clients_.end();
    const uint64_t current = known ? it->second.clock : 0;
    const bool has_state = known && it->second.has_state;
    if (!(current < e.clock || (current == e.clock && is_null && has_state))) continue;
    if (!known) it = clients_.emplace(e.client_id, Client{}).first;
    Client& c = it->second;
    c.clock = e.clock;
    // Never seen, and null: remembered (as y-protocols keeps its meta) but neither added,
    // updated nor removed.
    if (!known && is_null) continue;
    if (is_null) {
      if (c.has_state) --live_;
      c.has_state = false;
      std::string().swap(c.state_json);
    } else {
      if (!c.has_state) ++live_;
      c.has_state = true;
      c.state_json = std::move(e.state_json);
      c.state_json.shrink_to_fit();
      c.connection = connection;
    }
    if (std::find(changed.begin(), changed.end(), e.client_id) == changed.end()) {
      changed.push_back(e.client_id);
    }
  }
  if (changed.empty()) return std::vector<uint8_t>{};
  return EncodeClients(changed);
}

std::vector<uint8_t> AwarenessRegistry::RemoveConnection(uint64_t connection) {
  // A scan: a room has as many clients as users, and a close is rare next to the updates.
  std::vector<uint64_t> removed;
  for (auto& [client, c] : clients_) {
    if (!c.has_state || c.connection != connection) continue;
    c.has_state = false;
    std::string().swap(c.state_json);
    --live_;
    removed.push_back(client);
  }
  if (removed.empty()) return {};
  return EncodeClients(removed);
}

std::vector<uint8_t> AwarenessRegistry::EncodeAll() const {
  if (live_ == 0) return {};
  std::vector<uint64_t> clients;
  clients.reserve(live_);
  for (const auto& [client, c] : clients_) {
    if (c.has_state) clients.push_back(client);
  }
  return EncodeClients(clients);
}

std::vector<uint8_t> AwarenessRegistry::EncodeClients(const std::vector<uint64_t>& clients) const {
  std::vector<AwarenessEntry> entries;
  entries.reserve(clients.size());
  for (uint64_t client : clients) {
    auto it = clients_.find(client);
    if (it == clients_.end()) {
      entries.push_back({client, 0, std::string("null")});
    } else {
      entries.push_back(
          {client, it->second.clock, it->second.has_state ? it->second.state_json : "null"});
    }
  }
  return EncodeAwarenessUpdate(entries);
}

}  // namespace accord::proto
