// accord/proto/messages.h: the frames of the y-websocket protocol (see proto/PROTOCOL.md).
//
// One WebSocket binary frame carries exactly one message, as y-websocket writes them:
//   [varUint type] then, by type,
//   0 sync:      [varUint subtype 0 step1 | 1 step2 | 2 update][varUint8Array payload]
//   1 awareness: [varUint8Array awareness update]
//   2 auth:      [varUint 0 permission-denied][varString reason]
//   3 query-awareness: nothing
//   100 saved (Accord extension): [varUint8Array state vector]
// DecodeMessage is strict where y-websocket is lenient: y-websocket reads one message per frame
// and ignores whatever follows it, whereas we reject trailing bytes, so that a frame has one
// meaning. Pure functions over caller-owned bytes; callable from any thread. No exceptions.
#ifndef ACCORD_PROTO_MESSAGES_H_
#define ACCORD_PROTO_MESSAGES_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "accord/status.h"

namespace accord::proto {

// Outer message types (the first varUint of a frame).
inline constexpr uint64_t kMessageSync = 0;
inline constexpr uint64_t kMessageAwareness = 1;
inline constexpr uint64_t kMessageAuth = 2;
inline constexpr uint64_t kMessageQueryAwareness = 3;
inline constexpr uint64_t kMessageSaved = 100;  // Accord extension, only with ?ext=saved

// Sync subtypes, and the one auth subtype.
inline constexpr uint64_t kSyncStep1 = 0;
inline constexpr uint64_t kSyncStep2 = 1;
inline constexpr uint64_t kSyncUpdate = 2;
inline constexpr uint64_t kAuthPermissionDenied = 0;

// Default bound on the payload of one message (update, state vector, awareness update, reason).
inline constexpr size_t kDefaultMaxPayloadBytes = size_t{16} << 20;

struct Message {
  enum class Kind {
    kSyncStep1,         // payload: encoded state vector
    kSyncStep2,         // payload: update (v1 encoding)
    kSyncUpdate,        // payload: update (v1 encoding)
    kAwareness,         // payload: awareness update (see awareness.h)
    kPermissionDenied,  // reason
    kQueryAwareness,    // no payload
    kSaved,             // payload: encoded state vector of what is durably stored
  };
  Kind kind = Kind::kSyncUpdate;
  std::vector<uint8_t> payload;
  std::string reason;

  friend bool operator==(const Message&, const Message&) = default;
};

// Decodes one frame. Errors (all Corruption unless noted), each with a message naming the part:
//   unknown message type / sync subtype / auth subtype; truncated frame; varUint larger than
//   2^53-1 (lib0's limit); trailing bytes after the message; a payload longer than
//   `max_payload_bytes` -> ResourceExhausted (the server closes with 1009).
// The payload bytes are not interpreted here (no update or JSON validation).
Result<Message> DecodeMessage(std::span<const uint8_t> frame,
                              size_t max_payload_bytes = kDefaultMaxPayloadBytes);

// Encodes a message exactly as y-protocols does (the inverse of DecodeMessage).
std::vector<uint8_t> EncodeMessage(const Message& message);

// Shorthands for the frames the server sends.
std::vector<uint8_t> EncodeSyncStep1(std::span<const uint8_t> state_vector);
std::vector<uint8_t> EncodeSyncStep2(std::span<const uint8_t> update);
std::vector<uint8_t> EncodeSyncUpdate(std::span<const uint8_t> update);
std::vector<uint8_t> EncodeAwareness(std::span<const uint8_t> awareness_update);
std::vector<uint8_t> EncodePermissionDenied(std::string_view reason);
std::vector<uint8_t> EncodeQueryAwareness();
std::vector<uint8_t> EncodeSaved(std::span<const uint8_t> state_vector);

// The message of `kind` carrying `payload` — one of the kinds above with a byte-array payload:
// sync step 1, step 2, update, awareness or saved — encoded as above, in one pass into a
// string: what a server shares among its sockets, with no intermediate copy of a large payload.
std::string EncodeToString(Message::Kind kind, std::span<const uint8_t> payload);

}  // namespace accord::proto

#endif  // ACCORD_PROTO_MESSAGES_H_
