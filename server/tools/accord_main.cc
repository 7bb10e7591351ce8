// accord: the administration and verification command-line tool. `accord help` lists commands.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "../src/document_loader.h"
#include "../src/document_store.h"
#include "../src/sqlite_transparency_log.h"
#include "accord/drafting/canonical_text.h"
#include "accord_commands.h"

namespace {

constexpr const char* kUsage =
    "usage: accord COMMAND [ARGS]\n"
    "accounts (open DIR/accord.db directly; safe while accordd runs):\n"
    "  bootstrap --data DIR --email EMAIL [--name NAME] [--org-name NAME] [--org-short SHORT]\n"
    "            [--url PUBLIC_URL] [--ttl DURATION] [--if-needed]\n"
    "            create the instance's secretariat organization and first account, and print\n"
    "            the one-time link that sets its password. --if-needed: do nothing if the\n"
    "            instance already has a secretariat member with a password (else print a\n"
    "            fresh link)\n"
    "  org add --data DIR --name NAME --short SHORT [--country CC] [--kind KIND]\n"
    "            [--website URL] [--host]\n"
    "            add an organization (KIND: union, party, movement, ngo, other); print its id\n"
    "  user add --data DIR --email EMAIL --name NAME [--language TAG] [--password-stdin]\n"
    "            add a user (with the password read from stdin, or none: invite them)\n"
    "  user list --data DIR\n"
    "            one line per user: id, email, name, state (active, invited, disabled)\n"
    "  member add --data DIR --email EMAIL --org SHORT --role ROLE\n"
    "            give a user a role in an organization (ROLE: secretariat, delegate,\n"
    "            signatory, observer)\n"
    "  invite --data DIR --email EMAIL --org SHORT --role ROLE [--name NAME] [--url URL]\n"
    "            [--ttl DURATION]\n"
    "            print a one-time link that lets EMAIL set a password and take the role\n"
    "  token create --data DIR --user EMAIL --scope SCOPES [--docs PATTERN] [--ttl DURATION]\n"
    "            [--name NAME]\n"
    "            print a new API token of the user (shown once; only its hash is stored).\n"
    "            SCOPES: comma-separated documents:read, documents:write, api:read,\n"
    "            api:write. PATTERN: a document name, a prefix ending in '*', or '*' (default)\n"
    "  DURATION: a number with s, m, h or d (e.g. 90m, 7d)\n"
    "verification (offline; server/signon/BUNDLE.md):\n"
    "  verify BUNDLE [--previous-checkpoint FILE] [--key VERIFIER]\n"
    "            check a statement's verification bundle (GET /api/v1/statements/SLUG/bundle):\n"
    "            the checkpoint's signature, every entry's inclusion in the log, the texts\n"
    "            against the manifest, every endorsement's signature and key; print each\n"
    "            failed check, the signatories and a summary. VERIFIER: the log's note key\n"
    "            (GET /api/v1/log/key) or a file holding it. FILE: a signed checkpoint seen\n"
    "            earlier, which the log must extend. Exit 0 verified, 1 a check failed\n"
    "documents (only read; safe while accordd runs):\n"
    "  doc export --data DIR NAME\n"
    "            write the stored document's full state (one Yjs v1 update) to stdout\n"
    "  doc list --data DIR\n"
    "            one line per stored document: name, snapshot bytes, updates since the\n"
    "            snapshot, their bytes (tab-separated)\n"
    "  db check --data DIR\n"
    "            check the database file, that every document loads and that the\n"
    "            transparency log's entries match their hashes; print \"ok\", or\n"
    "            the problems and exit 1\n"
    "  render [--format markdown|html|hash] UPDATE_FILE\n"
    "            print the canonical text (default), HTML or SHA-256 of the document in a\n"
    "            Yjs v1 update file (server/drafting/CANONICAL.md)\n"
    "  version   print the version\n"
    "  help      print this text\n";

}  // namespace

namespace accord::cli {

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

}  // namespace accord::cli

namespace {

using accord::cli::UsageError;

void PrintError(const accord::Status& status) {
  std::fprintf(stderr, "accord: %s\n", status.ToString().c_str());
}

// Reads "--flag value" pairs into `flags` and other arguments into `positional`; only the flags
// in `allowed` are accepted. Returns a usage error message, or "" when all is well.
std::string ParseArgs(int argc, char** argv, int first, std::initializer_list<std::string> allowed,
                      std::map<std::string, std::string>& flags,
                      std::vector<std::string>& positional) {
  for (int i = first; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg.substr(0, 2) != "--") {
      positional.emplace_back(arg);
      continue;
    }
    std::string name(arg.substr(2));
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return "unknown flag --" + name;
    }
    if (i + 1 >= argc) return "--" + name + " needs a value";
    flags[name] = argv[++i];
  }
  return "";
}

// Opens the document store of an existing data directory. Unlike `token create`, these commands
// never create a database: a wrong --data should be an error, not a new empty instance.
std::unique_ptr<accord::server::DocumentStore> OpenExistingStore(const std::string& data_dir) {
  std::error_code ec;
  if (!std::filesystem::exists(std::filesystem::path(data_dir) / "accord.db", ec)) {
    std::fprintf(stderr, "accord: no database in %s (expected %s/accord.db)\n", data_dir.c_str(),
                 data_dir.c_str());
    return nullptr;
  }
  auto store = accord::server::OpenSqliteDocumentStore(data_dir);
  if (!store.ok()) {
    PrintError(store.status());
    return nullptr;
  }
  return std::move(*store);
}

int DocExport(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> names;
  std::string error = ParseArgs(argc, argv, 3, {"data"}, flags, names);
  if (!error.empty()) return UsageError(error);
  if (!flags.count("data") || names.size() != 1) {
    return UsageError("doc export needs --data DIR and one document NAME");
  }
  if (isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "accord: refusing to write binary data to a terminal; redirect stdout\n");
    return 2;
  }
  auto store = OpenExistingStore(flags["data"]);
  if (!store) return 1;
  auto bytes = accord::server::ExportDocument(*store, names[0]);
  if (!bytes.ok()) {
    PrintError(bytes.status());
    return 1;
  }
  if (std::fwrite(bytes->data(), 1, bytes->size(), stdout) != bytes->size() ||
      std::fflush(stdout) != 0) {
    std::fprintf(stderr, "accord: cannot write to stdout: %s\n", std::strerror(errno));
    return 1;
  }
  return 0;
}

int DocList(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> extra;
  std::string error = ParseArgs(argc, argv, 3, {"data"}, flags, extra);
  if (!error.empty()) return UsageError(error);
  if (!extra.empty()) return UsageError("unexpected argument '" + extra[0] + "'");
  if (!flags.count("data")) return UsageError("doc list needs --data DIR");
  auto store = OpenExistingStore(flags["data"]);
  if (!store) return 1;
  auto docs = store->List();
  if (!docs.ok()) {
    PrintError(docs.status());
    return 1;
  }
  for (const auto& d : *docs) {
    std::printf("%s\t%zu\t%zu\t%zu\n", d.name.c_str(), d.snapshot_bytes, d.update_count,
                d.update_bytes);
  }
  return 0;
}

int DbCheck(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> extra;
  std::string error = ParseArgs(argc, argv, 3, {"data"}, flags, extra);
  if (!error.empty()) return UsageError(error);
  if (!extra.empty()) return UsageError("unexpected argument '" + extra[0] + "'");
  if (!flags.count("data")) return UsageError("db check needs --data DIR");
  auto store = OpenExistingStore(flags["data"]);
  if (!store) return 1;
  std::vector<std::string> problems;
  accord::Status engine = store->CheckIntegrity();
  if (!engine.ok()) problems.push_back(engine.ToString());
  // A sound file can still hold updates that do not decode: load every document as accordd
  // would. Skipped when the file itself is damaged, where reading rows can mislead.
  if (engine.ok()) {
    auto docs = store->List();
    if (!docs.ok()) {
      problems.push_back(docs.status().ToString());
    } else {
      for (const auto& d : *docs) {
        auto loaded = accord::server::LoadDocument(*store, d.name);
        if (!loaded.ok()) problems.push_back(loaded.status().ToString());
      }
    }
  }
  // The transparency log: opening it reads every entry and checks its leaf hash against its
  // body and that no index is skipped. The signer is a placeholder: nothing is signed here.
  if (engine.ok()) {
    auto placeholder =
        accord::signon::NoteSigner::FromSeed("accord-db-check", std::string(32, '\0'));
    if (!placeholder.ok()) {
      problems.push_back(placeholder.status().ToString());
    } else if (auto log = accord::server::OpenSqliteTransparencyLog(flags["data"], *placeholder);
               !log.ok()) {
      problems.push_back("transparency log: " + log.status().ToString());
    }
  }
  if (problems.empty()) {
    std::puts("ok");
    return 0;
  }
  for (const auto& p : problems) std::printf("%s\n", p.c_str());
  return 1;
}

int Render(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  std::vector<std::string> files;
  std::string error = ParseArgs(argc, argv, 2, {"format"}, flags, files);
  if (!error.empty()) return UsageError(error);
  std::string format = flags.count("format") ? flags["format"] : "markdown";
  if (format != "markdown" && format != "html" && format != "hash") {
    return UsageError("--format must be markdown, html or hash");
  }
  if (files.size() != 1) return UsageError("render needs one UPDATE_FILE");
  std::ifstream in(files[0], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "accord: cannot read %s\n", files[0].c_str());
    return 1;
  }
  std::vector<uint8_t> update((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
  auto canonical = accord::drafting::RenderCanonicalUpdate(update);
  if (!canonical.ok()) {
    PrintError(canonical.status());
    return 1;
  }
  std::string out = format == "markdown" ? canonical->markdown
                    : format == "html"   ? canonical->html
                                         : canonical->sha256_hex + "\n";
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "accord: cannot write to stdout: %s\n", std::strerror(errno));
    return 1;
  }
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
  std::string_view sub = argc >= 3 ? argv[2] : "";
  // The account commands take the arguments after their words.
  auto rest = [&](int words) { return accord::cli::Args(argv + 1 + words, argv + argc); };
  if (cmd == "bootstrap") return accord::cli::Bootstrap(rest(1));
  if (cmd == "invite") return accord::cli::Invite(rest(1));
  if (cmd == "token") {
    if (sub == "create") return accord::cli::TokenCreate(rest(2));
    return UsageError("token needs a subcommand: create");
  }
  if (cmd == "org") {
    if (sub == "add") return accord::cli::OrgAdd(rest(2));
    return UsageError("org needs a subcommand: add");
  }
  if (cmd == "user") {
    if (sub == "add") return accord::cli::UserAdd(rest(2));
    if (sub == "list") return accord::cli::UserList(rest(2));
    return UsageError("user needs a subcommand: add or list");
  }
  if (cmd == "member") {
    if (sub == "add") return accord::cli::MemberAdd(rest(2));
    return UsageError("member needs a subcommand: add");
  }
  if (cmd == "doc") {
    if (sub == "export") return DocExport(argc, argv);
    if (sub == "list") return DocList(argc, argv);
    return UsageError("doc needs a subcommand: export or list");
  }
  if (cmd == "render") return Render(argc, argv);
  if (cmd == "verify") return accord::cli::Verify(rest(1));
  if (cmd == "db") {
    if (argc >= 3 && std::string_view(argv[2]) == "check") return DbCheck(argc, argv);
    return UsageError("db needs a subcommand: check");
  }
  std::fprintf(stderr, "accord: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
