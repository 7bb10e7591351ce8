#include "document_loader.h"

#include <string>
#include <utility>

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

Result<LoadedDocument> LoadDocument(DocumentStore& store, std::string_view name) {
  auto stored = store.Load(name);
  if (!stored.ok()) return stored.status();
  auto loaded = BuildDocument(name, *stored);
  if (loaded.ok() && loaded->update_rows == 0) loaded->snapshot = std::move(stored->snapshot);
  if (loaded.ok()) loaded->authors = std::move(stored->authors);
  return loaded;
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
