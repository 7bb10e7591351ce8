// proto/src/golden_testutil.h: loads proto/testdata/messages.txt (frames made by the real
// y-protocols; see tests/node/tools/gen-proto-golden.mjs). Test-only; header-only.
#ifndef ACCORD_PROTO_SRC_GOLDEN_TESTUTIL_H_
#define ACCORD_PROTO_SRC_GOLDEN_TESTUTIL_H_

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace accord::proto::testing {

inline std::vector<uint8_t> FromHex(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

// name -> frame bytes. Looks under $ACCORD_SOURCE_DIR (set by ctest), then upwards from cwd.
inline const std::map<std::string, std::vector<uint8_t>>& Golden() {
  static const auto* golden = [] {
    std::vector<std::string> roots;
    if (const char* dir = std::getenv("ACCORD_SOURCE_DIR")) roots.emplace_back(dir);
    roots.insert(roots.end(), {".", "..", "../..", "../../.."});
    for (const std::string& root : roots) {
      std::ifstream in(root + "/proto/testdata/messages.txt");
      if (!in) continue;
      auto* m = new std::map<std::string, std::vector<uint8_t>>();
      std::string line;
      while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, hex;
        fields >> name >> hex;
        (*m)[name] = FromHex(hex);
      }
      return m;
    }
    throw std::runtime_error("proto/testdata/messages.txt not found (set ACCORD_SOURCE_DIR)");
  }();
  return *golden;
}

inline const std::vector<uint8_t>& G(const std::string& name) {
  auto it = Golden().find(name);
  if (it == Golden().end()) throw std::runtime_error("no golden frame " + name);
  return it->second;
}

}  // namespace accord::proto::testing

#endif  // ACCORD_PROTO_SRC_GOLDEN_TESTUTIL_H_
