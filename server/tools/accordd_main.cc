// accordd: the Accord server. `accordd --help` lists the flags.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "accord/server/listen_address.h"
#include "accord/server/server.h"

namespace {

constexpr const char* kUsage =
    "usage: accordd [--data DIR] [--listen HOST:PORT] [--threads N]\n"
    "  --data DIR          where the SQLite database lives (default: ./data, created if missing)\n"
    "  --listen HOST:PORT  address to serve on (default: 127.0.0.1:8080)\n"
    "  --threads N         worker threads (default: one per core)\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "accordd: %s\n%s", message.c_str(), kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  accord::server::ServerOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) return nullptr;
      (void)flag;
      return argv[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--data") {
      const char* v = value("--data");
      if (!v) return UsageError("--data needs a directory");
      options.data_dir = v;
    } else if (arg == "--listen") {
      const char* v = value("--listen");
      if (!v) return UsageError("--listen needs HOST:PORT");
      auto addr = accord::server::ParseListenAddress(v);
      if (!addr.ok()) return UsageError(addr.status().message());
      options.listen_host = addr->host;
      options.listen_port = addr->port;
    } else if (arg == "--threads") {
      const char* v = value("--threads");
      int n = v ? std::atoi(v) : 0;
      if (n <= 0 || n > 256) return UsageError("--threads needs a number from 1 to 256");
      options.threads = n;
    } else {
      return UsageError("unknown argument '" + std::string(arg) + "'");
    }
  }
  auto server = accord::server::Server::Create(options);
  if (!server.ok()) {
    std::fprintf(stderr, "{\"level\":\"error\",\"msg\":\"cannot start\",\"error\":\"%s\"}\n",
                 server.status().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr,
               "{\"level\":\"info\",\"msg\":\"listening\",\"url\":\"http://%s:%u\","
               "\"data\":\"%s\"}\n",
               options.listen_host.c_str(), static_cast<unsigned>((*server)->port()),
               options.data_dir.c_str());
  accord::Status s = (*server)->Run();
  std::fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopped\"}\n");
  return s.ok() ? 0 : 1;
}
