// accord verify: checks a statement's verification bundle offline (server/signon/BUNDLE.md) and
// prints one line per failed check, the signatories and a summary. Exit 0 only if everything
// verifies, 1 if a check failed, 2 on a usage error or a file that cannot be read as a bundle.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>

#include "accord/signon/bundle.h"
#include "accord/signon/signed_note.h"
#include "accord_commands.h"

namespace accord::cli {
namespace {

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return data;
}

// --key takes the verifier key text ("<name>+<hash>+<key>", as GET /api/v1/log/key gives it) or
// the name of a file holding it.
std::optional<std::string> PinnedKey(const std::string& value) {
  if (signon::NoteVerifier::Parse(value).ok()) return value;
  auto file = ReadFile(value);
  if (!file) return std::nullopt;
  while (!file->empty() && (file->back() == '\n' || file->back() == '\r' || file->back() == ' ')) {
    file->pop_back();
  }
  if (!signon::NoteVerifier::Parse(*file).ok()) return std::nullopt;
  return file;
}

// Text from the bundle is printed escaped: a reservation or name holding a newline must not
// start a line of its own (a forged "result: OK" line, say).
std::string OneLine(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

void PrintLine(const std::string& line) { std::printf("%s\n", OneLine(line).c_str()); }

void PrintSignatory(const signon::Signatory& s) {
  std::string line = "signatory: " + s.organization;
  if (!s.country.empty()) line += " (" + s.country + ")";
  line += ", " + s.signatory;
  if (!s.title.empty()) line += ", " + s.title;
  line +=
      ", " + s.kind + ", signed " + s.signed_at + " (entry " + std::to_string(s.log_index) + ")";
  if (!s.reservations.empty()) line += ", reservations: " + s.reservations;
  if (s.withdrawn) line += " [withdrawn " + s.withdrawn_at + "]";
  if (!s.valid) line += " [DOES NOT VERIFY]";
  PrintLine(line);
}

}  // namespace

int Verify(const Args& args) {
  std::optional<std::string> bundle_path, previous_path, key_value;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--previous-checkpoint" || a == "--key") {
      if (i + 1 >= args.size()) return UsageError(a + " needs a value");
      (a == "--key" ? key_value : previous_path) = args[++i];
    } else if (a.rfind("--", 0) == 0) {
      return UsageError("unknown flag " + a);
    } else if (bundle_path) {
      return UsageError("verify takes one BUNDLE file");
    } else {
      bundle_path = a;
    }
  }
  if (!bundle_path) return UsageError("verify needs a BUNDLE file");

  signon::VerifyOptions options;
  if (key_value) {
    options.pinned_key = PinnedKey(*key_value);
    if (!options.pinned_key) {
      return UsageError("--key must be a note verifier key (name+hash+key) or a file holding one");
    }
  }
  if (previous_path) {
    options.previous_checkpoint = ReadFile(*previous_path);
    if (!options.previous_checkpoint) {
      std::fprintf(stderr, "accord: cannot read %s\n", previous_path->c_str());
      return 2;
    }
  }
  auto text = ReadFile(*bundle_path);
  if (!text) {
    std::fprintf(stderr, "accord: cannot read %s\n", bundle_path->c_str());
    return 2;
  }
  auto bundle = signon::ParseBundle(*text);
  if (!bundle.ok()) {
    std::fprintf(stderr, "accord: %s is not a readable bundle: %s\n", bundle_path->c_str(),
                 OneLine(bundle.status().message()).c_str());
    return 2;
  }

  signon::VerifyReport report = signon::VerifyBundle(bundle.value(), options);
  for (const signon::Finding& f : report.findings) {
    PrintLine("FAIL " + f.check + ": " + f.message);
  }
  PrintLine("statement: " + report.statement_slug + " \"" + report.statement_title + "\"");
  std::printf("manifest: %s (entry %llu)\n",
              report.manifest_sha256.empty() ? "(none)" : OneLine(report.manifest_sha256).c_str(),
              static_cast<unsigned long long>(bundle->manifest_index));
  std::printf("log: %s, %llu entries, checkpoint %s\n", OneLine(report.log_origin).c_str(),
              static_cast<unsigned long long>(report.log_size),
              !report.checkpoint_verified ? "NOT verified"
              : options.pinned_key        ? "signed by the pinned key"
                                          : "signed by the bundle's own key (pin it with --key)");
  if (report.previous_size) {
    std::printf("previous checkpoint: size %llu\n",
                static_cast<unsigned long long>(*report.previous_size));
  }
  for (const signon::Signatory& s : report.signatories) PrintSignatory(s);
  std::printf(
      "endorsements: %zu valid (%zu with reservations), %zu withdrawn; %zu entries checked\n",
      report.endorsements_valid, report.with_reservations, report.withdrawn,
      report.entries_checked);
  if (report.ok()) {
    std::printf("result: OK, everything verifies\n");
    return 0;
  }
  std::printf("result: FAILED, %zu problem%s\n", report.findings.size(),
              report.findings.size() == 1 ? "" : "s");
  return 1;
}

}  // namespace accord::cli
