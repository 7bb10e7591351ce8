#include "router.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>

#include "static_files.h"

namespace accord::server {
namespace {

namespace fs = std::filesystem;

std::string Header(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::string ProblemType(const HttpResponse& r) {
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body["status"].as_int64(), r.status);
  return std::string(body["type"].as_string());
}

TEST(RouterTest, HealthzAnswersOk) {
  Router router;
  HttpResponse r = router.Handle({"GET", "/healthz"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_EQ(router.Handle({"HEAD", "/healthz?probe=1"}).status, 200);
}

TEST(RouterTest, HealthzRejectsOtherMethods) {
  HttpResponse r = Router().Handle({"POST", "/healthz"});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(ProblemType(r), "/problems/method-not-allowed");
  EXPECT_EQ(Header(r, "Allow"), "GET, HEAD");
}

TEST(RouterTest, UnknownPathIsProblemJson404) {
  HttpResponse r = Router().Handle({"GET", "/nope"});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(ProblemType(r), "/problems/not-found");
  // Without a web root, "/" is not special either.
  EXPECT_EQ(Router().Handle({"GET", "/"}).status, 404);
}

TEST(RouterTest, MetricsRendersCountersAndGaugesAtRequestTime) {
  Metrics metrics;
  uint64_t connections = 3;
  int gauge_calls = 0;
  Router router(RouterOptions{.metrics = &metrics, .gauges = [&] {
                                ++gauge_calls;
                                return Gauges{.connections = connections, .documents_loaded = 2};
                              }});
  metrics.updates_in = 7;
  HttpResponse r = router.Handle({"GET", "/metrics"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-store");
  EXPECT_NE(r.body.find("accord_connections 3\n"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("accord_documents_loaded 2\n"), std::string::npos);
  EXPECT_NE(r.body.find("accord_updates_received_total 7\n"), std::string::npos);
  EXPECT_EQ(r.body, RenderPrometheus(metrics, Gauges{.connections = 3, .documents_loaded = 2}));
  // Read again at the next request, not captured at construction.
  connections = 5;
  metrics.updates_in = 8;
  r = router.Handle({"GET", "/metrics?x"});
  EXPECT_NE(r.body.find("accord_connections 5\n"), std::string::npos);
  EXPECT_NE(r.body.find("accord_updates_received_total 8\n"), std::string::npos);
  EXPECT_EQ(gauge_calls, 2);
  EXPECT_EQ(router.Handle({"HEAD", "/metrics"}).status, 200);
  HttpResponse post = router.Handle({"POST", "/metrics"});
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(Header(post, "Allow"), "GET, HEAD");
}

TEST(RouterTest, MetricsWithoutGaugesCallbackReportsZeros) {
  Metrics metrics;
  Router router(RouterOptions{.metrics = &metrics});
  HttpResponse r = router.Handle({"GET", "/metrics"});
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("accord_connections 0\n"), std::string::npos);
}

TEST(RouterTest, MetricsIs404WhenNotConfigured) {
  EXPECT_EQ(Router().Handle({"GET", "/metrics"}).status, 404);
}

TEST(RouterTest, PlainGetOnWebSocketPathIs426) {
  Router router;
  for (const char* target : {"/ws/notes", "/ws/a/b?token=x", "/ws"}) {
    HttpResponse r = router.Handle({"GET", target});
    EXPECT_EQ(r.status, 426) << target;
    EXPECT_EQ(ProblemType(r), "/problems/upgrade-required");
    EXPECT_EQ(Header(r, "Upgrade"), "websocket");
  }
  HttpResponse post = router.Handle({"POST", "/ws/notes"});
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(Header(post, "Allow"), "GET");
  // Only the /ws/ prefix: "/wsx" is an ordinary path.
  EXPECT_EQ(router.Handle({"GET", "/wsx"}).status, 404);
}

class RouterStaticTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "accord-router-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    std::ofstream(root_ / "index.html") << "<!doctype html>";
    fs::create_directory(root_ / "assets");
    std::ofstream(root_ / "assets" / "a-1.js") << "1";
    // A file that would shadow an API route must not win over it.
    std::ofstream(root_ / "healthz") << "shadow";
    auto files = StaticFiles::Open(root_.string());
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    router_ = Router(RouterOptions{.metrics = &metrics_, .static_files = *files});
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
  Metrics metrics_;
  Router router_;
};

TEST_F(RouterStaticTest, ServesTheClientAfterTheApiRoutes) {
  EXPECT_EQ(router_.Handle({"GET", "/healthz"}).body, "ok\n");
  EXPECT_EQ(router_.Handle({"GET", "/metrics"}).content_type,
            "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(router_.Handle({"GET", "/ws/doc"}).status, 426);
  HttpResponse index = router_.Handle({"GET", "/"});
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>");
  EXPECT_EQ(router_.Handle({"GET", "/d/doc?token=t"}).body, "<!doctype html>");
  EXPECT_EQ(router_.Handle({"HEAD", "/assets/a-1.js"}).status, 200);
  EXPECT_EQ(router_.Handle({"GET", "/assets/a-1.js"}).body, "1");
  std::string etag = Header(index, "ETag");
  EXPECT_EQ(router_.Handle({"GET", "/", etag}).status, 304);
  EXPECT_EQ(ProblemType(router_.Handle({"GET", "/missing"})), "/problems/not-found");
  EXPECT_EQ(ProblemType(router_.Handle({"GET", "/%2e%2e/etc/passwd"})), "/problems/bad-path");
}

TEST_F(RouterStaticTest, OtherMethodsOnStaticFilesAre405) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    HttpResponse r = router_.Handle({method, "/index.html"});
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(ProblemType(r), "/problems/method-not-allowed");
    EXPECT_EQ(Header(r, "Allow"), "GET, HEAD");
  }
  EXPECT_EQ(router_.Handle({"POST", "/d/doc"}).status, 405);
}

}  // namespace
}  // namespace accord::server
