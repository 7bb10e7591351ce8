// ws_target.h: reads a WebSocket upgrade target "/ws/<name>?token=...&ext=saved".
//
// Pure and Beast-free so that it can be tested without sockets. Percent-escapes in the name and
// query are decoded before validation (proto/document_name.h decides which names exist).
#ifndef ACCORD_SERVER_WS_TARGET_H_
#define ACCORD_SERVER_WS_TARGET_H_

#include <string>
#include <string_view>

#include "accord/status.h"

namespace accord::server {

struct WsTarget {
  std::string document;  // validated name
  std::string token;     // from ?token=, empty if absent
  bool wants_saved = false;
};

// Whether `target` addresses the WebSocket endpoint at all ("/ws/..." or "/ws").
bool IsWsTarget(std::string_view target);

// InvalidArgument, with a message fit for the client, for a missing or invalid document name
// or a malformed escape.
Result<WsTarget> ParseWsTarget(std::string_view target);

// The token of an "Authorization: Bearer <token>" header value, or empty.
std::string BearerToken(std::string_view authorization);

}  // namespace accord::server

#endif  // ACCORD_SERVER_WS_TARGET_H_
