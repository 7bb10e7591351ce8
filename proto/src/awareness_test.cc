#include "accord/proto/awareness.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "golden_testutil.h"

namespace accord::proto {
namespace {

using testing::G;
using Bytes = std::vector<uint8_t>;

const char kAna[] = R"({"user":{"name":"Ana","color":"#30bced"}})";

Bytes Update(std::vector<AwarenessEntry> entries) { return EncodeAwarenessUpdate(entries); }

TEST(AwarenessCodingTest, RoundTripsYProtocolsUpdates) {
  Result<std::vector<AwarenessEntry>> two = DecodeAwarenessUpdate(G("awareness_payload_two"));
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0], (AwarenessEntry{7, 1, kAna}));
  EXPECT_EQ((*two)[1], (AwarenessEntry{300, 1, R"({"user":{"name":"Bo"}})"}));
  EXPECT_EQ(EncodeAwarenessUpdate(*two), G("awareness_payload_two"));

  auto removed = DecodeAwarenessUpdate(G("awareness_payload_removed_clock3"));
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, (std::vector<AwarenessEntry>{{7, 3, "null"}}));
}

void ExpectDecodeError(const Bytes& update, Status::Code code, const std::string& needle,
                       size_t limit = kDefaultMaxAwarenessStateBytes) {
  auto r = DecodeAwarenessUpdate(update, limit);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), code) << r.status().ToString();
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().ToString();
}

TEST(AwarenessCodingTest, Errors) {
  ExpectDecodeError({}, Status::Code::kCorruption, "truncated awareness update at count");
  ExpectDecodeError({1}, Status::Code::kCorruption, "at client id");
  ExpectDecodeError({1, 7}, Status::Code::kCorruption, "at clock");
  ExpectDecodeError({1, 7, 0, 4, 'n'}, Status::Code::kCorruption, "at state");
  // A count far larger than the bytes: fails on truncation, allocates nothing up front.
  ExpectDecodeError({0xff, 0xff, 0xff, 0xff, 0x0f}, Status::Code::kCorruption, "truncated");
  ExpectDecodeError({1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10, 0, 1, '1'},
                    Status::Code::kCorruption, "client id out of range");
  Bytes trailing = G("awareness_payload");
  trailing.push_back(0);
  ExpectDecodeError(trailing, Status::Code::kCorruption, "1 trailing bytes");
  ExpectDecodeError(Update({{1, 0, "{\"a\":"}}), Status::Code::kCorruption,
                    "state of client 1 is not JSON");
  ExpectDecodeError(Update({{1, 0, "{'a':1}"}}), Status::Code::kCorruption, "not JSON");
  ExpectDecodeError(Update({{1, 0, "{} {}"}}), Status::Code::kCorruption, "after the JSON");
  ExpectDecodeError(Update({{1, 0, std::string(kAna)}}), Status::Code::kResourceExhausted,
                    "longer than 10 bytes", 10);
  for (const auto& [name, bytes] : testing::Golden()) {
    if (name.rfind("awareness_payload", 0) != 0) continue;
    for (size_t n = 0; n < bytes.size(); ++n) {
      EXPECT_FALSE(DecodeAwarenessUpdate(std::span(bytes).first(n)).ok()) << name << " " << n;
    }
  }
}

TEST(JsonTest, AcceptsWhatJsonParseAccepts) {
  for (const char* ok : {"null", " null ", "true", "false", "0", "-0", "-12.5e+3", "1E9", "\"\"",
                         R"("a\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00")", "[]", "[1, [2, {}]]", "{}",
                         R"({"a": {"b": [null, "é", "😀"]}, "c": 1})", "\t\n\r{ }"}) {
    EXPECT_TRUE(ValidateJson(ok).ok()) << ok << ": " << ValidateJson(ok).ToString();
  }
}

TEST(JsonTest, RejectsWhatJsonParseRejects) {
  for (const char* bad : {"",          " ",          "nul",
                          "undefined", "01",         "1.",
                          ".5",        "+1",         "-",
                          "1e",        "NaN",        "'a'",
                          "\"a",       "\"\\x\"",    "\"\\u12G4\"",
                          "[1,]",      "{\"a\":1,}", "{a:1}",
                          "[1 2]",     "{\"a\" 1}",  "\"tab\there\"",
                          "1 2"}) {
    EXPECT_FALSE(ValidateJson(bad).ok()) << bad;
  }
}

TEST(JsonTest, RejectsInvalidUtf8AndDeepNesting) {
  for (std::string bad : {"\"\xff\"", "\"\xc0\xaf\"", "\"\xe0\x80\xaf\"", "\"\xed\xa0\x80\"",
                          "\"\xf4\x90\x80\x80\"", "\"\xc3\""}) {
    EXPECT_FALSE(ValidateJson(bad).ok()) << bad;
  }
  std::string deep(kMaxAwarenessJsonDepth + 1, '[');
  deep += std::string(kMaxAwarenessJsonDepth + 1, ']');
  EXPECT_FALSE(ValidateJson(deep).ok());
  std::string fine(kMaxAwarenessJsonDepth, '[');
  fine += std::string(kMaxAwarenessJsonDepth, ']');
  EXPECT_TRUE(ValidateJson(fine).ok());
  std::string hostile(1 << 20, '[');  // must fail fast, not overflow the stack
  EXPECT_FALSE(ValidateJson(hostile).ok());
}

TEST(AwarenessRegistryTest, NewerClockWinsAndIsRelayed) {
  AwarenessRegistry reg;
  EXPECT_TRUE(reg.EncodeAll().empty());
  auto relay = reg.Apply(1, G("awareness_payload"));
  ASSERT_TRUE(relay.ok()) << relay.status().ToString();
  EXPECT_EQ(*relay, G("awareness_payload"));
  // The same clock again (non-null) changes nothing.
  relay = reg.Apply(1, G("awareness_payload"));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  relay = reg.Apply(1, G("awareness_payload_clock2"));
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ(*relay, G("awareness_payload_clock2"));
  // An older clock is ignored.
  relay = reg.Apply(2, G("awareness_payload"));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  EXPECT_EQ(reg.EncodeAll(), G("awareness_payload_clock2"));
}

TEST(AwarenessRegistryTest, RenewalWithUnchangedStateIsRelayed) {
  AwarenessRegistry reg;
  ASSERT_TRUE(reg.Apply(1, Update({{5, 1, "{}"}})).ok());
  auto relay = reg.Apply(1, Update({{5, 2, "{}"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ(*relay, Update({{5, 2, "{}"}}));
}

TEST(AwarenessRegistryTest, EncodeAllForANewClient) {
  AwarenessRegistry reg;
  ASSERT_TRUE(reg.Apply(1, G("awareness_payload")).ok());
  auto relay = reg.Apply(2, G("awareness_payload_two"));  // client 7 not newer, 300 is added
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ(*relay, Update({{300, 1, R"({"user":{"name":"Bo"}})"}}));
  EXPECT_EQ(reg.size(), 2u);
  EXPECT_EQ(reg.EncodeAll(), G("awareness_payload_two"));
}

TEST(AwarenessRegistryTest, CloseRemovesWhatTheConnectionIntroduced) {
  AwarenessRegistry reg;
  ASSERT_TRUE(reg.Apply(1, G("awareness_payload")).ok());
  ASSERT_TRUE(reg.Apply(1, G("awareness_payload_clock2")).ok());
  // As in y-protocols, clock 0 of an unknown client is not newer than "nothing" (0): ignored.
  auto ignored = reg.Apply(2, Update({{300, 0, "{}"}}));
  ASSERT_TRUE(ignored.ok());
  EXPECT_TRUE(ignored->empty());
  ASSERT_TRUE(reg.Apply(2, Update({{300, 1, "{}"}})).ok());
  // y-protocols announces a remote client's removal with its last clock and state null.
  EXPECT_EQ(reg.RemoveConnection(1), G("awareness_payload_removed_clock2"));
  EXPECT_TRUE(reg.RemoveConnection(1).empty());
  EXPECT_EQ(reg.size(), 1u);
  // A stale update cannot bring the departed client back; a newer one can.
  auto relay = reg.Apply(3, G("awareness_payload"));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  relay = reg.Apply(3, Update({{7, 3, "{}"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ(*relay, Update({{7, 3, "{}"}}));
  EXPECT_EQ(reg.size(), 2u);
  EXPECT_EQ(reg.RemoveConnection(2), Update({{300, 1, "null"}}));
}

TEST(AwarenessRegistryTest, ClientRemovalRules) {
  AwarenessRegistry reg;
  ASSERT_TRUE(reg.Apply(1, Update({{9, 4, "{}"}})).ok());
  // Equal clock with null removes; the relay says so.
  auto relay = reg.Apply(1, Update({{9, 4, "null"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ(*relay, Update({{9, 4, "null"}}));
  EXPECT_EQ(reg.size(), 0u);
  // Equal-clock null again: nothing left to remove.
  relay = reg.Apply(1, Update({{9, 4, "null"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  // A null for a never-seen client changes nothing visible.
  relay = reg.Apply(1, Update({{10, 1, "null"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  // The client removed itself, so closing the connection announces nothing.
  EXPECT_TRUE(reg.RemoveConnection(1).empty());
}

TEST(AwarenessRegistryTest, AClientBelongsToTheConnectionThatLastGaveItAState) {
  AwarenessRegistry reg;
  ASSERT_TRUE(reg.Apply(1, Update({{5, 1, "{}"}})).ok());
  ASSERT_TRUE(reg.Apply(1, Update({{5, 1, "null"}})).ok());
  // The same client comes back on another connection (it reconnected): closing that one
  // removes it, closing the first does not.
  ASSERT_TRUE(reg.Apply(2, Update({{5, 2, "{\"a\":1}"}})).ok());
  EXPECT_EQ(reg.size(), 1u);
  EXPECT_TRUE(reg.RemoveConnection(1).empty());
  EXPECT_EQ(reg.RemoveConnection(2), Update({{5, 2, "null"}}));
  EXPECT_EQ(reg.size(), 0u);
  EXPECT_TRUE(reg.EncodeAll().empty());
}

TEST(AwarenessRegistryTest, ANullForAnUnknownClientIsRememberedLikeYProtocols) {
  AwarenessRegistry reg;
  auto relay = reg.Apply(1, Update({{10, 3, "null"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  // y-protocols keeps the clock of that null: an older state is stale, a newer one is added.
  relay = reg.Apply(1, Update({{10, 2, "{}"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_TRUE(relay->empty());
  relay = reg.Apply(1, Update({{10, 4, "{}"}}));
  ASSERT_TRUE(relay.ok());
  EXPECT_EQ(*relay, Update({{10, 4, "{}"}}));
  EXPECT_EQ(reg.EncodeAll(), Update({{10, 4, "{}"}}));
}

TEST(AwarenessRegistryTest, InvalidUpdateChangesNothing) {
  AwarenessRegistry reg(/*max_state_bytes=*/16);
  Bytes bad = Update({{1, 1, "{}"}, {2, 1, "{oops}"}});
  auto relay = reg.Apply(1, bad);
  ASSERT_FALSE(relay.ok());
  EXPECT_EQ(relay.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(reg.size(), 0u);
  relay = reg.Apply(1, Update({{1, 1, std::string(kAna)}}));
  ASSERT_FALSE(relay.ok());
  EXPECT_EQ(relay.status().code(), Status::Code::kResourceExhausted);
  EXPECT_EQ(reg.size(), 0u);
  EXPECT_TRUE(reg.RemoveConnection(1).empty());
}

}  // namespace
}  // namespace accord::proto
