#include "http_session.h"

#include "router.h"

namespace accord::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

HttpSession::HttpSession(net::ip::tcp::socket&& socket, std::shared_ptr<SharedState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {}

HttpSession::~HttpSession() { state_->RemoveConnection(); }

void HttpSession::Run() {
  net::dispatch(stream_.get_executor(),
                beast::bind_front_handler(&HttpSession::DoRead, shared_from_this()));
}

void HttpSession::DoRead() {
  const Limits& limits = state_->limits();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser_->body_limit(limits.max_unauthenticated_body_bytes);
  // The first request must arrive within the handshake timeout (slow-header defence); later
  // ones on a kept-alive connection within the idle timeout.
  stream_.expires_after(first_request_ ? limits.handshake_timeout : limits.idle_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::OnRead, shared_from_this()));
}

void HttpSession::OnRead(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == net::error::operation_aborted) {
    return DoClose();
  }
  if (ec == http::error::header_limit) {
    return SendError(http::status::request_header_fields_too_large, "header-too-large",
                     "Request header too large", "the request head exceeds the server's limit");
  }
  if (ec == http::error::body_limit) {
    return SendError(http::status::payload_too_large, "body-too-large", "Request body too large",
                     "the request body exceeds the server's limit");
  }
  if (ec) {
    return SendError(http::status::bad_request, "bad-request", "Bad request",
                     "the request is not valid HTTP/1.1: " + ec.message());
  }
  first_request_ = false;
  auto& req = parser_->get();
  HttpRequest request{std::string(req.method_string()), std::string(req.target())};
  HttpResponse out = state_->router().Handle(request);

  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(out.status), req.version());
  res->set(http::field::server, "accordd");
  res->set(http::field::content_type, out.content_type);
  for (auto& [name, value] : out.headers) res->set(name, value);
  res->keep_alive(req.keep_alive());
  res->body() = std::move(out.body);
  res->prepare_payload();
  if (req.method() == http::verb::head) res->body().clear();  // Content-Length stays
  bool keep_alive = res->keep_alive();
  response_ = res;
  http::async_write(
      stream_, *res,
      beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(), keep_alive));
}

void HttpSession::SendError(http::status status, const char* type, const char* title,
                            const std::string& detail) {
  HttpResponse out = Problem(static_cast<int>(status), type, title, detail);
  auto res = std::make_shared<http::response<http::string_body>>(status, 11);
  res->set(http::field::server, "accordd");
  res->set(http::field::content_type, out.content_type);
  res->keep_alive(false);
  res->body() = std::move(out.body);
  res->prepare_payload();
  response_ = res;
  http::async_write(stream_, *res,
                    beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(), false));
}

void HttpSession::OnWrite(bool keep_alive, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec || !keep_alive) return DoClose();
  DoRead();
}

void HttpSession::DoClose() {
  beast::error_code ignored;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  stream_.socket().close(ignored);
}

}  // namespace accord::server
