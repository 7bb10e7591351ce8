#include "websocket_session.h"

#include <ctime>

#include "commit_queue.h"
#include "log.h"
#include "room.h"

namespace accord::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;

WebsocketSession::WebsocketSession(net::ip::tcp::socket&& socket,
                                   std::shared_ptr<SharedState> state, ConnectionSlot slot,
                                   std::shared_ptr<Room> room, PeerInfo info)
    : ws_(std::move(socket)),
      state_(std::move(state)),
      slot_(std::move(slot)),
      room_(std::move(room)),
      info_(info) {
  state_->metrics().websockets.fetch_add(1);
}

WebsocketSession::~WebsocketSession() {
  state_->metrics().websockets.fetch_sub(1);
  LeaveRoom();
}

void WebsocketSession::Run(http::request<http::string_body> request) {
  const Limits& limits = state_->limits();
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = limits.handshake_timeout;
  timeouts.idle_timeout = limits.websocket_idle_timeout;
  // A ping at half the idle time: a live client answers with a pong, which counts as traffic,
  // so only dead or silent-and-unresponsive peers reach the timeout.
  timeouts.keep_alive_pings = true;
  ws_.set_option(timeouts);
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "accordd"); }));
  ws_.read_message_max(limits.max_message_bytes);
  ws_.binary(true);
  // One frame per message. Beast's default cuts messages into frames of its write buffer
  // size (4 KiB): a 5 MB document as sync step 2 became 1,230 frames, each its own write and
  // completion, and the client reassembled them — most of a cold open's time.
  ws_.auto_fragment(false);
  ws_.async_accept(request,
                   beast::bind_front_handler(&WebsocketSession::OnAccept, shared_from_this()));
}

void WebsocketSession::OnAccept(beast::error_code ec) {
  if (ec) return LeaveRoom();  // the client went away during the handshake
  room_->Join(shared_from_this());
  DoRead();
}

void WebsocketSession::ContinueReading() {
  if (closing_) return;
  if (state_->commits().overloaded()) {
    // The disk is behind: stop reading for a moment; TCP pushes back on the client.
    if (!pause_timer_) pause_timer_ = std::make_unique<net::steady_timer>(ws_.get_executor());
    pause_timer_->expires_after(std::chrono::milliseconds(5));
    pause_timer_->async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->ContinueReading();
    });
    return;
  }
  DoRead();
}

// What a waiting read reserves. Beast's read prepares its buffer before the data arrives, so
// this is what every idle connection holds; a typing update or an awareness renewal fits, and
// a larger message is read on in OnReadSome.
constexpr size_t kFirstReadBytes = 256;

void WebsocketSession::DoRead() {
  ws_.async_read_some(buffer_, kFirstReadBytes,
                      beast::bind_front_handler(&WebsocketSession::OnReadSome, shared_from_this()));
}

void WebsocketSession::OnReadSome(beast::error_code ec, std::size_t bytes) {
  if (ec || ws_.is_message_done()) return OnRead(ec, bytes);
  // The rest of a longer message, appended to what is in the buffer (the message size limit
  // applies to the whole message).
  ws_.async_read(buffer_, beast::bind_front_handler(&WebsocketSession::OnRead, shared_from_this()));
}

void WebsocketSession::OnRead(beast::error_code ec, std::size_t) {
  if (ec == websocket::error::message_too_big) {
    state_->metrics().rejections_too_big.fetch_add(1);
    Log("warn", "message rejected",
        {{"peer", std::to_string(info_.id)}, {"code", "1009"}, {"reason", "message too big"}});
    LeaveRoom();
    return StartClose(CloseCode::kTooBig, "message larger than the server's limit");
  }
  if (ec) {
    // Closed by the client, timed out, or aborted by us: the room forgets this peer.
    return LeaveRoom();
  }
  if (closing_) return;
  state_->metrics().bytes_in.fetch_add(buffer_.size(), std::memory_order_relaxed);
  if (!ws_.got_binary()) {
    buffer_.consume(buffer_.size());
    state_->metrics().rejections_protocol.fetch_add(1);
    LeaveRoom();
    return StartClose(CloseCode::kPolicy,
                      "text frames are not part of the protocol; send binary messages");
  }
  // The credential that opened the socket has expired: close it (its client reconnects and is
  // refused). Checked per message, not by a timer: clients send awareness every 15 s, so this
  // costs idle connections nothing and still ends a session's socket within seconds.
  if (info_.valid_until != 0 && std::time(nullptr) >= info_.valid_until) {
    buffer_.consume(buffer_.size());
    LeaveRoom();
    return StartClose(CloseCode::kRightsChanged, "your session or token has expired");
  }
  std::string message(static_cast<const char*>(buffer_.data().data()), buffer_.size());
  buffer_.consume(buffer_.size());
  // One large message (a whole document) must not pin its size for the connection's lifetime.
  if (buffer_.capacity() > kFirstReadBytes) buffer_.shrink_to_fit();
  if (room_) room_->Receive(shared_from_this(), std::move(message));
  ContinueReading();
}

void WebsocketSession::Send(std::shared_ptr<const std::string> message) {
  // Called on the room's strand: the message (one buffer shared by every peer) goes to this
  // session's strand, which owns the queue.
  net::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(message)] {
    if (self->closing_) return;
    self->queued_bytes_ += message->size();
    self->queue_.push_back(std::move(message));
    // The cap bounds the backlog behind the message being written, which may itself be larger
    // (a whole document as sync step 2): a client that reads is never cut off for the size of
    // one message, and a client that does not read holds at most one message plus the cap.
    size_t in_flight = self->in_flight_ ? self->in_flight_->size() : 0;
    size_t next = self->writing_ ? 0 : self->queue_[self->queue_head_]->size();  // written next
    size_t backlog = self->queued_bytes_ - in_flight - next;
    if (backlog > self->state_->limits().send_queue_bytes) {
      self->state_->metrics().rejections_slow_reader.fetch_add(1);
      Log("warn", "client does not read; disconnected",
          {{"peer", std::to_string(self->info_.id)},
           {"queued_bytes", std::to_string(self->queued_bytes_)}});
      return self->Abort();
    }
    if (!self->writing_) self->DoWrite();
  });
}

void WebsocketSession::Close(CloseCode code, std::string reason) {
  net::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
    self->StartClose(code, reason);
  });
}

void WebsocketSession::StartClose(CloseCode code, std::string reason) {
  if (closing_) return;
  closing_ = true;
  if (pause_timer_) pause_timer_->cancel();
  // A close reason travels in a control frame: at most 123 bytes.
  if (reason.size() > 123) reason.resize(123);
  close_reason_ =
      std::make_unique<websocket::close_reason>(static_cast<websocket::close_code>(code), reason);
  if (!writing_) DoWrite();
}

void WebsocketSession::DoWrite() {
  if (!QueueEmpty()) {
    writing_ = true;
    // The message in flight is held apart from the queue: Abort may clear the queue while the
    // write still uses the buffer.
    in_flight_ = std::move(queue_[queue_head_++]);
    if (QueueEmpty()) {
      ClearQueue();
    } else if (queue_head_ >= 64 && queue_head_ * 2 >= queue_.size()) {
      // A client that never quite catches up: drop the sent slots so the vector stays bounded.
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(queue_head_));
      queue_head_ = 0;
    }
    ws_.async_write(net::buffer(*in_flight_),
                    beast::bind_front_handler(&WebsocketSession::OnWrite, shared_from_this()));
    return;
  }
  if (closing_ && !close_sent_ && !aborted_ && close_reason_) {
    close_sent_ = true;
    writing_ = true;
    ws_.async_close(*close_reason_, [self = shared_from_this()](beast::error_code) {
      self->writing_ = false;
      self->LeaveRoom();
    });
  }
}

void WebsocketSession::OnWrite(beast::error_code ec, std::size_t bytes) {
  writing_ = false;
  if (in_flight_) queued_bytes_ -= std::min(queued_bytes_, in_flight_->size());
  in_flight_.reset();
  if (ec || aborted_) {
    ClearQueue();
    queued_bytes_ = 0;
    return LeaveRoom();
  }
  state_->metrics().bytes_out.fetch_add(bytes, std::memory_order_relaxed);
  DoWrite();
}

void WebsocketSession::Abort() {
  closing_ = true;
  aborted_ = true;
  ClearQueue();
  queued_bytes_ = 0;
  if (pause_timer_) pause_timer_->cancel();
  beast::error_code ignored;
  ws_.next_layer().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  ws_.next_layer().close(ignored);
  LeaveRoom();
}

void WebsocketSession::ClearQueue() {
  queue_head_ = 0;
  // Keep a small vector for the next burst; release one a backlog has grown.
  if (queue_.capacity() > 64) {
    std::vector<std::shared_ptr<const std::string>>().swap(queue_);
  } else {
    queue_.clear();
  }
}

void WebsocketSession::LeaveRoom() {
  if (room_) {
    room_->Leave(info_.id);
    room_.reset();
  }
}

}  // namespace accord::server
