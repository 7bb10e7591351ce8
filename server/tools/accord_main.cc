// accord: the administration and verification command-line tool. `accord help` lists commands.
#include <cstdio>
#include <cstring>
#include <string_view>

namespace {

constexpr const char* kUsage =
    "usage: accord COMMAND [ARGS]\n"
    "commands:\n"
    "  version   print the version\n"
    "  help      print this text\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::string_view cmd = argv[1];
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (cmd == "version" || cmd == "--version") {
    std::puts("accord 0.1.0");
    return 0;
  }
  std::fprintf(stderr, "accord: unknown command '%s'\n%s", argv[1], kUsage);
  return 2;
}
