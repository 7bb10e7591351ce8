// websocket_session.h: one WebSocket connection to one document (/ws/<name>).
//
// Created by HttpSession once the upgrade request has been authorised and the document's Room
// acquired; it completes the handshake, joins the Room, and then relays: every binary message
// read goes to the room, every message the room sends is written in order through a
// per-connection queue. The queue is bounded in bytes (Limits::send_queue_bytes): a client
// that does not read is cut off rather than buffered without bound. While the commit queue is
// overloaded the session pauses reading (backpressure reaches the client through TCP).
//
// Lifetime: owned by its pending operations (shared_from_this) and by its Room while joined.
// All its handlers run on the connection's strand; Send and Close may be called from any
// thread.
#ifndef ACCORD_SERVER_WEBSOCKET_SESSION_H_
#define ACCORD_SERVER_WEBSOCKET_SESSION_H_

#include <memory>
#include <string>
#include <vector>

#include "beast_pch.h"
#include "peer.h"
#include "shared_state.h"

namespace accord::server {

class Room;

class WebsocketSession : public Peer, public std::enable_shared_from_this<WebsocketSession> {
 public:
  WebsocketSession(boost::asio::ip::tcp::socket&& socket, std::shared_ptr<SharedState> state,
                   ConnectionSlot slot, std::shared_ptr<Room> room, PeerInfo info);
  ~WebsocketSession() override;

  // Completes the handshake for `request` (the upgrade request already read).
  void Run(boost::beast::http::request<boost::beast::http::string_body> request);

  const PeerInfo& info() const override { return info_; }
  void Send(std::shared_ptr<const std::string> message) override;
  void Close(CloseCode code, std::string reason) override;

 private:
  void OnAccept(boost::beast::error_code ec);
  void ContinueReading();
  void DoRead();
  void OnReadSome(boost::beast::error_code ec, std::size_t bytes);
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void DoWrite();
  void OnWrite(boost::beast::error_code ec, std::size_t bytes);
  void StartClose(CloseCode code, std::string reason);
  void Abort();  // drops the TCP connection at once (a client that does not read)
  void LeaveRoom();
  bool QueueEmpty() const { return queue_head_ == queue_.size(); }
  void ClearQueue();

  // Straight on the socket (the websocket timeouts cover it; a tcp_stream would add three
  // timers and a layer to every operation) and without permessage-deflate, which accordd does
  // not offer: both make each connection smaller.
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket, false> ws_;
  boost::beast::flat_buffer buffer_;
  // Made when first needed (the disk falls behind), like close_reason_ (a close): an idle
  // connection holds neither, ~200 bytes of each connection's ~5 KB.
  std::unique_ptr<boost::asio::steady_timer> pause_timer_;
  std::shared_ptr<SharedState> state_;
  ConnectionSlot slot_;
  std::shared_ptr<Room> room_;
  const PeerInfo info_;

  // Write queue (strand only): queue_[queue_head_..] waits, in order. A vector rather than a
  // deque, which allocates a 512-byte block even when empty: most connections are idle, and
  // their per-connection memory is what limits how many one server holds.
  std::vector<std::shared_ptr<const std::string>> queue_;
  size_t queue_head_ = 0;
  std::shared_ptr<const std::string> in_flight_;
  size_t queued_bytes_ = 0;
  bool writing_ = false;
  bool closing_ = false;  // no more messages are queued once a close was asked for
  bool close_sent_ = false;
  bool aborted_ = false;
  std::unique_ptr<boost::beast::websocket::close_reason> close_reason_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_WEBSOCKET_SESSION_H_
