#include "prefault.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace accord::crdt {
namespace {

TEST(PrefaultTest, KeepsWhatABufferHolds) {
  // Unaligned start and end, and a size above the prefault threshold: only whole pages inside
  // are named, and mapping them changes no byte.
  std::vector<uint8_t> buf(3 * 1024 * 1024 + 123);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<uint8_t>(i * 7);
  PrefaultForWrite(buf.data() + 5, buf.size() - 5);
  PrefaultForWrite(buf.data(), 10);  // small: nothing to do
  for (size_t i = 0; i < buf.size(); ++i) ASSERT_EQ(buf[i], static_cast<uint8_t>(i * 7)) << i;
}

TEST(PrefaultTest, FreshReservedMemoryCanBeWrittenAfterwards) {
  std::vector<uint64_t> v;
  v.reserve(1 << 20);
  PrefaultForWrite(v.data(), v.capacity() * sizeof(uint64_t));
  for (uint64_t i = 0; i < (1 << 20); ++i) v.push_back(i * 3);
  for (uint64_t i = 0; i < (1 << 20); ++i) ASSERT_EQ(v[i], i * 3);
}

}  // namespace
}  // namespace accord::crdt
