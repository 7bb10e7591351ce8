// peer.h: what a document room knows of one connected client, without any networking types.
//
// WebsocketSession implements it; tests implement it with a recorder. Send and Close may be
// called from any thread: an implementation hands the work to the connection's own strand.
#ifndef ACCORD_SERVER_PEER_H_
#define ACCORD_SERVER_PEER_H_

#include <cstdint>
#include <memory>
#include <string>

namespace accord::server {

// WebSocket close codes accordd uses (RFC 6455 section 7.4.1); see proto/PROTOCOL.md.
enum class CloseCode : uint16_t {
  kGoingAway = 1001,        // server shutting down, or the document was unloaded
  kProtocolError = 1002,    // a message that does not follow the y-protocols layout
  kUnsupportedData = 1003,  // a text frame, or an unknown message type
  kInvalidPayload = 1007,   // a well-framed update that is not a valid Yjs update
  kPolicy = 1008,           // a limit was exceeded (send queue, document size, awareness)
  kTooBig = 1009,           // a message larger than max_message_bytes
  kInternal = 1011,         // the document cannot be loaded or stored
};

struct PeerInfo {
  uint64_t id = 0;           // unique per server run
  bool read_only = false;    // the token grants read access only
  bool wants_saved = false;  // asked for the "saved" extension (?ext=saved)
};

class Peer {
 public:
  virtual ~Peer() = default;
  virtual const PeerInfo& info() const = 0;
  // Queues one binary message. Messages are sent in the order queued.
  virtual void Send(std::shared_ptr<const std::string> message) = 0;
  // Sends what is queued, then closes with `code` and `reason`.
  virtual void Close(CloseCode code, std::string reason) = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_PEER_H_
