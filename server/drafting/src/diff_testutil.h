// diff_testutil.h: helpers shared by the diff tests — spans written in the wdiff notation
// ("kept [-old-]{+new+}") so expectations read like the diff itself, and the consistency
// checks every diff must pass.
#ifndef ACCORD_DRAFTING_DIFF_TESTUTIL_H_
#define ACCORD_DRAFTING_DIFF_TESTUTIL_H_

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "accord/drafting/text_diff.h"
#include "accord/drafting/units.h"

namespace accord::drafting::testing {

inline std::string Wdiff(const std::vector<Span>& spans) {
  std::string out;
  for (const Span& span : spans) {
    switch (span.kind) {
      case Span::Kind::kEqual:
        out += span.text;
        break;
      case Span::Kind::kDelete:
        out += "[-" + span.text + "-]";
        break;
      case Span::Kind::kInsert:
        out += "{+" + span.text + "+}";
        break;
    }
  }
  return out;
}

inline std::string Side(const std::vector<Span>& spans, Span::Kind skip) {
  std::string out;
  for (const Span& span : spans) {
    if (span.kind != skip) out += span.text;
  }
  return out;
}

// One line per entry: kind, old>new unit indices, a marker change, the spans in wdiff form.
inline std::string Describe(const Entry& entry) {
  static const std::map<EntryKind, std::string> kNames = {
      {EntryKind::kEqual, "equal"},       {EntryKind::kChanged, "changed"},
      {EntryKind::kInserted, "inserted"}, {EntryKind::kDeleted, "deleted"},
      {EntryKind::kMovedTo, "moved_to"},  {EntryKind::kMovedFrom, "moved_from"}};
  auto index = [](const std::optional<size_t>& i) {
    return i ? std::to_string(*i) : std::string("-");
  };
  std::string line =
      kNames.at(entry.kind) + " " + index(entry.old_index) + ">" + index(entry.new_index);
  if (entry.marker_changed) line += " '" + entry.old_marker + "'>'" + entry.new_marker + "'";
  return line + ": " + Wdiff(entry.spans);
}

// The properties every diff has, whatever the input: old-side entries give the old units in
// order and new-side entries the new ones; moves point at each other; stats count entries.
inline void ExpectConsistent(std::string_view old_text, std::string_view new_text,
                             const TextDiff& diff) {
  std::vector<Unit> old_units = SplitUnits(old_text);
  std::vector<Unit> new_units = SplitUnits(new_text);
  size_t next_old = 0, next_new = 0;
  std::map<EntryKind, size_t> kinds;
  for (size_t e = 0; e < diff.entries.size(); ++e) {
    const Entry& entry = diff.entries[e];
    SCOPED_TRACE("entry " + std::to_string(e) + ": " + Describe(entry));
    ++kinds[entry.kind];
    for (size_t k = 0; k < entry.spans.size(); ++k) {
      EXPECT_FALSE(entry.spans[k].text.empty());
      if (k > 0) {
        EXPECT_NE(entry.spans[k - 1].kind, entry.spans[k].kind);
      }
    }
    if (entry.OnOldSide()) {
      ASSERT_EQ(entry.old_index, next_old);
      ASSERT_LT(next_old, old_units.size());
      EXPECT_EQ(entry.OldText(), old_units[next_old].text);
      EXPECT_EQ(entry.old_marker, old_units[next_old].marker);
      ++next_old;
    }
    if (entry.OnNewSide()) {
      ASSERT_EQ(entry.new_index, next_new);
      ASSERT_LT(next_new, new_units.size());
      EXPECT_EQ(entry.NewText(), new_units[next_new].text);
      EXPECT_EQ(entry.new_marker, new_units[next_new].marker);
      ++next_new;
    }
    if (entry.kind == EntryKind::kMovedTo || entry.kind == EntryKind::kMovedFrom) {
      ASSERT_TRUE(entry.counterpart);
      const Entry& other = diff.entries.at(*entry.counterpart);
      EXPECT_EQ(other.counterpart, e);
      EXPECT_EQ(other.old_index, entry.old_index);
      EXPECT_EQ(other.new_index, entry.new_index);
      EXPECT_NE(other.kind, entry.kind);
      if (entry.kind == EntryKind::kMovedFrom) {
        EXPECT_EQ(entry.OldText(), old_units[*entry.old_index].text);
      }
    } else {
      EXPECT_FALSE(entry.counterpart);
    }
  }
  EXPECT_EQ(next_old, old_units.size());
  EXPECT_EQ(next_new, new_units.size());
  EXPECT_EQ(diff.stats.equal, kinds[EntryKind::kEqual]);
  EXPECT_EQ(diff.stats.changed, kinds[EntryKind::kChanged]);
  EXPECT_EQ(diff.stats.inserted, kinds[EntryKind::kInserted]);
  EXPECT_EQ(diff.stats.deleted, kinds[EntryKind::kDeleted]);
  EXPECT_EQ(diff.stats.moved, kinds[EntryKind::kMovedFrom]);
  EXPECT_EQ(diff.stats.moved, kinds[EntryKind::kMovedTo]);
}

}  // namespace accord::drafting::testing

#endif  // ACCORD_DRAFTING_DIFF_TESTUTIL_H_
