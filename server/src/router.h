// router.h: maps an HTTP request to a response, without any networking types.
//
// http_session.cc translates Beast messages to and from these plain structs, so the routes can
// be unit-tested without sockets and without compiling Beast. Thread-safe: a Router holds only
// immutable configuration.
#ifndef ACCORD_SERVER_ROUTER_H_
#define ACCORD_SERVER_ROUTER_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace accord::server {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // path and query, as sent
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

class Router {
 public:
  Router() = default;
  HttpResponse Handle(const HttpRequest& request) const;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_ROUTER_H_
