#include "log.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "accord/signon/canonical_json.h"

namespace accord::server {
namespace {

using signon::AppendJsonString;

std::string NowIso8601() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms.count()));
  return buf;
}

}  // namespace

std::string FormatLogLine(std::string_view level, std::string_view msg, LogFields fields) {
  std::string line = "{\"time\":";
  AppendJsonString(NowIso8601(), line);
  line += ",\"level\":";
  AppendJsonString(level, line);
  line += ",\"msg\":";
  AppendJsonString(msg, line);
  for (const auto& [key, value] : fields) {
    line += ',';
    AppendJsonString(key, line);
    line += ':';
    AppendJsonString(value, line);
  }
  line += '}';
  return line;
}

void Log(std::string_view level, std::string_view msg, LogFields fields) {
  std::string line = FormatLogLine(level, msg, fields);
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace accord::server
