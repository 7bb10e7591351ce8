// router.h: maps an HTTP request to a response, without any networking types.
//
// http_session.cc translates Beast messages to and from these plain structs, so the routes can
// be unit-tested without sockets and without compiling Beast. WebSocket upgrades are taken by
// the session before the router sees them; the router answers everything else:
//
//   GET /healthz   "ok"                      (liveness probe)
//   GET /metrics   Prometheus text           (when a Metrics is configured)
//   GET /ws/...    426 Upgrade Required      (a plain GET where a WebSocket was expected)
//   GET /...       the web client's files    (when a StaticFiles is configured), else 404
//
// Thread-safe: a Router holds only immutable configuration; the Metrics it points to is
// atomic and the gauges callback must be callable from any thread.
#ifndef ACCORD_SERVER_ROUTER_H_
#define ACCORD_SERVER_ROUTER_H_

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics.h"

namespace accord::server {

class StaticFiles;

struct HttpRequest {
  std::string method;              // "GET", "HEAD", ...
  std::string target;              // path and query, as sent
  std::string if_none_match = {};  // the If-None-Match header, empty if absent
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// An RFC 9457 problem+json response with a stable `type` URI under /problems/.
HttpResponse Problem(int status, std::string_view type, std::string_view title,
                     std::string_view detail);

struct RouterOptions {
  // Counters for GET /metrics; null: /metrics answers 404. Must outlive the Router.
  const Metrics* metrics = nullptr;
  // Gauges owned elsewhere (connections, loaded documents), read at each /metrics request;
  // empty: zeros.
  std::function<Gauges()> gauges = {};
  // The web client; null: only the API routes exist.
  std::shared_ptr<const StaticFiles> static_files = {};
};

class Router {
 public:
  Router() = default;
  explicit Router(RouterOptions options) : options_(std::move(options)) {}

  HttpResponse Handle(const HttpRequest& request) const;

 private:
  RouterOptions options_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_ROUTER_H_
