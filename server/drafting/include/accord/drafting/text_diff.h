// accord/drafting/text_diff.h: the difference between two versions of a statement — units
// (paragraphs, headings, list items, quotes) aligned, words compared inside changed units,
// moved units shown as moves — plus its JSON form for the API and HTML for exports.
//
// Inputs are canonical texts (see units.h); anything else is still diffed after SplitUnits cuts
// it. A unit's marker ("3. ", "## ", "- ") is compared apart from its words: a renumbered point
// with the same words is an equal unit whose marker changed. The algorithm, its thresholds, its
// work bounds and the JSON schema are described in server/drafting/DIFF.md.
//
// Work is bounded whatever the input: every quadratic step draws from a fixed budget
// (DiffLimits) and falls back to coarser output (whole units deleted and inserted) when it runs
// out, setting Stats::bounded. Pure functions of their input; safe from any thread.
#ifndef ACCORD_DRAFTING_TEXT_DIFF_H_
#define ACCORD_DRAFTING_TEXT_DIFF_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accord::drafting {

// A run of text inside a unit. Equal text belongs to both sides, deleted text to the old side
// only, inserted text to the new side only. Spans never split a UTF-8 code point.
struct Span {
  enum class Kind { kEqual, kDelete, kInsert };
  Kind kind = Kind::kEqual;
  std::string text;

  bool operator==(const Span&) const = default;
};

enum class EntryKind {
  kEqual,      // same words on both sides (the marker may differ: see marker_changed)
  kChanged,    // the same unit, edited in place: spans are its word diff
  kInserted,   // only in the new version: one insert span
  kDeleted,    // only in the old version: one delete span
  kMovedTo,    // the old position of a moved unit: one delete span of the old text
  kMovedFrom,  // the new position of a moved unit: the word diff old -> new
};

// One row of the diff. Entries are in new-document order with the old-only entries (deleted,
// moved-to) placed where they stood, so an inline view renders them in sequence and a
// side-by-side view renders one row each.
struct Entry {
  EntryKind kind = EntryKind::kEqual;
  // Unit indices (0-based, as SplitUnits returns them) on each side. Equal, changed and both
  // ends of a move have both; inserted has only new_index, deleted only old_index.
  std::optional<size_t> old_index;
  std::optional<size_t> new_index;
  // Markers on the sides that have the unit (empty where that side's index is absent).
  std::string old_marker;
  std::string new_marker;
  bool marker_changed = false;  // both sides present and markers differ
  std::vector<Span> spans;
  // For kMovedTo / kMovedFrom: the index in TextDiff::entries of the other end of the move.
  std::optional<size_t> counterpart;

  // Which side's document this entry stands for: old-side entries in order give the old units,
  // new-side entries in order give the new units (see OldText/NewText).
  bool OnOldSide() const { return kind != EntryKind::kInserted && kind != EntryKind::kMovedFrom; }
  bool OnNewSide() const { return kind != EntryKind::kDeleted && kind != EntryKind::kMovedTo; }
  std::string OldText() const;  // equal + deleted spans
  std::string NewText() const;  // equal + inserted spans
};

struct DiffStats {
  size_t equal = 0;            // equal entries
  size_t changed = 0;          // changed entries
  size_t inserted = 0;         // inserted units
  size_t deleted = 0;          // deleted units
  size_t moved = 0;            // moves (each counted once, though it has two entries)
  size_t markers_changed = 0;  // equal, changed or moved units whose marker differs
  size_t words_inserted = 0;   // word tokens in insert spans of changed/inserted/moved entries
  size_t words_deleted = 0;    // word tokens in delete spans of changed/deleted/moved entries
  uint64_t work = 0;           // budgeted steps spent; never above DiffLimits::TotalWork()
  bool bounded = false;        // a budget ran out and some part fell back to coarser output
};

struct TextDiff {
  std::vector<Entry> entries;
  DiffStats stats;
};

// Thresholds and budgets (documented in DIFF.md). The defaults are what the API uses; tests
// shrink them to reach the fallbacks on small inputs.
struct DiffLimits {
  // Units in one gap between aligned units are paired as "changed" when the Dice coefficient of
  // their word multisets is at least this.
  double pair_similarity = 0.5;
  // Left-over deleted and inserted units anywhere are a move when their texts are identical or
  // their Dice similarity is at least this.
  double move_similarity = 0.8;
  uint64_t align_work = 4'000'000;  // Myers steps aligning units (plus the anchored fallback)
  uint64_t pair_work = 8'000'000;   // word comparisons pairing units inside gaps
  uint64_t move_work = 8'000'000;   // word comparisons finding similar moved units
  uint64_t word_work_per_unit = 1'000'000;  // Myers steps for one unit's word diff
  uint64_t word_work = 16'000'000;          // Myers steps for all word diffs together
  size_t pair_full_cells = 40'000;  // gaps with at most this many del x ins pairs get exact DP
  size_t pair_window = 32;          // larger gaps compare each deleted unit with this many

  uint64_t TotalWork() const { return align_work + pair_work + move_work + word_work; }
};

// The diff of two canonical texts, units aligned by their words.
TextDiff DiffTexts(std::string_view old_text, std::string_view new_text,
                   const DiffLimits& limits = DiffLimits());

// The diff as JSON, schema version 1 (DIFF.md): {"version":1,"stats":{…},"entries":[…]}.
std::string DiffToJson(const TextDiff& diff);

enum class DiffLayout {
  kInline,      // one column: deletions struck and insertions underlined in reading order
  kSideBySide,  // a two-column table, one row per entry, old on the left
};

// The diff as an HTML fragment (no <html>/<body>). Readable without colour: insertions are
// <ins> with "{+ … +}" marks, deletions <del> with "[- … -]", moves labelled "moved to §n" /
// "moved from §n" in words, and visually hidden "inserted:"/"deleted:" for screen readers.
// All text is escaped. Class names are styled by DiffCss().
std::string DiffToHtml(const TextDiff& diff, DiffLayout layout);

// A small stylesheet for DiffToHtml's classes (visually-hidden text, unit labels, table cells);
// pages that embed diffs include it once.
std::string_view DiffCss();

}  // namespace accord::drafting

#endif  // ACCORD_DRAFTING_TEXT_DIFF_H_
