// text_internal.h: the position walk and the plain-text edits of a Text (Yjs YText's
// ItemTextListPosition, findPosition, insertText, deleteText, cleanupFormattingGap).
//
// Formatting attributes are tracked while walking (so plain edits in formatted text produce the
// same structs as Yjs), but creating formatting (Text.format, attributes on insert, deltas) is
// left to a later layer, which builds on these functions. Single-threaded.
#ifndef ACCORD_CRDT_SRC_TEXT_INTERNAL_H_
#define ACCORD_CRDT_SRC_TEXT_INTERNAL_H_

#include <string>
#include <utility>
#include <vector>

#include "abstract_type.h"
#include "transaction.h"

namespace accord::crdt {

// Attribute name -> value, in Map insertion order (a re-set key keeps its place; a deleted and
// re-added one moves to the end, as with a JavaScript Map).
using Attributes = std::vector<std::pair<std::string, Any>>;

const Any* FindAttr(const Attributes& attrs, const std::string& key);
void SetAttr(Attributes& attrs, const std::string& key, Any value);
void EraseAttr(Attributes& attrs, const std::string& key);
// Yjs equalAttrs: strict equality for primitives, shallow comparison for objects.
bool EqualAttrs(const Any& a, const Any& b);

struct TextPosition {
  Item* left = nullptr;
  Item* right = nullptr;
  uint64_t index = 0;
  Attributes current_attributes;

  // Steps over `right` (Yjs ItemTextListPosition.forward).
  void Forward();
};

// The position `index` units into `parent`, splitting an item if needed (Yjs findPosition).
TextPosition FindTextPosition(Transaction& txn, AbstractType* parent, uint64_t index,
                              bool use_search_marker);

// Inserts `content` (a ContentString, ContentEmbed or ContentType) at `pos` with `attributes`
// (Yjs insertText; for a plain insert pass the position's current attributes).
void InsertTextContent(Transaction& txn, AbstractType* parent, TextPosition& pos,
                       std::unique_ptr<Content> content, Attributes attributes);

// Deletes `length` units from `pos` (Yjs deleteText).
void DeleteText(Transaction& txn, AbstractType* parent, TextPosition& pos, uint64_t length);

// The concatenated live strings of a text type (Yjs YText.toString).
std::string TextToString(const AbstractType* type);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_TEXT_INTERNAL_H_
