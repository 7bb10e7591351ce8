#include "http_session.h"

#include "accord/auth/web_security.h"
#include "accord/server/limits.h"
#include "api_service.h"
#include "commit_queue.h"
#include "log.h"
#include "room.h"
#include "room_registry.h"
#include "router.h"
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
  if (req.target().starts_with("/api/")) return HandleApi(req);
  HttpRequest request{std::string(req.method_string()), std::string(req.target()),
                      std::string(req[http::field::if_none_match])};
  WriteResponse(state_->router().Handle(request), req.version(), req.keep_alive(),
                req.method() == http::verb::head);
}

namespace {

ApiRequest ToApiRequest(const http::request<http::string_body>& req, const std::string& ip) {
  ApiRequest out;
  out.method = std::string(req.method_string());
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Repeated headers are joined as RFC 9110 allows (cookies with "; ").
    auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
  }
  out.body = req.body();
  out.ip = ip;
  return out;
}

}  // namespace

void HttpSession::HandleApi(const http::request<http::string_body>& req) {
  ApiRequest request = ToApiRequest(req, slot_.ip());
  if (!SplitTarget(req.target(), &request.path, &request.query)) {
    return SendError(http::status::bad_request, "bad-request", "Bad request",
                     "the request target has a malformed percent-escape");
  }
  const unsigned version = req.version();
  const bool keep_alive = req.keep_alive();
  // Nothing is pending on the socket while the worker runs: no timeout may fire meanwhile.
  stream_.expires_never();
  state_->RunBlocking(
      [self = shared_from_this(), request = std::move(request), version, keep_alive]() mutable {
        HttpResponse out = self->state_->api().Handle(std::move(request));
        net::post(self->stream_.get_executor(),
                  [self, out = std::move(out), version, keep_alive]() mutable {
                    self->WriteResponse(std::move(out), version, keep_alive, false);
                  });
      });
}

void HttpSession::WriteResponse(HttpResponse out, unsigned version, bool keep_alive, bool head) {
  auto res = std::make_shared<http::response<http::string_body>>(
      static_cast<http::status>(out.status), version);
  res->set(http::field::server, "accordd");
  if (!out.content_type.empty()) res->set(http::field::content_type, out.content_type);
  // Set-Cookie may repeat; everything else is set once.
  for (auto& [name, value] : out.headers) {
    if (beast::iequals(name, "set-cookie")) {
      res->insert(name, value);
    } else {
      res->set(name, value);
    }
  }
  res->keep_alive(keep_alive);
  res->body() = std::move(out.body);
  res->prepare_payload();
  // 204 and 304 carry no body and must not claim one (RFC 9110 §15.3.5, §15.4.5).
  if (out.status == 304 || out.status == 204) res->erase(http::field::content_length);
  if (head) res->body().clear();  // Content-Length stays
  bool keep = res->keep_alive();
  response_ = res;
  stream_.expires_after(state_->limits().idle_timeout);
  http::async_write(stream_, *res,
                    beast::bind_front_handler(&HttpSession::OnWrite, shared_from_this(), keep));
}

void HttpSession::Upgrade(http::request<http::string_body> req) {
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
  // Browsers always send Origin on a WebSocket handshake and never let a page forge it; a page
  // of another site must not ride on the user's cookie (cross-site WebSocket hijacking).
  std::string_view origin = req[http::field::origin];
  ApiService& api = state_->api();
  if (!origin.empty() && !auth::OriginAllowed(origin, api.context().allowed_origins)) {
    state_->metrics().rejections_forbidden.fetch_add(1);
    return SendError(
        http::status::forbidden, "origin-not-allowed", "Origin not allowed",
        "WebSocket connections from " + std::string(origin.substr(0, 200)) + " are not allowed");
  }
  ApiRequest credentials = ToApiRequest(req, slot_.ip());
  credentials.body.clear();
  credentials.method = "GET";
  credentials.path = "/ws/" + target->document;
  if (!target->token.empty()) credentials.headers["authorization"] = "Bearer " + target->token;
  const bool presented =
      !credentials.Header("authorization").empty() || !credentials.Header("cookie").empty();
  auto shared_req = std::make_shared<http::request<http::string_body>>(std::move(req));
  stream_.expires_never();
  state_->RunBlocking([self = shared_from_this(), credentials = std::move(credentials), shared_req,
                       document = target->document, wants_saved = target->wants_saved,
                       presented]() mutable {
    Result<DocumentRights> rights = Status::Unauthenticated(
        "sign in, or present an API token as ?token= or 'Authorization: Bearer <token>'");
    ApiService& api = self->state_->api();
    auto caller = api.Authenticate(credentials);
    if (!caller.ok()) {
      rights = caller.status();
    } else if (caller->has_value()) {
      rights = AuthorizeDocument(*api.context().store, api.context().drafting, **caller, document,
                                 api.context().now());
      if (!rights.ok() && rights.status().code() == Status::Code::kPermissionDenied) {
        AuditDocumentDenial(api.context(), credentials, **caller, document,
                            rights.status().message());
      }
    }
    net::post(self->stream_.get_executor(),
              [self, shared_req, document = std::move(document), wants_saved, presented,
               rights = std::move(rights)]() mutable {
                self->FinishUpgrade(shared_req, std::move(document), wants_saved, presented,
                                    std::move(rights));
              });
  });
}

void HttpSession::FinishUpgrade(std::shared_ptr<http::request<http::string_body>> req,
                                std::string document, bool wants_saved, bool presented,
                                Result<DocumentRights> rights) {
  Metrics& metrics = state_->metrics();
  if (!rights.ok()) {
    switch (rights.status().code()) {
      case Status::Code::kPermissionDenied:
        metrics.rejections_forbidden.fetch_add(1);
        return SendError(http::status::forbidden, "forbidden", "Not allowed",
                         rights.status().message());
      case Status::Code::kUnauthenticated:
        metrics.rejections_unauthorized.fetch_add(1);
        return SendError(
            http::status::unauthorized, "unauthenticated", "Not signed in",
            rights.status().message(),
            {{"WWW-Authenticate", presented ? "Bearer error=\"invalid_token\"" : "Bearer"}});
      default:
        Log("error", "websocket authorization failed", {{"error", rights.status().ToString()}});
        return SendError(http::status::internal_server_error, "internal", "Internal error",
                         "the server could not check the credentials; the operator has been told");
    }
  }
  if (state_->stopping()) {
    return SendError(http::status::service_unavailable, "shutting-down", "Shutting down",
                     "the server is shutting down; try again shortly");
  }
  auto room = state_->rooms().Acquire(document);
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
  info.read_only = !rights->write;
  info.read_only_reason = rights->why_read_only;
  info.write_until = rights->write_until;
  info.user_id = rights->user_id;
  info.valid_until = rights->valid_until;
  info.wants_saved = wants_saved;
  Log("info", "websocket open",
      {{"doc", document},
       {"peer", std::to_string(info.id)},
       {"ip", slot_.ip()},
       {"access", info.read_only ? "read" : "write"}});
  // The socket moves on alone (release_socket cancels this session's timer), still on this
  // connection's strand: one strand per session, the room's broadcasts are posted to it.
  std::make_shared<WebsocketSession>(stream_.release_socket(), state_, std::move(slot_),
                                     std::move(*room), info)
      ->Run(std::move(*req));
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
