#include "accord/drafting/units.h"

#include <cstddef>

namespace accord::drafting {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the structural marker at the start of `line`: indentation, then any sequence of
// "> ", "#…# ", "N. " / "N) " and "- " / "* " / "+ " markers.
size_t MarkerLength(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  for (;;) {
    size_t j = i;
    if (j < line.size() && line[j] == '>') {
      ++j;
      if (j < line.size() && line[j] == ' ') ++j;
    } else if (j < line.size() && line[j] == '#') {
      while (j < line.size() && line[j] == '#') ++j;
      if (j - i > 6 || j >= line.size() || line[j] != ' ') return i;
      ++j;
    } else if (j < line.size() && IsDigit(line[j])) {
      while (j < line.size() && IsDigit(line[j])) ++j;
      if (j - i > 9 || j + 1 >= line.size() || (line[j] != '.' && line[j] != ')') ||
          line[j + 1] != ' ') {
        return i;
      }
      j += 2;
    } else if (j + 1 < line.size() && (line[j] == '-' || line[j] == '*' || line[j] == '+') &&
               line[j + 1] == ' ') {
      j += 2;
    } else {
      return i;
    }
    i = j;
  }
}

Unit MakeUnit(const std::vector<std::string_view>& lines) {
  Unit unit;
  size_t width = MarkerLength(lines[0]);
  unit.marker = std::string(lines[0].substr(0, width));
  unit.text = std::string(lines[0].substr(width));
  for (size_t k = 1; k < lines.size(); ++k) {
    std::string_view line = lines[k];
    // Continuation lines are indented to the marker's width (quote lines repeat "> ").
    size_t strip = 0;
    while (strip < width && strip < line.size() && (line[strip] == ' ' || line[strip] == '>')) {
      ++strip;
    }
    unit.text += '\n';
    unit.text.append(line.substr(strip));
  }
  return unit;
}

}  // namespace

std::vector<Unit> SplitUnits(std::string_view canonical) {
  std::vector<Unit> units;
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= canonical.size()) {
    size_t end = canonical.find('\n', pos);
    if (end == std::string_view::npos) end = canonical.size();
    std::string_view line = canonical.substr(pos, end - pos);
    if (line.find_first_not_of(' ') == std::string_view::npos) {
      if (!lines.empty()) units.push_back(MakeUnit(lines));
      lines.clear();
    } else {
      lines.push_back(line);
    }
    pos = end + 1;
  }
  if (!lines.empty()) units.push_back(MakeUnit(lines));
  return units;
}

}  // namespace accord::drafting
