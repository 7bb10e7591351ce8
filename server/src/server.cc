#include "accord/server/server.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "accord/auth/password.h"
#include "accord/auth/secret.h"
#include "adherence_challenge.h"
#include "adherence_store.h"
#include "api_service.h"
#include "beast_pch.h"
#include "comment_store.h"
#include "commit_queue.h"
#include "config.h"
#include "database.h"
#include "document_access.h"
#include "document_service.h"
#include "document_store.h"
#include "drafting_store.h"
#include "instance_key.h"
#include "listener.h"
#include "log.h"
#include "mailer.h"
#include "room_registry.h"
#include "shared_state.h"
#include "signon_writer.h"
#include "sqlite_account_store.h"
#include "sqlite_signon_store.h"
#include "sqlite_transparency_log.h"
#include "static_files.h"

namespace accord::server {
namespace {

namespace net = boost::asio;

// How long a graceful shutdown waits for close frames and the last "saved" messages before it
// stops the event loop; storage is flushed either way.
constexpr std::chrono::milliseconds kShutdownGrace{1500};

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, std::unique_ptr<ApiService> api,
             std::unique_ptr<DocumentStore> store, std::shared_ptr<const StaticFiles> static_files)
      : options_(options),
        api_(std::move(api)),
        store_(std::move(store)),
        ioc_(ThreadCount(options)),
        workers_(kWorkerThreads),
        signals_(ioc_),
        shutdown_timer_(ioc_),
        state_(std::make_shared<SharedState>(
            options.limits, SharedStateParts{api_.get(),
                                             [this](std::function<void()> task) {
                                               net::post(workers_, std::move(task));
                                             },
                                             nullptr, std::move(static_files)})),
        commits_(std::make_unique<CommitQueue>(*store_, state_->limits(), state_->metrics())),
        rooms_(std::make_unique<RoomRegistry>(ioc_, state_->limits(), state_->metrics(), *store_,
                                              *commits_)),
        documents_(std::make_unique<DocumentService>(*store_, rooms_.get())),
        listener_(std::make_shared<Listener>(ioc_, state_)) {
    state_->set_commits(commits_.get());
    state_->set_rooms(rooms_.get());
    api_->context().documents = documents_.get();
    // A change of rights closes the affected sockets; their clients reconnect and are
    // authorized afresh (document_access.h).
    api_->context().rights_changed = [rooms = rooms_.get()](const std::string& document,
                                                            auth::Id user) {
      rooms->CloseMatching(
          [&document](const std::string& name) {
            return document.empty() || name == document || name.starts_with(document + ".");
          },
          [user](const PeerInfo& peer) { return user == 0 || peer.user_id == user; },
          CloseCode::kRightsChanged, "your access rights to this document changed; reconnect");
    };
  }

  ~ServerImpl() override {
    // Sessions and rooms die with the io_context's pending handlers; the commit thread must
    // stop before the store goes.
    commits_->Stop();
    workers_.join();
    api_->context().rights_changed = nullptr;
    api_->context().documents = nullptr;
    state_->set_rooms(nullptr);
  }

  Status Bind() {
    boost::system::error_code ec;
    auto address = net::ip::make_address(
        options_.listen_host == "localhost" ? "127.0.0.1" : options_.listen_host, ec);
    if (ec) {
      return Status::InvalidArgument("listen host '" + options_.listen_host +
                                     "' is not an IP address");
    }
    ec = listener_->Bind({address, options_.listen_port});
    if (ec) {
      return Status::IOError("cannot listen on " + options_.listen_host + ":" +
                             std::to_string(options_.listen_port) + ": " + ec.message());
    }
    return Status::Ok();
  }

  uint16_t port() const override { return listener_->port(); }
  ApiService& api() { return *api_; }

  Status Run() override {
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        Log("info", "shutting down", {{"signal", signal == SIGTERM ? "SIGTERM" : "SIGINT"}});
        Stop();
      });
    }
    commits_->Start();
    listener_->Start();
    int n = ThreadCount(options_);
    std::vector<std::thread> threads;
    threads.reserve(n - 1);
    for (int i = 1; i < n; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    // Everything accepted is made durable before Run returns.
    commits_->Stop();
    rooms_->ReleaseAllAfterShutdown();
    return Status::Ok();
  }

  void Stop() override {
    if (stopping_.exchange(true)) return;
    state_->set_stopping();
    listener_->Stop();
    net::post(ioc_, [this] {
      boost::system::error_code ignored;
      signals_.cancel(ignored);
      // Make what was accepted durable (clients asking for "saved" hear it), then close every
      // WebSocket with 1001 and give the close frames a moment to leave.
      commits_->Flush();
      rooms_->CloseAll(CloseCode::kGoingAway, "the server is shutting down");
      shutdown_timer_.expires_after(kShutdownGrace);
      shutdown_timer_.async_wait([this](boost::system::error_code) { ioc_.stop(); });
    });
  }

 private:
  static int ThreadCount(const ServerOptions& o) {
    if (o.threads > 0) return o.threads;
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
  }

  // Blocking work (SQLite account lookups, Argon2id) runs here, never on the network threads.
  // PasswordHasher itself lets only two hashes run at once (128 MiB) on a small VPS, so more
  // threads do not mean more memory for hashing. Eight, because an endorsement's handler
  // waits (on the disk, not the CPU) for the group commit that makes it durable
  // (signon_writer.h): with two threads, two waiting signatories would stall every other API
  // request until their fsync; with eight, a burst of endorsements fills one commit batch
  // while the remaining threads keep serving.
  static constexpr int kWorkerThreads = 8;

  ServerOptions options_;
  std::unique_ptr<ApiService> api_;
  std::unique_ptr<DocumentStore> store_;
  net::io_context ioc_;
  net::thread_pool workers_;
  net::signal_set signals_;
  net::steady_timer shutdown_timer_;
  std::shared_ptr<SharedState> state_;
  std::unique_ptr<CommitQueue> commits_;
  std::unique_ptr<RoomRegistry> rooms_;
  std::unique_ptr<DocumentService> documents_;
  std::shared_ptr<Listener> listener_;
  std::atomic<bool> stopping_{false};
};

// What the ApiContext points to, owned together.
struct Owned {
  std::unique_ptr<SqliteAccountStore> accounts;
  std::unique_ptr<DraftingStore> drafting;
  std::unique_ptr<CommentStore> comments;
  std::unique_ptr<AdherenceStore> adherence;
  std::unique_ptr<TransparencyLog> log;
  std::unique_ptr<SignonStore> signon;
  std::unique_ptr<SignonWriter> signon_writer;  // declared after `signon`: stops first
  auth::PasswordHasher passwords;
  ApiConfig config;
};

// Everything the REST API needs, from the options.
Result<std::unique_ptr<ApiService>> OpenApi(const ServerOptions& options, Database& db) {
  auto accounts = SqliteAccountStore::Open(options.data_dir);
  if (!accounts.ok()) return accounts.status();
  auto key = LoadOrCreateInstanceKey(db);
  if (!key.ok()) return key.status();
  auto holder = std::make_shared<Owned>();
  holder->accounts = std::move(*accounts);
  auto drafting = OpenSqliteDraftingStore(options.data_dir);
  if (!drafting.ok()) return drafting.status();
  holder->drafting = std::move(*drafting);
  auto comments = OpenSqliteCommentStore(options.data_dir);
  if (!comments.ok()) return comments.status();
  holder->comments = std::move(*comments);
  auto adherence = OpenSqliteAdherenceStore(options.data_dir);
  if (!adherence.ok()) return adherence.status();
  holder->adherence = std::move(*adherence);
  std::string previous_origin;
  auto signer = LoadOrCreateLogSigner(db, EffectiveLogOrigin(options), &previous_origin);
  if (!signer.ok()) return signer.status();
  if (!previous_origin.empty()) {
    Log("warn", "the transparency log's origin changed: its verifier key is new",
        {{"previous", previous_origin},
         {"origin", signer->name()},
         {"verifier_key", signer->Verifier().ToString()}});
  }
  auto log = OpenSqliteTransparencyLog(options.data_dir, *signer);
  if (!log.ok()) return log.status();
  holder->log = std::move(*log);
  auto signon = OpenSqliteSignonStore(options.data_dir);
  if (!signon.ok()) return signon.status();
  holder->signon = std::move(*signon);
  holder->signon_writer = std::make_unique<SignonWriter>(*holder->signon);
  ServerOptions plain = options;
  plain.public_url.clear();
  if (options.public_url.empty() && !IsLoopbackUrl(EffectivePublicUrl(plain))) {
    return Status::InvalidArgument(
        "accordd listens on " + options.listen_host +
        ", beyond loopback, but has no public_url: browsers would send session cookies in "
        "clear. Serve it through a TLS proxy (such as Caddy) and set public_url to its "
        "https:// address");
  }
  holder->config.public_url = EffectivePublicUrl(options);
  if (Status s = CheckPublicUrl(holder->config.public_url); !s.ok()) {
    return Status::InvalidArgument("public_url " + s.message());
  }
  holder->config.allowed_origins = options.allowed_origins;
  const Limits& limits = options.limits;
  auto seconds = [](std::chrono::milliseconds ms) {
    return std::max(std::chrono::seconds(1), std::chrono::duration_cast<std::chrono::seconds>(ms));
  };
  auto burst = [](size_t n) { return static_cast<int>(std::min<size_t>(n, 1'000'000)); };
  holder->config.session_idle = seconds(limits.session_idle_timeout);
  holder->config.session_absolute = seconds(limits.session_lifetime);
  holder->config.invitation_ttl = seconds(limits.invitation_lifetime);
  holder->config.password_reset_ttl = seconds(limits.password_reset_lifetime);
  holder->config.login_per_account.burst = burst(limits.login_failures_per_account);
  holder->config.login_per_ip.burst = burst(limits.login_failures_per_ip);
  holder->config.links_per_ip.burst = burst(limits.link_requests_per_ip);
  holder->config.adherence_per_ip.burst = burst(limits.adherence_requests_per_ip);
  holder->config.adherence_difficulty =
      static_cast<int>(std::min<size_t>(limits.adherence_difficulty_bits, kMaxChallengeDifficulty));
  holder->config.adherence_max_pending =
      static_cast<int64_t>(std::min<size_t>(limits.adherence_pending_per_statement, 1'000'000));
  auto ctx = std::make_unique<ApiContext>();
  ctx->store = holder->accounts.get();
  ctx->drafting = holder->drafting.get();
  ctx->comments = holder->comments.get();
  ctx->adherence = holder->adherence.get();
  ctx->log = holder->log.get();
  ctx->signon = holder->signon.get();
  ctx->signon_writer = holder->signon_writer.get();
  ctx->passwords = &holder->passwords;
  ctx->config = &holder->config;
  ctx->instance_key = std::move(*key);
  if (!options.mail_command.empty()) {
    ctx->mailer = CommandMailer(options.mail_command, options.mail_from);
  }
  ctx->keep_alive = holder;
  return std::make_unique<ApiService>(std::move(ctx));
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  // Opening the database applies pending migrations before anything else touches it.
  auto db = Database::Open(options.data_dir);
  if (!db.ok()) return db.status();
  ACCORD_RETURN_IF_ERROR(auth::Initialize());
  auto api = OpenApi(options, **db);
  if (!api.ok()) return api.status();
  auto store = OpenSqliteDocumentStore(options.data_dir);
  if (!store.ok()) return store.status();
  std::shared_ptr<const StaticFiles> static_files;
  if (!options.web_root.empty()) {
    auto files = StaticFiles::Open(options.web_root);
    if (!files.ok()) return files.status();
    static_files = std::move(*files);
  }
  auto server = std::make_unique<ServerImpl>(options, std::move(*api), std::move(*store),
                                             std::move(static_files));
  ACCORD_RETURN_IF_ERROR(server->Bind());
  if (options.public_url.empty()) {
    // Port 0 picks a free port: only now is the development URL known.
    ServerOptions bound = options;
    bound.listen_port = server->port();
    server->api().SetPublicUrl(EffectivePublicUrl(bound));
  }
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace accord::server
