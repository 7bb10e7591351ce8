#include "router.h"

#include <boost/json.hpp>

#include "static_files.h"

namespace accord::server {
namespace {

std::string_view PathOf(std::string_view target) {
  size_t end = target.find_first_of("?#");
  return end == std::string_view::npos ? target : target.substr(0, end);
}

bool IsReadMethod(std::string_view method) { return method == "GET" || method == "HEAD"; }

HttpResponse MethodNotAllowed(std::string_view path, std::string_view allow) {
  HttpResponse r =
      Problem(405, "method-not-allowed", "Method not allowed",
              std::string(path.substr(0, 200)) + " answers " + std::string(allow) + " only");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

HttpResponse NotFound(std::string_view path) {
  return Problem(404, "not-found", "Not found",
                 "no resource at " + std::string(path.substr(0, 200)));
}

}  // namespace

HttpResponse Problem(int status, std::string_view type, std::string_view title,
                     std::string_view detail) {
  boost::json::object body;
  body["type"] = "/problems/" + std::string(type);
  body["title"] = title;
  body["status"] = status;
  body["detail"] = detail;
  HttpResponse r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(body);
  return r;
}

HttpResponse Router::Handle(const HttpRequest& request) const {
  std::string_view path = PathOf(request.target);
  bool read_method = IsReadMethod(request.method);

  if (path == "/healthz") {
    if (!read_method) return MethodNotAllowed(path, "GET, HEAD");
    HttpResponse r;
    r.body = "ok\n";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  if (path == "/metrics" && options_.metrics != nullptr) {
    if (!read_method) return MethodNotAllowed(path, "GET, HEAD");
    Gauges gauges = options_.gauges ? options_.gauges() : Gauges{};
    HttpResponse r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = RenderPrometheus(*options_.metrics, gauges);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }

  // WebSocket upgrades never get here (the session takes them), so whatever reaches /ws is a
  // client that forgot, or a proxy that dropped, the Upgrade header.
  if (path == "/ws" || path.starts_with("/ws/")) {
    if (request.method != "GET") return MethodNotAllowed(path, "GET");
    HttpResponse r = Problem(426, "upgrade-required", "Upgrade required",
                             "this path serves WebSocket connections only; a reverse proxy "
                             "in front of accordd must forward the Upgrade header");
    r.headers.emplace_back("Upgrade", "websocket");  // RFC 9110 15.5.22: 426 names it
    return r;
  }

  if (options_.static_files != nullptr) {
    if (!read_method) return MethodNotAllowed(path, "GET, HEAD");
    return options_.static_files->Serve(request);
  }
  return NotFound(path);
}

}  // namespace accord::server
