// accord: the administration and verification command-line tool. `accord help` lists commands.
#include <charconv>
#include <cstdio>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "../src/token_store.h"

namespace {

constexpr const char* kUsage =
    "usage: accord COMMAND [ARGS]\n"
    "commands:\n"
    "  token create --data DIR --doc PATTERN --access read|write [--ttl DURATION]\n"
    "            create an access token and print it (only its hash is stored).\n"
    "            PATTERN: a document name, a prefix ending in '*', or '*' for all;\n"
    "            DURATION: a number with s, m, h or d (e.g. 90m, 7d); default: no expiry\n"
    "  version   print the version\n"
    "  help      print this text\n";

int UsageError(const std::string& message) {
  std::fprintf(stderr, "accord: %s\n%s", message.c_str(), kUsage);
  return 2;
}

std::optional<std::chrono::seconds> ParseTtl(std::string_view text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || n <= 0 || n > (int64_t{1} << 32)) return std::nullopt;
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  int64_t scale = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : 0;
  if (scale == 0) return std::nullopt;
  return std::chrono::seconds(n * scale);
}

// Reads "--flag value" pairs into `flags`; false on a stray argument or a missing value.
bool ParseFlags(int argc, char** argv, int first, std::map<std::string, std::string>& flags,
                std::string* error) {
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 2) != "--" || i + 1 >= argc) {
      *error = "unexpected argument '" + std::string(arg) + "'";
      return false;
    }
    flags[std::string(arg.substr(2))] = argv[++i];
  }
  return true;
}

int TokenCreate(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::string error;
  if (!ParseFlags(argc, argv, 3, flags, &error)) return UsageError(error);
  for (const auto& [k, v] : flags) {
    if (k != "data" && k != "doc" && k != "access" && k != "ttl") {
      return UsageError("unknown flag --" + k);
    }
  }
  if (!flags.count("data") || !flags.count("doc") || !flags.count("access")) {
    return UsageError("token create needs --data, --doc and --access");
  }
  const std::string& access = flags["access"];
  if (access != "read" && access != "write") return UsageError("--access is read or write");
  std::optional<std::chrono::seconds> ttl;
  if (flags.count("ttl")) {
    ttl = ParseTtl(flags["ttl"]);
    if (!ttl) return UsageError("--ttl needs a duration such as 30s, 90m, 12h or 7d");
  }
  auto store = accord::server::TokenStore::Open(flags["data"]);
  if (!store.ok()) {
    std::fprintf(stderr, "accord: %s\n", store.status().ToString().c_str());
    return 1;
  }
  auto token = (*store)->Create(
      flags["doc"],
      access == "write" ? accord::server::Access::kWrite : accord::server::Access::kRead, ttl);
  if (!token.ok()) {
    std::fprintf(stderr, "accord: %s\n", token.status().ToString().c_str());
    return 1;
  }
  std::printf("%s\n", token->c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "version" || cmd == "--version") {
    std::puts("accord 0.1.0");
    return 0;
  }
  if (cmd == "token") {
    if (argc >= 3 && std::string_view(argv[2]) == "create") return TokenCreate(argc, argv);
    return UsageError("token needs a subcommand: create");
  }
  std::fprintf(stderr, "accord: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
