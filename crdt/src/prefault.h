// prefault.h: mapping the pages of a large fresh buffer in one call instead of one page fault
// per 4 KiB page as it is first written.
#ifndef ACCORD_CRDT_SRC_PREFAULT_H_
#define ACCORD_CRDT_SRC_PREFAULT_H_

#include <cstddef>
#include <cstdint>

namespace accord::crdt {

// Maps the whole pages inside [p, p + n) up front when the range is large: results of a
// megabyte usually land in memory the process has never touched (malloc maps a fresh region or
// extends its heap), and touching it page by page takes one page fault per 4 KiB, which on a
// virtual machine cost more than encoding the update. One madvise call maps them instead. A
// failure (an old kernel) only leaves the faults to happen.
void PrefaultForWrite(void* p, size_t n);

}  // namespace accord::crdt

#endif  // ACCORD_CRDT_SRC_PREFAULT_H_
