#include "process_memory.h"

#include <gtest/gtest.h>

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace accord::server {
namespace {

TEST(ProcessMemoryTest, RejectsSizesTheAllocatorCannotTake) {
  MemoryRetention huge;
  huge.keep_free_max = size_t{1} << 40;
  EXPECT_EQ(KeepFreedMemoryForReuse(huge).code(), Status::Code::kInvalidArgument);
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// The sanitized build (the one `make test` runs) replaces malloc; its mallopt takes nothing,
// and the call must say so rather than claim success.
TEST(ProcessMemoryTest, SaysWhenTheAllocatorIgnoresTheSettings) {
  Status s = KeepFreedMemoryForReuse();
  EXPECT_EQ(s.code(), Status::Code::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("M_MMAP_THRESHOLD"), std::string::npos) << s.ToString();
}
#elif defined(__GLIBC__)
// With glibc's malloc: a 2 MiB block comes from the heap instead of a mapping of its own, and
// once freed it stays there for the next allocation instead of going back to the kernel.
TEST(ProcessMemoryTest, LargeBlocksComeFromTheHeapAndStayAfterFree) {
  ASSERT_TRUE(KeepFreedMemoryForReuse().ok());
  const size_t kBlock = 2u << 20;
  const struct mallinfo2 before = mallinfo2();
  char* volatile block = static_cast<char*>(std::malloc(kBlock));
  ASSERT_NE(block, nullptr);
  block[0] = 1;
  const struct mallinfo2 held = mallinfo2();
  EXPECT_EQ(held.hblks, before.hblks) << "the block got a mapping of its own";
  std::free(block);
  const struct mallinfo2 after = mallinfo2();
  EXPECT_GE(after.fordblks, kBlock) << "the freed block went back to the kernel";
}
#endif

}  // namespace
}  // namespace accord::server
