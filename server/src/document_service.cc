#include "document_service.h"

#include <chrono>
#include <future>
#include <memory>

#include "accord/crdt/doc.h"
#include "document_loader.h"
#include "room.h"
#include "room_registry.h"

namespace accord::server {
namespace {

// How long a reader waits for a room's strand: far more than any message takes; reached only
// when the server is stopping and the strand will never run the task.
constexpr auto kRoomWait = std::chrono::seconds(30);

}  // namespace

Result<std::vector<uint8_t>> DocumentService::CurrentState(const std::string& name) {
  if (rooms_ != nullptr) {
    if (auto room = rooms_->Find(name)) {
      // Shared: if the wait gives up, the task may still run later.
      auto promise = std::make_shared<std::promise<Result<std::vector<uint8_t>>>>();
      auto future = promise->get_future();
      room->Run([promise, name](RoomCore& core) {
        if (core.failed()) {
          promise->set_value(
              Status::Unavailable("the document '" + name + "' cannot be served right now"));
        } else {
          promise->set_value(core.doc().EncodeStateAsUpdate());
        }
      });
      if (future.wait_for(kRoomWait) != std::future_status::ready) {
        return Status::Unavailable("the document '" + name + "' did not answer; try again");
      }
      return future.get();
    }
  }
  auto state = ExportDocument(store_, name);
  if (state.ok() || state.status().code() != Status::Code::kNotFound) return state;
  return crdt::Doc().EncodeStateAsUpdate();  // nothing written yet: the empty document
}

Status DocumentService::Apply(const std::string& name, std::vector<uint8_t> update,
                              std::vector<ClientAuthor> new_authors) {
  if (rooms_ == nullptr) {
    // Validate as a room would before storing: the update must apply to what is stored.
    auto state = CurrentState(name);
    if (!state.ok()) return state.status();
    crdt::Doc doc;
    ACCORD_RETURN_IF_ERROR(doc.ApplyUpdate(*state));
    ACCORD_RETURN_IF_ERROR(doc.ApplyUpdate(update));
    PendingUpdate pending{name, std::move(update), std::move(new_authors)};
    return store_.AppendBatch(std::span(&pending, 1));
  }
  auto room = rooms_->Acquire(name);  // loads the document if nobody has it open
  if (!room.ok()) return room.status();
  auto promise = std::make_shared<std::promise<Status>>();
  auto future = promise->get_future();
  (*room)->ApplyServerUpdate(std::move(update), std::move(new_authors),
                             [promise](Status s) { promise->set_value(std::move(s)); });
  Status result =
      future.wait_for(kRoomWait) == std::future_status::ready
          ? future.get()
          : Status::Unavailable("the document '" + name + "' did not answer; try again");
  (*room)->Leave(0);  // no peer of ours: only the use count drops
  return result;
}

Status DocumentService::Create(const std::string& name, std::span<const uint8_t> initial_state) {
  if (rooms_ != nullptr && rooms_->Find(name)) {
    return Status::AlreadyExists("the document '" + name + "' is open already");
  }
  auto info = store_.Info(name);
  if (info.ok()) return Status::AlreadyExists("the document '" + name + "' exists already");
  if (info.status().code() != Status::Code::kNotFound) return info.status();
  PendingUpdate first(name, std::vector<uint8_t>(initial_state.begin(), initial_state.end()));
  return store_.AppendBatch(std::span(&first, 1));
}

Result<std::vector<ClientAuthor>> DocumentService::Authors(const std::string& name) {
  return store_.Authors(name);
}

}  // namespace accord::server
