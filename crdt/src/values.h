// values.h: converting between stored content and the public Value / NewValue / JSON forms,
// shared by the type handles (array.cc, map.cc, text.cc) and the ydoc tool. Single-threaded.
#ifndef ACCORD_CRDT_SRC_VALUES_H_
#define ACCORD_CRDT_SRC_VALUES_H_

#include <string_view>

#include "abstract_type.h"
#include "accord/crdt/doc.h"

namespace accord::crdt {

bool IsValidUtf8(std::string_view s);

// Element `i` of an item's content (Yjs content.getContent()[i]).
Value ItemValue(const Item* item, uint64_t i);

// Yjs toJSON of a type. Nesting deeper than kMaxJsonDepth yields an error.
inline constexpr int kMaxJsonDepth = 1000;
Result<Any> TypeToJson(const AbstractType* type, int depth = 0);
Result<Any> ValueToJson(const Value& v, int depth);

// Deletes `length` items from `index` of the list type `t`, in a transaction, after checking
// the range: the shared body of Array::Delete and XmlFragment::Delete. `what` names the handle
// in the error for an invalid one.
Status DeleteListRange(AbstractType* t, uint64_t index, uint64_t length, std::string_view what);

// Turns a public insert value into an internal one, creating the nested type if any.
InsertValue ToInsertValue(DocImpl* doc, NewValue v);

SharedKind PublicKind(TypeKind k);
TypeKind InternalKind(SharedKind k);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_VALUES_H_
