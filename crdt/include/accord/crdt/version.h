// accord/crdt/version.h: which Yjs release the crdt library is held byte-compatible with.
// Constants only; callable from any thread.
#ifndef ACCORD_CRDT_VERSION_H_
#define ACCORD_CRDT_VERSION_H_

#include <string_view>

namespace accord::crdt {

// The npm `yjs` version our differential tests pin and our encodings match byte for byte.
inline constexpr std::string_view kYjsCompatVersion = "13.6.33";

// Update formats a caller can ask for; both are Yjs's own.
enum class UpdateFormat { kV1 = 1, kV2 = 2 };

std::string_view UpdateFormatName(UpdateFormat format);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_VERSION_H_
