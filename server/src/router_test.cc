#include "router.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace accord::server {
namespace {

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
  EXPECT_EQ(r.content_type, "application/problem+json");
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Allow");
}

TEST(RouterTest, UnknownPathIsProblemJson404) {
  HttpResponse r = Router().Handle({"GET", "/nope"});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "application/problem+json");
  auto body = boost::json::parse(r.body).as_object();
  EXPECT_EQ(body["type"].as_string(), "/problems/not-found");
  EXPECT_EQ(body["status"].as_int64(), 404);
}

}  // namespace
}  // namespace accord::server
