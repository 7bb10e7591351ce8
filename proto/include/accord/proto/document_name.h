// accord/proto/document_name.h: which strings name a document.
//
// A document is addressed by name in `/ws/<name>` and in storage, so a name must be a single URL
// path segment that needs no escaping and is safe as a key anywhere: 1 to 128 bytes of ASCII
// letters, digits, '-', '_' and '.', not starting with '.' (no "." or ".." tricks, no hidden
// files). Pure functions; callable from any thread.
#ifndef ACCORD_PROTO_DOCUMENT_NAME_H_
#define ACCORD_PROTO_DOCUMENT_NAME_H_

#include <cstddef>
#include <string_view>

#include "accord/status.h"

namespace accord::proto {

inline constexpr size_t kMaxDocumentNameLength = 128;

// OK for a valid name; otherwise InvalidArgument with a message that says what is wrong.
Status ValidateDocumentName(std::string_view name);

}  // namespace accord::proto

#endif  // ACCORD_PROTO_DOCUMENT_NAME_H_
