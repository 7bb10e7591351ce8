#include "router.h"

#include <boost/json.hpp>

namespace accord::server {
namespace {

std::string_view PathOf(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
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
  bool read_method = request.method == "GET" || request.method == "HEAD";
  if (path == "/healthz") {
    if (!read_method) {
      HttpResponse r = Problem(405, "method-not-allowed", "Method not allowed",
                               "/healthz answers GET and HEAD only");
      r.headers.emplace_back("Allow", "GET, HEAD");
      return r;
    }
    HttpResponse r;
    r.body = "ok\n";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  return Problem(404, "not-found", "Not found",
                 "no resource at " + std::string(path.substr(0, 200)));
}

}  // namespace accord::server
