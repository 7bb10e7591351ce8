// canonical_model.h: the document as the canonical text sees it — blocks of lines of marked
// text — read from the Y.XmlFragment y-prosemirror writes. Both serializations (Markdown and
// HTML, canonical_text.cc) are written from this one model, so they always agree on content.
//
// Reading applies every content rule of CANONICAL.md that does not depend on the syntax: text
// clean-up (line breaks, tabs, control characters), NFC, trimming of lines, empty paragraphs
// dropped, unknown elements unwrapped, marks moved off the white space at their edges, depth cap.
// Pure functions; safe from any thread that owns the Doc being read.
#ifndef ACCORD_DRAFTING_CANONICAL_MODEL_H_
#define ACCORD_DRAFTING_CANONICAL_MODEL_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accord/crdt/xml.h"
#include "accord/status.h"

namespace accord::drafting::internal {

// Element nesting deeper than this is refused (ResourceExhausted): it keeps the recursive
// reader and writers far from the stack's end whatever a foreign update holds. The editor's own
// documents need two levels per list level, so 64 allows some 30 nested lists.
inline constexpr int kMaxDepth = 64;

struct Link {
  std::string href;
  std::optional<std::string> title;  // absent when null, not a string or empty
  bool operator==(const Link&) const = default;
};

// Links are shared, not copied: a link's href and title may be large, and runs of text under
// one link (one stored attribute value) compare by identity first.
inline bool SameLink(const std::shared_ptr<const Link>& a, const std::shared_ptr<const Link>& b) {
  return a == b || (a && b && *a == *b);
}

struct Marks {
  bool strong = false;
  bool em = false;
  std::shared_ptr<const Link> link;
  bool operator==(const Marks& o) const {
    return strong == o.strong && em == o.em && SameLink(link, o.link);
  }
};

// A run of text (NFC, no line breaks or control characters) with one set of marks.
struct Span {
  std::string text;
  Marks marks;
  bool operator==(const Span&) const = default;
};

// One line of a paragraph or heading: adjacent spans differ in marks; the line has no leading
// or trailing white space and no mark begins or ends next to white space (see CANONICAL.md).
using Line = std::vector<Span>;

struct Block {
  enum class Kind { kParagraph, kHeading, kQuote, kOrderedList, kBulletList };
  Kind kind = Kind::kParagraph;
  int level = 1;                          // kHeading: 1..3
  int64_t start = 1;                      // kOrderedList: the number of the first item
  std::vector<Line> lines;                // kParagraph (hard breaks between), kHeading (one)
  std::vector<Block> children;            // kQuote: never empty
  std::vector<std::vector<Block>> items;  // lists: never empty; an item may be
};

// The blocks of `fragment` (a root XmlFragment or an element read as one).
Result<std::vector<Block>> ReadBlocks(const crdt::XmlFragment& fragment);

// `text` in Unicode Normalization Form C (returned unchanged if it is not valid UTF-8).
std::string Nfc(std::string_view text);

}  // namespace accord::drafting::internal

#endif  // ACCORD_DRAFTING_CANONICAL_MODEL_H_
