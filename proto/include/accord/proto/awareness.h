// accord/proto/awareness.h: the server's view of a document's awareness (presence) states,
// following y-protocols/awareness.js.
//
// An awareness update is [varUint count] then count times
//   [varUint clientID][varUint clock][varString JSON of the state, "null" = removed].
// For each entry the higher clock wins; an equal clock with state null removes the state.
// The server has no local state of its own and never times states out: y-websocket clients
// renew their state every 15 s and drop peers that were silent for 30 s, while the server
// removes what a connection introduced when that connection closes (RemoveConnection).
// As in y-protocols, the removal keeps the last clock (it is the equal-clock-null rule that
// removes the state at the peers), and clocks of departed clients are remembered so that a late
// stale update cannot resurrect them.
//
// States are kept as the JSON text the client sent (checked for JSON syntax and UTF-8, bounded
// by max_state_bytes), not re-serialised: y-websocket clients send JSON.stringify output.
//
// AwarenessRegistry is not thread-safe: one per document, used from that document's strand.
#ifndef ACCORD_PROTO_AWARENESS_H_
#define ACCORD_PROTO_AWARENESS_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "accord/status.h"

namespace accord::proto {

inline constexpr size_t kDefaultMaxAwarenessStateBytes = 64 * 1024;
// JSON nesting deeper than this is rejected (JSON.parse has no such bound; ours keeps hostile
// input from exhausting the stack).
inline constexpr size_t kMaxAwarenessJsonDepth = 64;

struct AwarenessEntry {
  uint64_t client_id = 0;
  uint64_t clock = 0;
  std::string state_json;  // "null" means removed
  friend bool operator==(const AwarenessEntry&, const AwarenessEntry&) = default;
};

// Decodes an awareness update. Corruption on truncation, trailing bytes, integers > 2^53-1,
// invalid UTF-8 or JSON; ResourceExhausted on a state longer than max_state_bytes.
Result<std::vector<AwarenessEntry>> DecodeAwarenessUpdate(
    std::span<const uint8_t> update, size_t max_state_bytes = kDefaultMaxAwarenessStateBytes);

std::vector<uint8_t> EncodeAwarenessUpdate(std::span<const AwarenessEntry> entries);

// OK if `json` is one JSON value (RFC 8259, as JSON.parse accepts it) in valid UTF-8.
Status ValidateJson(std::string_view json);

class AwarenessRegistry {
 public:
  explicit AwarenessRegistry(size_t max_state_bytes = kDefaultMaxAwarenessStateBytes)
      : max_state_bytes_(max_state_bytes) {}

  // Applies an awareness update received on `connection`. The whole update is validated first;
  // on error nothing changes. Returns the awareness update to relay to every connection: the
  // clients that were added, updated (even if only the clock moved) or removed, with their
  // current clock and state; empty if nothing changed. A client whose state is set from
  // `connection` is attributed to it (the last connection that gave it a state).
  Result<std::vector<uint8_t>> Apply(uint64_t connection, std::span<const uint8_t> update);

  // Removes the states of every client `connection` introduced. Returns the update announcing
  // the removals (state null, clock unchanged) to relay, or empty if there was none.
  std::vector<uint8_t> RemoveConnection(uint64_t connection);

  // All current states as one awareness update (for a newly joined client), or empty if none.
  std::vector<uint8_t> EncodeAll() const;

  // Clients that have a state now.
  size_t size() const { return live_; }

 private:
  // One node per client ever seen (a departed client keeps its clock, see above). One map
  // rather than one per field: a room holds an entry per connected user, so this is
  // per-connection memory (~100 bytes and the state's text).
  struct Client {
    uint64_t clock = 0;
    uint64_t connection = 0;  // the one that last set the state
    bool has_state = false;
    std::string state_json;  // empty unless has_state
  };

  std::vector<uint8_t> EncodeClients(const std::vector<uint64_t>& clients) const;

  size_t max_state_bytes_;
  std::map<uint64_t, Client> clients_;  // by client id
  size_t live_ = 0;                     // clients with has_state
};

}  // namespace accord::proto

#endif  // ACCORD_PROTO_AWARENESS_H_
