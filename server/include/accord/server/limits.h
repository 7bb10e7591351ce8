// accord/server/limits.h: every size, count and time limit of accordd, in one place.
//
// Defaults suit one small VPS (1 vCPU, 1 GB). Limits that apply before a client has
// authenticated are tighter than those after. Each limit has a name, settable with
// `accordd --limit NAME=VALUE` or in the config file's [limits] table (see SetLimit).
// Plain data: copy it, read it from any thread.
#ifndef ACCORD_SERVER_LIMITS_H_
#define ACCORD_SERVER_LIMITS_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "accord/status.h"

namespace accord::server {

struct Limits {
  // --- Before authentication ---
  // max_header_bytes: an HTTP request line plus headers (the WebSocket upgrade included).
  size_t max_header_bytes = 8 * 1024;
  // max_unauthenticated_body_bytes: a request body before the client is known (login forms).
  size_t max_unauthenticated_body_bytes = 16 * 1024;
  // handshake_timeout: time to send a complete request head; slow-header clients are cut off.
  std::chrono::milliseconds handshake_timeout{10'000};
  // max_connections / max_connections_per_ip: open TCP connections in total and per address.
  size_t max_connections = 10'000;
  size_t max_connections_per_ip = 200;
  // login_failures_per_account / login_failures_per_ip: failed sign-ins allowed per 15 minutes
  // for one account and from one address; beyond, HTTP 429 with a backoff that doubles up to
  // 15 minutes.
  size_t login_failures_per_account = 5;
  size_t login_failures_per_ip = 20;
  // link_requests_per_ip: calls per hour from one address to the public link endpoints
  // (inspect or accept an invitation, request or complete a password reset).
  size_t link_requests_per_ip = 10;
  // adherence_requests_per_ip: requests to adhere to a statement (its public form) per hour
  // from one address, whatever their outcome; beyond, HTTP 429 with a backoff.
  size_t adherence_requests_per_ip = 5;
  // adherence_difficulty_bits: the proof-of-work a request to adhere costs: leading zero bits
  // of SHA-256 its sender must find, about 2^n hashes (18: a fraction of a second in a browser,
  // a real cost in bulk). At most 32. Tests use a few bits.
  size_t adherence_difficulty_bits = 18;
  // adherence_pending_per_statement: requests to adhere awaiting the secretariat's review per
  // statement; beyond, new ones are refused (409 queue-full) until some are decided.
  size_t adherence_pending_per_statement = 100;
  // invitation_lifetime / password_reset_lifetime: how long a one-time link works.
  std::chrono::milliseconds invitation_lifetime{std::chrono::hours(24 * 7)};
  std::chrono::milliseconds password_reset_lifetime{std::chrono::hours(2)};

  // --- Sessions ---
  // session_idle_timeout: a browser session unused for this long ends.
  std::chrono::milliseconds session_idle_timeout{std::chrono::hours(12)};
  // session_lifetime: a browser session ends this long after sign-in, however active.
  std::chrono::milliseconds session_lifetime{std::chrono::hours(24 * 14)};

  // --- After authentication ---
  // max_body_bytes: an HTTP request body (imports, API calls).
  size_t max_body_bytes = 1024 * 1024;
  // idle_timeout: an HTTP keep-alive connection with no request for this long is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  // max_message_bytes: one WebSocket message (a sync update); larger ones close with 1009.
  // y-websocket sends a whole document state in one message when it first syncs, so this
  // bounds the largest document a client can bring in at once.
  size_t max_message_bytes = 16 * 1024 * 1024;
  // max_document_bytes: the encoded state of one document; updates that would grow it beyond
  // this are refused (the client is told why) and not stored.
  size_t max_document_bytes = 64 * 1024 * 1024;
  // send_queue_bytes: bytes queued for one socket behind the message being written; a client
  // that falls this far behind is dropped (no close frame: it would not read it) rather than
  // buffered without bound. One message larger than this (a big document's sync step 2) is fine.
  size_t send_queue_bytes = 8 * 1024 * 1024;
  // awareness_state_bytes: the JSON of one client's awareness state (cursor, name, colour).
  size_t awareness_state_bytes = 16 * 1024;
  // websocket_idle_timeout: a socket that sends nothing (not even awareness renewals, which
  // y-websocket sends every 15 s) for this long is closed.
  std::chrono::milliseconds websocket_idle_timeout{120'000};
  // room_idle_unload: a document with no connection is unloaded from memory after this long.
  std::chrono::milliseconds room_idle_unload{60'000};
  // commit_interval: the group commit gathers updates for up to this long (one SQLite
  // transaction for all of them) before making them durable and reporting them saved.
  std::chrono::milliseconds commit_interval{5};
  // max_pending_commit_bytes: updates accepted but not yet durable; above this, sessions stop
  // reading from their sockets until the disk catches up (backpressure, not buffering).
  size_t max_pending_commit_bytes = 32 * 1024 * 1024;
};

// Sets the limit called `name` from `value`: sizes accept a plain number of bytes or a K/M/G
// suffix ("64K", "16M"); durations a number with ms/s/m/h ("250ms", "10s"). InvalidArgument
// names the limit and what was wrong.
Status SetLimit(Limits& limits, std::string_view name, std::string_view value);
// Parses "NAME=VALUE" (the --limit flag).
Status SetLimitFromFlag(Limits& limits, std::string_view flag);
// One line per limit: name, default and meaning; for --help and the docs.
std::string DescribeLimits();

}  // namespace accord::server

#endif  // ACCORD_SERVER_LIMITS_H_
