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

// WebSocket close codes accordd uses (RFC 6455 section 7.4.1; 4000-4999 are Accord's own); the
// table in proto/PROTOCOL.md is the contract.
enum class CloseCode : uint16_t {
  kGoingAway = 1001,         // server shutting down, or the document was unloaded
  kPolicy = 1008,            // malformed or unknown message, invalid update/awareness, text frame
  kTooBig = 1009,            // a message larger than the configured limit
  kInternal = 1011,          // the document cannot be stored (or loaded) right now
  kTryAgainLater = 1013,     // too much sent while the document was still loading
  kDocumentTooLarge = 4002,  // the update would grow the document beyond its limit
  kRightsChanged = 4003,     // the caller's rights on the document changed: reconnect
  // A client that does not read, or stays silent past the idle limit, is dropped without a
  // close frame: it could not read one (see PROTOCOL.md).
};

struct PeerInfo {
  uint64_t id = 0;               // unique per server run
  bool read_only = false;        // the caller may read but not write
  std::string read_only_reason;  // why not, sent with the permission-denied reply
  int64_t user_id = 0;           // who opened it (rights changes close a user's connections)
  int64_t valid_until = 0;   // Unix seconds when the credential expires (socket closed); 0: never
  int64_t write_until = 0;   // Unix seconds after which writes are refused (a deadline); 0: never
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
