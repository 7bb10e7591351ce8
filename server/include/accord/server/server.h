// accord/server/server.h: accordd, the Accord server, as a library.
//
// Create() opens (and migrates) the SQLite database in `data_dir`, binds the listening socket,
// and returns a Server that is not yet running. Run() serves on `threads` threads until
// Stop() is called from any thread or the process receives SIGINT/SIGTERM (when
// handle_signals is set); it then stops accepting, closes connections and returns.
#ifndef ACCORD_SERVER_SERVER_H_
#define ACCORD_SERVER_SERVER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "accord/server/limits.h"
#include "accord/status.h"

namespace accord::server {

struct ServerOptions {
  std::string data_dir = "data";  // created if missing; holds accord.db
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;  // 0: pick a free port (see Server::port())
  int threads = 0;              // 0: one per core
  // The built web client (web-client/dist) served at /; must hold index.html. Empty: only
  // the API and WebSocket routes exist (the client is then served by something else).
  std::string web_root;
  bool handle_signals = true;
  Limits limits;
  // The address people reach the instance at ("https://accord.example.org"): links in
  // invitations are built on it and its scheme decides whether session cookies are Secure.
  // Plain http:// is accepted only for loopback hosts (development). Empty: http:// on the
  // listen address.
  std::string public_url;
  // Further origins allowed to make state-changing API requests and WebSocket connections
  // (public_url's origin always is), e.g. a development server of the web client.
  std::vector<std::string> allowed_origins;
  // The transparency log's origin: its identity in checkpoints and the name of its verifier
  // key (e.g. "accord.example.org/log"). Empty: derived from public_url (host and path +
  // "/log"), or "accord.local/log" without one. Changing it changes the verifier key.
  std::string log_origin;
  // The mail submission command invitation and reset links are sent with (`sendmail -t -i`
  // of msmtp or Postfix); empty: no mail, links are shown to the secretariat to pass on.
  std::string mail_command;
  std::string mail_from = "Accord <accord@localhost>";
};

class Server {
 public:
  static Result<std::unique_ptr<Server>> Create(const ServerOptions& options);
  virtual ~Server() = default;

  // The bound TCP port (useful with listen_port = 0).
  virtual uint16_t port() const = 0;
  // Blocks until stopped. Returns OK after a clean shutdown.
  virtual Status Run() = 0;
  // Thread-safe; idempotent.
  virtual void Stop() = 0;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_SERVER_H_
