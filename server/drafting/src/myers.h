// myers.h (internal): a bounded edit script between two sequences of ids — Myers' O(ND)
// greedy algorithm, with an anchored fallback when the budget runs out.
//
// Work is counted in steps: one per diagonal visited and one per matching element followed.
// Memory is one int per diagonal visited, so it is bounded by the budget too. Nothing recurses.
// Pure functions; safe from any thread.
#ifndef ACCORD_DRAFTING_MYERS_H_
#define ACCORD_DRAFTING_MYERS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace accord::drafting::internal {

// A run of the edit script: `len` elements equal in both, deleted from a, or inserted from b.
// Runs are in order; consecutive runs have different kinds.
struct EditRun {
  enum class Kind { kEqual, kDelete, kInsert };
  Kind kind;
  size_t len;

  bool operator==(const EditRun&) const = default;
};

// A shortest edit script from a to b, or nullopt when it needs more than `budget` steps. Adds
// the steps spent (at most `budget`) to *work either way. Common prefix and suffix are
// stripped first, in linear time and without charge.
std::optional<std::vector<EditRun>> Myers(std::span<const uint32_t> a, std::span<const uint32_t> b,
                                          uint64_t budget, uint64_t* work);

struct SequenceDiff {
  std::vector<EditRun> runs;
  uint64_t work = 0;     // steps spent, at most the budget given
  bool bounded = false;  // Myers ran out; the anchored fallback produced `runs`
};

// Always an edit script from a to b. Tries Myers with half the budget; when that runs out,
// aligns the elements that occur exactly once in each sequence (the longest increasing run of
// them, as patience diff does) and diffs each gap between those anchors with Myers from what
// is left of the budget, deleting and inserting a gap whole once the budget is spent.
SequenceDiff DiffSequences(std::span<const uint32_t> a, std::span<const uint32_t> b,
                           uint64_t budget);

// Appends a run, merging it with the last one when the kinds agree; ignores empty runs.
void AppendRun(std::vector<EditRun>* runs, EditRun::Kind kind, size_t len);

}  // namespace accord::drafting::internal

#endif  // ACCORD_DRAFTING_MYERS_H_
