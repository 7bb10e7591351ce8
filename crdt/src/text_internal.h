// text_internal.h: the position walk and the edits of a Text (Yjs YText's ItemTextListPosition,
// findPosition, insertText, deleteText, formatText, cleanupFormattingGap) and the formatting
// cleanup Yjs runs after remote transactions (cleanupYTextFormatting,
// cleanupYTextAfterTransaction). text.cc holds the walk and edits, text_format.cc the cleanup and
// the rich-text parts of the public Text handle. Single-threaded.
#ifndef ACCORD_CRDT_SRC_TEXT_INTERNAL_H_
#define ACCORD_CRDT_SRC_TEXT_INTERNAL_H_

#include <string>
#include <utility>
#include <vector>

#include "abstract_type.h"
#include "accord/crdt/doc.h"
#include "transaction.h"

namespace accord::crdt {

// Attribute name -> value: the public TextAttributes, kept in JavaScript Map insertion order
// (a re-set key keeps its place; a deleted and re-added one moves to the end).
using Attributes = TextAttributes;

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

// Yjs formatText: applies `attributes` (null values remove) to `length` units from `pos`;
// units beyond the end are appended as newlines, as Yjs does.
void FormatText(Transaction& txn, AbstractType* parent, TextPosition& pos, uint64_t length,
                const Attributes& attributes);

// Yjs cleanupFormattingGap: deletes the formatting items between `start` and the next live
// content after `curr` that a deletion made redundant. Updates `curr_attributes`.
void CleanupFormattingGap(Transaction& txn, Item* start, Item* curr,
                          const Attributes& start_attributes, Attributes& curr_attributes);

// Yjs updateCurrentAttributes: a null value removes the key.
void ApplyFormatToCurrent(Attributes& attrs, const ContentFormat& f);

// Yjs cleanupYTextFormatting: removes redundant formatting items of `type` (in Yjs 13.6 only
// the gap before the first live content is affected).
void CleanupTextFormatting(Transaction& txn, AbstractType* type);

// Yjs cleanupYTextAfterTransaction: after the remote transaction `done` changed a formatted
// text, deletes (in the separate transaction `cleanup`) the formatting items it made redundant.
// Runs before `done` is garbage-collected and merged.
void CleanupTextAfterTransaction(Transaction& done, Transaction& cleanup);

// Tests compare edits with and without the transaction's remembered runs of deleted items
// (Transaction::DeletedRunEnd), which must not change any result. On by default.
void SetRememberDeletedRunsForTesting(bool on);

// The concatenated live strings of a text type (Yjs YText.toString).
std::string TextToString(const AbstractType* type);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_TEXT_INTERNAL_H_
