// accord/server/limits.h: every size, count and time limit of accordd, in one place.
//
// Defaults suit one small VPS (1 vCPU, 1 GB). Limits that apply before a client has
// authenticated are tighter than those after. Plain data: copy it, read it from any thread.
#ifndef ACCORD_SERVER_LIMITS_H_
#define ACCORD_SERVER_LIMITS_H_

#include <chrono>
#include <cstddef>

namespace accord::server {

struct Limits {
  // Before authentication: an HTTP request line plus headers may not exceed this.
  size_t max_header_bytes = 8 * 1024;
  // Before authentication: a request body (login forms, JSON) may not exceed this.
  size_t max_unauthenticated_body_bytes = 16 * 1024;
  // After authentication: a request body (imports, API calls) may not exceed this.
  size_t max_body_bytes = 1024 * 1024;
  // Time to send a complete request head; slow-header clients are cut off after it.
  std::chrono::seconds handshake_timeout{10};
  // An HTTP keep-alive connection with no request for this long is closed.
  std::chrono::seconds idle_timeout{60};
  // Open connections in total and per remote IP address.
  size_t max_connections = 10'000;
  size_t max_connections_per_ip = 200;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_LIMITS_H_
