#include "http_session.h"

#include "accord/server/limits.h"
#include "commit_queue.h"
#include "log.h"
#include "room.h"
#include "room_registry.h"
#include "router.h"
#include "token_store.h"
#include "websocket_session.h"
#include "ws_target.h"

namespace accord::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace websocket = beast::websocket;

HttpSession::HttpSession(net::ip::tcp::socket&& socket, std::shared_ptr<SharedState> state,
                         ConnectionSlot slot)
    : stream_(std::move(socket)), state_(std::move(state)), slot_(std::move(slot)) {}

HttpSession::~HttpSession() = default;

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
  if (websocket::is_upgrade(req)) return Upgrade(parser_->release());
  HttpRequest request{std::string(req.method_string()), std::string(req.target()),
                      std::string(req[http::field::if_none_match])};
  HttpResponse out = state_->router().Handle(request);

  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(out.status), req.version());
  res->set(http::field::server, "accordd");
  res->set(http::field::content_type, out.content_type);
  for (auto& [name, value] : out.headers) res->set(name, value);
  res->keep_alive(req.keep_alive());
  res->body() = std::move(out.body);
  res->prepare_payload();
  // A 304 carries no body and must not claim one (RFC 9110 §15.4.5).
  if (out.status == 304) res->erase(http::field::content_length);
  if (req.method() == http::verb::head) res->body().clear();  // Content-Length stays
  bool keep_alive = res->keep_alive();
  response_ = res;
  http::async_write(
      stream_, *res,
      beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(), keep_alive));
}

void HttpSession::Upgrade(http::request<http::string_body> req) {
  Metrics& metrics = state_->metrics();
  if (!IsWsTarget(req.target())) {
    return SendError(http::status::not_found, "not-found", "Not found",
                     "WebSockets are served at /ws/<document-name>");
  }
  auto target = ParseWsTarget(req.target());
  if (!target.ok()) {
    return SendError(http::status::bad_request, "bad-document-name", "Bad document name",
                     target.status().message());
  }
  if (state_->stopping()) {
    return SendError(http::status::service_unavailable, "shutting-down", "Shutting down",
                     "the server is shutting down; try again shortly");
  }
  std::string token = target->token;
  if (token.empty()) token = BearerToken(req[http::field::authorization]);
  if (token.empty()) {
    metrics.rejections_unauthorized.fetch_add(1);
    return SendError(http::status::unauthorized, "unauthorized", "Token required",
                     "present an access token as ?token= or Authorization: Bearer",
                     {{"WWW-Authenticate", "Bearer"}});
  }
  auto access = state_->tokens().Check(token, target->document);
  if (!access.ok()) {
    if (access.status().code() == Status::Code::kPermissionDenied) {
      metrics.rejections_forbidden.fetch_add(1);
      return SendError(http::status::forbidden, "forbidden", "Not allowed",
                       access.status().message());
    }
    metrics.rejections_unauthorized.fetch_add(1);
    return SendError(http::status::unauthorized, "unauthorized", "Invalid token",
                     access.status().message(),
                     {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}});
  }
  auto room = state_->rooms().Acquire(target->document);
  if (!room.ok()) {
    const bool stopping = room.status().code() == Status::Code::kUnavailable;
    return SendError(http::status::service_unavailable,
                     stopping ? "shutting-down" : "document-unavailable",
                     stopping ? "Shutting down" : "Document unavailable",
                     stopping ? "the server is shutting down; try again shortly"
                              : "the document cannot be loaded; the operator has been told "
                                "(see the server log)");
  }
  PeerInfo info;
  info.id = state_->NextPeerId();
  info.read_only = *access == Access::kRead;
  info.wants_saved = target->wants_saved;
  Log("info", "websocket open",
      {{"doc", target->document},
       {"peer", std::to_string(info.id)},
       {"ip", slot_.ip()},
       {"access", info.read_only ? "read" : "write"}});
  // The socket moves on alone (release_socket cancels this session's timer), still on this
  // connection's strand: one strand per session, the room's broadcasts are posted to it.
  std::make_shared<WebsocketSession>(stream_.release_socket(), state_, std::move(slot_),
                                     std::move(*room), info)
      ->Run(std::move(req));
}

void HttpSession::SendError(http::status status, const char* type, const char* title,
                            const std::string& detail,
                            std::vector<std::pair<std::string, std::string>> headers) {
  HttpResponse out = Problem(static_cast<int>(status), type, title, detail);
  auto res = std::make_shared<http::response<http::string_body>>(status, 11);
  res->set(http::field::server, "accordd");
  res->set(http::field::content_type, out.content_type);
  for (auto& [name, value] : headers) res->set(name, value);
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
