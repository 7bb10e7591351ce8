// diff_testutil.h: helpers shared by the diff tests — spans written in the wdiff notation
// ("kept [-old-]{+new+}") so expectations read like the diff itself.
#ifndef ACCORD_DRAFTING_DIFF_TESTUTIL_H_
#define ACCORD_DRAFTING_DIFF_TESTUTIL_H_

#include <string>
#include <vector>

#include "accord/drafting/text_diff.h"

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

}  // namespace accord::drafting::testing

#endif  // ACCORD_DRAFTING_DIFF_TESTUTIL_H_
