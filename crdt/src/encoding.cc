#include "encoding.h"

#include <algorithm>

#include "delete_set.h"
#include "doc_impl.h"
#include "transaction.h"
#include "update_ops.h"

namespace accord::crdt {
namespace {

constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;

// At most this many structs per input byte (v2 run-length columns can describe structs that
// take no bytes at all; no real update comes near this).
uint64_t MaxStructs(size_t input_size) { return 64 * static_cast<uint64_t>(input_size) + 1024; }

void CheckSafe(uint64_t v, const char* what) {
  if (v > kMaxSafe) throw DecodeError(what);
}

// Writes `structs` (one client's, in clock order) from `clock` on (Yjs writeStructs).
void WriteStructs(UpdateEncoder& encoder, const std::vector<Item*>& structs, uint64_t client,
                  uint64_t clock) {
  clock = std::max(clock, structs[0]->id.clock);
  const size_t start = FindIndexSS(structs, clock);
  encoder.WriteRestVarUint(structs.size() - start);
  encoder.WriteClient(client);
  encoder.WriteRestVarUint(clock);
  const Item* first = structs[start];
  WriteStruct(encoder, first, clock - first->id.clock);
  for (size_t i = start + 1; i < structs.size(); ++i) WriteStruct(encoder, structs[i], 0);
}

// Writes a map of per-client struct lists whole, then an empty delete set: the v2 update Yjs
// keeps for pending structs.
std::vector<uint8_t> EncodeRest(const std::map<uint64_t, std::vector<Item*>>& rest) {
  auto encoder = NewUpdateEncoderV2();
  encoder->WriteRestVarUint(rest.size());
  for (auto it = rest.rbegin(); it != rest.rend(); ++it) {
    WriteStructs(*encoder, it->second, it->first, 0);
  }
  encoder->WriteRestVarUint(0);
  return encoder->ToBytes();
}

DeleteSet DeleteSetFromStore(const StructStore& store) {
  DeleteSet ds;
  for (const auto& [client, structs] : store.clients()) {
    for (size_t i = 0; i < structs.size(); ++i) {
      if (!structs[i]->deleted()) continue;
      const uint64_t clock = structs[i]->id.clock;
      uint64_t len = structs[i]->length;
      while (i + 1 < structs.size() && structs[i + 1]->deleted()) len += structs[++i]->length;
      ds.Add(client, clock, len);
    }
  }
  return ds;
}

// The structs not integrated by IntegrateStructs, and what they wait for.
struct RestStructs {
  StateVector missing;
  std::map<uint64_t, std::vector<Item*>> rest;
};

// Yjs integrateStructs, over a copy of the per-client cursors. `Ops` decides whether structs
// are really integrated (RealOps) or only the control flow is simulated (DryOps).
template <typename Ops>
RestStructs IntegrateStructs(const std::map<uint64_t, DecodedUpdate::Refs>& input, Ops& ops) {
  struct Cursor {
    size_t i = 0;
    std::vector<Item*> refs;
    bool removed = false;
  };
  std::map<uint64_t, Cursor> clients;
  std::vector<uint64_t> ids;
  for (const auto& [client, r] : input) {
    clients[client].refs = r.refs;
    ids.push_back(client);
  }
  RestStructs out;
  if (ids.empty()) return out;
  auto get_next = [&]() -> Cursor* {
    while (!ids.empty()) {
      Cursor* t = &clients[ids.back()];
      if (t->refs.size() != t->i) return t;
      ids.pop_back();
    }
    return nullptr;
  };
  Cursor* cur = get_next();
  if (cur == nullptr) return out;
  auto update_missing = [&](uint64_t client, uint64_t clock) {
    auto it = out.missing.find(client);
    if (it == out.missing.end() || it->second > clock) out.missing[client] = clock;
  };
  std::vector<Item*> stack;
  auto add_stack_to_rest = [&]() {
    for (Item* item : stack) {
      const uint64_t client = item->id.client;
      auto it = clients.find(client);
      if (it != clients.end() && !it->second.removed) {
        Cursor& c = it->second;
        c.i--;
        out.rest[client] =
            std::vector<Item*>(c.refs.begin() + static_cast<ptrdiff_t>(c.i), c.refs.end());
        c.removed = true;
        c.i = 0;
        c.refs.clear();
      } else {
        out.rest[client] = std::vector<Item*>{item};
      }
      ids.erase(std::remove(ids.begin(), ids.end(), client), ids.end());
    }
    stack.clear();
  };
  std::map<uint64_t, uint64_t> state;
  Item* head = cur->refs[cur->i++];
  while (true) {
    if (!head->is_skip()) {
      const uint64_t client = head->id.client;
      auto sit = state.find(client);
      if (sit == state.end()) sit = state.emplace(client, ops.State(client)).first;
      const uint64_t local = sit->second;
      if (head->id.clock > local) {
        // An earlier struct of the same client is missing.
        stack.push_back(head);
        update_missing(client, head->id.clock - 1);
        add_stack_to_rest();
      } else {
        const int64_t missing = ops.GetMissing(head);
        if (missing >= 0) {
          stack.push_back(head);
          auto mit = clients.find(static_cast<uint64_t>(missing));
          Cursor* refs = (mit == clients.end()) ? nullptr : &mit->second;
          if (refs == nullptr || refs->refs.size() == refs->i) {
            update_missing(static_cast<uint64_t>(missing),
                           ops.State(static_cast<uint64_t>(missing)));
            add_stack_to_rest();
          } else {
            head = refs->refs[refs->i++];
            continue;
          }
        } else {
          const uint64_t offset = local - head->id.clock;
          if (offset == 0 || offset < head->length) {
            const uint64_t end = head->id.clock + head->length;
            ops.Integrate(head, offset);
            state[client] = end;
          }
        }
      }
    }
    if (!stack.empty()) {
      head = stack.back();
      stack.pop_back();
    } else if (cur != nullptr && cur->i < cur->refs.size()) {
      head = cur->refs[cur->i++];
    } else {
      cur = get_next();
      if (cur == nullptr) break;
      head = cur->refs[cur->i++];
    }
  }
  return out;
}

struct RealOps {
  Transaction& txn;
  uint64_t State(uint64_t client) { return txn.store().GetState(client); }
  int64_t GetMissing(Item* item) { return ItemGetMissing(item, txn); }
  void Integrate(Item* item, uint64_t offset) { IntegrateItem(item, txn, offset); }
};

struct DryOps {
  const StructStore& store;
  std::map<uint64_t, uint64_t> sim;
  uint64_t State(uint64_t client) {
    auto it = sim.find(client);
    return it != sim.end() ? it->second : store.GetState(client);
  }
  int64_t GetMissing(Item* item) {
    const uint64_t client = item->id.client;
    if (item->has_origin() && item->origin.client != client &&
        item->origin.clock >= State(item->origin.client)) {
      return static_cast<int64_t>(item->origin.client);
    }
    if (item->has_right_origin() && item->right_origin.client != client &&
        item->right_origin.clock >= State(item->right_origin.client)) {
      return static_cast<int64_t>(item->right_origin.client);
    }
    if (item->parent_kind == ItemParentKind::kItemId && item->parent.id_ref->client != client &&
        item->parent.id_ref->clock >= State(item->parent.id_ref->client)) {
      return static_cast<int64_t>(item->parent.id_ref->client);
    }
    return -1;
  }
  void Integrate(Item* item, uint64_t) { sim[item->id.client] = item->id.clock + item->length; }
};

// Yjs readAndApplyDeleteSet: deletes what exists, returns the rest as a v2 update.
std::optional<std::vector<uint8_t>> ApplyDeleteSet(Transaction& txn, const DeleteSet& ds) {
  StructStore& store = txn.store();
  DeleteSet unapplied;
  // Descending client order, as Yjs writes (and so applies) delete sets: the order in which
  // clients enter the transaction's delete set steers the text formatting cleanup.
  for (auto ci = ds.clients().rbegin(); ci != ds.clients().rend(); ++ci) {
    const auto& [client, ranges] = *ci;
    const uint64_t state = store.GetState(client);
    for (const DeleteItem& del : ranges) {
      const uint64_t clock = del.clock;
      const uint64_t end = del.clock + del.len;
      if (clock >= state) {
        unapplied.Add(client, clock, del.len);
        continue;
      }
      if (state < end) unapplied.Add(client, state, end - state);
      StructStore::Structs& structs = *store.Get(client);
      size_t index = FindIndexSS(structs, clock);
      Item* s = structs[index];
      if (!s->deleted() && s->id.clock < clock) {
        Item* right = SplitItem(txn, s, clock - s->id.clock);
        structs.insert(structs.begin() + static_cast<ptrdiff_t>(index) + 1, right);
        ++index;
      }
      while (index < structs.size()) {
        s = structs[index++];
        if (s->id.clock >= end) break;
        if (!s->deleted()) {
          if (end < s->id.clock + s->length) {
            Item* right = SplitItem(txn, s, end - s->id.clock);
            structs.insert(structs.begin() + static_cast<ptrdiff_t>(index), right);
          }
          ItemDelete(txn, s);
        }
      }
    }
  }
  if (unapplied.empty()) return std::nullopt;
  auto encoder = NewUpdateEncoderV2();
  encoder->WriteRestVarUint(0);
  WriteDeleteSet(*encoder, unapplied);
  return encoder->ToBytes();
}

}  // namespace

void WriteClientsStructs(UpdateEncoder& encoder, StructStore& store, const StateVector& sv) {
  std::map<uint64_t, uint64_t> sm;
  for (const auto& [client, clock] : sv) {
    if (store.GetState(client) > clock) sm[client] = clock;
  }
  for (const auto& [client, structs] : store.clients()) {
    if (sv.count(client) == 0) sm[client] = 0;
  }
  encoder.WriteRestVarUint(sm.size());
  for (auto it = sm.rbegin(); it != sm.rend(); ++it) {
    WriteStructs(encoder, *store.Get(it->first), it->first, it->second);
  }
}

// ---- DecodedUpdate ----

DecodedUpdate::DecodedUpdate(DocImpl* doc) : doc_(doc) {}

DecodedUpdate::~DecodedUpdate() { ReleaseUnintegrated(); }

void DecodedUpdate::ReleaseUnintegrated() {
  for (auto& [client, r] : clients) {
    for (Item* item : r.refs) {
      if ((item->flags & Item::kIntegrated) == 0) doc_->pool().Free(item);
    }
  }
  clients.clear();
}

AbstractType* DecodedUpdate::NewType(TypeRef ref, std::string name) {
  auto t = std::make_unique<AbstractType>(KindFromRef(ref), doc_);
  t->set_node_name(std::move(name));
  types.push_back(std::move(t));
  return types.back().get();
}

std::unique_ptr<DecodedUpdate> DecodeUpdate(std::span<const uint8_t> data, bool v2, DocImpl* doc) {
  auto out = std::make_unique<DecodedUpdate>(doc);
  std::unique_ptr<UpdateDecoder> decoder = v2 ? NewUpdateDecoderV2(data) : NewUpdateDecoderV1(data);
  const uint64_t max_structs = MaxStructs(data.size());
  uint64_t total = 0;
  const uint64_t num_clients = decoder->ReadRestVarUint();
  for (uint64_t c = 0; c < num_clients; ++c) {
    const uint64_t count = decoder->ReadRestVarUint();
    const uint64_t client = decoder->ReadClient();
    uint64_t clock = decoder->ReadRestVarUint();
    CheckSafe(client, "client id out of range");
    CheckSafe(clock, "clock out of range");
    if (count > max_structs - total) throw DecodeError("too many structs");
    total += count;
    // A client listed twice keeps only its last list, as in Yjs.
    DecodedUpdate::Refs& refs = out->clients[client];
    for (Item* old : refs.refs) doc->pool().Free(old);
    refs.refs.clear();
    for (uint64_t k = 0; k < count; ++k) {
      const uint8_t info = decoder->ReadInfo();
      Item* s = doc->pool().New();
      refs.refs.push_back(s);
      s->id = Id{client, clock};
      switch (info & 0x1F) {
        case kRefGc:
          s->kind = ItemKind::kGc;
          s->length = decoder->ReadLen();
          break;
        case kRefSkip:
          s->kind = ItemKind::kSkip;
          s->length = decoder->ReadRestVarUint();
          break;
        default: {
          if (info & 0x80) {
            Id o = decoder->ReadLeftId();
            CheckSafe(o.client, "bad origin");
            if (o.client == client && o.clock >= clock) throw DecodeError("origin after item");
            s->SetOrigin(&o);
          }
          if (info & 0x40) {
            Id o = decoder->ReadRightId();
            CheckSafe(o.client, "bad right origin");
            if (o.client == client && o.clock >= clock)
              throw DecodeError("right origin after item");
            s->SetRightOrigin(&o);
          }
          if ((info & 0xC0) == 0) {
            if (decoder->ReadParentInfo()) {
              out->names.push_back(decoder->ReadString());
              s->parent.root_name = &out->names.back();
              s->parent_kind = ItemParentKind::kRoot;
            } else {
              Id p = decoder->ReadLeftId();
              CheckSafe(p.client, "bad parent");
              if (p.client == client && p.clock >= clock) throw DecodeError("parent after item");
              out->parent_ids.push_back(p);
              s->parent.id_ref = &out->parent_ids.back();
              s->parent_kind = ItemParentKind::kItemId;
            }
            if (info & 0x20) {
              out->names.push_back(decoder->ReadString());
              s->parent_sub = &out->names.back();
            }
          }
          s->content = ReadItemContent(*decoder, info, *out);
          s->length = s->content->Length();
          s->info = s->content->Countable() ? Item::kCountable : 0;
        }
      }
      if (s->length == 0 || s->length > kMaxSafe - clock) throw DecodeError("bad struct length");
      clock += s->length;
    }
  }
  out->ds = ReadDeleteSet(*decoder);
  for (const auto& [client, ranges] : out->ds.clients()) {
    CheckSafe(client, "client id out of range");
    for (const DeleteItem& d : ranges) {
      if (d.len == 0 || d.clock > kMaxSafe || d.len > kMaxSafe - d.clock) {
        throw DecodeError("bad delete range");
      }
    }
  }
  return out;
}

size_t PredictPendingBytes(const DecodedUpdate& update, const StructStore& store) {
  DryOps ops{store, {}};
  RestStructs rest = IntegrateStructs(update.clients, ops);
  if (rest.rest.empty()) return 0;
  return EncodeRest(rest.rest).size();
}

void ApplyDecodedUpdate(Transaction& txn, DecodedUpdate& update) {
  txn.set_local(false);
  DocImpl* doc = txn.doc();
  StructStore& store = txn.store();
  // Map keys and types now belong to the document.
  for (auto& [client, r] : update.clients) {
    for (Item* item : r.refs) {
      if (item->parent_sub != nullptr) item->parent_sub = doc->Intern(*item->parent_sub);
    }
  }
  doc->AdoptTypes(std::move(update.types));

  RealOps ops{txn};
  RestStructs rest = IntegrateStructs(update.clients, ops);
  std::optional<std::vector<uint8_t>> rest_update;
  if (!rest.rest.empty()) rest_update = EncodeRest(rest.rest);
  // Integrated structs now belong to the store (and may be merged away when the transaction
  // ends); release the others now, while the pointers are still known to be valid.
  update.ReleaseUnintegrated();
  bool retry = false;
  if (store.pending_structs) {
    PendingStructs& pending = *store.pending_structs;
    for (const auto& [client, clock] : pending.missing) {
      if (clock < store.GetState(client)) {
        retry = true;
        break;
      }
    }
    if (!rest.rest.empty()) {
      for (const auto& [client, clock] : rest.missing) {
        auto it = pending.missing.find(client);
        if (it == pending.missing.end() || it->second > clock) pending.missing[client] = clock;
      }
      std::vector<std::vector<uint8_t>> both{std::move(pending.update), std::move(*rest_update)};
      pending.update = MergeV2Updates(both);
    }
  } else if (!rest.rest.empty()) {
    store.pending_structs = PendingStructs{rest.missing, std::move(*rest_update)};
  }

  std::optional<std::vector<uint8_t>> ds_rest = ApplyDeleteSet(txn, update.ds);
  if (store.pending_ds) {
    std::vector<uint8_t> old = std::move(*store.pending_ds);
    store.pending_ds.reset();
    std::unique_ptr<DecodedUpdate> pending_ds = DecodeUpdate(old, /*v2=*/true, doc);
    std::optional<std::vector<uint8_t>> ds_rest2 = ApplyDeleteSet(txn, pending_ds->ds);
    if (ds_rest && ds_rest2) {
      std::vector<std::vector<uint8_t>> both{std::move(*ds_rest), std::move(*ds_rest2)};
      store.pending_ds = MergeV2Updates(both);
    } else {
      store.pending_ds = ds_rest ? std::move(ds_rest) : std::move(ds_rest2);
    }
  } else {
    store.pending_ds = std::move(ds_rest);
  }

  if (retry) {
    std::vector<uint8_t> pending = std::move(store.pending_structs->update);
    store.pending_structs.reset();
    std::unique_ptr<DecodedUpdate> again = DecodeUpdate(pending, /*v2=*/true, doc);
    ApplyDecodedUpdate(txn, *again);
  }
}

std::vector<uint8_t> EncodeStateAsUpdateImpl(DocImpl* doc, const StateVector& sv, bool v2) {
  StructStore& store = doc->store();
  std::unique_ptr<UpdateEncoder> encoder = v2 ? NewUpdateEncoderV2() : NewUpdateEncoderV1();
  WriteClientsStructs(*encoder, store, sv);
  WriteDeleteSet(*encoder, DeleteSetFromStore(store));
  std::vector<std::vector<uint8_t>> updates;
  updates.push_back(encoder->ToBytes());
  if (store.pending_ds) updates.push_back(*store.pending_ds);
  if (store.pending_structs) updates.push_back(DiffV2Update(store.pending_structs->update, sv));
  if (updates.size() == 1) return std::move(updates[0]);
  if (v2) return MergeV2Updates(updates);
  for (size_t i = 1; i < updates.size(); ++i) updates[i] = ConvertV2ToV1(updates[i]);
  return MergeV1Updates(updates);
}

}  // namespace accord::crdt
