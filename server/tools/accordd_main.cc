// accordd: the Accord server. `accordd --help` lists the flags and limits; settings may also
// come from a TOML file (--config, example in ops/accordd.toml), which the flags override.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "accord/server/server.h"
#include "config.h"
#include "log.h"
#include "process_memory.h"

int main(int argc, char** argv) {
  namespace server = accord::server;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  server::ServerOptions options;
  bool help = false;
  accord::Status parsed = server::ApplyCommandLine(args, options, &help);
  if (help) {
    std::fputs(server::UsageText().c_str(), stdout);
    return 0;
  }
  if (!parsed.ok()) {
    std::fprintf(stderr, "accordd: %s\n(accordd --help lists the flags)\n",
                 parsed.message().c_str());
    return 2;
  }

  // Before any thread starts (see process_memory.h for why).
  accord::Status kept = server::KeepFreedMemoryForReuse();
  if (!kept.ok()) {
    server::Log("info", "freed memory goes back to the kernel eagerly",
                {{"reason", kept.message()}});
  }

  auto created = server::Server::Create(options);
  if (!created.ok()) {
    server::Log("error", "cannot start", {{"error", created.status().ToString()}});
    return 1;
  }
  std::string host = options.listen_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";  // IPv6 literal
  std::string url = "http://" + host + ":" + std::to_string((*created)->port());
  server::Log("info", "listening",
              {{"url", url}, {"data", options.data_dir}, {"web", options.web_root}});
  accord::Status s = (*created)->Run();
  if (!s.ok()) {
    server::Log("error", "stopped", {{"error", s.ToString()}});
    return 1;
  }
  server::Log("info", "stopped");
  return 0;
}
