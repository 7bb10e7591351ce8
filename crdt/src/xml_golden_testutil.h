// xml_golden_testutil.h: loading crdt/testdata/xml/cases.json (made by
// tests/node/tools/gen-xml-golden.mjs) and printing deltas in the generator's JSON form, for
// text_delta_test.cc and xml_test.cc. Test-only; header-only.
#ifndef ACCORD_CRDT_SRC_XML_GOLDEN_TESTUTIL_H_
#define ACCORD_CRDT_SRC_XML_GOLDEN_TESTUTIL_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "accord/crdt/doc.h"

namespace accord::crdt::testing {

inline Any LoadXmlCases() {
  std::vector<std::string> roots;
  if (const char* dir = std::getenv("ACCORD_SOURCE_DIR")) roots.emplace_back(dir);
  roots.insert(roots.end(), {".", "..", "../..", "../../.."});
  for (const std::string& root : roots) {
    std::ifstream in(root + "/crdt/testdata/xml/cases.json", std::ios::binary);
    if (!in) continue;
    std::stringstream ss;
    ss << in.rdbuf();
    std::optional<Any> parsed = Any::FromJson(ss.str());
    if (parsed) return *parsed;
  }
  ADD_FAILURE() << "crdt/testdata/xml/cases.json not found (set ACCORD_SOURCE_DIR)";
  return Any::Object({{"replay", Any(AnyArray{})}, {"local", Any(AnyArray{})}});
}

// A delta as the generator prints it: nested types as {"$type": their toJSON}.
inline Any DeltaAsJson(const std::vector<DeltaInsert>& delta) {
  AnyArray ops;
  for (const DeltaInsert& d : delta) {
    AnyObject op;
    switch (d.kind) {
      case DeltaInsert::Kind::kString:
        op.emplace_back("insert", Any(d.text));
        break;
      case DeltaInsert::Kind::kEmbed:
        op.emplace_back("insert", d.embed);
        break;
      case DeltaInsert::Kind::kType:
        op.emplace_back("insert", Any::Object({{"$type", d.type.ToJson()}}));
        break;
    }
    if (!d.attributes.empty()) {
      op.emplace_back("attributes",
                      Any::Object(AnyObject(d.attributes.begin(), d.attributes.end())));
    }
    ops.push_back(Any::Object(std::move(op)));
  }
  return Any(std::move(ops));
}

}  // namespace accord::crdt::testing

#endif  // ACCORD_CRDT_SRC_XML_GOLDEN_TESTUTIL_H_
