// Readying the process's heap for a large book (`followup` on 100k contacts
// builds a model of about a hundred megabytes, in millions of allocations).
#pragma once

#include <cstddef>

namespace followup {

// Makes room for about `bytes` of allocations in one step, so that building
// the model does not pay a page fault per 4 KB page (on virtual machines
// most of a load's time). From 16 MB the range is backed by transparent huge
// pages where the kernel offers them on request (`madvise` mode, the common
// default): one fault per 2 MB. Below that it is filled in by one call
// (MADV_POPULATE_WRITE). Only the first call does anything; under 64 KB
// nothing is done. Nothing depends on it working: on another C library or
// kernel it does nothing or merely less.
void prepare_heap(std::size_t bytes);

// The same for the heap of a thread that reads part of a large book (glibc
// gives each thread an arena of its own, grown 64 MB at most at a time), for
// up to 56 MB. Call prepare_heap first, from the main thread: it keeps large
// blocks in the arenas.
void prepare_thread_heap(std::size_t bytes);

} // namespace followup
