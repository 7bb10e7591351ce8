#include "process_memory.h"

#include <climits>
#include <string>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace accord::server {

Status KeepFreedMemoryForReuse(const MemoryRetention& retention) {
  if (retention.heap_block_max > INT_MAX || retention.keep_free_max > INT_MAX) {
    return Status::InvalidArgument("memory retention sizes must be below 2 GiB");
  }
#if defined(__GLIBC__)
  // mallopt answers 1 when it took the setting; a sanitizer's replacement answers 0. Setting
  // either value also turns off glibc's own adjustment of both, which would otherwise undo them.
  if (mallopt(M_MMAP_THRESHOLD, static_cast<int>(retention.heap_block_max)) != 1) {
    return Status::Unavailable("this allocator ignores M_MMAP_THRESHOLD");
  }
  if (mallopt(M_TRIM_THRESHOLD, static_cast<int>(retention.keep_free_max)) != 1) {
    return Status::Unavailable("this allocator ignores M_TRIM_THRESHOLD");
  }
  return Status::Ok();
#else
  return Status::Unavailable("not built against glibc");
#endif
}

}  // namespace accord::server
