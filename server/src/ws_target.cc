#include "ws_target.h"

#include "accord/proto/document_name.h"

namespace accord::server {
namespace {

constexpr std::string_view kPrefix = "/ws/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes (and '+' as a space in query values, as forms encode it).
Result<std::string> PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) {
        return Status::InvalidArgument("truncated percent-escape in the request target");
      }
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("malformed percent-escape in the request target");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

bool IsWsTarget(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  return path == "/ws" || path.starts_with(kPrefix);
}

Result<WsTarget> ParseWsTarget(std::string_view target) {
  size_t q = target.find('?');
  std::string_view path = target.substr(0, q);
  std::string_view query = q == std::string_view::npos ? "" : target.substr(q + 1);
  if (!path.starts_with(kPrefix) || path.size() == kPrefix.size()) {
    return Status::InvalidArgument("the address must name a document: /ws/<document-name>");
  }
  std::string_view raw_name = path.substr(kPrefix.size());
  if (raw_name.find('/') != std::string_view::npos) {
    return Status::InvalidArgument("a document name is one path segment (no '/')");
  }
  auto name = PercentDecode(raw_name, false);
  if (!name.ok()) return name.status();
  Status valid = proto::ValidateDocumentName(*name);
  if (!valid.ok()) return valid;

  WsTarget out;
  out.document = std::move(*name);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? "" : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    std::string_view raw_value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    auto value = PercentDecode(raw_value, true);
    if (!value.ok()) return value.status();
    if (key == "token") {
      out.token = std::move(*value);
    } else if (key == "ext") {
      // A comma-separated list; unknown extensions are ignored.
      std::string_view list = *value;
      while (!list.empty()) {
        size_t comma = list.find(',');
        if (list.substr(0, comma) == "saved") out.wants_saved = true;
        list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
      }
    }
    // Other parameters (y-websocket adds its own params when asked to) are ignored.
  }
  return out;
}

std::string BearerToken(std::string_view authorization) {
  constexpr std::string_view kScheme = "bearer ";
  if (authorization.size() <= kScheme.size()) return "";
  for (size_t i = 0; i < kScheme.size(); ++i) {
    char c = authorization[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kScheme[i]) return "";
  }
  std::string_view token = authorization.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return std::string(token);
}

}  // namespace accord::server
