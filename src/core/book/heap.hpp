// Readying a thread's heap for the model of a large book (`followup` on 100k
// contacts builds about a hundred megabytes of it, in millions of
// allocations).
#pragma once

#include <cstddef>

namespace followup {

// Makes room in the calling thread's heap for about `bytes` of allocations
// in one step, so that building the model does not pay a page fault per 4 KB
// page (on virtual machines a large part of a load's time). From 16 MB the
// range is backed by transparent huge pages where the kernel offers them on
// request (`madvise` mode, the common default): one fault per 2 MB. Below
// that it is filled in by one call (MADV_POPULATE_WRITE). The first call
// also keeps large blocks in the heap and the heap from shrinking, for the
// rest of the process. A thread other than the main one gets 56 MB at most
// (glibc grows its arena 64 MB at a time). Under 64 KB nothing is done.
// Nothing depends on it working: on another C library or kernel it does
// nothing or merely less.
void prepare_heap(std::size_t bytes);

} // namespace followup
