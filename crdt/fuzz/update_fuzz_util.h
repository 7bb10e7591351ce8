// update_fuzz_util.h: the body shared by update_v1_fuzzer and update_v2_fuzzer.
//
// Feeds one untrusted update (in the given format) to a fresh Doc with small limits and to every
// update-level operation of accord/crdt/updates.h, and aborts when an invariant breaks:
//   - a rejected update leaves the document's state bytes exactly as they were;
//   - an accepted update re-encodes (v1 and v2) into bytes that load into a fresh document with
//     the same content (Fingerprint); applying those bytes to the document again changes none
//     of its state bytes;
//   - ConvertUpdateFormat, DiffUpdate against an empty state vector and MergeUpdates with itself
//     succeed on the document's re-encoded state and keep the content; on the raw input, what they
//     return obeys the first two rules;
//   - EncodeStateVectorFromUpdate of the state agrees with the document's state vector when
//     nothing is pending.
// The operations also run on the two halves of the input, with no invariant but "no crash".
#ifndef ACCORD_CRDT_FUZZ_UPDATE_FUZZ_UTIL_H_
#define ACCORD_CRDT_FUZZ_UPDATE_FUZZ_UTIL_H_

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "accord/crdt/any.h"
#include "accord/crdt/doc.h"
#include "accord/crdt/state_vector.h"
#include "accord/crdt/updates.h"

namespace accord::crdt::fuzz {

using Bytes = std::vector<uint8_t>;

[[noreturn]] inline void Fail(const char* what) {
  std::fprintf(stderr, "invariant broken: %s\n", what);
  std::abort();
}

#define FUZZ_CHECK(cond)                            \
  do {                                              \
    if (!(cond)) ::accord::crdt::fuzz::Fail(#cond); \
  } while (0)

// A fresh document with limits small enough that hostile input stays cheap. gc stays on (the
// default), as servers run it; client id fixed so runs are reproducible.
inline std::unique_ptr<Doc> FreshDoc() {
  DocOptions options;
  options.client_id = 1;
  options.guid = "fuzz";
  auto doc = std::make_unique<Doc>(options);
  UpdateLimits limits;
  limits.max_pending_bytes = 64u << 10;
  doc->set_update_limits(limits);
  return doc;
}

inline Bytes StateBytes(Doc& doc, UpdateFormat format = UpdateFormat::kV1) {
  Result<Bytes> state = doc.EncodeStateAsUpdate({}, format);
  FUZZ_CHECK(state.ok());
  return std::move(state).value();
}

inline bool IsV2(UpdateFormat f) { return f == UpdateFormat::kV2; }

// What a document holds, independent of how its structs happen to be split: the state vector and
// the JSON of every root. (Byte equality after a reload is too strong: for some hostile updates
// Yjs itself splits or merges structs differently once reloaded, and we match Yjs.)
struct Fingerprint {
  StateVector sv;
  std::vector<std::pair<std::string, Any>> roots;
  bool operator==(const Fingerprint&) const = default;
};

inline Fingerprint FingerprintOf(Doc& doc) {
  Fingerprint fp;
  fp.sv = doc.GetStateVector();
  for (const std::string& name : doc.RootNames()) {
    Result<SharedType> root = doc.GetRoot(name, SharedKind::kUntyped);
    FUZZ_CHECK(root.ok());
    fp.roots.emplace_back(name, root->ToJson());
  }
  std::sort(fp.roots.begin(), fp.roots.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return fp;
}

// Checks that `update`, which we produced from a document with fingerprint `fp`, loads into a
// fresh document with the same fingerprint. One refusal is by design: the size-based struct
// bound for untrusted input (updates.h, MaxStructsFor) rejects v2 bytes whose run-length columns
// hold more than 64 structs per byte, which a document's state can reach (many parked GC
// structs). v1 spends at least two bytes per struct and is never refused so.
inline bool IsRefusedForSize(const Status& st, UpdateFormat format) {
  return IsV2(format) && !st.ok() && st.ToString().find("many structs") != std::string::npos;
}

// Whether an operation on our own bytes succeeded; false if refused for size as above.
template <typename T>
bool Usable(const Result<T>& r, UpdateFormat format) {
  if (r.ok()) return true;
  if (IsRefusedForSize(r.status(), format)) return false;
  std::fprintf(stderr, "operation failed: %s\n", r.status().ToString().c_str());
  Fail("an update operation failed on bytes we produced");
}

inline void CheckLoadsAs(std::span<const uint8_t> update, UpdateFormat format,
                         const Fingerprint& fp) {
  auto doc = FreshDoc();
  Status st = doc->ApplyUpdate(update, format);
  if (!st.ok()) {
    if (IsRefusedForSize(st, format)) return;
    std::fprintf(stderr, "reload failed: %s\n", st.ToString().c_str());
    Fail("an update we produced does not apply to a fresh document");
  }
  FUZZ_CHECK(FingerprintOf(*doc) == fp);
}

// Applies `update` to a fresh document: a failure leaves it as it was; a success re-encodes
// into v1 and v2 bytes that load back into the same state.
inline void CheckApplyAndReload(std::span<const uint8_t> update, UpdateFormat format) {
  auto doc = FreshDoc();
  const Bytes before = StateBytes(*doc);
  if (!doc->ApplyUpdate(update, format).ok()) {
    FUZZ_CHECK(StateBytes(*doc) == before);
    return;
  }
  const Fingerprint fp = FingerprintOf(*doc);
  CheckLoadsAs(StateBytes(*doc), UpdateFormat::kV1, fp);
  CheckLoadsAs(StateBytes(*doc, UpdateFormat::kV2), UpdateFormat::kV2, fp);
}

inline Result<Bytes> Merge(std::span<const Bytes> updates, UpdateFormat f) {
  return IsV2(f) ? MergeUpdatesV2(updates) : MergeUpdates(updates);
}
inline Result<Bytes> Diff(std::span<const uint8_t> update, std::span<const uint8_t> sv,
                          UpdateFormat f) {
  return IsV2(f) ? DiffUpdateV2(update, sv) : DiffUpdate(update, sv);
}
inline Result<Bytes> SvFromUpdate(std::span<const uint8_t> update, UpdateFormat f) {
  return IsV2(f) ? EncodeStateVectorFromUpdateV2(update) : EncodeStateVectorFromUpdate(update);
}
inline Result<UpdateMeta> Meta(std::span<const uint8_t> update, UpdateFormat f) {
  return IsV2(f) ? ParseUpdateMetaV2(update) : ParseUpdateMeta(update);
}
inline Result<Bytes> ConvertToOther(std::span<const uint8_t> update, UpdateFormat f) {
  return IsV2(f) ? ConvertUpdateFormatV2ToV1(update) : ConvertUpdateFormatV1ToV2(update);
}
inline UpdateFormat Other(UpdateFormat f) {
  return IsV2(f) ? UpdateFormat::kV1 : UpdateFormat::kV2;
}

// Every operation on `update`, results ignored: only crashes, hangs and leaks count.
inline void RunOpsUnchecked(std::span<const uint8_t> update, UpdateFormat f) {
  Bytes copy(update.begin(), update.end());
  (void)Meta(update, f);
  (void)SvFromUpdate(update, f);
  (void)ConvertToOther(update, f);
  const Bytes empty_sv = EncodeStateVector({});
  (void)Diff(update, empty_sv, f);
  Result<Bytes> sv = SvFromUpdate(update, f);
  if (sv.ok()) (void)Diff(update, *sv, f);
  Bytes pair[2] = {copy, copy};
  (void)Merge(pair, f);
}

inline void FuzzUpdate(const uint8_t* data, size_t size, UpdateFormat f) {
  std::span<const uint8_t> update(data, size);

  auto doc = FreshDoc();
  const Bytes before = StateBytes(*doc);
  Status applied = doc->ApplyUpdate(update, f);
  if (!applied.ok()) {
    FUZZ_CHECK(StateBytes(*doc) == before);
    FUZZ_CHECK(doc->GetStateVector().empty());
  } else {
    // The re-encoded state (either format) loads back into the same content.
    const Bytes state_v1 = StateBytes(*doc);
    const Bytes state_v2 = StateBytes(*doc, UpdateFormat::kV2);
    const Fingerprint fp = FingerprintOf(*doc);
    CheckLoadsAs(state_v1, UpdateFormat::kV1, fp);
    CheckLoadsAs(state_v2, UpdateFormat::kV2, fp);

    // The operations on the document's own (well-formed) state: the conversion to the other
    // format, the diff against the empty state vector and a merge with itself all succeed and
    // describe the same state. (On the raw input they need not: Yjs itself loads some hostile
    // updates differently once converted, e.g. with a client's structs split over several
    // sections, and cannot convert Skip structs; we match Yjs byte for byte there.)
    const Bytes& own = IsV2(f) ? state_v2 : state_v1;
    Result<Bytes> converted = ConvertToOther(own, f);
    if (Usable(converted, f)) CheckLoadsAs(*converted, Other(f), fp);
    Result<Bytes> diff_all = Diff(own, EncodeStateVector({}), f);
    if (Usable(diff_all, f)) CheckLoadsAs(*diff_all, f, fp);
    Bytes twice[2] = {own, own};
    Result<Bytes> merged = Merge(twice, f);
    if (Usable(merged, f)) CheckLoadsAs(*merged, f, fp);
    // On the raw input, whatever the operations return must itself be a safe update.
    if (auto c = ConvertToOther(update, f); c.ok()) CheckApplyAndReload(*c, Other(f));
    if (auto d = Diff(update, EncodeStateVector({}), f); d.ok()) CheckApplyAndReload(*d, f);

    if (!doc->HasPending()) {
      // Everything was integrated: the state's structs are contiguous from clock 0, so the
      // state vector read from the update is the document's.
      Result<Bytes> sv = SvFromUpdate(own, f);
      if (Usable(sv, f)) {
        Result<StateVector> decoded = DecodeStateVector(*sv);
        FUZZ_CHECK(decoded.ok() && *decoded == doc->GetStateVector());
      }

      // The document lacks nothing of its own state: applying the diff, or the state itself
      // again, changes nothing. (Not so for raw hostile input, in Yjs as in ours: a GC struct
      // that a first application skips can integrate on the second.)
      Result<Bytes> missing = Diff(own, doc->EncodeStateVector(), f);
      if (Usable(missing, f)) {
        FUZZ_CHECK(doc->ApplyUpdate(*missing, f).ok());
        FUZZ_CHECK(StateBytes(*doc) == state_v1);
      }
      const Status again = doc->ApplyUpdate(own, f);
      if (!IsRefusedForSize(again, f)) {
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(StateBytes(*doc) == state_v1);
      }
    }
  }

  RunOpsUnchecked(update, f);
  const size_t half = size / 2;
  Bytes a(data, data + half);
  Bytes b(data + half, data + size);
  Bytes halves[2] = {a, b};
  (void)Merge(halves, f);
  RunOpsUnchecked(a, f);
  // The second half applied on top of the first (two updates in a row, as peers send them).
  auto doc2 = FreshDoc();
  if (doc2->ApplyUpdate(a, f).ok()) {
    const Bytes mid = StateBytes(*doc2);
    if (!doc2->ApplyUpdate(b, f).ok()) FUZZ_CHECK(StateBytes(*doc2) == mid);
  }
}

}  // namespace accord::crdt::fuzz

#endif  // ACCORD_CRDT_FUZZ_UPDATE_FUZZ_UTIL_H_
