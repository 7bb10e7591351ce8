// accord-signon-tool: the accord_signon library on the command line, for the node differential
// suite (tests/node/suites/signon-formats.test.mjs) and for looking at a log's formats by hand.
// Input comes on stdin, output goes to stdout; hashes and entries are lowercase hex.
//
//   jcs                                   stdin JSON -> its RFC 8785 canonical form
//   merkle                                stdin: one hex entry per line -> JSON {"size", "root",
//                                         "inclusion": [proof of each leaf],
//                                         "consistency": [proof from each old size 0..n]}
//   verify-inclusion INDEX SIZE LEAF ROOT stdin: the proof, one hex hash per line
//   verify-consistency OLD NEW OLDROOT NEWROOT   likewise
//   note-keys NAME SEED                   the verifier key, then the signer key (one per line)
//   note-sign SIGNERKEY...                stdin text -> the signed note
//   note-open VERIFIERKEY...              stdin note -> JSON {"text", "verified", "unverified"}
//   checkpoint-sign SIGNERKEY SIZE ROOT [EXTENSION...]   origin = the key's name
//   checkpoint-open VERIFIERKEY           stdin note -> JSON {"origin", "size", "root", ...}
//
// Exit status: 0 success, 1 refused input (one line on stderr), 2 usage error.
#include <boost/json.hpp>
#include <charconv>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "accord/signon/canonical_json.h"
#include "accord/signon/checkpoint.h"
#include "accord/signon/merkle.h"
#include "accord/signon/signed_note.h"

namespace {

using namespace accord;
using namespace accord::signon;

constexpr char kUsage[] =
    "usage: accord-signon-tool jcs | merkle | verify-inclusion INDEX SIZE LEAF ROOT |\n"
    "       verify-consistency OLD NEW OLDROOT NEWROOT | note-keys NAME SEED |\n"
    "       note-sign SIGNERKEY... | note-open VERIFIERKEY... |\n"
    "       checkpoint-sign SIGNERKEY SIZE ROOT [EXTENSION...] | checkpoint-open VERIFIERKEY\n";

struct Usage {};

std::string ReadStdin() {
  return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
}

int Refuse(const std::string& message) {
  std::cerr << "accord-signon-tool: " << message << "\n";
  return 1;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
    out.push_back(kHex[c & 0xF]);
  }
  return out;
}

std::string Hex(const Hash& h) { return Hex({reinterpret_cast<const char*>(h.data()), 32}); }

bool Unhex(std::string_view hex, std::string& out) {
  if (hex.size() % 2) return false;
  out.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    if (ec != std::errc() || p != hex.data() + i + 2) return false;
    out.push_back(static_cast<char>(v));
  }
  return true;
}

Hash HashArg(std::string_view hex) {
  std::string bytes;
  Hash h{};
  if (!Unhex(hex, bytes) || bytes.size() != 32) throw Usage{};
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return h;
}

uint64_t NumberArg(std::string_view s) {
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) throw Usage{};
  return v;
}

// Lines of stdin (a final newline ends the last line; it does not start another).
std::vector<std::string> StdinLines() {
  std::string in = ReadStdin();
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < in.size()) {
    size_t eol = in.find('\n', start);
    if (eol == std::string::npos) eol = in.size();
    lines.push_back(in.substr(start, eol - start));
    start = eol + 1;
  }
  return lines;
}

// Hashes on stdin are input, not usage: a malformed one is refused (exit 1).
struct BadInput {
  std::string message;
};

std::vector<Hash> StdinHashes() {
  std::vector<Hash> out;
  for (const std::string& line : StdinLines()) {
    std::string bytes;
    if (!Unhex(line, bytes) || bytes.size() != 32) throw BadInput{"proof hashes are 64 hex digits"};
    Hash h;
    std::copy(bytes.begin(), bytes.end(), h.begin());
    out.push_back(h);
  }
  return out;
}

boost::json::array HexArray(const std::vector<Hash>& hashes) {
  boost::json::array a;
  for (const Hash& h : hashes) a.emplace_back(Hex(h));
  return a;
}

int Merkle() {
  std::vector<Hash> leaves;
  for (const std::string& line : StdinLines()) {
    std::string entry;
    if (!Unhex(line, entry)) return Refuse("entries must be hex");
    leaves.push_back(HashLeaf(entry));
  }
  boost::json::object out;
  out["size"] = leaves.size();
  out["root"] = Hex(RootFromLeafHashes(leaves));
  boost::json::array inclusion, consistency;
  for (uint64_t i = 0; i < leaves.size(); ++i) {
    inclusion.emplace_back(HexArray(InclusionProof(leaves, i).value()));
  }
  for (uint64_t m = 0; m <= leaves.size(); ++m) {
    consistency.emplace_back(HexArray(ConsistencyProof(leaves, m).value()));
  }
  out["inclusion"] = std::move(inclusion);
  out["consistency"] = std::move(consistency);
  std::cout << boost::json::serialize(out) << "\n";
  return 0;
}

int Report(const Status& s) {
  if (!s.ok()) return Refuse(s.ToString());
  std::cout << "ok\n";
  return 0;
}

std::vector<NoteVerifier> Verifiers(const std::vector<std::string>& keys) {
  std::vector<NoteVerifier> out;
  for (const std::string& k : keys) {
    auto v = NoteVerifier::Parse(k);
    if (!v.ok()) throw Usage{};
    out.push_back(v.value());
  }
  return out;
}

boost::json::array Names(const std::vector<NoteSignature>& sigs) {
  boost::json::array a;
  for (const NoteSignature& s : sigs) a.emplace_back(s.name);
  return a;
}

int Run(const std::vector<std::string>& args) {
  if (args.empty()) throw Usage{};
  const std::string& cmd = args[0];
  const size_t n = args.size() - 1;
  if (cmd == "jcs" && n == 0) {
    auto out = CanonicalizeJson(ReadStdin());
    if (!out.ok()) return Refuse(out.status().ToString());
    std::cout << out.value();
    return 0;
  }
  if (cmd == "merkle" && n == 0) return Merkle();
  if (cmd == "verify-inclusion" && n == 4) {
    Hash leaf = HashArg(args[3]), root = HashArg(args[4]);
    return Report(
        VerifyInclusion(leaf, NumberArg(args[1]), NumberArg(args[2]), StdinHashes(), root));
  }
  if (cmd == "verify-consistency" && n == 4) {
    Hash old_root = HashArg(args[3]), new_root = HashArg(args[4]);
    return Report(VerifyConsistency(NumberArg(args[1]), NumberArg(args[2]), old_root, new_root,
                                    StdinHashes()));
  }
  if (cmd == "note-keys" && n == 2) {
    std::string seed;
    if (!Unhex(args[2], seed)) throw Usage{};
    auto signer = NoteSigner::FromSeed(args[1], seed);
    if (!signer.ok()) return Refuse(signer.status().ToString());
    std::cout << signer.value().Verifier().ToString() << "\n" << signer.value().ToString() << "\n";
    return 0;
  }
  if (cmd == "note-sign" && n >= 1) {
    std::vector<NoteSigner> signers;
    for (size_t i = 1; i <= n; ++i) {
      auto s = NoteSigner::Parse(args[i]);
      if (!s.ok()) return Refuse(s.status().ToString());
      signers.push_back(s.value());
    }
    auto note = SignNote(ReadStdin(), signers);
    if (!note.ok()) return Refuse(note.status().ToString());
    std::cout << note.value();
    return 0;
  }
  if (cmd == "note-open" && n >= 1) {
    auto verifiers = Verifiers({args.begin() + 1, args.end()});
    auto opened = OpenNote(ReadStdin(), verifiers);
    if (!opened.ok()) return Refuse(opened.status().ToString());
    boost::json::object out;
    out["text"] = opened.value().text;
    out["verified"] = Names(opened.value().verified);
    out["unverified"] = Names(opened.value().unverified);
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  if (cmd == "checkpoint-sign" && n >= 3) {
    auto signer = NoteSigner::Parse(args[1]);
    if (!signer.ok()) return Refuse(signer.status().ToString());
    Checkpoint cp;
    cp.origin = signer.value().name();
    cp.tree_size = NumberArg(args[2]);
    cp.root_hash = HashArg(args[3]);
    cp.extensions.assign(args.begin() + 4, args.end());
    auto note = SignCheckpoint(cp, signer.value());
    if (!note.ok()) return Refuse(note.status().ToString());
    std::cout << note.value();
    return 0;
  }
  if (cmd == "checkpoint-open" && n == 1) {
    auto verifiers = Verifiers({args[1]});
    auto cp = OpenCheckpoint(ReadStdin(), verifiers[0]);
    if (!cp.ok()) return Refuse(cp.status().ToString());
    boost::json::object out;
    out["origin"] = cp.value().origin;
    out["size"] = cp.value().tree_size;
    out["root"] = Hex(cp.value().root_hash);
    boost::json::array ext;
    for (const std::string& e : cp.value().extensions) ext.emplace_back(e);
    out["extensions"] = std::move(ext);
    std::cout << boost::json::serialize(out) << "\n";
    return 0;
  }
  throw Usage{};
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    return Run({argv + 1, argv + argc});
  } catch (const BadInput& e) {
    return Refuse(e.message);
  } catch (const Usage&) {
    std::cerr << kUsage;
    return 2;
  }
}
