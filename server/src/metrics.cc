#include "metrics.h"

#include <cstdio>

namespace accord::server {
namespace {

void Series(std::string& out, const char* name, const char* type, const char* help, uint64_t value,
            const char* labels = "") {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
  out += name;
  out += labels;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

std::string FormatBound(double b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", b);
  return buf;
}

}  // namespace

void LatencyHistogram::Observe(std::chrono::microseconds latency) {
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sum_us_.fetch_add(static_cast<uint64_t>(latency.count()), std::memory_order_relaxed);
}

void LatencyHistogram::Render(std::string& out, const std::string& name,
                              const std::string& help) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    std::string le = i < kBounds.size() ? FormatBound(kBounds[i]) : "+Inf";
    out += name + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  char sum[64];
  std::snprintf(sum, sizeof sum, "%.6f", static_cast<double>(sum_us_.load()) / 1e6);
  out += name + "_sum " + sum + "\n";
  out += name + "_count " + std::to_string(cumulative) + "\n";
}

std::string RenderPrometheus(const Metrics& m, const Gauges& g) {
  std::string out;
  Series(out, "accord_connections", "gauge", "Open TCP connections.", g.connections);
  Series(out, "accord_websockets", "gauge", "Open WebSocket connections.", m.websockets.load());
  Series(out, "accord_documents_loaded", "gauge", "Documents held in memory.", g.documents_loaded);
  Series(out, "accord_updates_received_total", "counter", "Updates accepted from clients.",
         m.updates_in.load());
  Series(out, "accord_updates_stored_total", "counter", "Updates made durable.",
         m.updates_stored.load());
  Series(out, "accord_websocket_bytes_received_total", "counter", "WebSocket bytes read.",
         m.bytes_in.load());
  Series(out, "accord_websocket_bytes_sent_total", "counter", "WebSocket bytes written.",
         m.bytes_out.load());
  out +=
      "# HELP accord_rejections_total Requests and messages refused, by reason.\n"
      "# TYPE accord_rejections_total counter\n";
  const std::pair<const char*, const std::atomic<uint64_t>*> reasons[] = {
      {"protocol", &m.rejections_protocol},       {"invalid_update", &m.rejections_invalid_update},
      {"too_big", &m.rejections_too_big},         {"read_only", &m.rejections_read_only},
      {"slow_reader", &m.rejections_slow_reader}, {"unauthorized", &m.rejections_unauthorized},
      {"forbidden", &m.rejections_forbidden},     {"limit", &m.rejections_limit},
  };
  for (const auto& [reason, counter] : reasons) {
    out += "accord_rejections_total{reason=\"";
    out += reason;
    out += "\"} " + std::to_string(counter->load()) + "\n";
  }
  m.commit_latency.Render(out, "accord_commit_latency_seconds",
                          "Time from receiving an update to its durable commit.");
  return out;
}

}  // namespace accord::server
