// ydoc: the crdt library's command-line tool. Applies Yjs update files to a fresh document and
// prints what Yjs would (tests/node/lib/ydoc-oracle.mjs is the same contract implemented with
// Yjs):
//
//   ydoc state|sv|diff|merge|json [--v2] [--out-v2] [--root NAME:KIND]... [SV_FILE] UPDATE_FILE...
//
// Exit 0 on success, 1 with a one-line error on stderr for bad input, 2 for usage errors.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/updates.h"
#include "accord/crdt/xml.h"

namespace {

using accord::Result;
using accord::Status;
using namespace accord::crdt;

[[noreturn]] void Usage(const std::string& msg) {
  std::fprintf(stderr,
               "ydoc: %s\nusage: ydoc state|sv|diff|merge|json [--v2] [--out-v2] [--root "
               "NAME:KIND] [SV_FILE] UPDATE_FILE...\n",
               msg.c_str());
  std::exit(2);
}

[[noreturn]] void Fail(const std::string& msg) {
  std::string line = msg.substr(0, msg.find('\n'));
  std::fprintf(stderr, "ydoc: %s\n", line.c_str());
  std::exit(1);
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail("cannot read " + path);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

void Write(const std::vector<uint8_t>& bytes) {
  std::fwrite(bytes.data(), 1, bytes.size(), stdout);
}

template <typename T>
T Check(Result<T> r) {
  if (!r.ok()) Fail(r.status().ToString());
  return std::move(*r);
}

// Yjs YText.toDelta as JSON: [{insert, attributes?}, ...].
Any DeltaJson(const Text& text) {
  AnyArray ops;
  for (const DeltaInsert& d : text.ToDelta()) {
    AnyObject op;
    switch (d.kind) {
      case DeltaInsert::Kind::kString:
        op.emplace_back("insert", Any(d.text));
        break;
      case DeltaInsert::Kind::kEmbed:
        op.emplace_back("insert", d.embed);
        break;
      case DeltaInsert::Kind::kType:
        // The Yjs stand-in cannot print a shared type inside a delta either (its plain-object
        // walk recurses without end) and fails; so do we, with the same exit code.
        Fail("a delta holding a shared type has no JSON form");
    }
    if (!d.attributes.empty()) {
      op.emplace_back("attributes",
                      Any::Object(AnyObject(d.attributes.begin(), d.attributes.end())));
    }
    ops.push_back(Any::Object(std::move(op)));
  }
  return Any(std::move(ops));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
    std::puts("ydoc (accord crdt) 0.2.0");
    return 0;
  }
  if (argc < 2) Usage("unknown command (none)");
  const std::string command = argv[1];
  if (command != "state" && command != "sv" && command != "diff" && command != "merge" &&
      command != "json") {
    Usage("unknown command " + command);
  }
  bool in_v2 = false;
  bool out_v2 = false;
  std::vector<std::pair<std::string, std::string>> roots;
  std::vector<std::string> files;
  static const std::regex kRootSpec("^(.*):([a-z]+)$");
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--v2") {
      in_v2 = true;
    } else if (a == "--out-v2") {
      out_v2 = true;
    } else if (a == "--root") {
      if (i + 1 >= argc) Usage("bad --root (none)");
      const std::string spec = argv[++i];
      std::smatch m;
      if (!std::regex_match(spec, m, kRootSpec)) Usage("bad --root " + spec);
      const std::string kind = m[2];
      if (kind != "text" && kind != "delta" && kind != "map" && kind != "array" && kind != "xml") {
        Usage("bad --root " + spec);
      }
      roots.emplace_back(m[1], kind);
    } else if (a.rfind("--", 0) == 0) {
      Usage("unknown option " + a);
    } else {
      files.push_back(a);
    }
  }
  if (command == "json" && roots.empty()) Usage("json needs at least one --root");
  if (command != "json" && !roots.empty()) Usage("--root only applies to json");
  std::string sv_file;
  if (command == "diff") {
    if (files.empty()) Usage("diff needs SV_FILE");
    sv_file = files.front();
    files.erase(files.begin());
  }
  if (files.empty()) Usage("no update files");

  std::vector<std::vector<uint8_t>> data;
  for (const std::string& f : files) data.push_back(ReadFile(f));

  if (command == "merge") {
    std::vector<uint8_t> out = Check(in_v2 ? MergeUpdatesV2(data) : MergeUpdates(data));
    if (in_v2 && !out_v2) out = Check(ConvertUpdateFormatV2ToV1(out));
    if (!in_v2 && out_v2) out = Check(ConvertUpdateFormatV1ToV2(out));
    Write(out);
    return 0;
  }

  DocOptions options;
  options.gc = true;
  Doc doc(options);
  for (const auto& u : data) {
    Status s = doc.ApplyUpdate(u, in_v2 ? UpdateFormat::kV2 : UpdateFormat::kV1);
    if (!s.ok()) Fail(s.ToString());
  }
  const UpdateFormat out_format = out_v2 ? UpdateFormat::kV2 : UpdateFormat::kV1;
  if (command == "state") {
    Write(Check(doc.EncodeStateAsUpdate({}, out_format)));
  } else if (command == "sv") {
    Write(doc.EncodeStateVector());
  } else if (command == "diff") {
    std::vector<uint8_t> sv = ReadFile(sv_file);
    Check(DecodeStateVector(sv));
    Write(Check(doc.EncodeStateAsUpdate(sv, out_format)));
  } else {
    AnyObject out;
    for (const auto& [name, kind] : roots) {
      if (kind == "xml") {
        // ToJson is the strict rendering: it fails where Yjs's toString would throw (a null
        // child, or nesting too deep to follow), and so do we.
        Any xml = Check(GetXmlFragment(doc, name)).ToJson();
        if (!xml.is_string()) Fail("cannot render root " + name + " as XML");
        out.emplace_back(name, std::move(xml));
        continue;
      }
      SharedKind k = kind == "text" || kind == "delta" ? SharedKind::kText
                     : kind == "map"                   ? SharedKind::kMap
                                                       : SharedKind::kArray;
      SharedType t = Check(doc.GetRoot(name, k));
      out.emplace_back(name, kind == "delta" ? DeltaJson(Text(t.internal())) : t.ToJson());
    }
    std::string json = Any::Object(std::move(out)).ToJson() + "\n";
    std::fwrite(json.data(), 1, json.size(), stdout);
  }
  return 0;
}
