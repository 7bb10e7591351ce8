#include "accord/server/limits.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <variant>

namespace accord::server {
namespace {

using Ms = std::chrono::milliseconds;

// One entry per limit: its name, where it lives in Limits, and what it means.
struct LimitInfo {
  const char* name;
  std::variant<size_t Limits::*, Ms Limits::*> field;
  const char* meaning;
};

constexpr LimitInfo kLimits[] = {
    {"max_header_bytes", &Limits::max_header_bytes, "HTTP request head, before authentication"},
    {"max_unauthenticated_body_bytes", &Limits::max_unauthenticated_body_bytes,
     "HTTP body before authentication"},
    {"handshake_timeout", &Limits::handshake_timeout, "time to send a complete request head"},
    {"max_connections", &Limits::max_connections, "open connections in total"},
    {"max_connections_per_ip", &Limits::max_connections_per_ip,
     "open connections per remote address"},
    {"login_failures_per_account", &Limits::login_failures_per_account,
     "failed sign-ins per account per 15 minutes before 429"},
    {"login_failures_per_ip", &Limits::login_failures_per_ip,
     "failed sign-ins per address per 15 minutes before 429"},
    {"link_requests_per_ip", &Limits::link_requests_per_ip,
     "calls to the public invitation/reset link endpoints per address per hour"},
    {"adherence_requests_per_ip", &Limits::adherence_requests_per_ip,
     "requests to adhere to a statement per address per hour"},
    {"adherence_difficulty_bits", &Limits::adherence_difficulty_bits,
     "proof-of-work of a request to adhere, in leading zero bits of SHA-256 (at most 32)"},
    {"adherence_pending_per_statement", &Limits::adherence_pending_per_statement,
     "requests to adhere awaiting review per statement"},
    {"invitation_lifetime", &Limits::invitation_lifetime, "how long an invitation link works"},
    {"password_reset_lifetime", &Limits::password_reset_lifetime,
     "how long a password reset link works"},
    {"session_idle_timeout", &Limits::session_idle_timeout, "unused browser session ends"},
    {"session_lifetime", &Limits::session_lifetime, "browser session ends after sign-in"},
    {"max_body_bytes", &Limits::max_body_bytes, "HTTP body after authentication"},
    {"idle_timeout", &Limits::idle_timeout, "idle HTTP keep-alive connection"},
    {"max_message_bytes", &Limits::max_message_bytes, "one WebSocket message (close 1009)"},
    {"max_document_bytes", &Limits::max_document_bytes, "encoded state of one document"},
    {"send_queue_bytes", &Limits::send_queue_bytes,
     "unread bytes queued behind the message being written before the socket is dropped"},
    {"awareness_state_bytes", &Limits::awareness_state_bytes, "one client's awareness JSON"},
    {"websocket_idle_timeout", &Limits::websocket_idle_timeout, "silent WebSocket"},
    {"room_idle_unload", &Limits::room_idle_unload, "unload a document nobody uses"},
    {"commit_interval", &Limits::commit_interval, "group commit window"},
    {"max_pending_commit_bytes", &Limits::max_pending_commit_bytes,
     "accepted updates waiting for the disk before reads pause"},
};

Result<uint64_t> ParseNumber(std::string_view text, std::string_view* suffix) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end == text.data()) {
    return Status::InvalidArgument("'" + std::string(text) + "' is not a number");
  }
  *suffix = text.substr(static_cast<size_t>(end - text.data()));
  return n;
}

Result<size_t> ParseSize(std::string_view text) {
  std::string_view suffix;
  auto n = ParseNumber(text, &suffix);
  if (!n.ok()) return n.status();
  uint64_t scale = 1;
  if (suffix == "K" || suffix == "k" || suffix == "KiB") {
    scale = 1024;
  } else if (suffix == "M" || suffix == "MiB") {
    scale = 1024 * 1024;
  } else if (suffix == "G" || suffix == "GiB") {
    scale = 1024ull * 1024 * 1024;
  } else if (!suffix.empty() && suffix != "B") {
    return Status::InvalidArgument("unknown size unit '" + std::string(suffix) +
                                   "' (use K, M or G)");
  }
  if (*n > std::numeric_limits<uint64_t>::max() / scale) {
    return Status::InvalidArgument("size too large");
  }
  return static_cast<size_t>(*n * scale);
}

Result<Ms> ParseDuration(std::string_view text) {
  std::string_view suffix;
  auto n = ParseNumber(text, &suffix);
  if (!n.ok()) return n.status();
  uint64_t scale;
  if (suffix == "ms") {
    scale = 1;
  } else if (suffix == "s") {
    scale = 1000;
  } else if (suffix == "m" || suffix == "min") {
    scale = 60'000;
  } else if (suffix == "h") {
    scale = 3'600'000;
  } else {
    return Status::InvalidArgument("a duration needs a unit: ms, s, m or h (got '" +
                                   std::string(text) + "')");
  }
  if (*n > (uint64_t{1} << 40) / scale) return Status::InvalidArgument("duration too long");
  return Ms(static_cast<int64_t>(*n * scale));
}

}  // namespace

Status SetLimit(Limits& limits, std::string_view name, std::string_view value) {
  for (const LimitInfo& info : kLimits) {
    if (name != info.name) continue;
    if (auto* size_field = std::get_if<size_t Limits::*>(&info.field)) {
      auto v = ParseSize(value);
      if (!v.ok())
        return Status::InvalidArgument("limit " + std::string(name) + ": " + v.status().message());
      if (*v == 0) return Status::InvalidArgument("limit " + std::string(name) + " must be > 0");
      limits.*(*size_field) = *v;
    } else {
      auto v = ParseDuration(value);
      if (!v.ok())
        return Status::InvalidArgument("limit " + std::string(name) + ": " + v.status().message());
      limits.*(std::get<Ms Limits::*>(info.field)) = *v;
    }
    return Status::Ok();
  }
  return Status::InvalidArgument("unknown limit '" + std::string(name) +
                                 "' (accordd --help lists them)");
}

Status SetLimitFromFlag(Limits& limits, std::string_view flag) {
  size_t eq = flag.find('=');
  if (eq == std::string_view::npos) {
    return Status::InvalidArgument("--limit needs NAME=VALUE, got '" + std::string(flag) + "'");
  }
  return SetLimit(limits, flag.substr(0, eq), flag.substr(eq + 1));
}

std::string DescribeLimits() {
  const Limits defaults;
  std::string out;
  for (const LimitInfo& info : kLimits) {
    std::string value;
    if (auto* size_field = std::get_if<size_t Limits::*>(&info.field)) {
      value = std::to_string(defaults.*(*size_field));
    } else {
      value = std::to_string((defaults.*(std::get<Ms Limits::*>(info.field))).count()) + "ms";
    }
    out += "  " + std::string(info.name) + " (default " + value + "): " + info.meaning + "\n";
  }
  return out;
}

}  // namespace accord::server
