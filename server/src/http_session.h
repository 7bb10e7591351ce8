// http_session.h: one HTTP/1.1 connection: reads requests with size and time limits, answers
// them through the Router, keeps the connection alive while the client wants.
//
// Owned by its pending operations (shared_from_this); all handlers run on the connection's
// strand.
#ifndef ACCORD_SERVER_HTTP_SESSION_H_
#define ACCORD_SERVER_HTTP_SESSION_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "accord/status.h"
#include "beast_pch.h"
#include "document_access.h"
#include "router.h"
#include "shared_state.h"

namespace accord::server {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<SharedState> state,
              ConnectionSlot slot);
  ~HttpSession();
  void Run();

 private:
  void DoRead();
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void OnWrite(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
  // A WebSocket upgrade: checks the target and the Origin, then authenticates and authorizes
  // on the worker pool, then (back on the strand) hands the connection to a WebsocketSession.
  void Upgrade(boost::beast::http::request<boost::beast::http::string_body> request);
  void FinishUpgrade(
      std::shared_ptr<boost::beast::http::request<boost::beast::http::string_body>> req,
      std::string document, bool wants_saved, bool presented, Result<DocumentRights> rights);
  // A request under /api/: handled by the ApiService on the worker pool.
  void HandleApi(const boost::beast::http::request<boost::beast::http::string_body>& request);
  void WriteResponse(HttpResponse out, unsigned version, bool keep_alive, bool head);
  void SendError(boost::beast::http::status status, const char* type, const char* title,
                 const std::string& detail,
                 std::vector<std::pair<std::string, std::string>> headers = {});
  void DoClose();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  std::shared_ptr<void> response_;  // keeps the response alive during async_write
  bool first_request_ = true;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_HTTP_SESSION_H_
