// Update-level operations without a document: a port of the algorithms of Yjs's
// utils/updates.js onto LazyStructReader / LazyStructWriter (lazy_struct.h).
#include "updates.h"

#include <algorithm>
#include <memory>
#include <string>

#include "accord/crdt/delete_set.h"
#include "delete_set.h"
#include "lazy_struct.h"
#include "lib0_encoder.h"
#include "state_vector.h"

namespace accord::crdt {
namespace {

std::unique_ptr<UpdateDecoder> NewDecoder(std::span<const uint8_t> update, UpdateFormat f) {
  return f == UpdateFormat::kV2 ? NewUpdateDecoderV2(update) : NewUpdateDecoderV1(update);
}
std::unique_ptr<UpdateEncoder> NewEncoder(UpdateFormat f) {
  return f == UpdateFormat::kV2 ? NewUpdateEncoderV2() : NewUpdateEncoderV1();
}

// The comparator of Yjs's mergeUpdatesV2: higher clients first, then lower clocks. (Its third
// rule, for a Skip meeting a non-Skip, cannot apply: the readers filter Skips. A GC and an Item
// at the same position compare as "less" both ways, which is why the sort below replays V8's.)
int CompareReaders(LazyStructReader* a, LazyStructReader* b) {
  const LazyStruct& x = *a->curr();
  const LazyStruct& y = *b->curr();
  if (x.id.client == y.id.client) {
    if (x.id.clock == y.id.clock) {
      if (x.kind == y.kind) return 0;
      return x.kind == StructKind::kSkip ? 1 : -1;
    }
    return x.id.clock < y.id.clock ? -1 : 1;
  }
  return y.id.client < x.id.client ? -1 : 1;
}

// Array.prototype.sort as V8 runs it on short arrays (TimSort: the first natural run, reversed
// if descending, then binary insertion), so that even comparator ties resolve as in Yjs.
// Longer arrays use a stable sort, which agrees for every consistent comparison.
void SortLikeV8(std::vector<LazyStructReader*>& a) {
  const size_t n = a.size();
  if (n < 2) return;
  if (n >= 64) {
    std::stable_sort(a.begin(), a.end(), [](LazyStructReader* x, LazyStructReader* y) {
      return CompareReaders(x, y) < 0;
    });
    return;
  }
  size_t run = 2;
  bool descending = CompareReaders(a[1], a[0]) < 0;
  for (size_t i = 2; i < n; ++i) {
    int order = CompareReaders(a[i], a[i - 1]);
    if (descending ? order >= 0 : order < 0) break;
    ++run;
  }
  if (descending) std::reverse(a.begin(), a.begin() + static_cast<ptrdiff_t>(run));
  for (size_t start = run; start < n; ++start) {
    LazyStructReader* pivot = a[start];
    size_t left = 0, right = start;
    while (left < right) {
      size_t mid = left + ((right - left) >> 1);
      if (CompareReaders(pivot, a[mid]) < 0) {
        right = mid;
      } else {
        left = mid + 1;
      }
    }
    for (size_t p = start; p > left; --p) a[p] = a[p - 1];
    a[left] = pivot;
  }
}

struct PendingWrite {
  LazyStruct s;
  uint64_t offset = 0;
};

Status CorruptionFrom(const char* op, const DecodeError& e) {
  return Status::Corruption(std::string(op) + ": " + e.what());
}

}  // namespace

uint64_t MaxStructsFor(size_t input_size) { return 64 * static_cast<uint64_t>(input_size) + 1024; }

std::vector<uint8_t> MergeUpdatesOrThrow(std::span<const std::vector<uint8_t>> updates,
                                         UpdateFormat format, StructLimit limit) {
  if (updates.size() == 1) return updates[0];
  std::vector<std::unique_ptr<UpdateDecoder>> decoders;
  std::vector<std::unique_ptr<LazyStructReader>> owned;
  for (const auto& u : updates) {
    decoders.push_back(NewDecoder(u, format));
    owned.push_back(std::make_unique<LazyStructReader>(*decoders.back(), /*filter_skips=*/true,
                                                       MaxStructsFor(u.size(), limit)));
  }
  std::vector<LazyStructReader*> readers;
  for (auto& r : owned) readers.push_back(r.get());

  std::unique_ptr<UpdateEncoder> encoder = NewEncoder(format);
  LazyStructWriter writer(*encoder);
  std::optional<PendingWrite> curr_write;

  while (true) {
    std::erase_if(readers, [](LazyStructReader* r) { return r->curr() == nullptr; });
    SortLikeV8(readers);
    if (readers.empty()) break;
    LazyStructReader* curr_decoder = readers[0];
    const uint64_t first_client = curr_decoder->curr()->id.client;

    if (curr_write) {
      LazyStruct* curr = curr_decoder->curr();
      bool iterated = false;
      // Skip what has been written already (higher clients come first).
      while (curr != nullptr && curr->end() <= curr_write->s.end() &&
             curr->id.client >= curr_write->s.id.client) {
        curr = curr_decoder->Next();
        iterated = true;
      }
      if (curr == nullptr || curr->id.client != first_client ||
          (iterated && curr->id.clock > curr_write->s.end())) {
        continue;
      }
      if (first_client != curr_write->s.id.client) {
        writer.Write(curr_write->s, curr_write->offset);
        curr_write = PendingWrite{*curr, 0};
        curr_decoder->Next();
      } else if (curr_write->s.end() < curr->id.clock) {
        // A gap in this client's structs.
        if (curr_write->s.kind == StructKind::kSkip) {
          // Yjs extends the Skip over `curr`, which the next round then passes over.
          curr_write->s.length = curr->end() - curr_write->s.id.clock;
        } else {
          writer.Write(curr_write->s, curr_write->offset);
          LazyStruct skip;
          skip.kind = StructKind::kSkip;
          skip.id = Id{first_client, curr_write->s.end()};
          skip.length = curr->id.clock - curr_write->s.end();
          curr_write = PendingWrite{std::move(skip), 0};
        }
      } else {
        const uint64_t diff = curr_write->s.end() - curr->id.clock;
        std::optional<LazyStruct> sliced;
        if (diff > 0) {
          if (curr_write->s.kind == StructKind::kSkip) {
            // Prefer cutting the Skip: the other struct carries content.
            curr_write->s.length -= diff;
          } else {
            sliced = SliceLazyStruct(*curr, diff);
          }
        }
        const LazyStruct& next = sliced ? *sliced : *curr;
        if (!MergeLazyStructs(curr_write->s, next)) {
          writer.Write(curr_write->s, curr_write->offset);
          curr_write = PendingWrite{next, 0};
          curr_decoder->Next();
        }
      }
    } else {
      curr_write = PendingWrite{*curr_decoder->curr(), 0};
      curr_decoder->Next();
    }
    // Write this decoder's directly following structs of the same client.
    for (LazyStruct* next = curr_decoder->curr();
         next != nullptr && next->id.client == first_client &&
         next->id.clock == curr_write->s.end() && next->kind != StructKind::kSkip;
         next = curr_decoder->Next()) {
      writer.Write(curr_write->s, curr_write->offset);
      curr_write = PendingWrite{*next, 0};
    }
  }
  if (curr_write) writer.Write(curr_write->s, curr_write->offset);
  writer.Finish();

  std::vector<DeleteSet> sets;
  for (auto& d : decoders) sets.push_back(ReadDeleteSet(*d));
  WriteDeleteSet(*encoder, DeleteSet::Merge(sets));
  return encoder->ToBytes();
}

std::vector<uint8_t> DiffUpdateOrThrow(std::span<const uint8_t> update, const StateVector& sv,
                                       UpdateFormat format, StructLimit limit) {
  std::unique_ptr<UpdateEncoder> encoder = NewEncoder(format);
  LazyStructWriter writer(*encoder);
  std::unique_ptr<UpdateDecoder> decoder = NewDecoder(update, format);
  LazyStructReader reader(*decoder, /*filter_skips=*/false, MaxStructsFor(update.size(), limit));
  while (reader.curr() != nullptr) {
    const LazyStruct* curr = reader.curr();
    const uint64_t client = curr->id.client;
    auto it = sv.find(client);
    const uint64_t sv_clock = it == sv.end() ? 0 : it->second;
    if (curr->kind == StructKind::kSkip) {
      reader.Next();  // a diff never starts with a Skip
      continue;
    }
    if (curr->end() > sv_clock) {
      writer.Write(*curr, sv_clock > curr->id.clock ? sv_clock - curr->id.clock : 0);
      reader.Next();
      while (reader.curr() != nullptr && reader.curr()->id.client == client) {
        writer.Write(*reader.curr(), 0);
        reader.Next();
      }
    } else {
      while (reader.curr() != nullptr && reader.curr()->id.client == client &&
             reader.curr()->end() <= sv_clock) {
        reader.Next();
      }
    }
  }
  writer.Finish();
  WriteDeleteSet(*encoder, ReadDeleteSet(*decoder));
  return encoder->ToBytes();
}

std::vector<uint8_t> ConvertUpdateFormatOrThrow(std::span<const uint8_t> update, UpdateFormat from,
                                                UpdateFormat to, StructLimit limit) {
  std::unique_ptr<UpdateDecoder> decoder = NewDecoder(update, from);
  LazyStructReader reader(*decoder, /*filter_skips=*/false, MaxStructsFor(update.size(), limit));
  std::unique_ptr<UpdateEncoder> encoder = NewEncoder(to);
  LazyStructWriter writer(*encoder);
  for (const LazyStruct* s = reader.curr(); s != nullptr; s = reader.Next()) writer.Write(*s, 0);
  writer.Finish();
  WriteDeleteSet(*encoder, ReadDeleteSet(*decoder));
  return encoder->ToBytes();
}

namespace {

std::vector<uint8_t> EncodeStateVectorFromUpdateOrThrow(std::span<const uint8_t> update,
                                                        UpdateFormat format) {
  std::unique_ptr<UpdateDecoder> decoder = NewDecoder(update, format);
  LazyStructReader reader(*decoder, /*filter_skips=*/false, MaxStructsFor(update.size()));
  Lib0Encoder pairs;
  uint64_t size = 0;
  const LazyStruct* curr = reader.curr();
  if (curr != nullptr) {
    uint64_t curr_client = curr->id.client;
    bool stop_counting = curr->id.clock != 0;  // only structs from clock 0 on count
    uint64_t curr_clock = stop_counting ? 0 : curr->end();
    for (; curr != nullptr; curr = reader.Next()) {
      if (curr_client != curr->id.client) {
        if (curr_clock != 0) {
          ++size;
          pairs.WriteVarUint(curr_client);
          pairs.WriteVarUint(curr_clock);
        }
        curr_client = curr->id.client;
        curr_clock = 0;
        stop_counting = curr->id.clock != 0;
      }
      if (curr->kind == StructKind::kSkip) stop_counting = true;
      if (!stop_counting) curr_clock = curr->end();
    }
    if (curr_clock != 0) {
      ++size;
      pairs.WriteVarUint(curr_client);
      pairs.WriteVarUint(curr_clock);
    }
  }
  Lib0Encoder out;
  out.WriteVarUint(size);
  out.WriteUint8Array(pairs.bytes());
  return out.TakeBytes();
}

// `whole`: also read the delete set, so that every byte of the update is checked.
UpdateMeta ParseUpdateMetaOrThrow(std::span<const uint8_t> update, UpdateFormat format,
                                  bool whole = false) {
  std::unique_ptr<UpdateDecoder> decoder = NewDecoder(update, format);
  LazyStructReader reader(*decoder, /*filter_skips=*/false, MaxStructsFor(update.size()));
  UpdateMeta meta;
  const LazyStruct* curr = reader.curr();
  if (curr == nullptr) {
    if (whole) ReadDeleteSet(*decoder);
    return meta;
  }
  uint64_t curr_client = curr->id.client;
  uint64_t curr_clock = curr->id.clock;
  meta.from[curr_client] = curr_clock;
  for (; curr != nullptr; curr = reader.Next()) {
    if (curr_client != curr->id.client) {
      meta.to[curr_client] = curr_clock;
      meta.from[curr->id.client] = curr->id.clock;
      curr_client = curr->id.client;
    }
    curr_clock = curr->end();
  }
  meta.to[curr_client] = curr_clock;
  if (whole) ReadDeleteSet(*decoder);
  return meta;
}

template <typename F>
auto Guard(const char* op, F&& f) -> Result<decltype(f())> {
  try {
    return f();
  } catch (const DecodeError& e) {
    return CorruptionFrom(op, e);
  }
}

}  // namespace

Result<std::vector<uint8_t>> MergeUpdates(std::span<const std::vector<uint8_t>> updates) {
  return Guard("mergeUpdates", [&] { return MergeUpdatesOrThrow(updates, UpdateFormat::kV1); });
}
Result<std::vector<uint8_t>> MergeUpdatesV2(std::span<const std::vector<uint8_t>> updates) {
  return Guard("mergeUpdatesV2", [&] { return MergeUpdatesOrThrow(updates, UpdateFormat::kV2); });
}

Result<std::vector<uint8_t>> DiffUpdate(std::span<const uint8_t> update,
                                        std::span<const uint8_t> state_vector) {
  return Guard("diffUpdate", [&] {
    Lib0Decoder d(state_vector);
    return DiffUpdateOrThrow(update, ReadStateVector(d), UpdateFormat::kV1);
  });
}
Result<std::vector<uint8_t>> DiffUpdateV2(std::span<const uint8_t> update,
                                          std::span<const uint8_t> state_vector) {
  return Guard("diffUpdateV2", [&] {
    Lib0Decoder d(state_vector);
    return DiffUpdateOrThrow(update, ReadStateVector(d), UpdateFormat::kV2);
  });
}

Result<std::vector<uint8_t>> EncodeStateVectorFromUpdate(std::span<const uint8_t> update) {
  return Guard("encodeStateVectorFromUpdate",
               [&] { return EncodeStateVectorFromUpdateOrThrow(update, UpdateFormat::kV1); });
}
Result<std::vector<uint8_t>> EncodeStateVectorFromUpdateV2(std::span<const uint8_t> update) {
  return Guard("encodeStateVectorFromUpdateV2",
               [&] { return EncodeStateVectorFromUpdateOrThrow(update, UpdateFormat::kV2); });
}

Result<UpdateMeta> ParseUpdateMeta(std::span<const uint8_t> update) {
  return Guard("parseUpdateMeta",
               [&] { return ParseUpdateMetaOrThrow(update, UpdateFormat::kV1); });
}
Result<UpdateMeta> ParseUpdateMetaV2(std::span<const uint8_t> update) {
  return Guard("parseUpdateMetaV2",
               [&] { return ParseUpdateMetaOrThrow(update, UpdateFormat::kV2); });
}

Result<UpdateMeta> ValidateUpdate(std::span<const uint8_t> update) {
  return Guard("validateUpdate",
               [&] { return ParseUpdateMetaOrThrow(update, UpdateFormat::kV1, /*whole=*/true); });
}
Result<UpdateMeta> ValidateUpdateV2(std::span<const uint8_t> update) {
  return Guard("validateUpdateV2",
               [&] { return ParseUpdateMetaOrThrow(update, UpdateFormat::kV2, /*whole=*/true); });
}

Result<std::vector<uint8_t>> ConvertUpdateFormatV1ToV2(std::span<const uint8_t> update) {
  return Guard("convertUpdateFormatV1ToV2", [&] {
    return ConvertUpdateFormatOrThrow(update, UpdateFormat::kV1, UpdateFormat::kV2);
  });
}
Result<std::vector<uint8_t>> ConvertUpdateFormatV2ToV1(std::span<const uint8_t> update) {
  return Guard("convertUpdateFormatV2ToV1", [&] {
    return ConvertUpdateFormatOrThrow(update, UpdateFormat::kV2, UpdateFormat::kV1);
  });
}

}  // namespace accord::crdt
