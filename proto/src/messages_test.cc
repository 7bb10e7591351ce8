#include "accord/proto/messages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden_testutil.h"

namespace accord::proto {
namespace {

using testing::G;
using Bytes = std::vector<uint8_t>;

Message Decoded(const Bytes& frame) {
  Result<Message> m = DecodeMessage(frame);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? *m : Message{};
}

TEST(MessagesTest, DecodesAndEncodesSyncFramesOfYProtocols) {
  struct Case {
    const char* frame;
    const char* payload;
    Message::Kind kind;
  };
  for (const Case& c : {Case{"sync_step1", "sync_step1_payload", Message::Kind::kSyncStep1},
                        Case{"sync_step2", "sync_step2_payload", Message::Kind::kSyncStep2},
                        Case{"sync_update", "sync_update_payload", Message::Kind::kSyncUpdate},
                        Case{"awareness", "awareness_payload", Message::Kind::kAwareness}}) {
    Message m = Decoded(G(c.frame));
    EXPECT_EQ(m.kind, c.kind) << c.frame;
    EXPECT_EQ(m.payload, G(c.payload)) << c.frame;
    EXPECT_EQ(EncodeMessage(m), G(c.frame)) << c.frame;
  }
  EXPECT_EQ(EncodeSyncStep1(G("sync_step1_payload")), G("sync_step1"));
  EXPECT_EQ(EncodeSyncStep2(G("sync_step2_payload")), G("sync_step2"));
  EXPECT_EQ(EncodeSyncUpdate(G("sync_update_payload")), G("sync_update"));
  EXPECT_EQ(EncodeAwareness(G("awareness_payload")), G("awareness"));
  // The same bytes, built straight into a string.
  auto as_string = [](const std::vector<uint8_t>& v) { return std::string(v.begin(), v.end()); };
  EXPECT_EQ(EncodeToString(Message::Kind::kSyncStep1, G("sync_step1_payload")),
            as_string(G("sync_step1")));
  EXPECT_EQ(EncodeToString(Message::Kind::kSyncStep2, G("sync_step2_payload")),
            as_string(G("sync_step2")));
  EXPECT_EQ(EncodeToString(Message::Kind::kSyncUpdate, G("sync_update_payload")),
            as_string(G("sync_update")));
  EXPECT_EQ(EncodeToString(Message::Kind::kAwareness, G("awareness_payload")),
            as_string(G("awareness")));
  const std::vector<uint8_t> sv = {1, 7, 3};
  EXPECT_EQ(EncodeToString(Message::Kind::kSaved, sv), as_string(EncodeSaved(sv)));
  // A payload whose length takes several varint bytes.
  const std::vector<uint8_t> big(300000, 0x42);
  EXPECT_EQ(EncodeToString(Message::Kind::kSyncStep2, big), as_string(EncodeSyncStep2(big)));
}

TEST(MessagesTest, EmptyStateVector) {
  Message m = Decoded(G("sync_step1_empty"));
  EXPECT_EQ(m.kind, Message::Kind::kSyncStep1);
  EXPECT_EQ(m.payload, Bytes{0x00});
}

TEST(MessagesTest, AuthQueryAwarenessAndSaved) {
  Message denied = Decoded(G("auth_permission_denied"));
  EXPECT_EQ(denied.kind, Message::Kind::kPermissionDenied);
  EXPECT_EQ(denied.reason, "read-only token");
  EXPECT_EQ(EncodePermissionDenied("read-only token"), G("auth_permission_denied"));

  Message query = Decoded(G("query_awareness"));
  EXPECT_EQ(query.kind, Message::Kind::kQueryAwareness);
  EXPECT_TRUE(query.payload.empty());
  EXPECT_EQ(EncodeQueryAwareness(), G("query_awareness"));

  Message saved = Decoded(G("saved"));
  EXPECT_EQ(saved.kind, Message::Kind::kSaved);
  EXPECT_EQ(saved.payload, G("sync_step1_payload"));
  EXPECT_EQ(EncodeSaved(G("sync_step1_payload")), G("saved"));
}

TEST(MessagesTest, LargePayloadUsesMultiByteLength) {
  Bytes update(300, 0xab);
  Bytes frame = EncodeSyncUpdate(update);
  ASSERT_EQ(frame.size(), 2u + 2u + 300u);
  EXPECT_EQ(frame[2], 0xac);  // 300 = 0b10_0101100 -> ac 02
  EXPECT_EQ(frame[3], 0x02);
  EXPECT_EQ(Decoded(frame).payload, update);
}

void ExpectError(const Bytes& frame, Status::Code code, const std::string& needle,
                 size_t limit = kDefaultMaxPayloadBytes) {
  Result<Message> m = DecodeMessage(frame, limit);
  ASSERT_FALSE(m.ok()) << "frame of " << frame.size() << " bytes decoded";
  EXPECT_EQ(m.status().code(), code) << m.status().ToString();
  EXPECT_NE(m.status().message().find(needle), std::string::npos) << m.status().ToString();
}

TEST(MessagesTest, UnknownTypes) {
  ExpectError({4}, Status::Code::kCorruption, "unknown message type 4");
  ExpectError({99}, Status::Code::kCorruption, "unknown message type 99");
  ExpectError({0xe5, 0x00}, Status::Code::kCorruption, "unknown message type 101");
  ExpectError({0, 3, 0}, Status::Code::kCorruption, "unknown sync message type 3");
  ExpectError({2, 1, 0}, Status::Code::kCorruption, "unknown auth message type 1");
}

TEST(MessagesTest, Truncated) {
  ExpectError({}, Status::Code::kCorruption, "truncated message: message type");
  ExpectError({0x80}, Status::Code::kCorruption, "truncated message: message type");
  ExpectError({0}, Status::Code::kCorruption, "truncated message: sync message type");
  ExpectError({0, 0}, Status::Code::kCorruption, "truncated message: sync step1");
  ExpectError({0, 1, 5, 1, 2}, Status::Code::kCorruption, "truncated message: sync step2");
  ExpectError({0, 2, 0x81}, Status::Code::kCorruption, "truncated message: sync update");
  ExpectError({1}, Status::Code::kCorruption, "truncated message: awareness");
  ExpectError({2}, Status::Code::kCorruption, "truncated message: auth message type");
  ExpectError({2, 0, 3, 'a'}, Status::Code::kCorruption, "truncated message: permission");
  ExpectError({100, 2, 1}, Status::Code::kCorruption, "truncated message: saved");
  // Every proper prefix of every golden frame is truncated.
  for (const auto& [name, frame] : testing::Golden()) {
    if (name.find("payload") != std::string::npos) continue;
    for (size_t n = 0; n < frame.size(); ++n) {
      Result<Message> m = DecodeMessage(std::span(frame).first(n));
      EXPECT_FALSE(m.ok()) << name << " prefix " << n;
    }
  }
}

TEST(MessagesTest, TrailingBytes) {
  // y-websocket reads one message per frame and ignores the rest; we reject it.
  Bytes two = G("sync_update");
  two.insert(two.end(), G("sync_update").begin(), G("sync_update").end());
  ExpectError(two, Status::Code::kCorruption, "trailing bytes after sync update");
  ExpectError({3, 0}, Status::Code::kCorruption, "1 trailing bytes after query-awareness");
  ExpectError({1, 0, 0, 0}, Status::Code::kCorruption, "2 trailing bytes after awareness");
  ExpectError({2, 0, 0, 0}, Status::Code::kCorruption, "trailing bytes after permission");
}

TEST(MessagesTest, OutOfRangeIntegers) {
  // 2^53 (just above Number.MAX_SAFE_INTEGER) and a 10-byte varint.
  ExpectError({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10}, Status::Code::kCorruption,
              "out of range in message type");
  ExpectError({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01},
              Status::Code::kCorruption, "out of range");
  ExpectError({0, 2, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
              Status::Code::kCorruption, "out of range in sync update");
}

TEST(MessagesTest, PayloadLimit) {
  Bytes frame = EncodeSyncUpdate(Bytes(100, 1));
  EXPECT_TRUE(DecodeMessage(frame, 100).ok());
  ExpectError(frame, Status::Code::kResourceExhausted, "sync update is longer than the limit", 99);
  ExpectError(EncodeAwareness(Bytes(10, 1)), Status::Code::kResourceExhausted, "awareness", 9);
  ExpectError(EncodePermissionDenied("0123456789"), Status::Code::kResourceExhausted, "reason", 9);
  ExpectError(EncodeSaved(Bytes(10, 1)), Status::Code::kResourceExhausted, "saved", 9);
  // A huge declared length is refused by the limit before anything is read or allocated.
  ExpectError({0, 1, 0xff, 0xff, 0xff, 0xff, 0x0f}, Status::Code::kResourceExhausted, "limit");
}

}  // namespace
}  // namespace accord::proto
