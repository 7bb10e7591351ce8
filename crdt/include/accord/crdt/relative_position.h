// accord/crdt/relative_position.h: a position in a shared sequence that survives concurrent
// edits (Yjs RelativePosition), and its binary wire form (Yjs encodeRelativePosition /
// decodeRelativePosition).
//
// Also resolution back to an index (Yjs createAbsolutePositionFromRelativePosition) and the JSON
// form (relativePositionToJSON / createRelativePositionFromJSON). Functions that take a
// document or type must run on the document's thread; the codecs are thread-safe.
#ifndef ACCORD_CRDT_RELATIVE_POSITION_H_
#define ACCORD_CRDT_RELATIVE_POSITION_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "accord/crdt/any.h"
#include "accord/crdt/doc.h"
#include "accord/status.h"

namespace accord::crdt {

struct ItemId {
  uint64_t client = 0;
  uint64_t clock = 0;
  bool operator==(const ItemId&) const = default;
};

// Exactly one of item, tname, type is set in a well-formed position: `item` names the item the
// position sticks to; otherwise the position is the end of the root `tname` or of the nested
// type whose item is `type`. `assoc` >= 0 sticks to the right of the position, < 0 to the left.
struct RelativePosition {
  std::optional<ItemId> type;
  std::optional<std::string> tname;
  std::optional<ItemId> item;
  int64_t assoc = 0;
  bool operator==(const RelativePosition&) const = default;
};

// The position before the `index`-th element of `type` (counted in Yjs units, UTF-16 code units
// for text), sticking right when assoc >= 0, else to the element on its left (Yjs
// createRelativePositionFromTypeIndex). Call on the document's thread.
RelativePosition CreateRelativePositionFromTypeIndex(const SharedType& type, uint64_t index,
                                                     int64_t assoc = 0);

// InvalidArgument if none of item, tname, type is set (Yjs throws there).
Result<std::vector<uint8_t>> EncodeRelativePosition(const RelativePosition& rpos);
// Corruption on malformed bytes. Unlike Yjs, an unknown kind tag is Corruption rather than a
// position with nothing set (which could not be encoded again).
Result<RelativePosition> DecodeRelativePosition(std::span<const uint8_t> data);

// `index` in `type`, with the assoc of the relative position it came from (Yjs
// AbsolutePosition).
struct AbsolutePosition {
  SharedType type;
  uint64_t index = 0;
  int64_t assoc = 0;
};

// Where `rpos` lies in `doc` now (Yjs createAbsolutePositionFromRelativePosition with
// followUndoneDeletions; we have no undo manager, so no item is ever redone and following
// redone items reduces to finding the item). nullopt if the item or type is not in the
// document (yet) or was garbage-collected. A position naming a root that does not exist creates
// that root untyped, as Yjs's doc.get does. InvalidArgument never: a position naming nothing
// yields nullopt (Yjs throws there).
std::optional<AbsolutePosition> CreateAbsolutePositionFromRelativePosition(
    const RelativePosition& rpos, Doc& doc);

// Yjs relativePositionToJSON: an object with "type", "tname", "item" ({client, clock} objects)
// and "assoc", each present when set (an empty tname is left out, as in Yjs).
Any RelativePositionToJson(const RelativePosition& rpos);
// Yjs createRelativePositionFromJSON. InvalidArgument unless ids are objects with integer
// "client" and "clock" in [0, 2^53], tname a string and assoc an integer (Yjs would keep any
// value; we refuse what could not be encoded).
Result<RelativePosition> RelativePositionFromJson(const Any& json);

// Yjs compareRelativePositions: same type, root name, item and assoc.
inline bool CompareRelativePositions(const RelativePosition& a, const RelativePosition& b) {
  return a == b;
}

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_RELATIVE_POSITION_H_
