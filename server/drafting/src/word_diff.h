// word_diff.h (internal): the word-level diff of one unit's old and new text, tidied so it
// reads well (DIFF.md, "Word diff").
//
// Pure functions; safe from any thread.
#ifndef ACCORD_DRAFTING_WORD_DIFF_H_
#define ACCORD_DRAFTING_WORD_DIFF_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "accord/drafting/text_diff.h"

namespace accord::drafting::internal {

struct WordDiffResult {
  // Equal, delete and insert spans; within each change deletions come before insertions, and
  // no two neighbours have the same kind. Old side (equal + delete) gives old_text back, new
  // side (equal + insert) new_text.
  std::vector<Span> spans;
  uint64_t work = 0;     // Myers steps spent, at most `budget`
  bool bounded = false;  // the budget ran out and part of the text is deleted and inserted whole
};

WordDiffResult WordDiff(std::string_view old_text, std::string_view new_text, uint64_t budget);

// Merges equal runs that would only break a change into confetti into the changes around them:
// an equal run with no word in it (spaces, punctuation), or one no longer than the changes on
// both its sides (the semantic cleanup of diff-match-patch). Exposed for tests.
std::vector<Span> CleanupSpans(std::vector<Span> spans);

}  // namespace accord::drafting::internal

#endif  // ACCORD_DRAFTING_WORD_DIFF_H_
