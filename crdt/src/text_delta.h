// text_delta.h: a text type's content as a delta of inserts (Yjs YText.toDelta without
// snapshots). Used by Text::ToDelta, XmlText's XML rendering and the ydoc tool.
// Single-threaded, like the document it reads.
#ifndef ACCORD_CRDT_SRC_TEXT_DELTA_H_
#define ACCORD_CRDT_SRC_TEXT_DELTA_H_

#include <vector>

#include "abstract_type.h"
#include "accord/crdt/doc.h"

namespace accord::crdt {

// The live content of `type` (a Text or XmlText; other kinds read the same way) as Yjs's
// toDelta returns it: consecutive strings join into one insert until a formatting item is
// passed (even one that leaves the attributes as they were), embeds and nested types are one
// insert each, and every insert carries the attributes in effect, in the order a JavaScript Map
// of them keeps (a re-set key stays in place, a removed and re-added one moves to the end) and
// then re-ordered as a JavaScript object orders its keys.
std::vector<DeltaInsert> TextToDelta(const AbstractType* type);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_TEXT_DELTA_H_
