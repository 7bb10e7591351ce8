// ydoc: the crdt library's command-line tool (placeholder until the document core lands).
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--version") == 0) {
    std::puts("ydoc (accord crdt) 0.1.0");
    return 0;
  }
  std::fputs("usage: ydoc COMMAND [--v2] [--out-v2] UPDATE_FILE...\n", stderr);
  return 2;
}
