#include "delete_set.h"

#include <algorithm>

namespace accord::crdt {

void DeleteSet::SortAndMerge() {
  for (auto& [client, items] : clients_) {
    std::stable_sort(items.begin(), items.end(),
                     [](const DeleteItem& a, const DeleteItem& b) { return a.clock < b.clock; });
    // Fuse in place: items[j - 1] is the last kept range.
    size_t j = 1;
    for (size_t i = 1; i < items.size(); ++i) {
      DeleteItem& left = items[j - 1];
      const DeleteItem& right = items[i];
      if (left.clock + left.len >= right.clock) {
        left.len = std::max(left.len, right.clock + right.len - left.clock);
      } else {
        if (j < i) items[j] = right;
        ++j;
      }
    }
    if (items.size() > j) items.resize(j);
  }
}

DeleteSet DeleteSet::Merge(std::span<const DeleteSet> sets) {
  DeleteSet merged;
  for (const DeleteSet& ds : sets) {
    for (const auto& [client, items] : ds.clients_) {
      auto& dst = merged.clients_[client];
      dst.insert(dst.end(), items.begin(), items.end());
    }
  }
  merged.SortAndMerge();
  return merged;
}

int64_t FindDeleteItemIndex(std::span<const DeleteItem> items, uint64_t clock) {
  size_t left = 0;
  size_t right = items.size();  // exclusive
  while (left < right) {
    size_t mid = left + (right - left) / 2;
    const DeleteItem& item = items[mid];
    if (item.clock <= clock) {
      if (clock < item.clock + item.len) return static_cast<int64_t>(mid);
      left = mid + 1;
    } else {
      right = mid;
    }
  }
  return -1;
}

bool DeleteSet::IsDeleted(uint64_t client, uint64_t clock) const {
  auto it = clients_.find(client);
  return it != clients_.end() && FindDeleteItemIndex(it->second, clock) >= 0;
}

void WriteDeleteSet(UpdateEncoder& encoder, const DeleteSet& ds) {
  encoder.WriteRestVarUint(ds.clients().size());
  for (auto it = ds.clients().rbegin(); it != ds.clients().rend(); ++it) {
    encoder.ResetDsCurVal();
    encoder.WriteRestVarUint(it->first);
    encoder.WriteRestVarUint(it->second.size());
    for (const DeleteItem& item : it->second) {
      encoder.WriteDsClock(item.clock);
      encoder.WriteDsLen(item.len);
    }
  }
}

DeleteSet ReadDeleteSet(UpdateDecoder& decoder) {
  DeleteSet ds;
  uint64_t num_clients = decoder.ReadRestVarUint();
  for (uint64_t i = 0; i < num_clients; ++i) {
    decoder.ResetDsCurVal();
    uint64_t client = decoder.ReadRestVarUint();
    uint64_t num_deletes = decoder.ReadRestVarUint();
    if (num_deletes == 0) continue;
    auto& items = ds.mutable_clients()[client];
    // No reserve(num_deletes): the count is untrusted. Every range costs at least one byte of
    // the rest stream, so the loop ends (with DecodeError) when the input does.
    for (uint64_t k = 0; k < num_deletes; ++k) {
      uint64_t clock = decoder.ReadDsClock();
      uint64_t len = decoder.ReadDsLen();
      items.push_back(DeleteItem{clock, len});
    }
  }
  return ds;
}

}  // namespace accord::crdt
