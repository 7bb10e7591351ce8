#include "metrics.h"

#include <gtest/gtest.h>

namespace accord::server {
namespace {

TEST(MetricsTest, RendersCountersGaugesAndRejectionsByReason) {
  Metrics m;
  m.updates_in = 5;
  m.rejections_too_big = 2;
  std::string text = RenderPrometheus(m, Gauges{.connections = 3, .documents_loaded = 1});
  EXPECT_NE(text.find("# TYPE accord_connections gauge\naccord_connections 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("accord_documents_loaded 1\n"), std::string::npos);
  EXPECT_NE(text.find("accord_updates_received_total 5\n"), std::string::npos);
  EXPECT_NE(text.find("accord_rejections_total{reason=\"too_big\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("accord_rejections_total{reason=\"protocol\"} 0\n"), std::string::npos);
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  Metrics m;
  m.commit_latency.Observe(std::chrono::microseconds(300));      // <= 0.0005
  m.commit_latency.Observe(std::chrono::microseconds(3000));     // <= 0.005
  m.commit_latency.Observe(std::chrono::microseconds(9000000));  // +Inf
  std::string text = RenderPrometheus(m, {});
  EXPECT_NE(text.find("accord_commit_latency_seconds_bucket{le=\"0.0005\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("accord_commit_latency_seconds_bucket{le=\"0.005\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("accord_commit_latency_seconds_bucket{le=\"2.5\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("accord_commit_latency_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("accord_commit_latency_seconds_count 3\n"), std::string::npos);
  EXPECT_NE(text.find("accord_commit_latency_seconds_sum 9.003300\n"), std::string::npos);
}

}  // namespace
}  // namespace accord::server
