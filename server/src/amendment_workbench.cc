// amendment_workbench.cc: loading and analysing a statement's amendments for one request.
#include "amendment_workbench.h"

#include <algorithm>
#include <span>

#include "accord/drafting/canonical_text.h"
#include "accord/drafting/text_diff.h"
#include "accord/drafting/units.h"
#include "document_access.h"
#include "document_service.h"

namespace accord::server {
namespace {

constexpr size_t kExcerptBytes = 80;

// The first `max` bytes of `text` cut at a word (or at least a code point) boundary.
std::string Excerpt(std::string_view text, size_t max) {
  std::string flat(text.substr(0, std::min(text.size(), max + 4)));
  std::replace(flat.begin(), flat.end(), '\n', ' ');
  if (flat.size() <= max) return flat;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;
  size_t space = flat.rfind(' ', cut);
  if (space != std::string::npos && space > max / 2) cut = space;
  return flat.substr(0, cut) + "…";
}

std::string TrimMarker(std::string marker) {
  while (!marker.empty() && marker.back() == ' ') marker.pop_back();
  size_t start = marker.find_first_not_of(' ');
  return start == std::string::npos ? std::string() : marker.substr(start);
}

}  // namespace

bool TakesPartInCollisions(const Amendment& a) {
  switch (a.state) {
    case AmendmentState::kDraft:
    case AmendmentState::kSubmitted:
    case AmendmentState::kSupported:
    case AmendmentState::kAccepted:
    case AmendmentState::kAcceptedWithModification:
      return true;
    default:
      return false;
  }
}

Result<const Version*> AmendmentWorkbench::Base(int64_t number) {
  auto it = bases_.find(number);
  if (it == bases_.end()) {
    auto v = ctx_.drafting->GetVersion(statement_.id, number);
    if (!v.ok()) return v.status();
    it = bases_.emplace(number, std::move(*v)).first;
  }
  return &it->second;
}

Result<const std::vector<uint8_t>*> AmendmentWorkbench::State(const Amendment& a) {
  auto it = states_.find(a.number);
  if (it == states_.end()) {
    auto s = ctx_.documents->CurrentState(a.document);
    if (!s.ok()) return s.status();
    it = states_.emplace(a.number, std::move(*s)).first;
  }
  return &it->second;
}

Result<const std::vector<uint8_t>*> AmendmentWorkbench::DraftState() {
  if (!draft_) {
    auto s = ctx_.documents->CurrentState(DraftDocumentName(statement_.slug));
    if (!s.ok()) return s.status();
    draft_ = std::move(*s);
  }
  return &*draft_;
}

Result<const std::vector<Merge>*> AmendmentWorkbench::Merges() {
  if (!merges_) {
    auto m = ctx_.drafting->ListMerges(statement_.id);
    if (!m.ok()) return m.status();
    merges_ = std::move(*m);
  }
  return &*merges_;
}

Result<std::map<int64_t, int64_t>> AmendmentWorkbench::MergedIn() {
  auto merges = Merges();
  if (!merges.ok()) return merges.status();
  std::map<int64_t, int64_t> out;
  for (const Merge& m : **merges) {
    for (const MergeEntry& e : m.entries) {
      if (e.outcome == MergeOutcome::kMerged) out[e.amendment_number] = m.version_number;
    }
  }
  return out;
}

Result<std::string> AmendmentWorkbench::CanonicalText(const Amendment& a) {
  auto state = State(a);
  if (!state.ok()) return state.status();
  auto text = drafting::RenderCanonicalUpdate(**state);
  if (!text.ok()) return text.status();
  return std::move(text->markdown);
}

Result<std::vector<ParagraphRef>> AmendmentWorkbench::Paragraphs(const Amendment& a) {
  auto base = Base(a.base_version);
  if (!base.ok()) return base.status();
  auto text = CanonicalText(a);
  if (!text.ok()) return text.status();
  drafting::TextDiff diff = drafting::DiffTexts((*base)->canonical_text, *text);
  // Changed, deleted and moved units name themselves; an inserted unit names the base unit
  // before it (the first when it opens the text).
  std::set<size_t> touched;
  std::optional<size_t> last_old;
  for (const drafting::Entry& e : diff.entries) {
    const bool changed = e.kind != drafting::EntryKind::kEqual || e.marker_changed;
    if (changed) {
      if (e.old_index) {
        touched.insert(*e.old_index);
      } else {
        touched.insert(last_old.value_or(0));
      }
    }
    if (e.old_index && e.OnOldSide()) last_old = e.old_index;
  }
  std::vector<drafting::Unit> units = drafting::SplitUnits((*base)->canonical_text);
  std::vector<ParagraphRef> out;
  for (size_t i : touched) {
    ParagraphRef p;
    p.index = static_cast<int64_t>(i) + 1;
    if (i < units.size()) {
      p.marker = TrimMarker(units[i].marker);
      p.excerpt = Excerpt(units[i].text, kExcerptBytes);
    }
    out.push_back(std::move(p));
  }
  return out;
}

Result<drafting::AmendmentAnalysis> AmendmentWorkbench::Analyze(
    const std::vector<Amendment>& amendments) {
  std::vector<drafting::AmendmentInput> inputs;
  for (const Amendment& a : amendments) {
    auto base = Base(a.base_version);
    if (!base.ok()) return base.status();
    auto state = State(a);
    if (!state.ok()) return state.status();
    inputs.push_back(
        drafting::AmendmentInput{static_cast<uint64_t>(a.number), (*base)->state, **state});
  }
  auto draft = DraftState();
  if (!draft.ok()) return draft.status();
  auto analysis = drafting::AnalyzeAmendments(inputs, **draft);
  // What is stored was accepted by the server and written by the editor: a state that does
  // not analyse is damage, not a bad request.
  if (!analysis.ok()) return Status::Corruption(analysis.status().message());
  return analysis;
}

Result<std::map<int64_t, AmendmentFlags>> AmendmentWorkbench::Flags(
    const std::vector<Amendment>& all) {
  auto merged = MergedIn();
  if (!merged.ok()) return merged.status();
  std::map<int64_t, AmendmentFlags> out;
  std::vector<Amendment> open;
  for (const Amendment& a : all) {
    AmendmentFlags& f = out[a.number];
    auto paragraphs = Paragraphs(a);
    if (!paragraphs.ok()) return paragraphs.status();
    f.paragraphs = std::move(*paragraphs);
    if (auto it = merged->find(a.number); it != merged->end()) {
      f.merged_in_version = it->second;
    } else if (TakesPartInCollisions(a)) {
      open.push_back(a);
    }
  }
  auto analysis = Analyze(open);
  if (!analysis.ok()) return analysis.status();
  for (const auto& [a, b] : analysis->collisions) {
    out[static_cast<int64_t>(a)].collides_with.push_back(static_cast<int64_t>(b));
    out[static_cast<int64_t>(b)].collides_with.push_back(static_cast<int64_t>(a));
  }
  for (auto& [number, f] : out) std::sort(f.collides_with.begin(), f.collides_with.end());
  for (uint64_t n : analysis->obsolete) out[static_cast<int64_t>(n)].obsolete = true;
  return out;
}

}  // namespace accord::server
