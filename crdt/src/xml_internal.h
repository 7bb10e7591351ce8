// xml_internal.h: how the XML types (and every value they can hold) turn into strings, as
// JavaScript's String() does for Yjs's objects (YXmlElement/YXmlFragment/YXmlText.toString,
// "[object Object]" for types without their own toString). Shared by xml.cc, values.cc (toJSON
// of XML types) and the ydoc tool. Single-threaded, like the document it reads.
#ifndef ACCORD_CRDT_SRC_XML_INTERNAL_H_
#define ACCORD_CRDT_SRC_XML_INTERNAL_H_

#include <string>
#include <string_view>

#include "abstract_type.h"
#include "accord/crdt/doc.h"
#include "accord/status.h"

namespace accord::crdt {

// How much nesting the string rendering follows before giving up (hostile documents).
inline constexpr int kMaxXmlDepth = 1000;

// String(value) for a plain value: numbers as Number#toString, arrays joined with "," (null and
// undefined elements empty), byte arrays as their numbers joined with ",", objects as
// "[object Object]".
std::string JsString(const Any& value);

// String(type): the XML rendering for XmlFragment, XmlElement and XmlText, the plain string
// for Text, "[object Object]" for Array, Map, XmlHook and untyped types.
// `strict` mimics Yjs exactly where it would throw: a null or undefined value among a
// fragment's children (which only a foreign update can put there) is an error. Without it such
// values print as "null" / "undefined". Nesting beyond kMaxXmlDepth is always an error.
Result<std::string> TypeToJsString(const AbstractType* type, bool strict, int depth = 0);

// The node name an XmlElement prints with (JavaScript toLocaleLowerCase; see xml_string.cc for
// the characters covered).
std::string LowerNodeName(std::string_view name);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_XML_INTERNAL_H_
