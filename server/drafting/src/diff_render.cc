// DiffToJson, DiffToHtml and DiffCss: the two outward forms of a TextDiff (DIFF.md, "JSON" and
// "HTML").
#include <boost/json.hpp>

#include <string>

#include "accord/drafting/text_diff.h"
#include "diff_tokens.h"

namespace accord::drafting {
namespace {

std::string_view KindName(EntryKind kind) {
  switch (kind) {
    case EntryKind::kEqual:
      return "equal";
    case EntryKind::kChanged:
      return "changed";
    case EntryKind::kInserted:
      return "inserted";
    case EntryKind::kDeleted:
      return "deleted";
    case EntryKind::kMovedTo:
      return "moved_to";
    case EntryKind::kMovedFrom:
      return "moved_from";
  }
  return "equal";
}

std::string_view OpName(Span::Kind kind) {
  switch (kind) {
    case Span::Kind::kEqual:
      return "equal";
    case Span::Kind::kDelete:
      return "delete";
    case Span::Kind::kInsert:
      return "insert";
  }
  return "equal";
}

boost::json::value OptionalIndex(const std::optional<size_t>& index) {
  if (!index) return nullptr;
  return static_cast<uint64_t>(*index);
}

// Escapes text for HTML element content and attribute values; a line break inside a unit (a
// continuation line) becomes <br>.
void AppendEscaped(std::string* out, std::string_view text) {
  for (char c : internal::ValidUtf8(text)) {
    switch (c) {
      case '&':
        *out += "&amp;";
        break;
      case '<':
        *out += "&lt;";
        break;
      case '>':
        *out += "&gt;";
        break;
      case '"':
        *out += "&quot;";
        break;
      case '\'':
        *out += "&#39;";
        break;
      case '\n':
        *out += "<br>";
        break;
      default:
        *out += c;
    }
  }
}

// Insertions and deletions carry visible marks ({+ +}, [- -]) so they read in black and white
// and in plain-text copies; screen readers hear the words instead of the marks.
// `announce` is off where a unit label ("Inserted:") already says it.
void AppendIns(std::string* out, std::string_view text, bool announce = true) {
  *out += "<ins><span class=\"diff-mark\" aria-hidden=\"true\">{+</span>";
  if (announce) *out += "<span class=\"diff-sr\">inserted: </span>";
  AppendEscaped(out, text);
  *out += "<span class=\"diff-mark\" aria-hidden=\"true\">+}</span>";
  if (announce) *out += "<span class=\"diff-sr\"> (end of insertion)</span>";
  *out += "</ins>";
}

void AppendDel(std::string* out, std::string_view text, bool announce = true) {
  *out += "<del><span class=\"diff-mark\" aria-hidden=\"true\">[-</span>";
  if (announce) *out += "<span class=\"diff-sr\">deleted: </span>";
  AppendEscaped(out, text);
  *out += "<span class=\"diff-mark\" aria-hidden=\"true\">-]</span>";
  if (announce) *out += "<span class=\"diff-sr\"> (end of deletion)</span>";
  *out += "</del>";
}

void AppendLabel(std::string* out, std::string_view label) {
  *out += "<span class=\"diff-label\">";
  AppendEscaped(out, label);
  *out += "</span> ";
}

// "§n" counts units from 1 in the version at the other end of the move.
std::string MoveLabel(const Entry& entry) {
  if (entry.kind == EntryKind::kMovedTo) {
    return "Moved to §" + std::to_string(*entry.new_index + 1) + ":";
  }
  return "Moved from §" + std::to_string(*entry.old_index + 1) + ":";
}

void AppendMarker(std::string* out, std::string_view marker, bool old_side, bool changed) {
  if (marker.empty()) return;
  *out += "<span class=\"diff-marker\">";
  if (!changed) {
    AppendEscaped(out, marker);
  } else if (old_side) {
    AppendDel(out, marker);
  } else {
    AppendIns(out, marker);
  }
  *out += "</span>";
}

// An entry's text: equal spans plain, changes marked; the side-by-side view shows only one
// side's changes in each cell. Whole-unit entries are announced by their label instead.
void AppendSpans(std::string* out, const Entry& entry, bool show_delete, bool show_insert) {
  bool announce = entry.kind == EntryKind::kChanged || entry.kind == EntryKind::kMovedFrom;
  for (const Span& span : entry.spans) {
    if (span.kind == Span::Kind::kEqual) {
      AppendEscaped(out, span.text);
    } else if (span.kind == Span::Kind::kDelete && show_delete) {
      AppendDel(out, span.text, announce);
    } else if (span.kind == Span::Kind::kInsert && show_insert) {
      AppendIns(out, span.text, announce);
    }
  }
}

void AppendInlineEntry(std::string* out, const Entry& entry) {
  *out += "<div class=\"diff-unit diff-";
  *out += KindName(entry.kind);
  *out += "\">";
  switch (entry.kind) {
    case EntryKind::kEqual:
    case EntryKind::kChanged:
      if (entry.marker_changed) {
        AppendMarker(out, entry.old_marker, true, true);
        AppendMarker(out, entry.new_marker, false, true);
      } else {
        AppendMarker(out, entry.new_marker, false, false);
      }
      AppendSpans(out, entry, true, true);
      break;
    case EntryKind::kInserted:
      AppendLabel(out, "Inserted:");
      AppendMarker(out, entry.new_marker, false, false);
      AppendSpans(out, entry, true, true);
      break;
    case EntryKind::kDeleted:
      AppendLabel(out, "Deleted:");
      AppendMarker(out, entry.old_marker, true, false);
      AppendSpans(out, entry, true, true);
      break;
    case EntryKind::kMovedTo:
      AppendLabel(out, MoveLabel(entry));
      AppendMarker(out, entry.old_marker, true, false);
      AppendSpans(out, entry, true, true);
      break;
    case EntryKind::kMovedFrom:
      AppendLabel(out, MoveLabel(entry));
      if (entry.marker_changed) {
        AppendMarker(out, entry.old_marker, true, true);
        AppendMarker(out, entry.new_marker, false, true);
      } else {
        AppendMarker(out, entry.new_marker, false, false);
      }
      AppendSpans(out, entry, true, true);
      break;
  }
  *out += "</div>\n";
}

void AppendCell(std::string* out, const Entry& entry, bool old_side) {
  bool present = old_side ? entry.OnOldSide() : entry.OnNewSide();
  bool move = entry.kind == EntryKind::kMovedTo || entry.kind == EntryKind::kMovedFrom;
  if (!present) {
    *out += "<td class=\"diff-empty\">";
    if (move) {
      std::string label = MoveLabel(entry);
      label.pop_back();  // no colon: no text follows in this cell
      *out += "<span class=\"diff-label\">";
      AppendEscaped(out, label);
      *out += "</span>";
    }
    *out += "</td>";
    return;
  }
  *out += "<td>";
  if (entry.kind == EntryKind::kInserted) AppendLabel(out, "Inserted:");
  if (entry.kind == EntryKind::kDeleted) AppendLabel(out, "Deleted:");
  if (move) AppendLabel(out, MoveLabel(entry));
  // A moved unit's old position shows its text as it was, unmarked: the label says it left.
  bool marker_changed = entry.marker_changed && entry.kind != EntryKind::kMovedTo;
  AppendMarker(out, old_side ? entry.old_marker : entry.new_marker, old_side, marker_changed);
  if (entry.kind == EntryKind::kMovedTo) {
    AppendEscaped(out, entry.OldText());
  } else {
    AppendSpans(out, entry, old_side, !old_side);
  }
  *out += "</td>";
}

}  // namespace

std::string DiffToJson(const TextDiff& diff) {
  boost::json::object root;
  root["version"] = 1;
  const DiffStats& s = diff.stats;
  boost::json::object stats;
  stats["equal"] = s.equal;
  stats["changed"] = s.changed;
  stats["inserted"] = s.inserted;
  stats["deleted"] = s.deleted;
  stats["moved"] = s.moved;
  stats["markers_changed"] = s.markers_changed;
  stats["words_inserted"] = s.words_inserted;
  stats["words_deleted"] = s.words_deleted;
  stats["work"] = s.work;
  stats["bounded"] = s.bounded;
  root["stats"] = std::move(stats);
  boost::json::array entries;
  for (const Entry& entry : diff.entries) {
    boost::json::object e;
    e["kind"] = KindName(entry.kind);
    e["old_index"] = OptionalIndex(entry.old_index);
    e["new_index"] = OptionalIndex(entry.new_index);
    e["old_marker"] =
        entry.old_index ? boost::json::value(internal::ValidUtf8(entry.old_marker)) : nullptr;
    e["new_marker"] =
        entry.new_index ? boost::json::value(internal::ValidUtf8(entry.new_marker)) : nullptr;
    e["marker_changed"] = entry.marker_changed;
    e["counterpart"] = OptionalIndex(entry.counterpart);
    boost::json::array spans;
    for (const Span& span : entry.spans) {
      spans.push_back(
          boost::json::object{{"op", OpName(span.kind)}, {"text", internal::ValidUtf8(span.text)}});
    }
    e["spans"] = std::move(spans);
    entries.push_back(std::move(e));
  }
  root["entries"] = std::move(entries);
  return boost::json::serialize(root);
}

std::string DiffToHtml(const TextDiff& diff, DiffLayout layout) {
  std::string out;
  if (layout == DiffLayout::kInline) {
    out += "<div class=\"accord-diff accord-diff-inline\">\n";
    for (const Entry& entry : diff.entries) AppendInlineEntry(&out, entry);
    out += "</div>\n";
    return out;
  }
  out +=
      "<table class=\"accord-diff accord-diff-side\">\n<thead><tr><th scope=\"col\">Old "
      "version</th><th scope=\"col\">New version</th></tr></thead>\n<tbody>\n";
  for (const Entry& entry : diff.entries) {
    out += "<tr class=\"diff-";
    out += KindName(entry.kind);
    out += "\">";
    AppendCell(&out, entry, true);
    AppendCell(&out, entry, false);
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  return out;
}

std::string_view DiffCss() {
  return ".accord-diff ins{text-decoration:underline}\n"
         ".accord-diff del{text-decoration:line-through}\n"
         ".accord-diff .diff-mark{font-weight:bold}\n"
         ".accord-diff .diff-label{font-style:italic;font-weight:bold}\n"
         ".accord-diff .diff-sr{position:absolute;width:1px;height:1px;overflow:hidden;"
         "clip:rect(0 0 0 0);white-space:nowrap}\n"
         ".accord-diff .diff-unit{margin:0 0 1em}\n"
         ".accord-diff-side{border-collapse:collapse;width:100%}\n"
         ".accord-diff-side td,.accord-diff-side th{border:1px solid;padding:.25em .5em;"
         "vertical-align:top;width:50%;text-align:left}\n";
}

}  // namespace accord::drafting
