// amendment_workbench.h: what the amendment views and the merge need to know about a
// statement's amendments beyond their rows — their base versions' and their documents' states,
// the base paragraphs each one changes, which collide, which are obsolete, which were merged —
// read once per request and cached for its duration. Internal to the API.
//
// Thread-safety: one object per request, used by that request's worker thread only.
#ifndef ACCORD_SERVER_AMENDMENT_WORKBENCH_H_
#define ACCORD_SERVER_AMENDMENT_WORKBENCH_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "accord/drafting/amendment_analysis.h"
#include "accord/status.h"
#include "api.h"
#include "drafting_store.h"

namespace accord::server {

// A unit (paragraph, heading, list item, quote) of an amendment's base that it changes.
struct ParagraphRef {
  int64_t index = 0;    // 1-based, in the base version's canonical text
  std::string marker;   // "2.", "##", "-" or empty
  std::string excerpt;  // the unit's first words
};

// What the list and detail views add to an amendment's row.
struct AmendmentFlags {
  std::vector<ParagraphRef> paragraphs;
  std::vector<int64_t> collides_with;
  bool obsolete = false;
  std::optional<int64_t> merged_in_version;
};

// Amendments that are still to be settled or merged take part in collision checks.
bool TakesPartInCollisions(const Amendment& a);

class AmendmentWorkbench {
 public:
  AmendmentWorkbench(ApiContext& ctx, const auth::StatementRef& statement)
      : ctx_(ctx), statement_(statement) {}

  // The version `number` with its content.
  Result<const Version*> Base(int64_t number);
  // The amendment document's state now.
  Result<const std::vector<uint8_t>*> State(const Amendment& a);
  // The live draft's state now (read once per workbench).
  Result<const std::vector<uint8_t>*> DraftState();
  // The statement's merges, and amendment number -> the version it was merged in.
  Result<const std::vector<Merge>*> Merges();
  Result<std::map<int64_t, int64_t>> MergedIn();

  // The base units `a` changes, from the diff of its base's canonical text to its own.
  Result<std::vector<ParagraphRef>> Paragraphs(const Amendment& a);
  // The amendment's canonical text now (for the diff view).
  Result<std::string> CanonicalText(const Amendment& a);
  // Collisions and obsolete flags among `amendments`, against the draft now.
  Result<drafting::AmendmentAnalysis> Analyze(const std::vector<Amendment>& amendments);
  // The flags of every amendment in `all` (the statement's amendments), by number.
  Result<std::map<int64_t, AmendmentFlags>> Flags(const std::vector<Amendment>& all);

 private:
  ApiContext& ctx_;
  const auth::StatementRef& statement_;
  std::map<int64_t, Version> bases_;
  std::map<int64_t, std::vector<uint8_t>> states_;  // by amendment number
  std::optional<std::vector<uint8_t>> draft_;
  std::optional<std::vector<Merge>> merges_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_AMENDMENT_WORKBENCH_H_
