// process_memory.h: how accordd's allocator hands freed memory back to the kernel.
//
// glibc's malloc returns memory eagerly: every block over 128 KiB gets a fresh mapping that is
// unmapped when freed, and free space over 128 KiB at the top of the heap is trimmed. A server
// that encodes a document, sends it and frees it then pays one page fault per 4 KiB on every
// encode, and on a virtual machine those faults cost more than the encoding itself (measured:
// a 530 KB state update took 2.4 ms instead of 1.0 ms). Keeping a bounded amount of freed
// memory for reuse, as V8's heap and WebAssembly's linear memory always do, removes the faults.
//
// Call once at start-up, before any thread is started. Not thread-safe.
#ifndef ACCORD_SERVER_PROCESS_MEMORY_H_
#define ACCORD_SERVER_PROCESS_MEMORY_H_

#include <cstddef>

#include "accord/status.h"

namespace accord::server {

struct MemoryRetention {
  // Blocks up to this size come from the heap, where freed space is reused, instead of a fresh
  // mapping of their own: a document's state update (a few MB) is one such block.
  size_t heap_block_max = 8u << 20;
  // Free space at the top of a heap beyond this is given back to the kernel: the bound on what
  // is kept after a burst (on a 1 GB machine, 32 MiB).
  size_t keep_free_max = 32u << 20;
};

// Applies `retention` to the process's allocator. InvalidArgument for sizes over 2 GiB (nothing
// applied); Unavailable where the allocator ignores the settings (another libc, or a sanitizer's
// allocator, which takes neither).
Status KeepFreedMemoryForReuse(const MemoryRetention& retention = {});

}  // namespace accord::server

#endif  // ACCORD_SERVER_PROCESS_MEMORY_H_
