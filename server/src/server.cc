#include "accord/server/server.h"

#include <atomic>
#include <thread>
#include <vector>

#include "beast_pch.h"
#include "database.h"
#include "listener.h"
#include "shared_state.h"

namespace accord::server {
namespace {

namespace net = boost::asio;

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, std::unique_ptr<Database> db)
      : options_(options),
        db_(std::move(db)),
        ioc_(ThreadCount(options)),
        signals_(ioc_),
        state_(std::make_shared<SharedState>(options.limits)),
        listener_(std::make_shared<Listener>(ioc_, state_)) {}

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

  Status Run() override {
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) Stop();
      });
    }
    listener_->Start();
    int n = ThreadCount(options_);
    std::vector<std::thread> threads;
    threads.reserve(n - 1);
    for (int i = 1; i < n; ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    return Status::Ok();
  }

  void Stop() override {
    if (stopping_.exchange(true)) return;
    listener_->Stop();
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    // Sessions are short-lived HTTP exchanges for now; the sync server closes its WebSockets
    // with 1001 before this point.
    ioc_.stop();
  }

 private:
  static int ThreadCount(const ServerOptions& o) {
    if (o.threads > 0) return o.threads;
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
  }

  ServerOptions options_;
  std::unique_ptr<Database> db_;
  net::io_context ioc_;
  net::signal_set signals_;
  std::shared_ptr<SharedState> state_;
  std::shared_ptr<Listener> listener_;
  std::atomic<bool> stopping_{false};
};

}  // namespace

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  auto db = Database::Open(options.data_dir);
  if (!db.ok()) return db.status();
  auto server = std::make_unique<ServerImpl>(options, std::move(*db));
  ACCORD_RETURN_IF_ERROR(server->Bind());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace accord::server
