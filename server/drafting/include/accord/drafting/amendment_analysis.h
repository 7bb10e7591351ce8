// accord/drafting/amendment_analysis.h: what amendments change in their base, in CRDT terms —
// which pairs collide and which are obsolete — and the update that merges one into the draft.
//
// An amendment is a fork: a Yjs document that started as a version's state (its base). What it
// changes is read from the items themselves, never from text positions: the base items it
// deleted, the places between base items where it inserted, and the elements whose attributes
// it changed. Two amendments collide when they change overlapping or adjacent base items (in
// the order of the base); an amendment is obsolete when every base item it is anchored to has
// been deleted from the live draft. The rules are explained in server/drafting/AMENDMENTS.md.
//
// Inputs are Yjs v1 updates (full document states) of the ProseMirror fragment named
// kFragmentName. Pure functions of their input; safe from any thread.
#ifndef ACCORD_DRAFTING_AMENDMENT_ANALYSIS_H_
#define ACCORD_DRAFTING_AMENDMENT_ANALYSIS_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "accord/status.h"

namespace accord::drafting {

struct AmendmentInput {
  uint64_t number = 0;
  std::span<const uint8_t> base_state;  // the state of the version it forked
  std::span<const uint8_t> state;       // the amendment document's state now
};

struct AmendmentAnalysis {
  // Pairs (lower number first) of amendments changing overlapping or adjacent base items,
  // sorted.
  std::vector<std::pair<uint64_t, uint64_t>> collisions;
  // Amendments whose anchors were all deleted from the draft, sorted. An amendment that
  // changes nothing is never obsolete.
  std::vector<uint64_t> obsolete;
  // Amendments that change nothing in their base, sorted.
  std::vector<uint64_t> unchanged;
};

// Analyses `amendments` against each other and against the live draft's state. The base
// states may differ (amendments of several rounds); they are read together as one order, which
// is consistent because they are all states of the same document. Fails with
// InvalidArgument when an update does not decode.
Result<AmendmentAnalysis> AnalyzeAmendments(std::span<const AmendmentInput> amendments,
                                            std::span<const uint8_t> draft_state);

// The update that carries the amendment's own changes: its state minus its base's (what the
// draft needs to receive to contain them; applying it twice changes nothing).
Result<std::vector<uint8_t>> AmendmentUpdate(const AmendmentInput& amendment);

}  // namespace accord::drafting

#endif  // ACCORD_DRAFTING_AMENDMENT_ANALYSIS_H_
