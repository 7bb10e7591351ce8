// amendment_analysis.cc: footprints of amendments in their base's items, collisions between
// them and the obsolete check against the draft (see amendment_analysis.h and AMENDMENTS.md,
// "Collisions and obsolete amendments").
#include "accord/drafting/amendment_analysis.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>

#include "accord/crdt/doc.h"
#include "accord/crdt/item_walk.h"
#include "accord/crdt/state_vector.h"
#include "accord/crdt/updates.h"
#include "accord/crdt/xml.h"
#include "accord/drafting/canonical_text.h"

namespace accord::drafting {
namespace {

using crdt::ItemId;
using crdt::WalkedItem;

// Runs of consecutive units of one client, found again by any unit id inside them.
template <typename V>
class UnitIndex {
 public:
  struct Run {
    uint64_t clock;
    uint64_t length;
    V value;
  };

  void Add(ItemId first, uint64_t length, V value) {
    if (length > 0) runs_[first.client].push_back(Run{first.clock, length, value});
  }
  // Call once after the last Add.
  void Seal() {
    for (auto& [client, runs] : runs_) {
      std::sort(runs.begin(), runs.end(),
                [](const Run& a, const Run& b) { return a.clock < b.clock; });
    }
  }
  // The run holding `id`, and id's offset in it.
  const Run* Find(ItemId id, uint64_t* offset) const {
    auto it = runs_.find(id.client);
    if (it == runs_.end()) return nullptr;
    const std::vector<Run>& runs = it->second;
    auto after = std::upper_bound(runs.begin(), runs.end(), id.clock,
                                  [](uint64_t clock, const Run& r) { return clock < r.clock; });
    if (after == runs.begin()) return nullptr;
    const Run& run = *(after - 1);
    if (id.clock >= run.clock + run.length) return nullptr;
    *offset = id.clock - run.clock;
    return &run;
  }

 private:
  std::unordered_map<uint64_t, std::vector<Run>> runs_;
};

// Documents read here keep deleted items: they are what deletions and anchors are made of.
crdt::DocOptions KeepDeleted() {
  crdt::DocOptions options;
  options.gc = false;
  return options;
}

Result<std::vector<WalkedItem>> LoadAndWalk(std::span<const uint8_t> state, crdt::Doc& doc) {
  Status applied = doc.ApplyUpdate(state);
  if (!applied.ok()) return Status::InvalidArgument("bad document state: " + applied.message());
  Result<crdt::XmlFragment> root = crdt::GetXmlFragment(doc, kFragmentName);
  if (!root.ok()) return Status::InvalidArgument("the document has no ProseMirror fragment");
  return crdt::WalkItems(*root);
}

// A place between base units where an amendment inserted: after `after` (the nearest base unit
// before it in document order) and before `before` (the nearest after it).
struct Insertion {
  std::optional<ItemId> after;
  std::optional<ItemId> before;
};

// What one amendment changes, in base units.
struct Footprint {
  std::vector<std::pair<ItemId, uint64_t>> deleted;  // runs of base units it deleted
  std::vector<Insertion> insertions;
  std::vector<ItemId> changed_elements;  // base types whose attributes it set
  // Base units the changes hang on: deleted units, the origins of inserted items and the
  // parents of attributes and of inserted items that have no base origin.
  std::vector<ItemId> anchors;

  bool empty() const { return deleted.empty() && insertions.empty() && changed_elements.empty(); }
};

uint64_t BaseEnd(const crdt::StateVector& sv, uint64_t client) {
  auto it = sv.find(client);
  return it == sv.end() ? 0 : it->second;
}

Result<Footprint> FootprintOf(const AmendmentInput& amendment) {
  crdt::Doc base(KeepDeleted());
  Result<std::vector<WalkedItem>> base_items = LoadAndWalk(amendment.base_state, base);
  if (!base_items.ok()) return base_items.status();
  const crdt::StateVector sv = base.GetStateVector();
  UnitIndex<bool> deleted_in_base;
  for (const WalkedItem& w : *base_items) deleted_in_base.Add(w.id, w.length, w.deleted);
  deleted_in_base.Seal();
  auto is_base = [&sv](ItemId id) { return id.clock < BaseEnd(sv, id.client); };

  crdt::Doc fork(KeepDeleted());
  Result<std::vector<WalkedItem>> items = LoadAndWalk(amendment.state, fork);
  if (!items.ok()) return items.status();

  Footprint f;
  std::optional<ItemId> last_base;  // the last base unit walked
  bool open_insertion = false;      // new items since last_base, waiting for the next base unit
  auto close_insertion = [&](std::optional<ItemId> before) {
    if (open_insertion) f.insertions.push_back(Insertion{last_base, before});
    open_insertion = false;
  };
  for (const WalkedItem& w : *items) {
    // An item of a client that also wrote the base may straddle the base's end: split it.
    const uint64_t end = BaseEnd(sv, w.id.client);
    const uint64_t base_len = w.id.clock >= end ? 0 : std::min(w.length, end - w.id.clock);
    if (w.kind == WalkedItem::Kind::kAttribute) {
      if (base_len < w.length && !w.deleted && w.parent && is_base(*w.parent)) {
        f.changed_elements.push_back(*w.parent);
        f.anchors.push_back(*w.parent);
      }
      continue;  // attributes are not in the text's order
    }
    if (base_len > 0) {
      close_insertion(w.id);
      uint64_t offset = 0;
      const auto* run = deleted_in_base.Find(w.id, &offset);
      const bool was_deleted = run != nullptr && run->value;
      if (w.deleted && !was_deleted) {
        f.deleted.emplace_back(w.id, base_len);
        for (uint64_t i = 0; i < base_len; ++i) {
          f.anchors.push_back(ItemId{w.id.client, w.id.clock + i});
        }
      }
      last_base = ItemId{w.id.client, w.id.clock + base_len - 1};
    }
    if (base_len < w.length && !w.deleted) {
      // New, still visible content: an insertion (new and since deleted is no change at all).
      open_insertion = true;
      if (base_len == 0) {
        if (w.origin && is_base(*w.origin)) f.anchors.push_back(*w.origin);
        if (w.right_origin && is_base(*w.right_origin)) f.anchors.push_back(*w.right_origin);
        const bool no_base_origin =
            !(w.origin && is_base(*w.origin)) && !(w.right_origin && is_base(*w.right_origin));
        if (no_base_origin && w.parent && is_base(*w.parent)) f.anchors.push_back(*w.parent);
      } else {
        f.anchors.push_back(ItemId{w.id.client, w.id.clock + base_len - 1});
      }
    }
  }
  close_insertion(std::nullopt);
  return f;
}

// The base units of every amendment in one order, as coordinates: the k-th visible unit is at
// 2k+1; a deleted or invisible unit (a formatting mark) sits in the gap before the next
// visible unit, at 2k. So two changes are adjacent or overlapping when their coordinates are
// at most 2 apart (see AMENDMENTS.md).
class BaseOrder {
 public:
  Status Build(std::span<const AmendmentInput> amendments) {
    crdt::Doc reference(KeepDeleted());
    for (const AmendmentInput& a : amendments) {
      Status s = reference.ApplyUpdate(a.base_state);
      if (!s.ok()) return Status::InvalidArgument("bad base state: " + s.message());
    }
    Result<crdt::XmlFragment> root = crdt::GetXmlFragment(reference, kFragmentName);
    if (!root.ok()) return Status::InvalidArgument("the base has no ProseMirror fragment");
    uint64_t visible = 0;
    for (const WalkedItem& w : crdt::WalkItems(*root)) {
      if (w.kind == WalkedItem::Kind::kAttribute) continue;
      if (w.countable) {
        units_.Add(w.id, w.length, Coordinates{2 * visible + 1, 2});
        visible += w.length;
      } else {
        units_.Add(w.id, w.length, Coordinates{2 * visible, 0});
      }
    }
    units_.Seal();
    return Status::Ok();
  }

  std::optional<uint64_t> Of(ItemId id) const {
    uint64_t offset = 0;
    const auto* run = units_.Find(id, &offset);
    if (run == nullptr) return std::nullopt;
    return run->value.first + run->value.step * offset;
  }
  bool Visible(ItemId id) const {
    uint64_t offset = 0;
    const auto* run = units_.Find(id, &offset);
    return run != nullptr && run->value.step != 0;
  }

 private:
  struct Coordinates {
    uint64_t first;
    uint64_t step;
  };
  UnitIndex<Coordinates> units_;
};

std::vector<uint64_t> CoordinatesOf(const Footprint& f, const BaseOrder& order) {
  std::vector<uint64_t> out;
  for (const auto& [first, length] : f.deleted) {
    for (uint64_t i = 0; i < length; ++i) {
      if (auto c = order.Of(ItemId{first.client, first.clock + i})) out.push_back(*c);
    }
  }
  for (const Insertion& ins : f.insertions) {
    // The gap right after `after`, else right before `before`, else the document's start.
    if (ins.after) {
      if (auto c = order.Of(*ins.after)) {
        out.push_back(order.Visible(*ins.after) ? *c + 1 : *c);
        continue;
      }
    }
    if (ins.before) {
      if (auto c = order.Of(*ins.before)) {
        out.push_back(order.Visible(*ins.before) ? *c - 1 : *c);
        continue;
      }
    }
    out.push_back(0);
  }
  for (const ItemId& e : f.changed_elements) {
    if (auto c = order.Of(e)) out.push_back(*c);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Whether two sorted coordinate lists have members at most 2 apart.
bool Near(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const uint64_t x = a[i], y = b[j];
    if ((x > y ? x - y : y - x) <= 2) return true;
    if (x < y) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

}  // namespace

Result<AmendmentAnalysis> AnalyzeAmendments(std::span<const AmendmentInput> amendments,
                                            std::span<const uint8_t> draft_state) {
  std::vector<Footprint> footprints;
  footprints.reserve(amendments.size());
  for (const AmendmentInput& a : amendments) {
    Result<Footprint> f = FootprintOf(a);
    if (!f.ok()) {
      return Status::InvalidArgument("amendment " + std::to_string(a.number) + ": " +
                                     f.status().message());
    }
    footprints.push_back(std::move(*f));
  }
  BaseOrder order;
  Status built = order.Build(amendments);
  if (!built.ok()) return built;

  crdt::Doc draft(KeepDeleted());
  Result<std::vector<WalkedItem>> draft_items = LoadAndWalk(draft_state, draft);
  if (!draft_items.ok()) return Status::InvalidArgument("draft: " + draft_items.status().message());
  UnitIndex<bool> alive;
  for (const WalkedItem& w : *draft_items) {
    if (!w.deleted) alive.Add(w.id, w.length, true);
  }
  alive.Seal();

  AmendmentAnalysis out;
  std::vector<std::vector<uint64_t>> coordinates;
  for (size_t i = 0; i < amendments.size(); ++i) {
    coordinates.push_back(CoordinatesOf(footprints[i], order));
    const Footprint& f = footprints[i];
    if (f.empty()) {
      out.unchanged.push_back(amendments[i].number);
      continue;
    }
    const bool anchored = std::any_of(f.anchors.begin(), f.anchors.end(), [&](ItemId id) {
      uint64_t offset = 0;
      return alive.Find(id, &offset) != nullptr;
    });
    if (!anchored) out.obsolete.push_back(amendments[i].number);
  }
  for (size_t i = 0; i < amendments.size(); ++i) {
    for (size_t j = i + 1; j < amendments.size(); ++j) {
      if (footprints[i].empty() || footprints[j].empty()) continue;
      if (!Near(coordinates[i], coordinates[j])) continue;
      uint64_t a = amendments[i].number, b = amendments[j].number;
      out.collisions.emplace_back(std::min(a, b), std::max(a, b));
    }
  }
  std::sort(out.collisions.begin(), out.collisions.end());
  std::sort(out.obsolete.begin(), out.obsolete.end());
  std::sort(out.unchanged.begin(), out.unchanged.end());
  return out;
}

Result<std::vector<uint8_t>> AmendmentUpdate(const AmendmentInput& amendment) {
  Result<std::vector<uint8_t>> sv = crdt::EncodeStateVectorFromUpdate(amendment.base_state);
  if (!sv.ok()) return Status::InvalidArgument("bad base state: " + sv.status().message());
  Result<std::vector<uint8_t>> update = crdt::DiffUpdate(amendment.state, *sv);
  if (!update.ok())
    return Status::InvalidArgument("bad amendment state: " + update.status().message());
  return update;
}

}  // namespace accord::drafting
