#include "accord/proto/document_name.h"

#include <string>

namespace accord::proto {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

}  // namespace

Status ValidateDocumentName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("document name is empty");
  if (name.size() > kMaxDocumentNameLength) {
    return Status::InvalidArgument("document name is longer than " +
                                   std::to_string(kMaxDocumentNameLength) + " bytes");
  }
  if (name.front() == '.') return Status::InvalidArgument("document name must not start with '.'");
  for (size_t i = 0; i < name.size(); ++i) {
    if (!IsNameChar(name[i])) {
      return Status::InvalidArgument(
          "document name has a character other than letters, digits, "
          "'-', '_' and '.' at byte " +
          std::to_string(i));
    }
  }
  return Status::Ok();
}

}  // namespace accord::proto
