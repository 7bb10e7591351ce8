#include "log.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace accord::server {
namespace {

TEST(LogTest, LinesAreJsonWithEscapedFields) {
  std::string line =
      FormatLogLine("warn", "odd \"name\"\n", {{"doc", "a\\b"}, {"ctl", "\x01\b\f"}});
  boost::json::value v = boost::json::parse(line);
  EXPECT_EQ(v.at("level").as_string(), "warn");
  EXPECT_EQ(v.at("msg").as_string(), "odd \"name\"\n");
  EXPECT_EQ(v.at("doc").as_string(), "a\\b");
  EXPECT_EQ(v.at("ctl").as_string(), "\x01\b\f");
  EXPECT_NE(line.find(R"("ctl":"\u0001\b\f")"), std::string::npos) << line;
  std::string time(v.at("time").as_string());
  EXPECT_EQ(time.size(), 24u);
  EXPECT_EQ(time.back(), 'Z');
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace accord::server
