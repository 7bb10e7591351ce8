#include "encoding.h"

#include <algorithm>
#include <type_traits>
#include <unordered_map>

#include "delete_set.h"
#include "doc_impl.h"
#include "transaction.h"
#include "update_coder_impl.h"
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

// WriteStruct (item.cc) for the struct kinds that make up nearly every document (GC, and
// Items of deleted or string content that have an origin, so no parent is written), called
// through the encoder's final type so that the field writers inline. Everything else goes the
// general way. Must write exactly what WriteStruct writes.
template <class Encoder>
inline void WriteStructFast(Encoder& encoder, const Item* s, uint64_t offset) {
  if (s->is_gc()) {
    encoder.WriteInfo(kRefGc);
    encoder.WriteLen(s->length - offset);
    return;
  }
  const bool has_origin = offset > 0 || s->has_origin();
  if (s->is_item() && (has_origin || s->has_right_origin())) {
    const Content* content = s->content.get();
    const uint8_t ref = content->ref();
    if (ref == kRefDeleted || ref == kRefString) {
      const Id left{s->id.client, s->id.clock + offset - 1};
      const Id* left_id = offset > 0 ? &left : (has_origin ? &s->origin : nullptr);
      const Id* right_id = s->has_right_origin() ? &s->right_origin : nullptr;
      const uint8_t info =
          static_cast<uint8_t>(ref | (has_origin ? 0x80 : 0) | (right_id != nullptr ? 0x40 : 0) |
                               (s->parent_sub != nullptr ? 0x20 : 0));
      if constexpr (std::is_same_v<Encoder, UpdateEncoderV1>) {
        // v1: the same fields through the fused writer (one room check per struct), and the
        // string without its UTF-16 length, which v1 does not write.
        if (ref == kRefDeleted) {
          const uint64_t len = static_cast<const ContentDeleted*>(content)->Length() - offset;
          encoder.WriteItemFields(info, left_id, right_id, &len);
        } else {
          encoder.WriteItemFields(info, left_id, right_id, nullptr);
          if (offset == 0) {
            encoder.WriteString(static_cast<const ContentString*>(content)->str());
          } else {
            content->Write(encoder, offset);
          }
        }
        return;
      }
      encoder.WriteInfo(info);
      if (left_id != nullptr) encoder.WriteLeftId(*left_id);
      if (right_id != nullptr) encoder.WriteRightId(*right_id);
      if (ref == kRefDeleted) {
        encoder.WriteLen(static_cast<const ContentDeleted*>(content)->Length() - offset);
      } else if (offset == 0) {
        const auto* str = static_cast<const ContentString*>(content);
        encoder.WriteStringUnits(str->str(), str->Length());
      } else {
        content->Write(encoder, offset);
      }
      return;
    }
  }
  WriteStruct(encoder, s, offset);
}

// Writes `structs` (one client's, in clock order) from `clock` on (Yjs writeStructs). With
// `ds`, also adds the client's deleted ranges to it (all structs must then be written, clock 0).
template <class Encoder>
void WriteStructsT(Encoder& encoder, const std::vector<Item*>& structs, uint64_t client,
                   uint64_t clock, DeleteSet* ds) {
  clock = std::max(clock, structs[0]->id.clock);
  const size_t start = FindIndexSS(structs, clock);
  const size_t n = structs.size();
  encoder.WriteRestVarUint(n - start);
  encoder.WriteClient(client);
  encoder.WriteRestVarUint(clock);
  // Items, their content and its text live wherever the allocator put them; fetching them
  // ahead, in three stages (item, then the content it points to, then a string's text), keeps
  // the loop from waiting on memory in large documents.
  constexpr size_t kItemAhead = 24;
  constexpr size_t kContentAhead = 12;
  constexpr size_t kTextAhead = 4;
  for (size_t i = start; i < std::min(n, start + kItemAhead); ++i) __builtin_prefetch(structs[i]);
  uint64_t del_clock = 0;
  uint64_t del_len = 0;
  std::vector<DeleteItem>* ranges = nullptr;  // the client's entry in `ds`, once it has one
  auto add_range = [&] {
    if (ranges == nullptr) ranges = &ds->mutable_clients()[client];
    ranges->push_back(DeleteItem{del_clock, del_len});
  };
  for (size_t i = start; i < n; ++i) {
    if (i + kItemAhead < n) __builtin_prefetch(structs[i + kItemAhead]);
    if (i + kContentAhead < n) {
      const Content* c = structs[i + kContentAhead]->content.get();
      if (c != nullptr) __builtin_prefetch(c);
    }
    if (i + kTextAhead < n) {
      const Content* c = structs[i + kTextAhead]->content.get();
      if (c != nullptr && c->ref() == kRefString) {
        __builtin_prefetch(static_cast<const ContentString*>(c)->str().data());
      }
    }
    const Item* s = structs[i];
    WriteStructFast(encoder, s, i == start ? clock - s->id.clock : 0);
    if (ds != nullptr && s->deleted()) {
      if (del_len > 0 && del_clock + del_len == s->id.clock) {
        del_len += s->length;
      } else {
        if (del_len > 0) add_range();
        del_clock = s->id.clock;
        del_len = s->length;
      }
    } else if (del_len > 0) {
      add_range();
      del_len = 0;
    }
  }
  if (del_len > 0) add_range();
}

void WriteStructs(UpdateEncoder& encoder, const std::vector<Item*>& structs, uint64_t client,
                  uint64_t clock) {
  WriteStructsT(encoder, structs, client, clock, nullptr);
}

// Yjs writeClientsStructs. With `ds` (only for an empty `sv`, where every struct is written),
// also collects the store's delete set in the same pass.
template <class Encoder>
void WriteClientsStructsT(Encoder& encoder, StructStore& store, const StateVector& sv,
                          DeleteSet* ds) {
  std::map<uint64_t, uint64_t> sm;
  for (const auto& [client, clock] : sv) {
    if (store.GetState(client) > clock) sm[client] = clock;
  }
  for (const auto& [client, structs] : store.clients()) {
    if (sv.count(client) == 0) sm[client] = 0;
  }
  encoder.WriteRestVarUint(sm.size());
  for (auto it = sm.rbegin(); it != sm.rend(); ++it) {
    WriteStructsT(encoder, *store.Get(it->first), it->first, it->second, ds);
  }
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
  // Cursors view the decoded lists instead of copying them: [i, end) is what is left. One per
  // client of the update, in ascending client order (as `input` holds them), so that a client's
  // cursor is found by bisecting `keys`; `state` caches the local state of each (the structs on
  // the stack all come from these clients too).
  struct Cursor {
    const std::vector<Item*>* refs = nullptr;
    size_t i = 0;
    size_t end = 0;
    bool removed = false;
    bool has_state = false;
    uint64_t state = 0;
  };
  std::vector<uint64_t> keys;
  std::vector<Cursor> cursors;
  keys.reserve(input.size());
  cursors.reserve(input.size());
  for (const auto& [client, r] : input) {
    keys.push_back(client);
    cursors.push_back(Cursor{&r.refs, 0, r.refs.size(), false, false, 0});
  }
  auto find_cursor = [&](uint64_t client) -> Cursor* {
    auto it = std::lower_bound(keys.begin(), keys.end(), client);
    if (it == keys.end() || *it != client) return nullptr;
    return &cursors[static_cast<size_t>(it - keys.begin())];
  };
  std::vector<uint64_t> ids = keys;
  RestStructs out;
  if (ids.empty()) return out;
  auto get_next = [&]() -> Cursor* {
    while (!ids.empty()) {
      Cursor* t = find_cursor(ids.back());
      if (t->end != t->i) return t;
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
      Cursor* found = find_cursor(client);
      if (found != nullptr && !found->removed) {
        Cursor& c = *found;
        c.i--;
        out.rest[client] = std::vector<Item*>(c.refs->begin() + static_cast<ptrdiff_t>(c.i),
                                              c.refs->begin() + static_cast<ptrdiff_t>(c.end));
        c.removed = true;
        c.i = 0;
        c.end = 0;
      } else {
        out.rest[client] = std::vector<Item*>{item};
      }
      ids.erase(std::remove(ids.begin(), ids.end(), client), ids.end());
    }
    stack.clear();
  };
  // Every head is taken from a cursor (directly, or via the stack, which keeps the cursor with
  // it), so its client's local state is at hand without a lookup.
  std::vector<Cursor*> stack_cursors;  // parallel to `stack`
  Cursor* head_c = cur;
  Item* head = (*cur->refs)[cur->i++];
  while (true) {
    if (!head->is_skip()) {
      const uint64_t client = head->id.client;
      if (!head_c->has_state) {
        head_c->state = ops.State(client);
        head_c->has_state = true;
      }
      const uint64_t local = head_c->state;
      if (head->id.clock > local) {
        // An earlier struct of the same client is missing.
        stack.push_back(head);
        stack_cursors.push_back(head_c);
        update_missing(client, head->id.clock - 1);
        add_stack_to_rest();
        stack_cursors.clear();
      } else {
        const int64_t missing = ops.GetMissing(head);
        if (missing >= 0) {
          stack.push_back(head);
          stack_cursors.push_back(head_c);
          Cursor* refs = find_cursor(static_cast<uint64_t>(missing));
          if (refs == nullptr || refs->end == refs->i) {
            update_missing(static_cast<uint64_t>(missing),
                           ops.State(static_cast<uint64_t>(missing)));
            add_stack_to_rest();
            stack_cursors.clear();
          } else {
            head = (*refs->refs)[refs->i++];
            head_c = refs;
            continue;
          }
        } else {
          const uint64_t offset = local - head->id.clock;
          if (offset == 0 || offset < head->length) {
            const uint64_t end = head->id.clock + head->length;
            ops.Integrate(head, offset);
            head_c->state = end;
          }
        }
      }
    }
    if (!stack.empty()) {
      head = stack.back();
      head_c = stack_cursors.back();
      stack.pop_back();
      stack_cursors.pop_back();
    } else if (cur != nullptr && cur->i < cur->end) {
      head = (*cur->refs)[cur->i++];
      head_c = cur;
    } else {
      cur = get_next();
      if (cur == nullptr) break;
      head = (*cur->refs)[cur->i++];
      head_c = cur;
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
  // The simulated state of every client asked about so far (the store's, until integrated).
  std::unordered_map<uint64_t, uint64_t> sim;
  uint64_t State(uint64_t client) {
    if (last != nullptr && client == last_client) return *last;
    auto [it, inserted] = sim.try_emplace(client, 0);
    if (inserted) it->second = store.GetState(client);
    last_client = client;
    last = &it->second;  // unordered_map entries do not move
    return it->second;
  }
  uint64_t last_client = 0;
  uint64_t* last = nullptr;
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
  void Integrate(Item* item, uint64_t) {
    // Entries only change here, so the cached pointer stays right.
    sim[item->id.client] = item->id.clock + item->length;
  }
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
    // Ranges usually come in clock order: each lookup starts where the previous range ended.
    size_t prev = SIZE_MAX;
    for (const DeleteItem& del : ranges) {
      const uint64_t clock = del.clock;
      const uint64_t end = del.clock + del.len;
      if (clock >= state) {
        unapplied.Add(client, clock, del.len);
        continue;
      }
      if (state < end) unapplied.Add(client, state, end - state);
      StructStore::Structs& structs = *store.Get(client);
      size_t index =
          prev == SIZE_MAX ? FindIndexSS(structs, clock) : FindIndexFrom(structs, prev, clock);
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
      prev = index - 1;
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
  WriteClientsStructsT(encoder, store, sv, nullptr);
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

namespace {

// ReadItemContent (content.cc) for the two kinds that make up nearly every text document, read
// through the decoder's final type; the string's UTF-16 length comes from the decoder (v2
// stores it; v1 counts it while checking the UTF-8), so it is not counted a second time.
// Sets the item's content, length and countable bit.
template <class Decoder>
void ReadContentFast(Decoder& decoder, uint8_t info, DecodedUpdate& types, Item* item) {
  switch (info & 0x1F) {
    case kRefDeleted: {
      const uint64_t len = decoder.ReadLen();
      if (len == 0 || len > kMaxSafe) throw DecodeError("bad content length");
      item->content = std::make_unique<ContentDeleted>(len);
      item->length = len;
      item->info = 0;
      return;
    }
    case kRefString: {
      uint64_t units = 0;
      std::string str = decoder.ReadStringUnits(&units);
      if (units == 0) throw DecodeError("empty string content");
      item->content = ContentString::Make(str, units);
      item->length = units;
      item->info = Item::kCountable;
      return;
    }
    default:
      item->content = ReadItemContent(decoder, info, types);
      item->length = item->content->Length();
      item->info = item->content->Countable() ? Item::kCountable : 0;
  }
}

// The structs of an update (Yjs readClientsStructRefs), validated as DecodeUpdate promises.
template <class Decoder>
void ReadStructs(Decoder& decoder, DecodedUpdate& out, DocImpl* doc, uint64_t max_structs,
                 size_t input_size) {
  uint64_t total = 0;
  const uint64_t num_clients = decoder.ReadRestVarUint();
  for (uint64_t c = 0; c < num_clients; ++c) {
    const uint64_t count = decoder.ReadRestVarUint();
    const uint64_t client = decoder.ReadClient();
    uint64_t clock = decoder.ReadRestVarUint();
    CheckSafe(client, "client id out of range");
    CheckSafe(clock, "clock out of range");
    if (count > max_structs - total) throw DecodeError("too many structs");
    total += count;
    // A client listed twice keeps only its last list, as in Yjs.
    DecodedUpdate::Refs& refs = out.clients[client];
    for (Item* old : refs.refs) doc->pool().Free(old);
    refs.refs.clear();
    // Bounded by the input size, not just by the count the input claims.
    refs.refs.reserve(static_cast<size_t>(std::min<uint64_t>(count, input_size)));
    for (uint64_t k = 0; k < count; ++k) {
      const uint8_t info = decoder.ReadInfo();
      Item* s = doc->pool().New();
      refs.refs.push_back(s);
      s->id = Id{client, clock};
      switch (info & 0x1F) {
        case kRefGc:
          s->kind = ItemKind::kGc;
          s->length = decoder.ReadLen();
          break;
        case kRefSkip:
          s->kind = ItemKind::kSkip;
          s->length = decoder.ReadRestVarUint();
          break;
        default: {
          if (info & 0x80) {
            Id o = decoder.ReadLeftId();
            CheckSafe(o.client, "bad origin");
            if (o.client == client && o.clock >= clock) throw DecodeError("origin after item");
            s->SetOrigin(&o);
          }
          if (info & 0x40) {
            Id o = decoder.ReadRightId();
            CheckSafe(o.client, "bad right origin");
            if (o.client == client && o.clock >= clock)
              throw DecodeError("right origin after item");
            s->SetRightOrigin(&o);
          }
          if ((info & 0xC0) == 0) {
            if (decoder.ReadParentInfo()) {
              out.names.push_back(decoder.ReadString());
              s->parent.root_name = &out.names.back();
              s->parent_kind = ItemParentKind::kRoot;
            } else {
              Id p = decoder.ReadLeftId();
              CheckSafe(p.client, "bad parent");
              if (p.client == client && p.clock >= clock) throw DecodeError("parent after item");
              out.parent_ids.push_back(p);
              s->parent.id_ref = &out.parent_ids.back();
              s->parent_kind = ItemParentKind::kItemId;
            }
            if (info & 0x20) {
              out.names.push_back(decoder.ReadString());
              s->parent_sub = &out.names.back();
            }
          }
          ReadContentFast(decoder, info, out, s);
        }
      }
      if (s->length == 0 || s->length > kMaxSafe - clock) throw DecodeError("bad struct length");
      clock += s->length;
    }
  }
}

}  // namespace

std::unique_ptr<DecodedUpdate> DecodeUpdate(std::span<const uint8_t> data, bool v2, DocImpl* doc) {
  auto out = std::make_unique<DecodedUpdate>(doc);
  const uint64_t max_structs = MaxStructs(data.size());
  if (v2) {
    UpdateDecoderV2 decoder(data);
    ReadStructs(decoder, *out, doc, max_structs, data.size());
    out->ds = ReadDeleteSet(decoder);
  } else {
    UpdateDecoderV1 decoder(data);
    ReadStructs(decoder, *out, doc, max_structs, data.size());
    out->ds = ReadDeleteSet(decoder);
  }
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

namespace {

template <class Encoder>
std::vector<uint8_t> EncodeStore(Encoder& encoder, StructStore& store, const StateVector& sv) {
  if (sv.empty()) {
    // Every struct is written: gather the delete set on the way instead of in a second pass.
    DeleteSet ds;
    WriteClientsStructsT(encoder, store, sv, &ds);
    WriteDeleteSet(encoder, ds);
  } else {
    WriteClientsStructsT(encoder, store, sv, nullptr);
    WriteDeleteSet(encoder, DeleteSetFromStore(store));
  }
  return encoder.ToBytes();
}

}  // namespace

std::vector<uint8_t> EncodeStateAsUpdateImpl(DocImpl* doc, const StateVector& sv, bool v2) {
  StructStore& store = doc->store();
  std::vector<std::vector<uint8_t>> updates;
  if (v2) {
    UpdateEncoderV2 encoder(/*ds_only=*/false);
    updates.push_back(EncodeStore(encoder, store, sv));
  } else {
    UpdateEncoderV1 encoder;
    updates.push_back(EncodeStore(encoder, store, sv));
  }
  if (store.pending_ds) updates.push_back(*store.pending_ds);
  if (store.pending_structs) updates.push_back(DiffV2Update(store.pending_structs->update, sv));
  if (updates.size() == 1) return std::move(updates[0]);
  if (v2) return MergeV2Updates(updates);
  for (size_t i = 1; i < updates.size(); ++i) updates[i] = ConvertV2ToV1(updates[i]);
  return MergeV1Updates(updates);
}

}  // namespace accord::crdt
