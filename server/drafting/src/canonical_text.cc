#include "accord/drafting/canonical_text.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accord/crdt/xml.h"
#include "canonical_model.h"

namespace accord::drafting {
namespace {

using internal::Block;
using internal::Line;
using internal::Link;
using internal::Marks;
using internal::Span;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// ---- Inline content: one line of spans with nested marks --------------------------------

enum class MarkKind { kLink, kStrong, kEm };  // also the order of marks opening together
constexpr std::array<MarkKind, 3> kMarkKinds = {MarkKind::kLink, MarkKind::kStrong, MarkKind::kEm};

// Whether `m` has the mark `kind` (for a link: the link `link`, or any link when null).
bool Carries(const Marks& m, MarkKind kind, const std::shared_ptr<const Link>& link) {
  switch (kind) {
    case MarkKind::kLink:
      return m.link && (!link || internal::SameLink(m.link, link));
    case MarkKind::kStrong:
      return m.strong;
    case MarkKind::kEm:
      return m.em;
  }
  return false;
}

// How the two syntaxes spell marks and text.
class InlineSyntax {
 public:
  virtual ~InlineSyntax() = default;
  virtual void Open(MarkKind kind, const Link* link, std::string& out) const = 0;
  virtual void Close(MarkKind kind, const Link* link, std::string& out) const = 0;
  virtual void Text(std::string_view text, bool at_line_start, std::string& out) const = 0;
};

// Writes a line. Marks already open stay open while they continue; marks that open at the same
// place nest by how far they reach (the longest outermost; equal reach: link, strong, em). When
// a mark ends while marks inside it continue, those are closed and opened again after it.
std::string RenderLine(const Line& line, const InlineSyntax& syntax) {
  std::string out;
  // run_end[k][i]: the index just past the run of spans from i carrying mark k (one pass from
  // the end, so long lines stay linear).
  std::array<std::vector<size_t>, 3> run_end;
  for (MarkKind kind : kMarkKinds) {
    auto& end = run_end[static_cast<size_t>(kind)];
    end.assign(line.size() + 1, line.size());
    for (size_t i = line.size(); i-- > 0;) {
      bool on = Carries(line[i].marks, kind, nullptr);
      bool continues =
          on && i + 1 < line.size() && Carries(line[i + 1].marks, kind, line[i].marks.link);
      end[i] = !on ? i : continues ? end[i + 1] : i + 1;
    }
  }
  std::vector<MarkKind> stack;
  std::shared_ptr<const Link> open_link;
  auto close_top = [&] {
    syntax.Close(stack.back(), open_link.get(), out);
    if (stack.back() == MarkKind::kLink) open_link.reset();
    stack.pop_back();
  };
  for (size_t i = 0; i < line.size(); ++i) {
    const Marks& want = line[i].marks;
    size_t keep = 0;
    while (keep < stack.size() && Carries(want, stack[keep], open_link)) ++keep;
    while (stack.size() > keep) close_top();
    std::vector<std::pair<size_t, MarkKind>> opening;  // (reach, kind)
    for (MarkKind kind : kMarkKinds) {
      if (!Carries(want, kind, nullptr)) continue;
      if (std::find(stack.begin(), stack.end(), kind) != stack.end()) continue;
      opening.emplace_back(run_end[static_cast<size_t>(kind)][i] - i, kind);
    }
    std::stable_sort(opening.begin(), opening.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (const auto& [reach, kind] : opening) {
      if (kind == MarkKind::kLink) open_link = want.link;
      syntax.Open(kind, kind == MarkKind::kLink ? open_link.get() : nullptr, out);
      stack.push_back(kind);
    }
    syntax.Text(line[i].text, out.empty(), out);
  }
  while (!stack.empty()) close_top();
  return out;
}

// ---- Markdown ---------------------------------------------------------------------------

// Whether `s` (just after an "&") would be read as an entity or character reference.
bool LooksLikeEntity(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '#') {
    ++i;
    bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    size_t from = i;
    while (i < s.size() && (hex ? IsHexDigit(s[i]) : IsDigit(s[i]))) ++i;
    return i > from && i - from <= (hex ? 6u : 7u) && i < s.size() && s[i] == ';';
  }
  if (i >= s.size() || IsDigit(s[i]) || !IsAlnum(s[i])) return false;
  while (i < s.size() && IsAlnum(s[i])) ++i;
  return i >= 2 && i <= 32 && i < s.size() && s[i] == ';';
}

class MarkdownSyntax : public InlineSyntax {
 public:
  void Open(MarkKind kind, const Link*, std::string& out) const override {
    if (kind == MarkKind::kLink) {
      // "![" would start an image.
      if (!out.empty() && out.back() == '!') out.insert(out.size() - 1, "\\");
      out += '[';
    } else {
      out += kind == MarkKind::kStrong ? "**" : "*";
    }
  }

  void Close(MarkKind kind, const Link* link, std::string& out) const override {
    if (kind != MarkKind::kLink) {
      out += kind == MarkKind::kStrong ? "**" : "*";
      return;
    }
    out += "](";
    Destination(link->href, out);
    if (link->title) {
      out += " \"";
      for (char c : *link->title) {
        if (c == '"' || c == '\\') out += '\\';
        out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
      }
      out += '"';
    }
    out += ')';
  }

  void Text(std::string_view text, bool at_line_start, std::string& out) const override {
    size_t i = 0;
    if (at_line_start && !text.empty()) {
      // What would start another block: headings, quotes, list items, setext underlines,
      // thematic breaks, fences. "2023. " needs its dot escaped, not its digits.
      size_t digits = 0;
      while (digits < text.size() && digits < 10 && IsDigit(text[digits])) ++digits;
      if (digits >= 1 && digits <= 9 && digits < text.size() &&
          (text[digits] == '.' || text[digits] == ')') &&
          (digits + 1 == text.size() || text[digits + 1] == ' ')) {
        out.append(text.substr(0, digits));
        out += '\\';
        i = digits;
      } else if (std::string_view("#>-+=~").find(text[0]) != std::string_view::npos) {
        out += '\\';
      }
    }
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (std::string_view("\\`*_[]<").find(c) != std::string_view::npos ||
          (c == '&' && LooksLikeEntity(text.substr(i + 1)))) {
        out += '\\';
      }
      out += c;
    }
  }

 private:
  // A link destination: bare, with "\", "(" and ")" escaped, unless it is empty or holds a
  // space, a control character, "<" or ">"; then in angle brackets with "<", ">" and "\"
  // escaped and control characters (line breaks included) written as spaces.
  static void Destination(std::string_view href, std::string& out) {
    bool bare = !href.empty();
    for (char c : href) {
      bare = bare && static_cast<unsigned char>(c) > 0x20 && c != 0x7F && c != '<' && c != '>';
    }
    if (!bare) out += '<';
    for (char c : href) {
      if (bare ? (c == '\\' || c == '(' || c == ')') : (c == '\\' || c == '<' || c == '>')) {
        out += '\\';
      }
      out += static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c;
    }
    if (!bare) out += '>';
  }
};

// A heading's closing sequence: a trailing run of "#" after a space (or alone) would be
// dropped by the parser, so its first "#" is escaped.
void EscapeClosingHashes(std::string& heading) {
  size_t run = heading.size();
  while (run > 0 && heading[run - 1] == '#') --run;
  if (run == heading.size()) return;
  if (run == 0 || heading[run - 1] == ' ') heading.insert(run, "\\");
}

void MarkdownBlocks(const std::vector<Block>& blocks, std::vector<std::string>& out);

// Appends `inner` to `out`, the first line after `first_prefix`, the others after `prefix`;
// blank lines stay blank (inside a quote they become `blank`).
void Prefixed(const std::vector<std::string>& inner, std::string_view first_prefix,
              std::string_view prefix, std::string_view blank, std::vector<std::string>& out) {
  for (size_t k = 0; k < inner.size(); ++k) {
    if (inner[k].empty()) {
      out.emplace_back(blank);
    } else {
      out.push_back(std::string(k == 0 ? first_prefix : prefix) + inner[k]);
    }
  }
}

void MarkdownBlock(const Block& b, bool alternate, std::vector<std::string>& out) {
  static const MarkdownSyntax kSyntax;
  switch (b.kind) {
    case Block::Kind::kParagraph:
      for (size_t k = 0; k < b.lines.size(); ++k) {
        out.push_back(RenderLine(b.lines[k], kSyntax));
        if (k + 1 < b.lines.size()) out.back() += '\\';  // hard break
      }
      return;
    case Block::Kind::kHeading: {
      std::string text = RenderLine(b.lines[0], kSyntax);
      EscapeClosingHashes(text);
      out.push_back(std::string(static_cast<size_t>(b.level), '#') + ' ' + text);
      return;
    }
    case Block::Kind::kQuote: {
      std::vector<std::string> inner;
      MarkdownBlocks(b.children, inner);
      Prefixed(inner, "> ", "> ", ">", out);
      return;
    }
    case Block::Kind::kOrderedList:
    case Block::Kind::kBulletList:
      for (size_t k = 0; k < b.items.size(); ++k) {
        if (k > 0) out.emplace_back();
        std::string marker =
            b.kind == Block::Kind::kBulletList
                ? (alternate ? "+ " : "- ")
                : std::to_string(b.start + static_cast<int64_t>(k)) + (alternate ? ") " : ". ");
        std::vector<std::string> inner;
        MarkdownBlocks(b.items[k], inner);
        if (inner.empty()) {
          out.push_back(marker);  // an empty item: the marker alone
        } else {
          Prefixed(inner, marker, std::string(marker.size(), ' '), "", out);
        }
      }
      return;
  }
}

// Blocks separated by one blank line. A list directly after a list of the same kind uses the
// other delimiter (")" for ".", "+" for "-"); CommonMark would otherwise join the two lists.
void MarkdownBlocks(const std::vector<Block>& blocks, std::vector<std::string>& out) {
  bool alternate = false;
  for (size_t k = 0; k < blocks.size(); ++k) {
    if (k > 0) out.emplace_back();
    bool is_list =
        blocks[k].kind == Block::Kind::kOrderedList || blocks[k].kind == Block::Kind::kBulletList;
    alternate = is_list && k > 0 && blocks[k - 1].kind == blocks[k].kind && !alternate;
    MarkdownBlock(blocks[k], alternate, out);
  }
}

// ---- HTML -------------------------------------------------------------------------------

void HtmlEscape(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

// Only these schemes become clickable links; any other href is shown as plain text.
bool IsSafeHref(std::string_view href) {
  std::string lower;
  for (size_t k = 0; k < href.size() && k < 8; ++k) {
    char c = href[k];
    lower += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("mailto:");
}

class HtmlSyntax : public InlineSyntax {
 public:
  void Open(MarkKind kind, const Link* link, std::string& out) const override {
    if (kind == MarkKind::kStrong) out += "<strong>";
    if (kind == MarkKind::kEm) out += "<em>";
    if (kind == MarkKind::kLink && IsSafeHref(link->href)) {
      out += "<a href=\"";
      HtmlEscape(link->href, out);
      if (link->title) {
        out += "\" title=\"";
        HtmlEscape(*link->title, out);
      }
      out += "\" rel=\"noopener noreferrer nofollow\">";
    }
  }
  void Close(MarkKind kind, const Link* link, std::string& out) const override {
    if (kind == MarkKind::kStrong) out += "</strong>";
    if (kind == MarkKind::kEm) out += "</em>";
    if (kind == MarkKind::kLink && IsSafeHref(link->href)) out += "</a>";
  }
  void Text(std::string_view text, bool, std::string& out) const override { HtmlEscape(text, out); }
};

void HtmlBlocks(const std::vector<Block>& blocks, std::vector<std::string>& out) {
  static const HtmlSyntax kSyntax;
  for (const Block& b : blocks) {
    switch (b.kind) {
      case Block::Kind::kParagraph: {
        std::string p = "<p>";
        for (size_t k = 0; k < b.lines.size(); ++k) {
          if (k > 0) {
            p += "<br>";
            out.push_back(std::move(p));
            p.clear();
          }
          p += RenderLine(b.lines[k], kSyntax);
        }
        out.push_back(p + "</p>");
        break;
      }
      case Block::Kind::kHeading: {
        std::string tag = "h" + std::to_string(b.level);
        out.push_back("<" + tag + ">" + RenderLine(b.lines[0], kSyntax) + "</" + tag + ">");
        break;
      }
      case Block::Kind::kQuote:
        out.emplace_back("<blockquote>");
        HtmlBlocks(b.children, out);
        out.emplace_back("</blockquote>");
        break;
      case Block::Kind::kOrderedList:
      case Block::Kind::kBulletList: {
        bool ordered = b.kind == Block::Kind::kOrderedList;
        out.push_back(!ordered       ? "<ul>"
                      : b.start == 1 ? "<ol>"
                                     : "<ol start=\"" + std::to_string(b.start) + "\">");
        for (const auto& item : b.items) {
          if (item.empty()) {
            out.emplace_back("<li></li>");
            continue;
          }
          out.emplace_back("<li>");
          HtmlBlocks(item, out);
          out.emplace_back("</li>");
        }
        out.emplace_back(ordered ? "</ol>" : "</ul>");
        break;
      }
    }
  }
}

std::string JoinLines(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) {
    text += line;
    text += '\n';
  }
  return text;
}

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  static const bool initialized = sodium_init() >= 0;
  (void)initialized;  // crypto_hash_sha256 works either way; init picks fast implementations
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : digest) {
    hex += kHex[b >> 4];
    hex += kHex[b & 0x0F];
  }
  return hex;
}

Result<Canonical> RenderCanonical(const crdt::Doc& doc) {
  std::vector<Block> blocks;
  auto names = doc.RootNames();
  if (std::find(names.begin(), names.end(), kFragmentName) != names.end()) {
    // Getting the root only fixes the kind of a root known from updates; no content changes.
    auto fragment = crdt::GetXmlFragment(const_cast<crdt::Doc&>(doc), kFragmentName);
    if (!fragment.ok()) return fragment.status();
    auto read = internal::ReadBlocks(*fragment);
    if (!read.ok()) return read.status();
    blocks = std::move(*read);
  }
  std::vector<std::string> md_lines, html_lines;
  MarkdownBlocks(blocks, md_lines);
  HtmlBlocks(blocks, html_lines);
  Canonical c;
  // Text runs are NFC already; markup next to a combining character could still compose.
  c.markdown = internal::Nfc(JoinLines(md_lines));
  c.html = internal::Nfc(JoinLines(html_lines));
  c.sha256_hex = Sha256Hex(c.markdown);
  return c;
}

Result<Canonical> RenderCanonicalUpdate(std::span<const uint8_t> update_v1) {
  crdt::Doc doc;
  if (Status s = doc.ApplyUpdate(update_v1); !s.ok()) return s;
  return RenderCanonical(doc);
}

}  // namespace accord::drafting
