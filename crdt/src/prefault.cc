#include "prefault.h"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace accord::crdt {
namespace {

// Below this, faulting page by page costs little.
constexpr size_t kPrefaultBytes = 256 * 1024;

}  // namespace

// Only the whole pages inside the block are named (see the header for why).
void PrefaultForWrite(void* p, size_t n) {
#if defined(__linux__) && defined(MADV_POPULATE_WRITE)
  if (n < kPrefaultBytes) return;
  const uintptr_t page = 4096;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + page - 1) & ~(page - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + n) & ~(page - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);
#else
  (void)p;
  (void)n;
#endif
}

}  // namespace accord::crdt
