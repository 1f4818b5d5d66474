#pragma once
// How many threads the work on a large book may use.

namespace followup {

// The CPUs this process may run on: its affinity, which a container or
// `taskset -c 0` narrows (one CPU: no thread is started). At least 1.
unsigned usable_cpus();

} // namespace followup
