// snapshot.cc: Yjs snapshots (utils/Snapshot.js): taking, comparing and (de)serialising them.
#include "accord/crdt/snapshot.h"

#include <memory>

#include "accord/crdt/doc.h"
#include "delete_set.h"
#include "doc_impl.h"
#include "item.h"
#include "lazy_struct.h"
#include "snapshot_internal.h"
#include "state_vector.h"
#include "struct_store.h"
#include "transaction.h"
#include "update_coder.h"
#include "updates.h"

namespace accord::crdt {
namespace {

// Runs of consecutive deleted structs become one range (Yjs createDeleteSetFromStructStore).
DeleteSet DeleteSetFromStore(const StructStore& store) {
  DeleteSet ds;
  for (const auto& [client, structs] : store.clients()) {
    for (size_t i = 0; i < structs.size(); ++i) {
      const Item* s = structs[i];
      if (!s->deleted()) continue;
      uint64_t clock = s->id.clock;
      uint64_t len = s->length;
      while (i + 1 < structs.size() && structs[i + 1]->deleted()) {
        len += structs[++i]->length;
      }
      ds.Add(client, clock, len);
    }
  }
  return ds;
}

std::vector<uint8_t> Encode(UpdateEncoder& encoder, const Snapshot& s) {
  WriteDeleteSet(encoder, s.ds);
  WriteStateVector(encoder, s.sv);
  return encoder.ToBytes();
}

Result<Snapshot> Decode(std::unique_ptr<UpdateDecoder> (*make)(std::span<const uint8_t>),
                        std::span<const uint8_t> data) {
  try {
    std::unique_ptr<UpdateDecoder> decoder = make(data);
    Snapshot s;
    s.ds = ReadDeleteSet(*decoder);
    s.sv = ReadStateVector(*decoder);
    return s;
  } catch (const DecodeError& e) {
    return Status::Corruption(e.what());
  }
}

}  // namespace

Snapshot EmptySnapshot() { return Snapshot{}; }

Snapshot TakeSnapshot(Doc& doc) {
  const StructStore& store = doc.internal()->store();
  return Snapshot{DeleteSetFromStore(store), store.GetStateVector()};
}

bool EqualSnapshots(const Snapshot& a, const Snapshot& b) {
  // Yjs compares range lists per client; a client without ranges never appears in either.
  return a.sv == b.sv && a.ds.clients() == b.ds.clients();
}

std::vector<uint8_t> EncodeSnapshot(const Snapshot& s) {
  std::unique_ptr<UpdateEncoder> encoder = NewUpdateEncoderV1();
  return Encode(*encoder, s);
}

std::vector<uint8_t> EncodeSnapshotV2(const Snapshot& s) {
  std::unique_ptr<UpdateEncoder> encoder = NewDsEncoderV2();
  return Encode(*encoder, s);
}

Result<Snapshot> DecodeSnapshot(std::span<const uint8_t> data) {
  return Decode(&NewUpdateDecoderV1, data);
}

Result<Snapshot> DecodeSnapshotV2(std::span<const uint8_t> data) {
  return Decode(&NewDsDecoderV2, data);
}

bool IsVisible(const Item& item, const Snapshot* snapshot) {
  if (snapshot == nullptr) return !item.deleted();
  auto it = snapshot->sv.find(item.id.client);
  return it != snapshot->sv.end() && it->second > item.id.clock &&
         !snapshot->ds.IsDeleted(item.id.client, item.id.clock);
}

Status CreateDocFromSnapshot(Doc& origin, const Snapshot& snapshot, Doc& out) {
  DocImpl* doc = origin.internal();
  if (doc->gc()) {
    return Status::FailedPrecondition("origin document must have garbage collection disabled");
  }
  StructStore& store = doc->store();
  for (const auto& [client, clock] : snapshot.sv) {
    if (clock > store.GetState(client)) {
      return Status::InvalidArgument("snapshot is ahead of the origin document");
    }
  }
  std::unique_ptr<UpdateEncoder> encoder = NewUpdateEncoderV2();
  doc->Transact([&](Transaction& txn) {
    uint64_t clients = 0;
    for (const auto& [client, clock] : snapshot.sv) clients += clock > 0 ? 1 : 0;
    encoder->WriteRestVarUint(clients);
    for (const auto& [client, clock] : snapshot.sv) {
      if (clock == 0) continue;
      // Split so that the last struct written ends exactly at the snapshot clock.
      if (clock < store.GetState(client)) GetItemCleanStart(txn, Id{client, clock});
      const StructStore::Structs& structs = store.clients().at(client);
      const size_t last = FindIndexSS(structs, clock - 1);
      encoder->WriteRestVarUint(last + 1);
      encoder->WriteClient(client);
      encoder->WriteRestVarUint(0);
      for (size_t i = 0; i <= last; ++i) WriteStruct(*encoder, structs[i], 0);
    }
    WriteDeleteSet(*encoder, snapshot.ds);
  });
  return out.ApplyUpdate(encoder->ToBytes(), UpdateFormat::kV2);
}

Result<bool> SnapshotContainsUpdate(const Snapshot& snapshot, std::span<const uint8_t> update,
                                    UpdateFormat format) {
  try {
    std::unique_ptr<UpdateDecoder> decoder =
        format == UpdateFormat::kV2 ? NewUpdateDecoderV2(update) : NewUpdateDecoderV1(update);
    LazyStructReader reader(*decoder, /*filter_skips=*/false, MaxStructsFor(update.size()));
    for (LazyStruct* s = reader.curr(); s != nullptr; s = reader.Next()) {
      auto it = snapshot.sv.find(s->id.client);
      const uint64_t known = it == snapshot.sv.end() ? 0 : it->second;
      if (known < s->end()) return false;
    }
    const DeleteSet sets[] = {snapshot.ds, ReadDeleteSet(*decoder)};
    return snapshot.ds == DeleteSet::Merge(sets);
  } catch (const DecodeError& e) {
    return Status::Corruption(e.what());
  }
}

}  // namespace accord::crdt
