#include "canonical_model.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <map>
#include <utility>

namespace accord::drafting::internal {
namespace {

using crdt::Any;
using crdt::SharedKind;
using crdt::Value;

// One item of inline content before it is cut into lines.
struct Inline {
  bool is_break = false;
  std::string text;
  Marks marks;
};

// Decodes the code point at `s[i]` (valid UTF-8 assumed, as the CRDT stores it) and advances i.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  char32_t cp = len == 1 ? b : len == 2 ? b & 0x1F : len == 3 ? b & 0x0F : b & 0x07;
  for (int k = 1; k < len && i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  i += len;
  return cp;
}

// "White space" in CANONICAL.md: what JavaScript's String.prototype.trim removes (the importer's
// Markdown parser trims block content with it). It includes all of CommonMark's Unicode white
// space, which decides whether an emphasis delimiter can open or close.
bool IsWhiteSpace(char32_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x20 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

// Appends `text` to `out` as inline items: CR LF, CR, LF, U+2028 and U+2029 become hard breaks
// (the editor shows them as line breaks), a tab becomes a space, other C0/C1 controls and DEL
// are dropped.
void AppendText(std::string_view text, const Marks& marks, std::vector<Inline>& out) {
  std::string run;
  auto flush = [&] {
    if (!run.empty()) out.push_back({false, std::move(run), marks});
    run.clear();
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t from = i;
    char32_t c = NextCodePoint(text, i);
    if (c == '\r' && i < text.size() && text[i] == '\n') ++i;
    if (c == '\r' || c == '\n' || c == 0x2028 || c == 0x2029) {
      flush();
      out.push_back({true, {}, {}});
    } else if (c == '\t') {
      run += ' ';
    } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      // dropped
    } else {
      run.append(text.substr(from, i - from));
    }
  }
  flush();
}

// A mark name as y-prosemirror stores it: "name", or "name--<8 hash chars>" for marks that may
// overlap themselves.
std::string_view MarkName(std::string_view key) {
  if (key.size() > 10 && key.substr(key.size() - 10, 2) == "--") {
    bool hash = true;
    for (char c : key.substr(key.size() - 8)) {
      hash = hash && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '+' || c == '/' || c == '=');
    }
    if (hash) return key.substr(0, key.size() - 10);
  }
  return key;
}

// Marks from a text run's formatting attributes. `links` maps stored link values (the text
// runs under one link share the value) to the Link read from them.
Marks ReadMarks(const crdt::TextAttributes& attributes,
                std::map<const void*, std::shared_ptr<const Link>>& links) {
  Marks marks;
  for (const auto& [key, value] : attributes) {
    if (value.is_null() || value.is_undefined()) continue;
    std::string_view name = MarkName(key);
    if (name == "strong") marks.strong = true;
    if (name == "em") marks.em = true;
    if (name == "link" && value.is_object()) {
      const void* key = &value.as_object();
      if (auto it = links.find(key); it != links.end()) {
        marks.link = it->second;
        continue;
      }
      const Any* href = value.Find("href");
      const Any* title = value.Find("title");
      if (href && href->is_string()) {
        Link link{href->as_string(), std::nullopt};
        if (title && title->is_string() && !title->as_string().empty()) {
          link.title = title->as_string();
        }
        marks.link = std::make_shared<const Link>(std::move(link));
      }
      links[key] = marks.link;
    }
  }
  return marks;
}

// An integer attribute: a number, or a string of 1..9 decimal digits.
std::optional<int64_t> IntAttribute(const crdt::XmlElement& el, std::string_view name) {
  auto v = el.GetAttribute(name);
  if (!v || v->kind != Value::Kind::kAny) return std::nullopt;
  const Any& a = v->any;
  if (a.is_number()) {
    double d = a.as_number();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 1e15) return std::nullopt;
    return static_cast<int64_t>(d);
  }
  if (a.is_string()) {
    const std::string& s = a.as_string();
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::strtoll(s.c_str(), nullptr, 10);
  }
  return std::nullopt;
}

class Reader {
 public:
  Status Blocks(const std::vector<Value>& children, int depth, std::vector<Block>& out);

 private:
  Status InlineOf(const Value& child, int depth, std::vector<Inline>& out);
  Status Element(const crdt::XmlElement& el, int depth, std::vector<Block>& out);
  static void Flush(std::vector<Inline>& pending, std::vector<Block>& out);
  // Keeps the attribute values alive so that their addresses stay unique keys.
  std::vector<crdt::DeltaInsert> deltas_;
  std::map<const void*, std::shared_ptr<const Link>> links_;
};

Status TooDeep() {
  return Status::ResourceExhausted("document nested deeper than " + std::to_string(kMaxDepth) +
                                   " levels");
}

bool IsInlineChild(const Value& v) {
  if (v.kind == Value::Kind::kAny) return true;
  if (v.kind != Value::Kind::kType) return false;
  SharedKind k = v.type.kind();
  if (k == SharedKind::kXmlText || k == SharedKind::kText) return true;
  return k == SharedKind::kXmlElement && crdt::XmlElement(v.type).NodeName() == "hard_break";
}

// Inline content: text with marks, hard breaks; any other element is unwrapped in place, set
// off from its neighbours by hard breaks so that no two words run together.
// `depth` is the level `child` sits at (the root's children are level 1).
Status Reader::InlineOf(const Value& child, int depth, std::vector<Inline>& out) {
  if (child.kind == Value::Kind::kAny) {
    if (child.any.is_string()) AppendText(child.any.as_string(), {}, out);
    return Status::Ok();
  }
  if (child.kind != Value::Kind::kType) return Status::Ok();
  SharedKind kind = child.type.kind();
  if (kind == SharedKind::kXmlText || kind == SharedKind::kText) {
    // Text sits one level below its element; types embedded in text count as levels too.
    if (depth > kMaxDepth + 1) return TooDeep();
    std::vector<crdt::DeltaInsert> delta = crdt::Text(child.type.internal()).ToDelta();
    for (const auto& d : delta) {
      if (d.kind == crdt::DeltaInsert::Kind::kString) {
        AppendText(d.text, ReadMarks(d.attributes, links_), out);
      } else if (d.kind == crdt::DeltaInsert::Kind::kEmbed && d.embed.is_string()) {
        AppendText(d.embed.as_string(), ReadMarks(d.attributes, links_), out);
      } else if (d.kind == crdt::DeltaInsert::Kind::kType) {
        Value nested;
        nested.kind = Value::Kind::kType;
        nested.type = d.type;
        if (Status s = InlineOf(nested, depth + 1, out); !s.ok()) return s;
      }
    }
    std::move(delta.begin(), delta.end(), std::back_inserter(deltas_));
    return Status::Ok();
  }
  if (kind != SharedKind::kXmlElement) return Status::Ok();  // hooks, maps, arrays: no text
  if (depth > kMaxDepth) return TooDeep();
  crdt::XmlElement el(child.type);
  if (el.NodeName() == "hard_break") {
    out.push_back({true, {}, {}});
    return Status::Ok();
  }
  auto soft_break = [&] {
    if (!out.empty() && !out.back().is_break) out.push_back({true, {}, {}});
  };
  soft_break();
  for (const Value& v : el.Children()) {
    if (Status s = InlineOf(v, depth + 1, out); !s.ok()) return s;
  }
  soft_break();
  return Status::Ok();
}

Marks Intersect(const Marks& a, const Marks& b) {
  Marks m;
  m.strong = a.strong && b.strong;
  m.em = a.em && b.em;
  if (SameLink(a.link, b.link)) m.link = a.link;
  return m;
}

// Turns one line's spans into canonical form: text in NFC, white space trimmed at both ends,
// each run of inner white space given only the marks it and its neighbours on both sides all
// share (so no mark opens or closes next to white space), adjacent runs with equal marks merged.
Line CanonicalLine(const Line& raw) {
  struct Piece {
    std::string text;
    Marks marks;
    bool space = false;
  };
  std::vector<Piece> pieces;
  for (const Span& span : raw) {
    std::string text = Nfc(span.text);
    bool fresh = pieces.empty() || !(pieces.back().marks == span.marks);
    size_t i = 0;
    while (i < text.size()) {
      size_t from = i;
      bool space = IsWhiteSpace(NextCodePoint(text, i));
      if (fresh || pieces.back().space != space) pieces.push_back({{}, span.marks, space});
      fresh = false;
      pieces.back().text.append(text, from, i - from);
    }
  }
  while (!pieces.empty() && pieces.back().space) pieces.pop_back();
  size_t first = 0;
  while (first < pieces.size() && pieces[first].space) ++first;
  // A run of white space (possibly several pieces) keeps only the marks that all its pieces and
  // the words on both sides share, the same for the whole run.
  for (size_t k = first; k < pieces.size();) {
    if (!pieces[k].space) {
      ++k;
      continue;
    }
    size_t end = k;
    Marks shared = Intersect(pieces[k - 1].marks, pieces[k].marks);  // trimmed: k > first
    while (pieces[end].space) shared = Intersect(shared, pieces[end++].marks);
    shared = Intersect(shared, pieces[end].marks);
    for (; k < end; ++k) pieces[k].marks = shared;
  }
  Line line;
  for (size_t k = first; k < pieces.size(); ++k) {
    if (!line.empty() && line.back().marks == pieces[k].marks) {
      line.back().text += pieces[k].text;
    } else {
      line.push_back({std::move(pieces[k].text), pieces[k].marks});
    }
  }
  return line;
}

// Cuts inline items into canonical lines at the hard breaks. Empty lines at the start and end
// are dropped (a break there shows nothing); inner ones stay (consecutive breaks).
std::vector<Line> MakeLines(const std::vector<Inline>& items) {
  std::vector<Line> lines(1);
  for (const Inline& item : items) {
    if (item.is_break) {
      lines.emplace_back();
    } else if (!lines.back().empty() && lines.back().back().marks == item.marks) {
      lines.back().back().text += item.text;
    } else {
      lines.back().push_back({item.text, item.marks});
    }
  }
  for (Line& line : lines) line = CanonicalLine(line);
  size_t begin = 0, end = lines.size();
  while (begin < end && lines[begin].empty()) ++begin;
  while (end > begin && lines[end - 1].empty()) --end;
  return std::vector<Line>(lines.begin() + begin, lines.begin() + end);
}

void Reader::Flush(std::vector<Inline>& pending, std::vector<Block>& out) {
  if (pending.empty()) return;
  Block p;
  p.lines = MakeLines(pending);
  pending.clear();
  if (!p.lines.empty()) out.push_back(std::move(p));
}

// Block content. Consecutive inline children (stray text, hard breaks) form a paragraph; an
// element the schema does not know is unwrapped: its children are read as blocks in its place.
Status Reader::Blocks(const std::vector<Value>& children, int depth, std::vector<Block>& out) {
  std::vector<Inline> pending;
  for (const Value& child : children) {
    if (IsInlineChild(child)) {
      if (Status s = InlineOf(child, depth, pending); !s.ok()) return s;
      continue;
    }
    Flush(pending, out);
    if (child.kind == Value::Kind::kType && child.type.kind() == SharedKind::kXmlElement) {
      if (Status s = Element(crdt::XmlElement(child.type), depth, out); !s.ok()) return s;
    }
  }
  Flush(pending, out);
  return Status::Ok();
}

Status Reader::Element(const crdt::XmlElement& el, int depth, std::vector<Block>& out) {
  if (depth > kMaxDepth) return TooDeep();
  std::string name = el.NodeName();
  std::vector<Value> children = el.Children();
  if (name == "paragraph" || name == "heading") {
    std::vector<Inline> items;
    for (const Value& v : children) {
      if (Status s = InlineOf(v, depth + 1, items); !s.ok()) return s;
    }
    Block b;
    if (name == "heading") {
      // A heading is one line: its breaks read as spaces.
      for (Inline& item : items) {
        if (item.is_break) item = {false, " ", {}};
      }
      b.kind = Block::Kind::kHeading;
      b.level = static_cast<int>(std::clamp<int64_t>(IntAttribute(el, "level").value_or(1), 1, 3));
    }
    b.lines = MakeLines(items);
    if (!b.lines.empty()) out.push_back(std::move(b));
    return Status::Ok();
  }
  if (name == "blockquote") {
    Block q;
    q.kind = Block::Kind::kQuote;
    if (Status s = Blocks(children, depth + 1, q.children); !s.ok()) return s;
    if (!q.children.empty()) out.push_back(std::move(q));
    return Status::Ok();
  }
  if (name == "ordered_list" || name == "bullet_list") {
    Block list;
    list.kind = name == "ordered_list" ? Block::Kind::kOrderedList : Block::Kind::kBulletList;
    for (const Value& v : children) {
      std::vector<Block> item;
      bool is_item = v.kind == Value::Kind::kType && v.type.kind() == SharedKind::kXmlElement &&
                     crdt::XmlElement(v.type).NodeName() == "list_item";
      // Anything else directly in a list is read as the content of an item of its own.
      if (is_item && depth + 1 > kMaxDepth) return TooDeep();
      Status s = is_item ? Blocks(crdt::XmlElement(v.type).Children(), depth + 2, item)
                         : Blocks({v}, depth + 1, item);
      if (!s.ok()) return s;
      list.items.push_back(std::move(item));
    }
    if (list.items.empty()) return Status::Ok();
    // Item numbers are written with at most 9 digits (CommonMark's limit); an order that is
    // missing, negative, not an integer or would need more is read as 1.
    int64_t count = static_cast<int64_t>(list.items.size());
    int64_t order = IntAttribute(el, "order").value_or(1);
    list.start = order >= 0 && order + count - 1 <= 999999999 ? order : 1;
    out.push_back(std::move(list));
    return Status::Ok();
  }
  // list_item outside a list, doc, or a name this schema does not have.
  return Blocks(children, depth + 1, out);
}

}  // namespace

std::string Nfc(std::string_view text) {
  bool ascii = true;
  for (char c : text) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(text);
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return std::string(text);
  std::string result(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return result;
}

Result<std::vector<Block>> ReadBlocks(const crdt::XmlFragment& fragment) {
  std::vector<Block> blocks;
  Reader reader;
  if (Status s = reader.Blocks(fragment.Children(), 1, blocks); !s.ok()) return s;
  return blocks;
}

}  // namespace accord::drafting::internal
