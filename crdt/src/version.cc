#include "accord/crdt/version.h"

namespace accord::crdt {

std::string_view UpdateFormatName(UpdateFormat format) {
  switch (format) {
    case UpdateFormat::kV1:
      return "v1";
    case UpdateFormat::kV2:
      return "v2";
  }
  return "unknown";
}

}  // namespace accord::crdt
