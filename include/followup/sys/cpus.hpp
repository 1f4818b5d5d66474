#pragma once
// How many threads the work on a large book may use, and running a piece of
// work in slices on them.

#include <cstddef>
#include <functional>

namespace followup {

// The CPUs this process may run on: its affinity, which a container or
// `taskset -c 0` narrows (one CPU: no thread is started). At least 1.
unsigned usable_cpus();

// How many slices `items` make at `per_slice` or more each, on at most
// `threads` threads: at least 1 (below a few thousand items a thread costs
// more than it saves).
std::size_t slice_count(std::size_t items, std::size_t per_slice, unsigned threads);

// work(i) for each i below `slices`: 0 on this thread, the others on threads
// of their own (or here, when none can be had). Returns when all are done;
// the first slice's exception, if any, is then rethrown.
void each_slice(std::size_t slices, const std::function<void(std::size_t)>& work);

} // namespace followup
