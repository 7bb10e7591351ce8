// metrics.h: accordd's counters and the commit latency histogram, rendered for Prometheus at
// GET /metrics (text exposition format 0.0.4).
//
// Every member is atomic: any thread may update or read them without locks. Gauges that other
// parts own (open connections, loaded documents) are passed to Render by the caller.
#ifndef ACCORD_SERVER_METRICS_H_
#define ACCORD_SERVER_METRICS_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace accord::server {

// A histogram with fixed bucket bounds, in seconds.
class LatencyHistogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  void Observe(std::chrono::microseconds latency);
  // Appends the _bucket, _sum and _count series for `name`.
  void Render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> counts_{};  // last: +Inf
  std::atomic<uint64_t> sum_us_{0};
};

struct Metrics {
  std::atomic<uint64_t> websockets{0};      // gauge: open WebSocket connections
  std::atomic<uint64_t> updates_in{0};      // updates accepted from clients
  std::atomic<uint64_t> updates_stored{0};  // updates made durable
  std::atomic<uint64_t> bytes_in{0};        // WebSocket payload bytes read
  std::atomic<uint64_t> bytes_out{0};       // WebSocket payload bytes written
  // Rejections by reason.
  std::atomic<uint64_t> rejections_protocol{0};        // malformed or unknown messages
  std::atomic<uint64_t> rejections_invalid_update{0};  // updates the CRDT refused
  std::atomic<uint64_t> rejections_too_big{0};         // messages over max_message_bytes
  std::atomic<uint64_t> rejections_read_only{0};       // updates from read-only connections
  std::atomic<uint64_t> rejections_slow_reader{0};     // send queue overflow
  std::atomic<uint64_t> rejections_unauthorized{0};    // missing or wrong token (401)
  std::atomic<uint64_t> rejections_forbidden{0};       // token for another document (403)
  std::atomic<uint64_t> rejections_limit{0};           // document size, awareness size, per-IP
  LatencyHistogram commit_latency;                     // append -> durable
};

struct Gauges {
  uint64_t connections = 0;       // open TCP connections
  uint64_t documents_loaded = 0;  // rooms in memory
};

std::string RenderPrometheus(const Metrics& m, const Gauges& g);

}  // namespace accord::server

#endif  // ACCORD_SERVER_METRICS_H_
