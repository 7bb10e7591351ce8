#include "accord/drafting/anchor.h"

#include <algorithm>
#include <vector>

#include "accord/crdt/snapshot.h"
#include "accord/crdt/xml.h"

namespace accord::drafting {
namespace {

using crdt::SharedKind;
using crdt::Value;

constexpr char kFragment[] = "prosemirror";

// Adds `type` and every live type below it.
void CollectTypes(const crdt::SharedType& type, std::unordered_set<const void*>* out) {
  out->insert(type.internal());
  SharedKind kind = type.kind();
  if (kind != SharedKind::kXmlFragment && kind != SharedKind::kXmlElement) return;
  for (const Value& child : crdt::XmlFragment(type).Children()) {
    if (child.kind == Value::Kind::kType) CollectTypes(child.type, out);
  }
}

// The length in bytes of the UTF-8 sequence starting with `lead` (1 for a stray byte, so that
// walking never stalls).
size_t SequenceLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// The byte offset in UTF-8 `text` of UTF-16 offset `units` (Yjs counts text in UTF-16 code
// units; a code point beyond the BMP is two). Past the end: the end.
size_t Utf16ToByteOffset(const std::string& text, uint64_t units) {
  size_t i = 0;
  while (i < text.size() && units > 0) {
    size_t n = SequenceLength(static_cast<unsigned char>(text[i]));
    uint64_t width = n == 4 ? 2 : 1;
    if (width > units) break;  // inside a surrogate pair: start at the code point
    units -= width;
    i += n;
  }
  return std::min(i, text.size());
}

// The plain text of a block: its text nodes' strings, nested blocks separated by a space.
void AppendText(const crdt::SharedType& type, std::string* out) {
  switch (type.kind()) {
    case SharedKind::kXmlText:
    case SharedKind::kText:
      *out += crdt::Text(type.internal()).ToString();
      return;
    case SharedKind::kXmlElement:
    case SharedKind::kXmlFragment:
      for (const Value& child : crdt::XmlFragment(type).Children()) {
        if (child.kind != Value::Kind::kType) continue;
        if (!out->empty() && child.type.kind() != SharedKind::kXmlText) *out += ' ';
        AppendText(child.type, out);
      }
      return;
    default:
      return;
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// The first kExcerptWords words of `text`, single-spaced, cut to kExcerptCodePoints code
// points.
std::string Excerpt(const std::string& text) {
  std::string out;
  size_t words = 0;
  size_t i = 0;
  while (i < text.size() && words < kExcerptWords) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    if (i == text.size()) break;
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (!out.empty()) out += ' ';
    out.append(text, start, i - start);
    ++words;
  }
  size_t cut = 0;
  for (size_t points = 0; cut < out.size() && points < kExcerptCodePoints; ++points) {
    cut += SequenceLength(static_cast<unsigned char>(out[cut]));
  }
  out.resize(std::min(cut, out.size()));
  return out;
}

}  // namespace

AnchorResolver::AnchorResolver(crdt::Doc& draft) : draft_(draft) {
  // Only a draft that has the editor's fragment has anything to anchor to; asking for it on a
  // document without one would add an empty root, which changes nothing stored (this Doc is a
  // copy of the state).
  auto fragment = crdt::GetXmlFragment(draft_, kFragment);
  if (fragment.ok()) CollectTypes(*fragment, &types_);
  deleted_ = crdt::TakeSnapshot(draft_).ds;
  deleted_.SortAndMerge();
}

AnchorState AnchorResolver::Locate(const crdt::RelativePosition& rpos, std::string* why) {
  AnchorState state;
  if (rpos.tname) {
    *why = "points at the end of a whole document, not into the draft's text";
    return state;
  }
  if (!rpos.item && !rpos.type) {
    *why = "names no position";
    return state;
  }
  auto abs = crdt::CreateAbsolutePositionFromRelativePosition(rpos, draft_);
  if (!abs) {
    *why = "names nothing in the live draft";
    return state;
  }
  if (!types_.contains(abs->type.internal())) {
    *why = "is not in the draft's text";
    return state;
  }
  if (rpos.item && deleted_.IsDeleted(rpos.item->client, rpos.item->clock)) {
    *why = "names text that has been deleted from the draft";
    return state;
  }
  state.attached = true;
  std::string text;
  if (abs->type.kind() == SharedKind::kXmlText) {
    std::string all = crdt::Text(abs->type.internal()).ToString();
    text = all.substr(Utf16ToByteOffset(all, abs->index));
  } else {
    // Between blocks: the block that follows.
    auto child = crdt::XmlFragment(abs->type).Get(abs->index);
    if (child.ok() && child->kind == Value::Kind::kType) AppendText(child->type, &text);
  }
  state.excerpt = Excerpt(text);
  return state;
}

Result<crdt::RelativePosition> AnchorResolver::Parse(std::span<const uint8_t> bytes) {
  auto rpos = crdt::DecodeRelativePosition(bytes);
  if (!rpos.ok()) {
    return Status::InvalidArgument("is not a Yjs relative position (Y.encodeRelativePosition)");
  }
  std::string why;
  if (!Locate(*rpos, &why).attached) return Status::InvalidArgument(why);
  return rpos;
}

AnchorState AnchorResolver::Resolve(std::span<const uint8_t> bytes) {
  auto rpos = crdt::DecodeRelativePosition(bytes);
  if (!rpos.ok()) return {};
  std::string why;
  return Locate(*rpos, &why);
}

}  // namespace accord::drafting
