#include "listener.h"

#include "http_session.h"

namespace accord::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& ioc, std::shared_ptr<SharedState> state)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), state_(std::move(state)) {}

boost::system::error_code Listener::Bind(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return ec;
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return ec;
  acceptor_.bind(endpoint, ec);
  if (ec) return ec;
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return ec;
  port_ = acceptor_.local_endpoint(ec).port();
  return ec;
}

void Listener::Start() { DoAccept(); }

void Listener::Stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

void Listener::DoAccept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_.async_accept(net::make_strand(ioc_),
                         boost::beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
}

void Listener::OnAccept(boost::beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (!ec) {
    boost::system::error_code addr_ec;
    // Sync messages are small and latency-bound: without this, Nagle's algorithm holds a
    // broadcast back until the previous one is acknowledged (tens of ms on loopback).
    socket.set_option(tcp::no_delay(true), addr_ec);
    auto remote = socket.remote_endpoint(addr_ec);
    std::string ip = addr_ec ? std::string("?") : remote.address().to_string();
    if (auto slot = state_->TryAdmit(ip)) {
      std::make_shared<HttpSession>(std::move(socket), state_, std::move(*slot))->Run();
    } else {
      state_->metrics().rejections_limit.fetch_add(1);
      boost::system::error_code ignored;
      socket.close(ignored);  // over the connection limit: refuse before reading anything
    }
  }
  DoAccept();
}

}  // namespace accord::server
