// document_loader.h: builds the in-memory document of a room from what is stored.
//
// LoadDocument applies the stored snapshot, then every later update, to a fresh crdt::Doc.
// If any of them fails to decode or apply, the stored data is corrupt: it returns Corruption
// naming the document and the row, and writes nothing (the room then refuses connections;
// an operator investigates with `accord doc export` / `accord db check`). A document whose
// stored updates still wait for missing dependencies after loading is also reported.
//
// LoadForRoom leaves a document stored as one snapshot (the usual state of a document nobody
// has edited since it was compacted) unbuilt: it only checks that the bytes decode
// (crdt::ValidateUpdate, which also yields their state vector), so that the room can serve new
// clients from them and build the document (DecodeSnapshot) only when something needs it.
// A document with nothing stored comes back the same way, as the empty document's encoding,
// so that a room nobody has written to holds no crdt::Doc.
//
// Any thread; the DocumentStore serialises its own access.
#ifndef ACCORD_SERVER_DOCUMENT_LOADER_H_
#define ACCORD_SERVER_DOCUMENT_LOADER_H_

#include <memory>
#include <span>
#include <string_view>

#include "accord/crdt/doc.h"
#include "accord/status.h"
#include "document_store.h"

namespace accord::server {

struct LoadedDocument {
  std::unique_ptr<crdt::Doc> doc;  // null from LoadForRoom: decode `snapshot` (DecodeSnapshot)
  size_t stored_bytes = 0;         // what storage holds for it (snapshot + updates)
  int64_t last_seq = 0;            // sequence number of the last stored update
  size_t update_rows = 0;          // stored updates applied after the snapshot
  // LoadDocument only, when no update follows the snapshot: the stored snapshot, a v1 update
  // holding the whole document (a new client can be sent it as is, without encoding).
  std::vector<uint8_t> snapshot;
  // LoadForRoom, with `doc` null: the snapshot's encoded state vector.
  std::vector<uint8_t> snapshot_state_vector;
  std::vector<ClientAuthor> authors;  // who wrote under which client id
};

Result<LoadedDocument> LoadDocument(DocumentStore& store, std::string_view name);

// LoadDocument, except that a document stored as a snapshot alone comes back with `doc` null,
// the checked `snapshot` and its state vector, for the caller to decode (DecodeSnapshot) when
// it suits it. A snapshot whose structs do not all start at clock 0 (not a whole state, which
// a stored snapshot always is) is built right away instead.
Result<LoadedDocument> LoadForRoom(DocumentStore& store, std::string_view name);

// The document a stored snapshot holds; Corruption naming the document if it does not build
// one (does not decode, or waits on structs it does not carry).
Result<std::unique_ptr<crdt::Doc>> DecodeSnapshot(std::string_view name,
                                                  std::span<const uint8_t> snapshot);

// Builds the document from rows already read (what LoadDocument does after Load); the commit
// queue's compaction uses it on the rows it is about to replace.
Result<LoadedDocument> BuildDocument(std::string_view name, const StoredDocument& stored);

// The full state of the stored document as one v1 update (what `accord doc export` prints);
// NotFound when nothing is stored under `name`.
Result<std::vector<uint8_t>> ExportDocument(DocumentStore& store, std::string_view name);

}  // namespace accord::server

#endif  // ACCORD_SERVER_DOCUMENT_LOADER_H_
