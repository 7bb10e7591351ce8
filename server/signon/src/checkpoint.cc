#include "accord/signon/checkpoint.h"

#include <charconv>

#include "utf8.h"

namespace accord::signon {
namespace {

// One line of a checkpoint: non-empty, no newline, valid note text once terminated.
bool IsValidLine(std::string_view line) {
  return !line.empty() && line.find('\n') == std::string_view::npos &&
         IsValidNoteText(std::string(line) + "\n");
}

}  // namespace

Result<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (!IsValidLine(checkpoint.origin)) {
    return Status::InvalidArgument("checkpoint origin must be one non-empty line");
  }
  std::string out = checkpoint.origin + "\n" + std::to_string(checkpoint.tree_size) + "\n" +
                    Base64Encode({reinterpret_cast<const char*>(checkpoint.root_hash.data()),
                                  checkpoint.root_hash.size()}) +
                    "\n";
  for (const std::string& ext : checkpoint.extensions) {
    if (!IsValidLine(ext)) {
      return Status::InvalidArgument("checkpoint extension lines must be non-empty single lines");
    }
    out += ext + "\n";
  }
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (!IsValidNoteText(text)) return Status::Corruption("checkpoint is not valid note text");
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    lines.push_back(text.substr(0, eol));
    text.remove_prefix(eol + 1);
  }
  if (lines.size() < 3) return Status::Corruption("checkpoint needs origin, size and root lines");
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  if (cp.origin.empty()) return Status::Corruption("checkpoint origin is empty");
  std::string_view size = lines[1];
  auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), cp.tree_size);
  if (size.empty() || ec != std::errc() || end != size.data() + size.size() ||
      (size.size() > 1 && size[0] == '0')) {
    return Status::Corruption("checkpoint tree size is not a canonical decimal number");
  }
  auto root = Base64Decode(lines[2]);
  if (!root || root->size() != cp.root_hash.size()) {
    return Status::Corruption("checkpoint root hash is not base64 of 32 bytes");
  }
  std::copy(root->begin(), root->end(), cp.root_hash.begin());
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return Status::Corruption("checkpoint has an empty extension line");
    cp.extensions.emplace_back(lines[i]);
  }
  return cp;
}

Result<std::string> SignCheckpoint(const Checkpoint& checkpoint, const NoteSigner& signer) {
  if (signer.name() != checkpoint.origin) {
    return Status::InvalidArgument("checkpoints are signed by a key named as their origin");
  }
  auto text = FormatCheckpoint(checkpoint);
  if (!text.ok()) return text.status();
  return SignNote(text.value(), {&signer, 1});
}

Result<Checkpoint> OpenCheckpoint(std::string_view note, const NoteVerifier& verifier) {
  auto opened = OpenNote(note, {&verifier, 1});
  if (!opened.ok()) return opened.status();
  auto cp = ParseCheckpoint(opened.value().text);
  if (!cp.ok()) return cp.status();
  if (cp.value().origin != verifier.name()) {
    return Status::Unauthenticated("checkpoint origin \"" + cp.value().origin +
                                   "\" is not the log key's name \"" + verifier.name() + "\"");
  }
  return cp;
}

}  // namespace accord::signon
