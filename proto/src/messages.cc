#include "accord/proto/messages.h"

#include <cassert>
#include <string>

#include "varint.h"

namespace accord::proto {
namespace {

using internal::Reader;
using internal::ReadError;

Status ReadFailure(const Reader& r, std::string_view what, size_t limit) {
  switch (r.error()) {
    case ReadError::kTruncated:
      return Status::Corruption("truncated message: " + std::string(what));
    case ReadError::kOutOfRange:
      return Status::Corruption("integer out of range in " + std::string(what));
    case ReadError::kTooLong:
      return Status::ResourceExhausted(std::string(what) + " is longer than the limit of " +
                                       std::to_string(limit) + " bytes");
    case ReadError::kNone:
      break;
  }
  return Status::Internal("read failure without an error");
}

}  // namespace

Result<Message> DecodeMessage(std::span<const uint8_t> frame, size_t max_payload_bytes) {
  Reader r(frame);
  Message m;
  uint64_t type;
  if (!r.ReadVarUint(type)) return ReadFailure(r, "message type", max_payload_bytes);
  std::span<const uint8_t> payload;
  std::string_view what = "payload";
  switch (type) {
    case kMessageSync: {
      uint64_t sub;
      if (!r.ReadVarUint(sub)) return ReadFailure(r, "sync message type", max_payload_bytes);
      if (sub == kSyncStep1) {
        m.kind = Message::Kind::kSyncStep1;
        what = "sync step1 state vector";
      } else if (sub == kSyncStep2) {
        m.kind = Message::Kind::kSyncStep2;
        what = "sync step2 update";
      } else if (sub == kSyncUpdate) {
        m.kind = Message::Kind::kSyncUpdate;
        what = "sync update";
      } else {
        return Status::Corruption("unknown sync message type " + std::to_string(sub));
      }
      if (!r.ReadVarBytes(payload, max_payload_bytes)) {
        return ReadFailure(r, what, max_payload_bytes);
      }
      break;
    }
    case kMessageAwareness:
      m.kind = Message::Kind::kAwareness;
      what = "awareness update";
      if (!r.ReadVarBytes(payload, max_payload_bytes)) {
        return ReadFailure(r, what, max_payload_bytes);
      }
      break;
    case kMessageAuth: {
      uint64_t sub;
      if (!r.ReadVarUint(sub)) return ReadFailure(r, "auth message type", max_payload_bytes);
      if (sub != kAuthPermissionDenied) {
        return Status::Corruption("unknown auth message type " + std::to_string(sub));
      }
      m.kind = Message::Kind::kPermissionDenied;
      what = "permission-denied reason";
      if (!r.ReadVarString(m.reason, max_payload_bytes)) {
        return ReadFailure(r, what, max_payload_bytes);
      }
      break;
    }
    case kMessageQueryAwareness:
      m.kind = Message::Kind::kQueryAwareness;
      what = "query-awareness";
      break;
    case kMessageSaved:
      m.kind = Message::Kind::kSaved;
      what = "saved state vector";
      if (!r.ReadVarBytes(payload, max_payload_bytes)) {
        return ReadFailure(r, what, max_payload_bytes);
      }
      break;
    default:
      return Status::Corruption("unknown message type " + std::to_string(type));
  }
  if (r.remaining() != 0) {
    return Status::Corruption(std::to_string(r.remaining()) + " trailing bytes after " +
                              std::string(what));
  }
  m.payload.assign(payload.begin(), payload.end());
  return m;
}

namespace {

// The bytes before a varUint8Array payload: message type (and sync step), then the length.
std::vector<uint8_t> PayloadHead(Message::Kind kind, size_t payload_size) {
  std::vector<uint8_t> head;
  switch (kind) {
    case Message::Kind::kSyncStep1:
    case Message::Kind::kSyncStep2:
    case Message::Kind::kSyncUpdate:
      internal::WriteVarUint(head, kMessageSync);
      internal::WriteVarUint(head, kind == Message::Kind::kSyncStep1   ? kSyncStep1
                                   : kind == Message::Kind::kSyncStep2 ? kSyncStep2
                                                                       : kSyncUpdate);
      break;
    case Message::Kind::kAwareness:
      internal::WriteVarUint(head, kMessageAwareness);
      break;
    case Message::Kind::kSaved:
      internal::WriteVarUint(head, kMessageSaved);
      break;
    case Message::Kind::kPermissionDenied:
    case Message::Kind::kQueryAwareness:
      assert(false && "not a message with a payload");
      break;
  }
  internal::WriteVarUint(head, payload_size);
  return head;
}

std::vector<uint8_t> WithPayload(Message::Kind kind, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out = PayloadHead(kind, payload.size());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

}  // namespace

std::vector<uint8_t> EncodeMessage(const Message& m) {
  std::vector<uint8_t> out;
  switch (m.kind) {
    case Message::Kind::kPermissionDenied:
      internal::WriteVarUint(out, kMessageAuth);
      internal::WriteVarUint(out, kAuthPermissionDenied);
      internal::WriteVarString(out, m.reason);
      return out;
    case Message::Kind::kQueryAwareness:
      internal::WriteVarUint(out, kMessageQueryAwareness);
      return out;
    default:
      return WithPayload(m.kind, m.payload);  // sync, awareness, saved
  }
}

std::string EncodeToString(Message::Kind kind, std::span<const uint8_t> payload) {
  const std::vector<uint8_t> head = PayloadHead(kind, payload.size());
  std::string out;
  out.reserve(head.size() + payload.size());
  out.append(reinterpret_cast<const char*>(head.data()), head.size());
  out.append(reinterpret_cast<const char*>(payload.data()), payload.size());
  return out;
}

std::vector<uint8_t> EncodeSyncStep1(std::span<const uint8_t> sv) {
  return WithPayload(Message::Kind::kSyncStep1, sv);
}
std::vector<uint8_t> EncodeSyncStep2(std::span<const uint8_t> update) {
  return WithPayload(Message::Kind::kSyncStep2, update);
}
std::vector<uint8_t> EncodeSyncUpdate(std::span<const uint8_t> update) {
  return WithPayload(Message::Kind::kSyncUpdate, update);
}
std::vector<uint8_t> EncodeAwareness(std::span<const uint8_t> awareness_update) {
  return WithPayload(Message::Kind::kAwareness, awareness_update);
}
std::vector<uint8_t> EncodePermissionDenied(std::string_view reason) {
  Message m;
  m.kind = Message::Kind::kPermissionDenied;
  m.reason = std::string(reason);
  return EncodeMessage(m);
}
std::vector<uint8_t> EncodeQueryAwareness() {
  Message m;
  m.kind = Message::Kind::kQueryAwareness;
  return EncodeMessage(m);
}
std::vector<uint8_t> EncodeSaved(std::span<const uint8_t> sv) {
  return WithPayload(Message::Kind::kSaved, sv);
}

}  // namespace accord::proto
