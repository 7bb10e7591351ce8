// config.h: accordd's configuration file (TOML), read at startup by `accordd --config FILE`.
//
//   data = "/var/lib/accord"             # where accord.db lives
//   listen = "127.0.0.1:8080"            # HOST:PORT
//   threads = 2                          # 0: one per core
//   web_root = "/usr/share/accord/web"   # the built web client; absent: API only
//   public_url = "https://accord.example.org"   # where people reach it (links, cookies)
//   allowed_origins = ["https://other.example.org"]
//   log_origin = "accord.example.org/log"   # the transparency log's name; default from public_url
//   [mail]                               # optional: send invitation links by mail
//   command = "/usr/sbin/sendmail -t -i"
//   from = "Accord <accord@example.org>"
//   [limits]                             # any limit `accordd --help` lists, by name
//   max_message_bytes = "16M"            # sizes: integers are bytes, or strings with K/M/G
//   handshake_timeout = "10s"            # durations: strings with ms, s, m or h
//
// ops/accordd.toml is a complete example. Relative paths are taken from the working
// directory, as on the command line. Unknown keys are errors, so a typo never silently
// leaves a default in place; every error names the file, the line and the key. Command-line
// flags override the file (accordd_main.cc applies the file first). Pure; any thread.
#ifndef ACCORD_SERVER_CONFIG_H_
#define ACCORD_SERVER_CONFIG_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "accord/server/server.h"
#include "accord/status.h"

namespace accord::server {

// Checks for an origin ("https://host[:port]") and for the public URL (an origin, https
// unless its host is loopback). InvalidArgument says what is wrong.
Status CheckOrigin(std::string_view origin);
Status CheckPublicUrl(std::string_view url);
bool IsLoopbackUrl(std::string_view url);
// options.public_url without a trailing '/', or "http://LISTEN_HOST:PORT" when it is empty.
std::string EffectivePublicUrl(const ServerOptions& options);

// Checks a log origin: a signed-note key name (non-empty, no spaces, no '+') of at most 200
// bytes. InvalidArgument says what is wrong.
Status CheckLogOrigin(std::string_view origin);
// options.log_origin, or public_url's host[:port] and path without the scheme + "/log", or
// "accord.local/log" when neither is set (a development instance on a changing port keeps one
// identity).
std::string EffectiveLogOrigin(const ServerOptions& options);

// A configuration file larger than this is refused (it is surely not one).
inline constexpr size_t kMaxConfigBytes = 1024 * 1024;

// Applies the TOML text `toml` to `options`; `origin` names the file in error messages.
// All or nothing: on error, `options` is unchanged.
Status ApplyConfig(std::string_view toml, std::string_view origin, ServerOptions& options);
// Reads the file at `path` and applies it.
Status ApplyConfigFile(const std::string& path, ServerOptions& options);

// Applies accordd's arguments (argv without the program name) to `options`: the --config file
// first, wherever it appears, then every other flag in order, so flags override the file and
// a later flag overrides an earlier one. Sets *help and returns OK for --help/-h. Errors are
// InvalidArgument with a message for the user (usage is not included).
Status ApplyCommandLine(std::span<const std::string_view> args, ServerOptions& options, bool* help);
// The --help text: flags, then every limit with its default (DescribeLimits).
std::string UsageText();

}  // namespace accord::server

#endif  // ACCORD_SERVER_CONFIG_H_
