// libFuzzer target: untrusted encoded state vectors (DecodeStateVector, and
// Doc::EncodeStateAsUpdate / DiffUpdate given one, as a sync step 1 from a peer delivers it).
// Invariants: a decoded vector re-encodes into bytes that decode to the same vector; the document
// and DiffUpdate accept exactly the vectors that decode, and what they return loads into a fresh
// document. Seeds: corpus/state_vector_fuzzer/.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "accord/crdt/doc.h"
#include "accord/crdt/state_vector.h"
#include "accord/crdt/updates.h"

namespace {

using accord::crdt::Doc;
using accord::crdt::DocOptions;
using accord::crdt::UpdateFormat;
using Bytes = std::vector<uint8_t>;

void Check(bool cond, const char* what) {
  if (!cond) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

std::unique_ptr<Doc> MakeDoc(uint64_t client) {
  DocOptions options;
  options.client_id = client;
  options.guid = "fuzz";
  return std::make_unique<Doc>(options);
}

// A small document with structs of two clients and a deletion, built once.
Doc& SourceDoc() {
  static Doc* doc = [] {
    auto other = MakeDoc(7);
    auto text = other->GetText("t");
    (void)text->Insert(0, "hello world");
    (void)text->Delete(2, 3);
    auto map = other->GetMap("m");
    (void)map->Set("k", accord::crdt::NewValue::Of(accord::crdt::Any(1.5)));
    Doc* d = MakeDoc(3).release();
    (void)d->ApplyUpdate(*other->EncodeStateAsUpdate());
    auto t = d->GetText("t");
    (void)t->Insert(1, "abc");
    return d;
  }();
  return *doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An empty span means "no state vector" to Doc::EncodeStateAsUpdate; fuzz real vectors.
  if (size == 0) return 0;
  std::span<const uint8_t> input(data, size);
  auto sv = accord::crdt::DecodeStateVector(input);
  Doc& doc = SourceDoc();
  const Bytes full = *doc.EncodeStateAsUpdate();
  const Bytes full_v2 = *doc.EncodeStateAsUpdate({}, UpdateFormat::kV2);

  auto diff_v1 = doc.EncodeStateAsUpdate(input);
  auto diff_v2 = doc.EncodeStateAsUpdate(input, UpdateFormat::kV2);
  auto op_v1 = accord::crdt::DiffUpdate(full, input);
  auto op_v2 = accord::crdt::DiffUpdateV2(full_v2, input);
  Check(diff_v1.ok() == sv.ok() && diff_v2.ok() == sv.ok(), "Doc accepts the vectors that decode");
  Check(op_v1.ok() == sv.ok() && op_v2.ok() == sv.ok(),
        "DiffUpdate accepts the vectors that decode");
  if (!sv.ok()) return 0;

  const Bytes again = accord::crdt::EncodeStateVector(*sv);
  auto redecoded = accord::crdt::DecodeStateVector(again);
  Check(redecoded.ok() && *redecoded == *sv, "state vector round trip");

  for (auto [bytes, format] :
       {std::pair{&*diff_v1, UpdateFormat::kV1}, std::pair{&*diff_v2, UpdateFormat::kV2},
        std::pair{&*op_v1, UpdateFormat::kV1}, std::pair{&*op_v2, UpdateFormat::kV2}}) {
    auto fresh = MakeDoc(1);
    Check(fresh->ApplyUpdate(*bytes, format).ok(), "a diff loads into a fresh document");
  }
  // Applying the diff to a document that has everything before the vector restores the whole
  // state; for the empty vector that is a fresh document.
  if (sv->empty()) {
    auto fresh = MakeDoc(1);
    Check(fresh->ApplyUpdate(*diff_v1).ok(), "diff applies");
    Check(*fresh->EncodeStateAsUpdate() == full, "diff against nothing is everything");
  }
  return 0;
}
