// libFuzzer target: untrusted delete sets (ReadDeleteSet) through each decoder that carries one:
// the first input byte picks the v1 update decoder, the v2 update decoder or the v2 delete-set
// decoder of snapshots; the rest is the encoded data. Invariants: a decoded set re-encodes with
// the matching encoder into bytes that decode to the same set; SortAndMerge leaves sorted,
// disjoint, non-adjacent ranges that IsDeleted finds; Merge of the set with itself is the sorted
// set. Seeds: corpus/delete_set_fuzzer/.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "delete_set.h"
#include "update_coder.h"

namespace {

using namespace accord::crdt;

void Check(bool cond, const char* what) {
  if (!cond) {
    std::fprintf(stderr, "invariant broken: %s\n", what);
    std::abort();
  }
}

std::unique_ptr<UpdateDecoder> NewDecoder(int kind, std::span<const uint8_t> data) {
  switch (kind) {
    case 0:
      return NewUpdateDecoderV1(data);
    case 1:
      return NewUpdateDecoderV2(data);
    default:
      return NewDsDecoderV2(data);
  }
}

std::unique_ptr<UpdateEncoder> NewEncoder(int kind) {
  switch (kind) {
    case 0:
      return NewUpdateEncoderV1();
    case 1:
      return NewUpdateEncoderV2();
    default:
      return NewDsEncoderV2();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int kind = data[0] % 3;
  std::span<const uint8_t> input(data + 1, size - 1);
  DeleteSet ds;
  try {
    auto decoder = NewDecoder(kind, input);
    ds = ReadDeleteSet(*decoder);
  } catch (const DecodeError&) {
    return 0;
  }

  // Round trip through the matching encoder. (A v2 encoder writes the update's empty struct
  // columns first, which the decoder reads back as headers.)
  auto encoder = NewEncoder(kind);
  WriteDeleteSet(*encoder, ds);
  const std::vector<uint8_t> bytes = encoder->ToBytes();
  DeleteSet back;
  try {
    auto decoder = NewDecoder(kind, bytes);
    back = ReadDeleteSet(*decoder);
  } catch (const DecodeError&) {
    Check(false, "a delete set we wrote does not decode");
  }
  Check(back == ds, "delete set round trip");

  // Yjs clocks and lengths are below 2^53 (doubles); past that, uint64 sums may wrap and the
  // range arithmetic below means nothing, so it is checked only for such sets.
  constexpr uint64_t kMaxClock = uint64_t{1} << 53;
  for (const auto& [client, items] : ds.clients()) {
    for (const DeleteItem& item : items) {
      if (item.clock >= kMaxClock || item.len >= kMaxClock) return 0;
    }
  }
  DeleteSet sorted = ds;
  sorted.SortAndMerge();
  for (const auto& [client, items] : sorted.clients()) {
    Check(!items.empty(), "no client without ranges");
    for (size_t i = 0; i < items.size(); ++i) {
      const DeleteItem& item = items[i];
      if (i > 0) {
        const DeleteItem& prev = items[i - 1];
        Check(prev.clock + prev.len < item.clock, "merged ranges are disjoint and apart");
      }
      if (item.len > 0) {
        Check(sorted.IsDeleted(client, item.clock), "first clock of a range is deleted");
        Check(sorted.IsDeleted(client, item.clock + item.len - 1), "last clock is deleted");
        Check(!sorted.IsDeleted(client, item.clock + item.len), "clock after a range is not");
      }
    }
  }
  DeleteSet twice[2] = {ds, ds};
  Check(DeleteSet::Merge(twice) == sorted, "merging a set with itself");
  return 0;
}
