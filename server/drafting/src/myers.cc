#include "myers.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace accord::drafting::internal {
namespace {

// Myers on sequences with no common prefix or suffix. The trace keeps, for each d, the furthest
// x reached on diagonals k = -d, -d+2, …, d, which is what the backward walk needs.
std::optional<std::vector<EditRun>> MyersCore(std::span<const uint32_t> a,
                                              std::span<const uint32_t> b, uint64_t budget,
                                              uint64_t* work) {
  const int64_t n = static_cast<int64_t>(a.size());
  const int64_t m = static_cast<int64_t>(b.size());
  const int64_t max = n + m;
  std::vector<int64_t> v(static_cast<size_t>(2 * max + 3), 0);
  const int64_t offset = max + 1;
  std::vector<int64_t> trace;
  std::vector<size_t> starts;
  uint64_t spent = 0;
  auto charge = [&]() {
    if (spent == budget) return false;
    ++spent;
    return true;
  };
  int64_t found_d = -1;
  for (int64_t d = 0; d <= max && found_d < 0; ++d) {
    starts.push_back(trace.size());
    for (int64_t k = -d; k <= d; k += 2) {
      if (!charge()) {
        *work += spent;
        return std::nullopt;
      }
      int64_t x;
      if (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) {
        x = v[offset + k + 1];
      } else {
        x = v[offset + k - 1] + 1;
      }
      int64_t y = x - k;
      while (x < n && y < m && a[x] == b[y]) {
        if (!charge()) {
          *work += spent;
          return std::nullopt;
        }
        ++x;
        ++y;
      }
      v[offset + k] = x;
      trace.push_back(x);
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  *work += spent;
  auto at = [&](int64_t d, int64_t k) { return trace[starts[d] + (k + d) / 2]; };
  std::vector<EditRun> reversed;
  int64_t x = n, y = m;
  for (int64_t d = found_d; d > 0; --d) {
    int64_t k = x - y;
    bool down = k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1));
    int64_t prev_k = down ? k + 1 : k - 1;
    int64_t prev_x = at(d - 1, prev_k);
    int64_t snake_x = down ? prev_x : prev_x + 1;
    if (x > snake_x) reversed.push_back({EditRun::Kind::kEqual, static_cast<size_t>(x - snake_x)});
    reversed.push_back({down ? EditRun::Kind::kInsert : EditRun::Kind::kDelete, 1});
    x = prev_x;
    y = prev_x - prev_k;
  }
  if (x > 0) reversed.push_back({EditRun::Kind::kEqual, static_cast<size_t>(x)});
  std::vector<EditRun> runs;
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it)
    AppendRun(&runs, it->kind, it->len);
  return runs;
}

// Positions (in a, in b) of the ids that occur exactly once in each, in the longest chain
// increasing in both — found with patience sorting in O(k log k).
std::vector<std::pair<size_t, size_t>> UniqueAnchors(std::span<const uint32_t> a,
                                                     std::span<const uint32_t> b) {
  struct Seen {
    size_t count_a = 0, pos_a = 0, count_b = 0, pos_b = 0;
  };
  std::unordered_map<uint32_t, Seen> seen;
  for (size_t i = 0; i < a.size(); ++i) {
    Seen& s = seen[a[i]];
    ++s.count_a;
    s.pos_a = i;
  }
  for (size_t j = 0; j < b.size(); ++j) {
    auto it = seen.find(b[j]);
    if (it == seen.end()) continue;
    ++it->second.count_b;
    it->second.pos_b = j;
  }
  std::vector<std::pair<size_t, size_t>> pairs;
  for (const auto& [id, s] : seen) {
    if (s.count_a == 1 && s.count_b == 1) pairs.emplace_back(s.pos_a, s.pos_b);
  }
  std::sort(pairs.begin(), pairs.end());
  // Longest increasing subsequence of pos_b: tails[l] is the pair index ending the best chain
  // of length l+1; prev links rebuild the chain.
  std::vector<size_t> tails;
  std::vector<size_t> prev(pairs.size(), SIZE_MAX);
  for (size_t p = 0; p < pairs.size(); ++p) {
    auto pos = std::lower_bound(tails.begin(), tails.end(), pairs[p].second,
                                [&](size_t t, size_t value) { return pairs[t].second < value; });
    if (pos != tails.begin()) prev[p] = *(pos - 1);
    if (pos == tails.end()) {
      tails.push_back(p);
    } else {
      *pos = p;
    }
  }
  std::vector<std::pair<size_t, size_t>> chain;
  for (size_t p = tails.empty() ? SIZE_MAX : tails.back(); p != SIZE_MAX; p = prev[p]) {
    chain.push_back(pairs[p]);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

}  // namespace

void AppendRun(std::vector<EditRun>* runs, EditRun::Kind kind, size_t len) {
  if (len == 0) return;
  if (!runs->empty() && runs->back().kind == kind) {
    runs->back().len += len;
  } else {
    runs->push_back({kind, len});
  }
}

std::optional<std::vector<EditRun>> Myers(std::span<const uint32_t> a, std::span<const uint32_t> b,
                                          uint64_t budget, uint64_t* work) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix]) {
    ++suffix;
  }
  std::vector<EditRun> runs;
  AppendRun(&runs, EditRun::Kind::kEqual, prefix);
  auto mid_a = a.subspan(prefix, a.size() - prefix - suffix);
  auto mid_b = b.subspan(prefix, b.size() - prefix - suffix);
  if (mid_a.empty() || mid_b.empty()) {
    AppendRun(&runs, EditRun::Kind::kDelete, mid_a.size());
    AppendRun(&runs, EditRun::Kind::kInsert, mid_b.size());
  } else {
    auto core = MyersCore(mid_a, mid_b, budget, work);
    if (!core) return std::nullopt;
    for (const EditRun& run : *core) AppendRun(&runs, run.kind, run.len);
  }
  AppendRun(&runs, EditRun::Kind::kEqual, suffix);
  return runs;
}

SequenceDiff DiffSequences(std::span<const uint32_t> a, std::span<const uint32_t> b,
                           uint64_t budget) {
  SequenceDiff result;
  uint64_t first = budget / 2;
  if (auto runs = Myers(a, b, first, &result.work)) {
    result.runs = std::move(*runs);
    return result;
  }
  result.bounded = true;
  size_t ia = 0, ib = 0;
  auto gap = [&](size_t end_a, size_t end_b) {
    auto ga = a.subspan(ia, end_a - ia);
    auto gb = b.subspan(ib, end_b - ib);
    std::optional<std::vector<EditRun>> runs;
    if (!ga.empty() && !gb.empty()) runs = Myers(ga, gb, budget - result.work, &result.work);
    if (runs) {
      for (const EditRun& run : *runs) AppendRun(&result.runs, run.kind, run.len);
    } else {
      AppendRun(&result.runs, EditRun::Kind::kDelete, ga.size());
      AppendRun(&result.runs, EditRun::Kind::kInsert, gb.size());
    }
  };
  for (const auto& [pa, pb] : UniqueAnchors(a, b)) {
    gap(pa, pb);
    AppendRun(&result.runs, EditRun::Kind::kEqual, 1);
    ia = pa + 1;
    ib = pb + 1;
  }
  gap(a.size(), b.size());
  return result;
}

}  // namespace accord::drafting::internal
