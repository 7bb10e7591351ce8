// accord/crdt/xml.h: the XML shared types of a Yjs document (Y.XmlFragment, Y.XmlElement,
// Y.XmlText, Y.XmlHook), as ProseMirror / TipTap bindings use them.
//
// An XmlFragment is a list of children (XmlElement, XmlText, XmlHook); an XmlElement is a
// fragment with a node name and attributes; an XmlText is rich text (a Text); an XmlHook is a
// Map with a hook name. Children are created empty by the Insert* calls and filled through the
// handle they return; every edit encodes byte-identical to the same Yjs calls in the same order.
// ToString renders as Yjs's toString does (attributes sorted by name, element names lowercased,
// text formatting as nested tags).
//
// Thread contract: as doc.h — handles are cheap pointers, valid while their Doc lives, used by
// one thread at a time together with their Doc. Handles of the wrong kind (or default ones) are
// invalid: reads return empty values and edits FailedPrecondition. Nothing throws.
#ifndef ACCORD_CRDT_XML_H_
#define ACCORD_CRDT_XML_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "accord/crdt/doc.h"

namespace accord::crdt {

class XmlElement;
class XmlText;
class XmlHook;

class XmlFragment : public SharedType {
 public:
  XmlFragment() = default;
  // A handle to `t` if it is an XmlFragment or an XmlElement, else an invalid one.
  explicit XmlFragment(SharedType t);

  // The number of children.
  uint64_t Length() const;
  // The children in order: XmlElement, XmlText or XmlHook handles (SharedType::kind() tells
  // which); values of other kinds that foreign updates may have put here come as Values too.
  std::vector<Value> Children() const;
  Result<Value> Get(uint64_t index) const;

  // Inserts a new, empty child at `index` (InvalidArgument if index > Length()).
  Result<XmlElement> InsertElement(uint64_t index, std::string_view node_name);
  Result<XmlText> InsertText(uint64_t index);
  Result<XmlHook> InsertHook(uint64_t index, std::string_view hook_name);
  Status Delete(uint64_t index, uint64_t length = 1);

  // Yjs toString: the children's strings concatenated (an XmlHook, having no toString of its
  // own in Yjs, prints as "[object Object]").
  std::string ToString() const;
};

class XmlElement : public XmlFragment {
 public:
  XmlElement() = default;
  // A handle to `t` if it is an XmlElement, else an invalid one.
  explicit XmlElement(SharedType t);

  // The node name as stored (ToString prints it lowercased).
  std::string NodeName() const;

  // Attributes. Values may be any plain value (strings usually; ToString prints others as
  // JavaScript's String() does), binary or, through NewValue, a nested type.
  Status SetAttribute(std::string_view name, Any value);
  Status SetAttribute(std::string_view name, NewValue value);
  Status RemoveAttribute(std::string_view name);
  std::optional<Value> GetAttribute(std::string_view name) const;
  bool HasAttribute(std::string_view name) const;
  // Live attributes in first-insertion order.
  std::vector<std::pair<std::string, Value>> GetAttributes() const;

  // Yjs toString: <name a="1" b="2">children</name>, attributes sorted by name.
  std::string ToString() const;
};

class XmlText : public Text {
 public:
  XmlText() = default;
  // A handle to `t` if it is an XmlText, else an invalid one.
  explicit XmlText(SharedType t);

  // Yjs YXmlText.toString: each delta insert wrapped in one tag per formatting attribute (tags
  // sorted by name, each with the attribute value's own keys as sorted XML attributes). The
  // plain string is Text::ToString (call it as Text(x).ToString() or via ToDelta).
  std::string ToString() const;
};

class XmlHook : public Map {
 public:
  XmlHook() = default;
  // A handle to `t` if it is an XmlHook, else an invalid one.
  explicit XmlHook(SharedType t);
  std::string HookName() const;
};

// The root XmlFragment `name` (Doc::GetRoot with SharedKind::kXmlFragment).
Result<XmlFragment> GetXmlFragment(Doc& doc, std::string_view name);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_XML_H_
