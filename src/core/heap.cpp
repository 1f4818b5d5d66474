// glibc's malloc serves the main thread from one heap grown with brk. Grown
// once by the size a load will need, that range is advised MADV_HUGEPAGE
// (filled with 2 MB pages as the model is built) or, for a small book,
// populated at once. glibc's own tunable (GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
// does the former, but it can only be set before the process starts.
#include "followup/heap.hpp"

#include <cstdint>
#include <limits>
#include <cstdlib>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace followup {

void prepare_heap(std::size_t bytes) {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  static bool done = false;
  if (done || bytes < 64 * 1024) return;
  done = true;
  // Every allocation from the heap, none given back before exit: the large
  // vectors of a big book would otherwise be mmap'ed apart, and the prepared
  // range trimmed away after the first large free.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  auto* start = static_cast<char*>(sbrk(0));
  void* block = std::malloc(bytes);
  if (!block) return;
  std::free(block); // stays in the heap as free space for the load
  auto* end = static_cast<char*>(sbrk(0));
  if (bytes >= 8 * kHuge) {
    // Large: 2 MB pages, each filled in when first touched.
    auto* first = reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(start) + kHuge - 1) & ~(kHuge - 1));
    if (end > first + kHuge) madvise(first, static_cast<std::size_t>(end - first) & ~(kHuge - 1), MADV_HUGEPAGE);
  } else {
    // Small: every page filled in by one call (Linux 5.14) rather than a
    // fault each; where the kernel does not know the advice, pages fault in.
#ifdef MADV_POPULATE_WRITE
    madvise(start, static_cast<std::size_t>(end - start), MADV_POPULATE_WRITE);
#endif
  }
#else
  (void)bytes;
#endif
}

} // namespace followup
