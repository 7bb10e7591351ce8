// libFuzzer target: untrusted v2 updates into a Doc and the update operations (see
// update_fuzz_util.h for the invariants checked). Seeds: corpus/update_v2_fuzzer/.
#include "update_fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  accord::crdt::fuzz::FuzzUpdate(data, size, accord::crdt::UpdateFormat::kV2);
  return 0;
}
