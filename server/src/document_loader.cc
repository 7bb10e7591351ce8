#include "document_loader.h"

#include <algorithm>
#include <string>
#include <utility>

#include "accord/crdt/state_vector.h"
#include "accord/crdt/updates.h"

namespace accord::server {
namespace {

Status Corrupt(std::string_view name, const std::string& what, const Status& cause) {
  return Status::Corruption("stored document '" + std::string(name) + "': " + what + ": " +
                            cause.message());
}

}  // namespace

Result<LoadedDocument> BuildDocument(std::string_view name, const StoredDocument& stored) {
  LoadedDocument out;
  out.doc = std::make_unique<crdt::Doc>();
  out.stored_bytes = stored.stored_bytes;
  out.last_seq = stored.last_seq;
  out.update_rows = stored.updates.size();
  if (!stored.snapshot.empty()) {
    Status s = out.doc->ApplyUpdate(stored.snapshot);
    if (!s.ok()) return Corrupt(name, "the snapshot does not apply", s);
  }
  // Updates carry consecutive sequence numbers ending at last_seq (STORAGE.md), so the row an
  // error comes from can be named without storing every number.
  const int64_t first_seq = stored.last_seq - static_cast<int64_t>(stored.updates.size()) + 1;
  for (size_t i = 0; i < stored.updates.size(); ++i) {
    Status s = out.doc->ApplyUpdate(stored.updates[i]);
    if (!s.ok()) {
      return Corrupt(
          name,
          "update seq " + std::to_string(first_seq + static_cast<int64_t>(i)) + " does not apply",
          s);
    }
  }
  if (out.doc->HasPending()) {
    return Status::Corruption("stored document '" + std::string(name) +
                              "': its stored updates lack updates they depend on");
  }
  return out;
}

Result<std::unique_ptr<crdt::Doc>> DecodeSnapshot(std::string_view name,
                                                  std::span<const uint8_t> snapshot) {
  auto doc = std::make_unique<crdt::Doc>();
  Status s = doc->ApplyUpdate(snapshot);
  if (!s.ok()) return Corrupt(name, "the snapshot does not apply", s);
  if (doc->HasPending()) {
    return Status::Corruption("stored document '" + std::string(name) +
                              "': its snapshot lacks structs it depends on");
  }
  return doc;
}

namespace {

Result<LoadedDocument> Load(DocumentStore& store, std::string_view name, bool defer_snapshot) {
  auto stored = store.Load(name);
  if (!stored.ok()) return stored.status();
  if (defer_snapshot && stored->updates.empty() && stored->snapshot.empty()) {
    // Nothing stored yet (or only empty rows compacted away): the room serves the empty
    // document's encoding and builds a document only once someone writes to it, so an idle
    // room of a new document costs no crdt::Doc.
    LoadedDocument out;
    out.stored_bytes = stored->stored_bytes;
    out.last_seq = stored->last_seq;
    out.snapshot = {0, 0};            // no structs, empty delete set
    out.snapshot_state_vector = {0};  // no clients
    out.authors = std::move(stored->authors);
    return out;
  }
  if (defer_snapshot && stored->updates.empty()) {
    // Checking that the bytes decode is a fraction of building the document from them.
    auto meta = crdt::ValidateUpdate(stored->snapshot);
    if (!meta.ok()) return Corrupt(name, "the snapshot does not apply", meta.status());
    const bool whole = std::all_of(meta->from.begin(), meta->from.end(),
                                   [](const auto& client_from) { return client_from.second == 0; });
    if (whole) {
      LoadedDocument out;
      out.stored_bytes = stored->stored_bytes;
      out.last_seq = stored->last_seq;
      out.snapshot = std::move(stored->snapshot);
      // All structs of each client from clock 0 up to `to`: that is the state vector.
      out.snapshot_state_vector = crdt::EncodeStateVector(meta->to);
      out.authors = std::move(stored->authors);
      return out;
    }
  }
  auto loaded = BuildDocument(name, *stored);
  if (loaded.ok() && loaded->update_rows == 0) loaded->snapshot = std::move(stored->snapshot);
  if (loaded.ok()) loaded->authors = std::move(stored->authors);
  return loaded;
}

}  // namespace

Result<LoadedDocument> LoadDocument(DocumentStore& store, std::string_view name) {
  return Load(store, name, /*defer_snapshot=*/false);
}

Result<LoadedDocument> LoadForRoom(DocumentStore& store, std::string_view name) {
  return Load(store, name, /*defer_snapshot=*/true);
}

Result<std::vector<uint8_t>> ExportDocument(DocumentStore& store, std::string_view name) {
  auto stored = store.Load(name);
  if (!stored.ok()) return stored.status();
  if (!stored->exists) return Status::NotFound("no stored document '" + std::string(name) + "'");
  auto loaded = BuildDocument(name, *stored);
  if (!loaded.ok()) return loaded.status();
  return loaded->doc->EncodeStateAsUpdate();
}

}  // namespace accord::server
