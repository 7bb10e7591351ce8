// listener.h: accepts TCP connections and starts an HttpSession for each.
//
// Lives as long as an accept is pending (shared_from_this). Stop() may be called from any
// thread; it is posted to the acceptor's strand.
#ifndef ACCORD_SERVER_LISTENER_H_
#define ACCORD_SERVER_LISTENER_H_

#include <memory>

#include "beast_pch.h"
#include "shared_state.h"

namespace accord::server {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, std::shared_ptr<SharedState> state);

  // Opens, binds and listens; the error explains a failure (e.g. the port is taken).
  boost::system::error_code Bind(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound port (the one the OS chose for port 0); still answers after Stop().
  unsigned short port() const { return port_; }
  void Start();
  void Stop();

 private:
  void DoAccept();
  void OnAccept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::shared_ptr<SharedState> state_;
  unsigned short port_ = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_LISTENER_H_
