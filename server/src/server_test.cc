// The whole server in-process (server.cc, listener.cc, http_session.cc, websocket_session.cc):
// a real Server on 127.0.0.1, driven by Beast HTTP and WebSocket clients.
#include "accord/server/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "accord/crdt/doc.h"
#include "accord/proto/awareness.h"
#include "accord/proto/messages.h"
#include "account_admin.h"
#include "beast_pch.h"
#include "document_store.h"
#include "sqlite_account_store.h"

namespace accord::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using ::testing::HasSubstr;
using Kind = proto::Message::Kind;

// Generous: only reached when the behaviour under test is broken.
constexpr auto kWait = std::chrono::seconds(10);

http::response<http::string_body> HttpGet(uint16_t port, const std::string& target) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::empty_body> req(http::verb::get, target, 11);
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return res;
}

// What a client read: one message, or the end of the connection.
struct Received {
  beast::error_code ec;  // websocket::error::closed when the server closed cleanly
  std::vector<uint8_t> bytes;
  uint16_t close_code = 0;
  std::optional<proto::Message> Decoded() const {
    if (ec) return std::nullopt;
    auto m = proto::DecodeMessage(bytes);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? std::optional(std::move(*m)) : std::nullopt;
  }
};

// A WebSocket client. Writes are synchronous; reads wait at most kWait so that a missing
// message fails the test instead of hanging it.
class WsClient {
 public:
  // Opens /ws/... on the server; on a refused upgrade the error is upgrade_declined and
  // response() holds the server's answer.
  beast::error_code Connect(uint16_t port, const std::string& target,
                            const std::string& authorization = "") {
    beast::error_code ec;
    ws_.next_layer().connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), ec);
    if (ec) return ec;
    ws_.set_option(websocket::stream_base::decorator([authorization](websocket::request_type& r) {
      if (!authorization.empty()) r.set(http::field::authorization, authorization);
    }));
    ws_.handshake(response_, "127.0.0.1:" + std::to_string(port), target, ec);
    ws_.binary(true);
    return ec;
  }
  const websocket::response_type& response() const { return response_; }

  void Send(const std::vector<uint8_t>& message) {
    ws_.binary(true);
    ws_.write(net::buffer(message));
  }
  // For a message the server may refuse before it has read all of it.
  beast::error_code TrySend(const std::vector<uint8_t>& message) {
    beast::error_code ec;
    ws_.binary(true);
    // One frame written at once: its header alone is over the limit, and a second write could
    // find TCP already closed by the server.
    ws_.auto_fragment(false);
    ws_.write_buffer_bytes(message.size() + 64);
    ws_.write(net::buffer(message), ec);
    return ec;
  }
  void SendText(const std::string& text) {
    ws_.text(true);
    ws_.write(net::buffer(text));
  }

  Received Read() {
    Received out;
    beast::flat_buffer buffer;
    bool done = false;
    ws_.async_read(buffer, [&](beast::error_code ec, std::size_t) {
      out.ec = ec;
      done = true;
    });
    ioc_.restart();
    ioc_.run_for(kWait);
    if (!done) {
      ADD_FAILURE() << "no message within the wait";
      beast::error_code ignored;
      ws_.next_layer().close(ignored);
      ioc_.restart();
      ioc_.run();
      out.ec = beast::error::timeout;
      return out;
    }
    // The close frame's code, also when the server dropped TCP right after sending it (a
    // failed connection, RFC 6455 section 7.1.7) and the reply could not be written.
    if (out.ec) out.close_code = ws_.reason().code;
    auto data = buffer.data();
    auto* p = static_cast<const uint8_t*>(data.data());
    out.bytes.assign(p, p + data.size());
    return out;
  }
  // The next message, decoded; a failure if the connection ended instead.
  proto::Message Next() {
    Received r = Read();
    EXPECT_FALSE(r.ec) << r.ec.message();
    auto m = r.Decoded();
    return m ? *m : proto::Message{};
  }

 private:
  net::io_context ioc_;
  websocket::stream<tcp::socket> ws_{ioc_};
  websocket::response_type response_;
};

std::vector<uint8_t> MakeUpdate(uint64_t client, const std::string& text) {
  crdt::Doc d;
  d.set_client_id(client);
  EXPECT_TRUE(d.GetText("t")->Insert(0, text).ok());
  return *d.EncodeStateAsUpdate();
}

std::string TextOf(std::span<const uint8_t> update) {
  crdt::Doc d;
  EXPECT_TRUE(d.ApplyUpdate(update).ok());
  return d.GetText("t")->ToString();
}

std::vector<uint8_t> StateVectorOf(std::span<const uint8_t> update) {
  crdt::Doc d;
  EXPECT_TRUE(d.ApplyUpdate(update).ok());
  return d.EncodeStateVector();
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("accord-server-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    // The instance secretariat may open any document; its tokens are cut down by scope and
    // document pattern.
    auto store = SqliteAccountStore::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto boot = Bootstrap(**store, "sec@example.org", "Sec", "Secretariat", "SEC",
                          "http://127.0.0.1", std::chrono::hours(1), 1000);
    ASSERT_TRUE(boot.ok()) << boot.status().ToString();
    ASSERT_TRUE(
        (*store)->AddMembership(boot->user.id, boot->host.id, auth::Role::kSecretariat, 1000).ok());
    const uint32_t rw = auth::kScopeDocumentsRead | auth::kScopeDocumentsWrite;
    auto write = IssueApiToken(**store, boot->user.id, "w", rw, "*", std::nullopt, 1000, 0);
    auto read = IssueApiToken(**store, boot->user.id, "r", auth::kScopeDocumentsRead, "*",
                              std::nullopt, 1000, 0);
    auto team = IssueApiToken(**store, boot->user.id, "t", rw, "team-*", std::nullopt, 1000, 0);
    ASSERT_TRUE(write.ok() && read.ok() && team.ok());
    token_ = write->secret;
    read_token_ = read->secret;
    team_token_ = team->secret;
    limits_.commit_interval = std::chrono::milliseconds(1);
  }
  void TearDown() override {
    StopServer();
    std::filesystem::remove_all(dir_);
  }

  void StartServer() {
    ServerOptions options;
    options.data_dir = dir_.string();
    options.listen_host = "127.0.0.1";
    options.listen_port = 0;
    options.threads = 2;
    options.handle_signals = false;
    options.limits = limits_;
    auto server = Server::Create(options);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(*server);
    port_ = server_->port();
    ASSERT_NE(port_, 0);
    run_returned_ = false;
    thread_ = std::thread([this] {
      run_status_ = server_->Run();
      run_returned_ = true;
    });
  }
  void StopServer() {
    if (!server_) return;
    EXPECT_FALSE(run_returned_) << "Run returned before Stop";
    server_->Stop();
    thread_.join();
    EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
    server_.reset();
  }
  std::string Ws(const std::string& doc, const std::string& extra = "") {
    return "/ws/" + doc + "?token=" + token_ + extra;
  }
  // Connects to `doc` with the write token and reads the server's first message (step 1).
  std::unique_ptr<WsClient> Join(const std::string& doc, const std::string& extra = "") {
    auto c = std::make_unique<WsClient>();
    auto ec = c->Connect(port_, Ws(doc, extra));
    EXPECT_FALSE(ec) << ec.message();
    proto::Message first = c->Next();
    EXPECT_EQ(first.kind, Kind::kSyncStep1);
    return c;
  }

  std::filesystem::path dir_;
  std::string token_, read_token_, team_token_;
  Limits limits_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  Status run_status_;
  std::atomic<bool> run_returned_{false};
};

TEST_F(ServerTest, HealthzAnswers200) {
  StartServer();
  auto res = HttpGet(port_, "/healthz");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_EQ(res[http::field::server], "accordd");
}

TEST_F(ServerTest, MetricsListTheAccordSeries) {
  StartServer();
  auto c = Join("doc");
  auto res = HttpGet(port_, "/metrics");
  EXPECT_EQ(res.result_int(), 200);
  EXPECT_THAT(res.body(), HasSubstr("accord_websockets 1\n"));
  EXPECT_THAT(res.body(), HasSubstr("accord_documents_loaded 1\n"));
  // This request's own connection and the WebSocket's.
  EXPECT_THAT(res.body(), HasSubstr("accord_connections 2\n"));
  EXPECT_THAT(res.body(), HasSubstr("accord_rejections_total"));
}

TEST_F(ServerTest, APlainGetOfTheWebSocketPathIs426) {
  StartServer();
  auto res = HttpGet(port_, Ws("doc"));
  EXPECT_EQ(res.result_int(), 426);
}

TEST_F(ServerTest, AnUpgradeWithoutATokenIs401WithWwwAuthenticate) {
  StartServer();
  WsClient c;
  EXPECT_EQ(c.Connect(port_, "/ws/doc"), websocket::error::upgrade_declined);
  EXPECT_EQ(c.response().result_int(), 401);
  EXPECT_EQ(c.response()[http::field::www_authenticate], "Bearer");
  EXPECT_EQ(c.response()[http::field::content_type], "application/problem+json");

  WsClient bad;
  EXPECT_EQ(bad.Connect(port_, "/ws/doc?token=not-a-token"), websocket::error::upgrade_declined);
  EXPECT_EQ(bad.response().result_int(), 401);
  EXPECT_THAT(std::string(bad.response()[http::field::www_authenticate]),
              HasSubstr("invalid_token"));
}

TEST_F(ServerTest, ATokenInTheAuthorizationHeaderIsAccepted) {
  StartServer();
  WsClient c;
  ASSERT_FALSE(c.Connect(port_, "/ws/doc", "Bearer " + token_));
  EXPECT_EQ(c.Next().kind, Kind::kSyncStep1);
}

TEST_F(ServerTest, ATokenForOtherDocumentsIs403) {
  StartServer();
  WsClient c;
  EXPECT_EQ(c.Connect(port_, "/ws/other?token=" + team_token_), websocket::error::upgrade_declined);
  EXPECT_EQ(c.response().result_int(), 403);
  WsClient ok;
  EXPECT_FALSE(ok.Connect(port_, "/ws/team-a?token=" + team_token_));
}

TEST_F(ServerTest, ABadDocumentNameIs400) {
  StartServer();
  for (const std::string& name :
       {std::string(".hidden"), std::string("a%20b"), std::string(200, 'x')}) {
    WsClient c;
    EXPECT_EQ(c.Connect(port_, Ws(name)), websocket::error::upgrade_declined) << name;
    EXPECT_EQ(c.response().result_int(), 400) << name;
    EXPECT_THAT(c.response().body(), HasSubstr("bad-document-name")) << name;
  }
  WsClient c;
  EXPECT_EQ(c.Connect(port_, "/wsx"), websocket::error::upgrade_declined);
  EXPECT_EQ(c.response().result_int(), 404);
}

TEST_F(ServerTest, TheServerOpensWithStep1AndAnswersStep1WithStep2) {
  StartServer();
  auto a = Join("doc");
  const auto update = MakeUpdate(7, "hello");
  a->Send(proto::EncodeSyncUpdate(update));

  WsClient b;
  ASSERT_FALSE(b.Connect(port_, Ws("doc")));
  proto::Message step1 = b.Next();
  ASSERT_EQ(step1.kind, Kind::kSyncStep1);
  EXPECT_EQ(step1.payload, StateVectorOf(update));  // the server's state vector
  b.Send(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector()));
  proto::Message step2 = b.Next();
  ASSERT_EQ(step2.kind, Kind::kSyncStep2);
  EXPECT_EQ(TextOf(step2.payload), "hello");
}

TEST_F(ServerTest, AnUpdateFromOneClientReachesTheOther) {
  StartServer();
  auto a = Join("doc");
  auto b = Join("doc");
  a->Send(proto::EncodeSyncUpdate(MakeUpdate(7, "from a")));
  proto::Message got = b->Next();
  ASSERT_EQ(got.kind, Kind::kSyncUpdate);
  EXPECT_EQ(TextOf(got.payload), "from a");
  // And back.
  b->Send(proto::EncodeSyncUpdate(MakeUpdate(8, "from b")));
  got = a->Next();
  ASSERT_EQ(got.kind, Kind::kSyncUpdate);
  EXPECT_EQ(TextOf(got.payload), "from b");
}

TEST_F(ServerTest, OtherDocumentsDoNotHearTheUpdate) {
  StartServer();
  auto a = Join("doc");
  auto other = Join("other");
  a->Send(proto::EncodeSyncUpdate(MakeUpdate(7, "x")));
  // `other` asks for the state: it is empty, and no update came before the answer.
  other->Send(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector()));
  proto::Message got = other->Next();
  ASSERT_EQ(got.kind, Kind::kSyncStep2);
  EXPECT_EQ(TextOf(got.payload), "");
}

TEST_F(ServerTest, WithExtSavedASavedMessageFollowsAnUpdate) {
  StartServer();
  auto a = Join("doc", "&ext=saved");
  proto::Message initial = a->Next();
  ASSERT_EQ(initial.kind, Kind::kSaved);
  EXPECT_EQ(initial.payload, crdt::Doc().EncodeStateVector());
  const auto update = MakeUpdate(7, "durable");
  a->Send(proto::EncodeSyncUpdate(update));
  proto::Message saved = a->Next();
  ASSERT_EQ(saved.kind, Kind::kSaved);
  EXPECT_EQ(saved.payload, StateVectorOf(update));
  // Bytes on the wire: [100][varUint8Array sv].
  std::vector<uint8_t> expected = {100, static_cast<uint8_t>(saved.payload.size())};
  expected.insert(expected.end(), saved.payload.begin(), saved.payload.end());
  EXPECT_EQ(proto::EncodeMessage(saved), expected);
}

TEST_F(ServerTest, EditsSurviveARestart) {
  StartServer();
  {
    auto a = Join("doc", "&ext=saved");
    ASSERT_EQ(a->Next().kind, Kind::kSaved);
    a->Send(proto::EncodeSyncUpdate(MakeUpdate(7, "kept")));
    ASSERT_EQ(a->Next().kind, Kind::kSaved);
  }
  StopServer();
  StartServer();
  auto b = Join("doc");
  b->Send(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector()));
  proto::Message step2 = b->Next();
  ASSERT_EQ(step2.kind, Kind::kSyncStep2);
  EXPECT_EQ(TextOf(step2.payload), "kept");
}

TEST_F(ServerTest, AwarenessIsRelayedAndSentToNewcomers) {
  StartServer();
  auto a = Join("doc");
  std::vector<proto::AwarenessEntry> entries = {{42, 1, R"({"user":"a"})"}};
  a->Send(proto::EncodeAwareness(proto::EncodeAwarenessUpdate(entries)));
  proto::Message echo = a->Next();  // the sender hears it too
  ASSERT_EQ(echo.kind, Kind::kAwareness);

  WsClient b;
  ASSERT_FALSE(b.Connect(port_, Ws("doc")));
  EXPECT_EQ(b.Next().kind, Kind::kSyncStep1);
  proto::Message states = b.Next();
  ASSERT_EQ(states.kind, Kind::kAwareness);
  auto decoded = proto::DecodeAwarenessUpdate(states.payload);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ((*decoded)[0].client_id, 42u);
  EXPECT_EQ((*decoded)[0].state_json, R"({"user":"a"})");
}

TEST_F(ServerTest, AReadOnlyTokenCannotEdit) {
  StartServer();
  WsClient r;
  ASSERT_FALSE(r.Connect(port_, "/ws/doc?token=" + read_token_));
  EXPECT_EQ(r.Next().kind, Kind::kSyncStep1);
  r.Send(proto::EncodeSyncUpdate(MakeUpdate(7, "nope")));
  proto::Message denied = r.Next();
  ASSERT_EQ(denied.kind, Kind::kPermissionDenied);
  EXPECT_EQ(denied.reason, "the API token lacks the documents:write scope");
  r.Send(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector()));
  proto::Message step2 = r.Next();
  ASSERT_EQ(step2.kind, Kind::kSyncStep2);
  EXPECT_EQ(TextOf(step2.payload), "");
}

TEST_F(ServerTest, ATextFrameClosesWith1008) {
  StartServer();
  auto a = Join("doc");
  a->SendText("hello");
  Received r = a->Read();
  EXPECT_EQ(r.ec, websocket::error::closed) << r.ec.message();
  EXPECT_EQ(r.close_code, 1008);
}

TEST_F(ServerTest, AMalformedMessageClosesWith1008) {
  StartServer();
  auto a = Join("doc");
  a->Send({0x07, 0x01});  // unknown message type
  Received r = a->Read();
  EXPECT_EQ(r.ec, websocket::error::closed) << r.ec.message();
  EXPECT_EQ(r.close_code, 1008);
}

TEST_F(ServerTest, AnOversizedFrameClosesWith1009) {
  limits_.max_message_bytes = 1024;
  StartServer();
  auto a = Join("doc");
  // The server refuses at the frame header and closes, so the end of this write may fail.
  auto sent = a->TrySend(proto::EncodeSyncUpdate(std::vector<uint8_t>(4096, 0)));
  Received r = a->Read();
  EXPECT_EQ(r.close_code, 1009) << "write: " << sent.message() << ", read: " << r.ec.message();
  // The close frame arrives; our reply may find TCP already closed (a failed connection, RFC
  // 6455 section 7.1.7), so the error is `closed` or a transport error.
  EXPECT_TRUE(r.ec);
  EXPECT_EQ(r.close_code, 1009);
  // The others carry on.
  auto b = Join("doc");
  b->Send(proto::EncodeSyncStep1(crdt::Doc().EncodeStateVector()));
  EXPECT_EQ(b->Next().kind, Kind::kSyncStep2);
}

TEST_F(ServerTest, StopClosesWebSocketsWith1001) {
  StartServer();
  auto a = Join("doc", "&ext=saved");
  ASSERT_EQ(a->Next().kind, Kind::kSaved);
  auto b = Join("other");
  server_->Stop();
  Received ra = a->Read();
  EXPECT_EQ(ra.ec, websocket::error::closed) << ra.ec.message();
  EXPECT_EQ(ra.close_code, 1001);
  Received rb = b->Read();
  EXPECT_EQ(rb.ec, websocket::error::closed) << rb.ec.message();
  EXPECT_EQ(rb.close_code, 1001);
  thread_.join();
  EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
  server_.reset();
}

// The port stays readable after Stop (it used to ask the closed acceptor, and throw).
TEST_F(ServerTest, ThePortIsStillKnownAfterStop) {
  StartServer();
  uint16_t port = server_->port();
  server_->Stop();
  thread_.join();
  EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
  EXPECT_EQ(server_->port(), port);
  server_.reset();
}

TEST_F(ServerTest, StopReturnsEvenIfAClientNeverAnswersTheClose) {
  StartServer();
  auto silent = Join("doc");  // never reads again, so never answers the close frame
  auto other = Join("doc");
  other->Send(proto::EncodeSyncUpdate(MakeUpdate(7, "x")));  // queued for `silent` too
  server_->Stop();
  server_->Stop();  // idempotent
  thread_.join();
  EXPECT_TRUE(run_status_.ok()) << run_status_.ToString();
  server_.reset();
  Received r = silent->Read();  // what the server said before it went
  EXPECT_TRUE(r.ec || r.Decoded().has_value());
}

TEST_F(ServerTest, ACorruptDocumentIsRefusedWith503AndLeftAlone) {
  const std::vector<uint8_t> garbage = {0xff, 0xfe, 0x07, 0x00, 0x42};
  {
    auto store = OpenSqliteDocumentStore(dir_.string());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->AppendBatch(std::vector<PendingUpdate>{{"bad", garbage}}).ok());
  }
  StartServer();
  WsClient c;
  EXPECT_EQ(c.Connect(port_, Ws("bad")), websocket::error::upgrade_declined);
  EXPECT_EQ(c.response().result_int(), 503);
  EXPECT_THAT(c.response().body(), HasSubstr("document-unavailable"));
  // Other documents are served.
  Join("good");
  StopServer();
  auto store = OpenSqliteDocumentStore(dir_.string());
  ASSERT_TRUE(store.ok());
  auto stored = (*store)->Load("bad");
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->updates.size(), 1u);
  EXPECT_EQ(stored->updates[0], garbage);
  EXPECT_TRUE(stored->snapshot.empty());
}

TEST_F(ServerTest, ConnectionsOverThePerAddressLimitAreRefused) {
  limits_.max_connections_per_ip = 1;
  StartServer();
  net::io_context ioc;
  tcp::socket first(ioc);
  first.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  // Accepted in order: `first` holds the one slot, so this one is closed unread.
  {
    beast::tcp_stream second(ioc);
    second.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    http::request<http::empty_body> req(http::verb::get, "/healthz", 11);
    req.set(http::field::host, "127.0.0.1");
    beast::error_code ec;
    http::write(second, req, ec);  // may fail already if the close arrived first
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    if (!ec) http::read(second, buffer, res, ec);
    EXPECT_TRUE(ec) << "a second connection was served: " << res.result_int();
  }
  first.close();
  // The slot comes back once the server sees the first connection end.
  for (auto deadline = std::chrono::steady_clock::now() + kWait;;) {
    try {
      if (HttpGet(port_, "/healthz").result_int() == 200) break;
    } catch (const boost::system::system_error&) {
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the slot was never released";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

TEST_F(ServerTest, CreateFailsOnAPortInUse) {
  StartServer();
  ServerOptions options;
  options.data_dir = dir_.string();
  options.listen_port = port_;
  options.handle_signals = false;
  auto second = Server::Create(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kIOError);
  options.listen_port = 0;
  options.listen_host = "not-an-address";
  second = Server::Create(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace accord::server
