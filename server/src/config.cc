#include "config.h"

#include <toml++/toml.h>
#include <charconv>
#include <cstdint>
#include <fstream>

#include "accord/server/limits.h"
#include "accord/server/listen_address.h"
#include "accord/signon/signed_note.h"

namespace accord::server {
namespace {

// "FILE:LINE: KEY: MESSAGE", the shape compilers use, so editors can jump to it.
Status Invalid(std::string_view origin, const toml::source_region& where, std::string_view key,
               std::string_view message) {
  std::string out(origin);
  out += ":" + std::to_string(where.begin.line);
  if (!key.empty()) out += ": " + std::string(key);
  out += ": " + std::string(message);
  return Status::InvalidArgument(out);
}

Status ApplyLimits(const toml::table& limits, std::string_view origin, Limits& out) {
  for (const auto& [key, node] : limits) {
    const std::string name(key.str());
    const std::string full = "limits." + name;
    std::string value;
    if (auto s = node.value_exact<std::string>()) {
      value = *s;
    } else if (auto i = node.value_exact<int64_t>()) {
      if (*i < 0) return Invalid(origin, node.source(), full, "must not be negative");
      value = std::to_string(*i);  // a plain number of bytes; durations need a unit string
    } else {
      return Invalid(origin, node.source(), full,
                     "must be a number of bytes or a string such as \"16M\" or \"10s\"");
    }
    Status s = SetLimit(out, name, value);
    if (!s.ok()) {
      // SetLimit's message starts "limit NAME: "; the key is already named.
      std::string_view message = s.message();
      std::string prefix = "limit " + name + ": ";
      if (message.starts_with(prefix)) message.remove_prefix(prefix.size());
      return Invalid(origin, node.source(), full, message);
    }
  }
  return Status::Ok();
}

Status ApplyTable(const toml::table& root, std::string_view origin, ServerOptions& out) {
  for (const auto& [key, node] : root) {
    const std::string k(key.str());
    if (k == "data" || k == "web_root") {
      auto v = node.value_exact<std::string>();
      if (!v) return Invalid(origin, node.source(), k, "must be a string (a directory)");
      if (v->empty()) return Invalid(origin, node.source(), k, "must not be empty");
      (k == "data" ? out.data_dir : out.web_root) = *v;
    } else if (k == "listen") {
      auto v = node.value_exact<std::string>();
      if (!v) return Invalid(origin, node.source(), k, "must be a string \"HOST:PORT\"");
      auto addr = ParseListenAddress(*v);
      if (!addr.ok()) return Invalid(origin, node.source(), k, addr.status().message());
      out.listen_host = addr->host;
      out.listen_port = addr->port;
    } else if (k == "threads") {
      auto v = node.value_exact<int64_t>();
      if (!v || *v < 0 || *v > 256) {
        return Invalid(origin, node.source(), k, "must be an integer from 0 to 256");
      }
      out.threads = static_cast<int>(*v);
    } else if (k == "public_url") {
      auto v = node.value_exact<std::string>();
      if (!v) return Invalid(origin, node.source(), k, "must be a string (https://host)");
      if (Status s = CheckPublicUrl(*v); !s.ok()) {
        return Invalid(origin, node.source(), k, s.message());
      }
      out.public_url = *v;
    } else if (k == "log_origin") {
      auto v = node.value_exact<std::string>();
      if (!v) return Invalid(origin, node.source(), k, "must be a string (host/path)");
      if (Status s = CheckLogOrigin(*v); !s.ok()) {
        return Invalid(origin, node.source(), k, s.message());
      }
      out.log_origin = *v;
    } else if (k == "allowed_origins") {
      const toml::array* list = node.as_array();
      if (list == nullptr) return Invalid(origin, node.source(), k, "must be an array of strings");
      std::vector<std::string> origins;
      for (const auto& item : *list) {
        auto v = item.value_exact<std::string>();
        if (!v) return Invalid(origin, item.source(), k, "must hold strings (https://host)");
        if (Status s = CheckOrigin(*v); !s.ok()) {
          return Invalid(origin, item.source(), k, s.message());
        }
        origins.push_back(*v);
      }
      out.allowed_origins = std::move(origins);
    } else if (k == "mail") {
      const toml::table* mail = node.as_table();
      if (mail == nullptr) return Invalid(origin, node.source(), k, "must be a table");
      for (const auto& [mkey, mnode] : *mail) {
        const std::string mk(mkey.str());
        auto v = mnode.value_exact<std::string>();
        if (mk != "command" && mk != "from") {
          return Invalid(origin, mkey.source(), "mail." + mk, "unknown key (known: command, from)");
        }
        if (!v || v->empty()) {
          return Invalid(origin, mnode.source(), "mail." + mk, "must be a non-empty string");
        }
        (mk == "command" ? out.mail_command : out.mail_from) = *v;
      }
    } else if (k == "limits") {
      const toml::table* limits = node.as_table();
      if (limits == nullptr) return Invalid(origin, node.source(), k, "must be a table");
      ACCORD_RETURN_IF_ERROR(ApplyLimits(*limits, origin, out.limits));
    } else {
      return Invalid(origin, key.source(), k,
                     "unknown key (known: data, listen, threads, web_root, public_url, "
                     "allowed_origins, log_origin, [mail], [limits])");
    }
  }
  return Status::Ok();
}

}  // namespace

Status CheckOrigin(std::string_view origin) {
  const char* kHint = "must be an origin like https://accord.example.org (scheme, host, port)";
  size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return Status::InvalidArgument(kHint);
  std::string_view scheme = origin.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return Status::InvalidArgument(kHint);
  std::string_view host = origin.substr(scheme_end + 3);
  if (host.empty() || host.find('/') != std::string_view::npos ||
      host.find_first_of(" \t?#@") != std::string_view::npos) {
    return Status::InvalidArgument(kHint);
  }
  return Status::Ok();
}

Status CheckPublicUrl(std::string_view url) {
  std::string_view origin = url;
  if (origin.ends_with("/")) origin.remove_suffix(1);
  if (Status s = CheckOrigin(origin); !s.ok()) {
    return Status::InvalidArgument(
        "must be the instance's address, like https://accord.example.org (no path: Accord is "
        "served at the root of its host)");
  }
  if (url.starts_with("http://") && !IsLoopbackUrl(url)) {
    return Status::InvalidArgument(
        "must be https:// (plain http:// only for loopback development); put a TLS proxy such "
        "as Caddy in front of accordd and give its https:// address");
  }
  return Status::Ok();
}

bool IsLoopbackUrl(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return false;
  std::string_view host = url.substr(start + 3);
  host = host.substr(0, host.find('/'));
  if (host.starts_with("[")) {
    return host.substr(0, host.find(']') + 1) == "[::1]";
  }
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host.starts_with("127.");
}

std::string EffectivePublicUrl(const ServerOptions& options) {
  if (!options.public_url.empty()) {
    std::string url = options.public_url;
    while (url.ends_with("/")) url.pop_back();
    return url;
  }
  std::string host = options.listen_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(options.listen_port);
}

Status CheckLogOrigin(std::string_view origin) {
  if (origin.size() > 200) return Status::InvalidArgument("must be at most 200 bytes");
  if (!signon::IsValidNoteKeyName(origin)) {
    return Status::InvalidArgument("must be a non-empty name without spaces or '+'");
  }
  return Status::Ok();
}

std::string EffectiveLogOrigin(const ServerOptions& options) {
  if (!options.log_origin.empty()) return options.log_origin;
  if (options.public_url.empty()) return "accord.local/log";
  std::string_view url = options.public_url;
  size_t scheme = url.find("://");
  if (scheme != std::string_view::npos) url.remove_prefix(scheme + 3);
  while (url.ends_with("/")) url.remove_suffix(1);
  std::string origin = std::string(url) + "/log";
  // A public URL passed CheckPublicUrl, so this is a key name; the fallback keeps any other
  // value from stopping the start.
  return CheckLogOrigin(origin).ok() ? origin : "accord.local/log";
}

Status ApplyConfig(std::string_view text, std::string_view origin, ServerOptions& options) {
  if (text.size() > kMaxConfigBytes) {
    return Status::InvalidArgument(std::string(origin) + ": larger than " +
                                   std::to_string(kMaxConfigBytes) + " bytes");
  }
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    return Invalid(origin, e.source(), "", e.description());
  }
  ServerOptions out = options;  // applied only if the whole file is valid
  ACCORD_RETURN_IF_ERROR(ApplyTable(root, origin, out));
  options = std::move(out);
  return Status::Ok();
}

Status ApplyConfigFile(const std::string& path, ServerOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read config file " + path);
  std::string text;
  char buf[16 * 1024];
  while (in) {
    in.read(buf, sizeof buf);
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) break;  // ApplyConfig reports it
  }
  if (in.bad()) return Status::IOError("error reading config file " + path);
  return ApplyConfig(text, path, options);
}

std::string UsageText() {
  return "usage: accordd [--config FILE] [--data DIR] [--listen HOST:PORT] [--threads N]\n"
         "               [--web DIR] [--public-url URL] [--allowed-origin ORIGIN]...\n"
         "               [--mail-command CMD] [--limit NAME=VALUE]...\n"
         "  --config FILE       read settings from a TOML file (see ops/accordd.toml); the\n"
         "                      flags below override it\n"
         "  --data DIR          where the SQLite database lives (default: ./data, created if "
         "missing)\n"
         "  --listen HOST:PORT  address to serve on (default: 127.0.0.1:8080)\n"
         "  --threads N         worker threads (default: one per core)\n"
         "  --web DIR           serve the built web client from DIR (web-client/dist);\n"
         "                      default: none, only /healthz, /metrics and /ws/ are served\n"
         "  --public-url URL    the address people reach the instance at (https://...);\n"
         "                      links in invitations use it. Default: http://LISTEN, which\n"
         "                      is accepted only on loopback\n"
         "  --allowed-origin O  a further origin allowed to call the API and open WebSockets\n"
         "                      (repeatable; the public URL's origin always is)\n"
         "  --mail-command CMD  send invitation and reset links by piping mail to CMD\n"
         "                      (e.g. \"/usr/sbin/sendmail -t -i\"); default: no mail\n"
         "  --limit NAME=VALUE  set one limit (repeatable); sizes take K/M/G, durations\n"
         "                      ms/s/m/h. The limits and their defaults:\n" +
         DescribeLimits();
}

Status ApplyCommandLine(std::span<const std::string_view> args, ServerOptions& options,
                        bool* help) {
  *help = false;
  auto missing = [](std::string_view flag, std::string_view what) {
    return Status::InvalidArgument(std::string(flag) + " needs " + std::string(what));
  };
  // Pass 1: --help wins over everything; the config file is applied before any flag.
  std::string_view config;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      *help = true;
      return Status::Ok();
    }
    if (args[i] == "--config") {
      if (i + 1 >= args.size()) return missing("--config", "a file");
      if (!config.empty()) return Status::InvalidArgument("--config given twice");
      config = args[++i];
    }
  }
  ServerOptions out = options;
  if (!config.empty()) ACCORD_RETURN_IF_ERROR(ApplyConfigFile(std::string(config), out));

  // Pass 2: the flags, in order.
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    auto value = [&]() -> const std::string_view* {
      return i + 1 < args.size() ? &args[++i] : nullptr;
    };
    if (flag == "--config") {
      ++i;  // applied above
    } else if (flag == "--data") {
      const std::string_view* v = value();
      if (!v || v->empty()) return missing(flag, "a directory");
      out.data_dir = *v;
    } else if (flag == "--web") {
      const std::string_view* v = value();
      if (!v || v->empty()) return missing(flag, "a directory");
      out.web_root = *v;
    } else if (flag == "--listen") {
      const std::string_view* v = value();
      if (!v) return missing(flag, "HOST:PORT");
      auto addr = ParseListenAddress(*v);
      if (!addr.ok()) return Status::InvalidArgument("--listen: " + addr.status().message());
      out.listen_host = addr->host;
      out.listen_port = addr->port;
    } else if (flag == "--threads") {
      const std::string_view* v = value();
      int n = 0;
      if (v) {
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
        if (ec != std::errc() || end != v->data() + v->size()) n = 0;
      }
      if (n <= 0 || n > 256) return missing(flag, "a number from 1 to 256");
      out.threads = n;
    } else if (flag == "--public-url") {
      const std::string_view* v = value();
      if (!v) return missing(flag, "a URL");
      if (Status s = CheckPublicUrl(*v); !s.ok()) {
        return Status::InvalidArgument("--public-url " + s.message());
      }
      out.public_url = *v;
    } else if (flag == "--allowed-origin") {
      const std::string_view* v = value();
      if (!v) return missing(flag, "an origin");
      if (Status s = CheckOrigin(*v); !s.ok()) {
        return Status::InvalidArgument("--allowed-origin " + s.message());
      }
      out.allowed_origins.emplace_back(*v);
    } else if (flag == "--mail-command") {
      const std::string_view* v = value();
      if (!v || v->empty()) return missing(flag, "a command");
      out.mail_command = *v;
    } else if (flag == "--limit") {
      const std::string_view* v = value();
      if (!v) return missing(flag, "NAME=VALUE");
      ACCORD_RETURN_IF_ERROR(SetLimitFromFlag(out.limits, *v));
    } else {
      return Status::InvalidArgument("unknown argument '" + std::string(flag) + "'");
    }
  }
  options = std::move(out);
  return Status::Ok();
}

}  // namespace accord::server
