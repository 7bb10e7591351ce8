// accord/drafting/units.h: a canonical text cut into its units — the paragraphs, headings,
// list items and quotes that diffs align and amendments and comments point at.
//
// Canonical text (server/drafting/CANONICAL.md) separates units by exactly one blank line and
// never contains a blank line inside a unit, except within a block quote, whose inner blank
// lines are written ">" — so a whole quote is one unit. A unit's first line starts with its
// structural marker (indentation, "#"s, "N. ", "- ", "> "); the marker is kept apart from the
// words so a renumbered point or a changed heading level is not read as a change of wording.
//
// Pure functions of their input; safe from any thread.
#ifndef ACCORD_DRAFTING_UNITS_H_
#define ACCORD_DRAFTING_UNITS_H_

#include <string>
#include <string_view>
#include <vector>

namespace accord::drafting {

struct Unit {
  // Leading structure of the first line: indentation plus heading hashes, list marker
  // ("12. ", "- ") and/or quote markers ("> "), including the trailing space. May be empty.
  std::string marker;
  // The rest: the words with their inline markup; continuation lines joined by "\n" with their
  // indentation (the marker's width) removed.
  std::string text;

  bool operator==(const Unit&) const = default;
};

// Cuts `canonical` (LF line ends) into units in document order. Text that is not canonical is
// still cut at blank lines; nothing is dropped: joining marker + text of each unit, restoring
// the continuation indentation, gives the input back modulo surrounding blank lines.
std::vector<Unit> SplitUnits(std::string_view canonical);

}  // namespace accord::drafting

#endif  // ACCORD_DRAFTING_UNITS_H_
