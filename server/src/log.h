// log.h: accordd's JSON-lines log on stderr: one object per line with "time", "level", "msg" and
// any extra string fields, so that journald, jq or a log shipper can read it.
//
// Thread-safe: each line is formatted first and written with a single fwrite.
#ifndef ACCORD_SERVER_LOG_H_
#define ACCORD_SERVER_LOG_H_

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace accord::server {

using LogFields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// Formats one log line (without the trailing newline); exposed for tests.
std::string FormatLogLine(std::string_view level, std::string_view msg, LogFields fields);

// Writes a line to stderr. `level` is "debug", "info", "warn" or "error".
void Log(std::string_view level, std::string_view msg, LogFields fields = {});

}  // namespace accord::server

#endif  // ACCORD_SERVER_LOG_H_
