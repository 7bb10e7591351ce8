#include "accord/drafting/text_diff.h"

#include <algorithm>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "accord/drafting/units.h"
#include "diff_tokens.h"
#include "myers.h"
#include "word_diff.h"

namespace accord::drafting {

std::string Entry::OldText() const {
  std::string text;
  for (const Span& span : spans) {
    if (span.kind != Span::Kind::kInsert) text += span.text;
  }
  return text;
}

std::string Entry::NewText() const {
  std::string text;
  for (const Span& span : spans) {
    if (span.kind != Span::Kind::kDelete) text += span.text;
  }
  return text;
}

namespace {

using internal::EditRun;

constexpr size_t kNone = SIZE_MAX;

// What became of a unit of one side: kept (equal or changed in place, `partner` on the other
// side), moved (to or from `partner`), or only on this side.
enum class Role { kAlone, kPaired, kMoved };

struct SideState {
  std::vector<Unit> units;
  std::vector<uint32_t> ids;  // equal ids <=> equal texts
  std::vector<std::optional<std::vector<uint64_t>>> bags;
  std::vector<Role> role;
  std::vector<size_t> partner;
};

// A similarity budget: each comparison costs 1 + the two bag sizes; once a comparison does not
// fit, every later one reports "not similar" without cost.
struct Budget {
  uint64_t left;
  uint64_t spent = 0;
  bool exhausted = false;
};

class Differ {
 public:
  Differ(std::string_view old_text, std::string_view new_text, const DiffLimits& limits)
      : limits_(limits) {
    Load(&old_, old_text);
    Load(&new_, new_text);
    std::unordered_map<std::string_view, uint32_t> ids;
    for (SideState* side : {&old_, &new_}) {
      for (const Unit& unit : side->units) {
        side->ids.push_back(
            ids.emplace(unit.text, static_cast<uint32_t>(ids.size())).first->second);
      }
    }
  }

  TextDiff Compute() {
    Align();
    PairGaps();
    FindMoves();
    BuildEntries();
    diff_.stats.work = work_;
    return std::move(diff_);
  }

 private:
  static void Load(SideState* side, std::string_view text) {
    side->units = SplitUnits(text);
    size_t n = side->units.size();
    side->bags.resize(n);
    side->role.assign(n, Role::kAlone);
    side->partner.assign(n, kNone);
  }

  const std::vector<uint64_t>& Bag(SideState* side, size_t index) {
    auto& bag = side->bags[index];
    if (!bag) bag = internal::WordBag(side->units[index].text);
    return *bag;
  }

  // Dice similarity of old unit i and new unit j, or 0 when it is below `threshold` or the
  // budget is spent. The size bound 2·min/(|A|+|B|) rules pairs out for one step.
  double Similarity(size_t i, size_t j, double threshold, Budget* budget) {
    if (budget->exhausted) return 0.0;
    const auto& a = Bag(&old_, i);
    const auto& b = Bag(&new_, j);
    uint64_t cost = 1;
    double bound = a.empty() && b.empty()
                       ? 0.0
                       : 2.0 * static_cast<double>(std::min(a.size(), b.size())) /
                             static_cast<double>(a.size() + b.size());
    if (bound >= threshold) cost += a.size() + b.size();
    if (cost > budget->left) {
      budget->exhausted = true;
      diff_.stats.bounded = true;
      return 0.0;
    }
    budget->left -= cost;
    budget->spent += cost;
    work_ += cost;
    if (bound < threshold) return 0.0;
    double dice = internal::Dice(a, b);
    return dice >= threshold ? dice : 0.0;
  }

  void Pair(size_t i, size_t j, Role role) {
    old_.role[i] = new_.role[j] = role;
    old_.partner[i] = j;
    new_.partner[j] = i;
  }

  // Units with equal text, aligned in order (Myers, anchored fallback within the budget).
  void Align() {
    internal::SequenceDiff seq = internal::DiffSequences(old_.ids, new_.ids, limits_.align_work);
    work_ += seq.work;
    if (seq.bounded) diff_.stats.bounded = true;
    size_t i = 0, j = 0;
    for (const EditRun& run : seq.runs) {
      if (run.kind == EditRun::Kind::kEqual) {
        for (size_t k = 0; k < run.len; ++k) Pair(i + k, j + k, Role::kPaired);
      }
      if (run.kind != EditRun::Kind::kInsert) i += run.len;
      if (run.kind != EditRun::Kind::kDelete) j += run.len;
    }
  }

  // In each gap between aligned units, pairs deleted with inserted units that share enough
  // words, keeping their order: exact (maximum total similarity) for small gaps, a greedy
  // window for large ones.
  void PairGaps() {
    Budget budget{limits_.pair_work};
    size_t i = 0, j = 0;
    const size_t n = old_.units.size(), m = new_.units.size();
    while (i < n || j < m) {
      size_t gi = i, gj = j;
      while (i < n && old_.role[i] == Role::kAlone) ++i;
      while (j < m && new_.role[j] == Role::kAlone) ++j;
      PairGap(gi, i, gj, j, &budget);
      ++i;  // past the aligned pair that ends the gap (or past the end)
      ++j;
    }
  }

  void PairGap(size_t i0, size_t i1, size_t j0, size_t j1, Budget* budget) {
    const size_t p = i1 - i0, q = j1 - j0;
    if (p == 0 || q == 0) return;
    const double threshold = limits_.pair_similarity;
    if (p * q <= limits_.pair_full_cells) {
      // score[i][j]: best total similarity pairing the first i deleted with the first j
      // inserted; step[i][j] says which move achieved it (0 skip deleted, 1 skip inserted,
      // 2 pair them).
      std::vector<double> score((p + 1) * (q + 1), 0.0);
      std::vector<uint8_t> step((p + 1) * (q + 1), 0);
      auto at = [q](size_t a, size_t b) { return a * (q + 1) + b; };
      for (size_t a = 0; a <= p; ++a) {
        for (size_t b = 0; b <= q; ++b) {
          if (a == 0 && b == 0) continue;
          double best = -1.0;
          if (a > 0) {
            best = score[at(a - 1, b)];
            step[at(a, b)] = 0;
          }
          if (b > 0 && score[at(a, b - 1)] > best) {
            best = score[at(a, b - 1)];
            step[at(a, b)] = 1;
          }
          if (a > 0 && b > 0) {
            double s = Similarity(i0 + a - 1, j0 + b - 1, threshold, budget);
            if (s > 0.0 && score[at(a - 1, b - 1)] + s > best) {
              best = score[at(a - 1, b - 1)] + s;
              step[at(a, b)] = 2;
            }
          }
          score[at(a, b)] = best;
        }
      }
      size_t a = p, b = q;
      while (a > 0 && b > 0) {
        uint8_t s = step[at(a, b)];
        if (s == 2) Pair(i0 + a - 1, j0 + b - 1, Role::kPaired);
        if (s != 1) --a;
        if (s != 0) --b;
      }
      return;
    }
    size_t next = j0;
    for (size_t i = i0; i < i1 && next < j1 && !budget->exhausted; ++i) {
      size_t best_j = kNone;
      double best = 0.0;
      size_t end = std::min(j1, next + limits_.pair_window);
      for (size_t j = next; j < end; ++j) {
        double s = Similarity(i, j, threshold, budget);
        if (s > best) {
          best = s;
          best_j = j;
        }
      }
      if (best_j != kNone) {
        Pair(i, best_j, Role::kPaired);
        next = best_j + 1;
      }
    }
  }

  // Left-over deleted units whose text reappears among left-over inserted units moved there:
  // identical text first (in order), then, each deleted unit in order, the most similar
  // inserted unit not yet taken if at least move_similarity.
  void FindMoves() {
    std::unordered_map<uint32_t, std::deque<size_t>> inserted_by_id;
    for (size_t j = 0; j < new_.units.size(); ++j) {
      if (new_.role[j] == Role::kAlone) inserted_by_id[new_.ids[j]].push_back(j);
    }
    for (size_t i = 0; i < old_.units.size(); ++i) {
      if (old_.role[i] != Role::kAlone) continue;
      auto it = inserted_by_id.find(old_.ids[i]);
      if (it == inserted_by_id.end() || it->second.empty()) continue;
      Pair(i, it->second.front(), Role::kMoved);
      it->second.pop_front();
    }
    std::vector<size_t> inserted;
    for (size_t j = 0; j < new_.units.size(); ++j) {
      if (new_.role[j] == Role::kAlone) inserted.push_back(j);
    }
    Budget budget{limits_.move_work};
    for (size_t i = 0; i < old_.units.size() && !budget.exhausted && !inserted.empty(); ++i) {
      if (old_.role[i] != Role::kAlone) continue;
      size_t best_k = kNone;
      double best = 0.0;
      for (size_t k = 0; k < inserted.size(); ++k) {
        double s = Similarity(i, inserted[k], limits_.move_similarity, &budget);
        if (s > best) {
          best = s;
          best_k = k;
        }
      }
      if (best_k != kNone) {
        Pair(i, inserted[best_k], Role::kMoved);
        inserted.erase(inserted.begin() + static_cast<ptrdiff_t>(best_k));
      }
    }
  }

  internal::WordDiffResult Words(std::string_view a, std::string_view b) {
    uint64_t budget = std::min(limits_.word_work_per_unit, limits_.word_work - word_spent_);
    internal::WordDiffResult words = internal::WordDiff(a, b, budget);
    word_spent_ += words.work;
    work_ += words.work;
    if (words.bounded) diff_.stats.bounded = true;
    return words;
  }

  static void AddSpan(Entry* entry, Span::Kind kind, const std::string& text) {
    if (!text.empty()) entry->spans.push_back({kind, text});
  }

  void Emit(Entry entry) { diff_.entries.push_back(std::move(entry)); }

  void EmitOldOnly(size_t i) {
    Entry entry;
    entry.old_index = i;
    entry.old_marker = old_.units[i].marker;
    AddSpan(&entry, Span::Kind::kDelete, old_.units[i].text);
    if (old_.role[i] == Role::kMoved) {
      entry.kind = EntryKind::kMovedTo;
      entry.new_index = old_.partner[i];
      entry.new_marker = new_.units[old_.partner[i]].marker;
      entry.marker_changed = entry.old_marker != entry.new_marker;
      moved_to_entry_[i] = diff_.entries.size();
    } else {
      entry.kind = EntryKind::kDeleted;
      ++diff_.stats.deleted;
    }
    Emit(std::move(entry));
  }

  void EmitNewOnly(size_t j) {
    Entry entry;
    entry.new_index = j;
    entry.new_marker = new_.units[j].marker;
    if (new_.role[j] == Role::kMoved) {
      size_t i = new_.partner[j];
      entry.kind = EntryKind::kMovedFrom;
      entry.old_index = i;
      entry.old_marker = old_.units[i].marker;
      entry.marker_changed = entry.old_marker != entry.new_marker;
      if (old_.ids[i] == new_.ids[j]) {
        AddSpan(&entry, Span::Kind::kEqual, new_.units[j].text);
      } else {
        entry.spans = Words(old_.units[i].text, new_.units[j].text).spans;
      }
      ++diff_.stats.moved;
      if (entry.marker_changed) ++diff_.stats.markers_changed;
    } else {
      entry.kind = EntryKind::kInserted;
      AddSpan(&entry, Span::Kind::kInsert, new_.units[j].text);
      ++diff_.stats.inserted;
    }
    Emit(std::move(entry));
  }

  void EmitPaired(size_t i, size_t j) {
    Entry entry;
    entry.old_index = i;
    entry.new_index = j;
    entry.old_marker = old_.units[i].marker;
    entry.new_marker = new_.units[j].marker;
    entry.marker_changed = entry.old_marker != entry.new_marker;
    if (entry.marker_changed) ++diff_.stats.markers_changed;
    if (old_.ids[i] == new_.ids[j]) {
      entry.kind = EntryKind::kEqual;
      AddSpan(&entry, Span::Kind::kEqual, new_.units[j].text);
      ++diff_.stats.equal;
    } else {
      entry.kind = EntryKind::kChanged;
      entry.spans = Words(old_.units[i].text, new_.units[j].text).spans;
      ++diff_.stats.changed;
    }
    Emit(std::move(entry));
  }

  // New-document order; at each point old-only units (deleted, moved away) come first, then
  // new-only ones, then the next unit both sides share. Pairs never cross, so the two cursors
  // meet at each shared unit.
  void BuildEntries() {
    const size_t n = old_.units.size(), m = new_.units.size();
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && old_.role[i] != Role::kPaired) {
        EmitOldOnly(i++);
      } else if (j < m && new_.role[j] != Role::kPaired) {
        EmitNewOnly(j++);
      } else {
        EmitPaired(i++, j++);
      }
    }
    for (size_t e = 0; e < diff_.entries.size(); ++e) {
      Entry& entry = diff_.entries[e];
      if (entry.kind != EntryKind::kMovedFrom) continue;
      size_t other = moved_to_entry_.at(*entry.old_index);
      entry.counterpart = other;
      diff_.entries[other].counterpart = e;
    }
    for (const Entry& entry : diff_.entries) {
      if (entry.kind == EntryKind::kEqual || entry.kind == EntryKind::kMovedTo) continue;
      for (const Span& span : entry.spans) {
        if (span.kind == Span::Kind::kEqual) continue;
        size_t words = 0;
        for (const auto& token : internal::Tokenize(span.text)) {
          if (token.kind == internal::TokenKind::kWord) ++words;
        }
        (span.kind == Span::Kind::kInsert ? diff_.stats.words_inserted
                                          : diff_.stats.words_deleted) += words;
      }
    }
  }

  const DiffLimits limits_;
  SideState old_, new_;
  TextDiff diff_;
  uint64_t work_ = 0;
  uint64_t word_spent_ = 0;
  std::unordered_map<size_t, size_t> moved_to_entry_;  // old unit index -> its kMovedTo entry
};

}  // namespace

TextDiff DiffTexts(std::string_view old_text, std::string_view new_text, const DiffLimits& limits) {
  return Differ(old_text, new_text, limits).Compute();
}

}  // namespace accord::drafting
