// accord/drafting/anchor.h: where a comment's anchor lies in the live draft now
// (server/drafting/COMMENTS.md).
//
// An anchor is a Yjs relative position (Y.encodeRelativePosition bytes) that a client made in
// the editor's document — the XmlFragment "prosemirror" — usually inside the XmlText of a
// paragraph. Because it names a CRDT item rather than an index, it stays with its text while
// the text around it changes. Resolving it against the draft's current state tells whether the
// item is still there (`attached`) and what text now follows it (`excerpt`).
//
// Thread-safety: an AnchorResolver reads a Doc, which must be used by one thread at a time;
// use each resolver on that thread only.
#ifndef ACCORD_DRAFTING_ANCHOR_H_
#define ACCORD_DRAFTING_ANCHOR_H_

#include <cstdint>
#include <span>
#include <string>
#include <unordered_set>

#include "accord/crdt/delete_set.h"
#include "accord/crdt/doc.h"
#include "accord/crdt/relative_position.h"
#include "accord/status.h"

namespace accord::drafting {

// The excerpt's bounds: at most this many words, and this many code points.
inline constexpr size_t kExcerptWords = 8;
inline constexpr size_t kExcerptCodePoints = 80;

struct AnchorState {
  bool attached = false;  // the anchored item (or nested type) is in the fragment, undeleted
  // Up to kExcerptWords words (kExcerptCodePoints code points) of the text that starts at the
  // anchor within its text node, white space collapsed; for a position between blocks, of the
  // block that follows it. Empty when not attached.
  std::string excerpt;
};

// Anchors against one state of the live draft. Construction walks the "prosemirror" fragment
// and takes the delete set once, so resolving the many anchors of a statement's comments costs
// a lookup each. `draft` must outlive the resolver and not change while it is used.
class AnchorResolver {
 public:
  explicit AnchorResolver(crdt::Doc& draft);

  // Decodes `bytes` as an anchor for a new comment: a relative position naming an item or a
  // nested type (not the end of a root) that resolves inside the fragment and is not deleted.
  // InvalidArgument saying why otherwise.
  Result<crdt::RelativePosition> Parse(std::span<const uint8_t> bytes);

  // Where a stored anchor lies now. Never fails: an anchor that no longer resolves (its text
  // deleted, or bytes that do not decode) is simply not attached.
  AnchorState Resolve(std::span<const uint8_t> bytes);

 private:
  // The resolved position and whether it is attached; `why` says what is wrong when not.
  AnchorState Locate(const crdt::RelativePosition& rpos, std::string* why);

  crdt::Doc& draft_;
  std::unordered_set<const void*> types_;  // the fragment and every live type inside it
  crdt::DeleteSet deleted_;
};

}  // namespace accord::drafting

#endif  // ACCORD_DRAFTING_ANCHOR_H_
