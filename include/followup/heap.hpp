// Readying the process's heap for a large book (`followup` on 100k contacts
// builds a model of about a hundred megabytes, in millions of allocations).
#pragma once

#include <cstddef>

namespace followup {

// Makes room for about `bytes` of allocations in one step, backed by
// transparent huge pages where the kernel offers them on request
// (`madvise` mode, the common default): the first touch of each 2 MB then
// costs one page fault instead of 512, which on virtual machines is most of
// a large load's time. Only the first call does anything; small sizes are
// ignored. Nothing depends on it working: on another C library or kernel it
// does nothing or merely less.
void prepare_heap(std::size_t bytes);

} // namespace followup
