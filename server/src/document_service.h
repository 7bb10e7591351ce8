// document_service.h: the documents as the REST API reads them — the current state of a
// document, whether it is open in a room or only stored.
//
// A document open in a room is read on the room's strand, so the state includes every update
// the room has accepted (some may still be on their way to the disk; the room stores them in
// order). A document nobody has open is loaded from the DocumentStore (the room is not loaded
// for that). Versions of statements are taken through here (api_versions.cc).
//
// Thread-safe; blocking (it waits for the room's strand): call it from the API's worker
// threads, never from an io_context thread.
#ifndef ACCORD_SERVER_DOCUMENT_SERVICE_H_
#define ACCORD_SERVER_DOCUMENT_SERVICE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "accord/status.h"
#include "document_store.h"

namespace accord::server {

class RoomRegistry;

class DocumentService {
 public:
  // `rooms` may be null (tests, tools): documents are then always read from `store`.
  DocumentService(DocumentStore& store, RoomRegistry* rooms) : store_(store), rooms_(rooms) {}

  // The whole current state of `name` as a v1 update; an empty document's state if nothing is
  // stored. Corruption if what is stored does not load.
  Result<std::vector<uint8_t>> CurrentState(const std::string& name);
  // Applies `update` (a v1 update made by the server, e.g. an amendment merged into the draft)
  // to `name`: the live room if the document is open (its peers receive it) — loading it if
  // not — and returns once it is durable. `new_authors` are recorded for client ids without
  // an author. Without rooms (tests, tools) the update is appended to the store.
  Status Apply(const std::string& name, std::vector<uint8_t> update,
               std::vector<ClientAuthor> new_authors);
  // Creates the document `name` with `initial_state` (a v1 update) as its first stored update
  // (no authors are recorded here: the state's client ids are attributed in the document it
  // came from).
  // AlreadyExists if anything is stored under `name` or a room has it open.
  Status Create(const std::string& name, std::span<const uint8_t> initial_state);
  // Who wrote under which client id of `name`, as stored (an update being committed may add
  // one a moment later).
  Result<std::vector<ClientAuthor>> Authors(const std::string& name);

 private:
  DocumentStore& store_;
  RoomRegistry* rooms_;
};

}  // namespace accord::server

#endif  // ACCORD_SERVER_DOCUMENT_SERVICE_H_
