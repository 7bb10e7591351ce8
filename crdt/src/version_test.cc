#include "accord/crdt/version.h"

#include <gtest/gtest.h>

namespace accord::crdt {
namespace {

TEST(VersionTest, PinsTheYjsReleaseTheTestsUse) {
  // tests/node/package.json pins the same version; the differential suites compare against it.
  EXPECT_EQ(kYjsCompatVersion, "13.6.33");
}

TEST(VersionTest, NamesUpdateFormats) {
  EXPECT_EQ(UpdateFormatName(UpdateFormat::kV1), "v1");
  EXPECT_EQ(UpdateFormatName(UpdateFormat::kV2), "v2");
}

}  // namespace
}  // namespace accord::crdt
