// accord_commands.h: the `accord` tool's commands, one function each, shared by accord_main.cc
// (which dispatches) and the files that implement them. Each takes the arguments after the
// command's words and returns the process exit code: 0 done, 1 failed (the error is printed),
// 2 usage error (the usage text is printed).
#ifndef ACCORD_SERVER_TOOLS_ACCORD_COMMANDS_H_
#define ACCORD_SERVER_TOOLS_ACCORD_COMMANDS_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace accord::cli {

using Args = std::vector<std::string>;
using Flags = std::map<std::string, std::string>;

// Prints "accord: MESSAGE" and the usage text to stderr; returns 2.
int UsageError(const std::string& message);
// "30s", "90m", "12h", "7d"; nullopt if malformed or not positive.
std::optional<std::chrono::seconds> ParseTtl(std::string_view text);

// accord_accounts.cc
int Bootstrap(const Args& args);
int OrgAdd(const Args& args);
int UserAdd(const Args& args);
int UserList(const Args& args);
int MemberAdd(const Args& args);
int Invite(const Args& args);
int TokenCreate(const Args& args);

// accord_verify.cc (exit 0 verified, 1 a check failed, 2 usage or unreadable bundle)
int Verify(const Args& args);

}  // namespace accord::cli

#endif  // ACCORD_SERVER_TOOLS_ACCORD_COMMANDS_H_
