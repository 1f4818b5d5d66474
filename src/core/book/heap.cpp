// glibc's malloc serves the main thread from one heap grown with brk, and
// each other thread from an arena of its own, grown with mmap 64 MB at most
// at a time. A block of the size a load will need, allocated and freed at
// once, stays in the thread's heap as free space; that range is advised
// MADV_HUGEPAGE (filled with 2 MB pages as the model is built) or, when
// small, populated at once. glibc's own tunable
// (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) does the former, but only when set
// before the process starts, and for every allocation.
#include "book/heap.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <mutex>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace followup {

#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
namespace {

constexpr std::size_t kHuge = std::size_t{2} << 20;

char* align_up(char* p, std::size_t to) {
  return reinterpret_cast<char*>((reinterpret_cast<std::uintptr_t>(p) + to - 1) & ~(to - 1));
}

// Readies [start, end), free heap space the allocations to come will take.
void advise(char* start, char* end) {
  if (end - start >= static_cast<std::ptrdiff_t>(8 * kHuge)) {
    // Large: 2 MB pages, each filled in when first touched.
    char* first = align_up(start, kHuge);
    if (end > first + kHuge) madvise(first, static_cast<std::size_t>(end - first) & ~(kHuge - 1), MADV_HUGEPAGE);
    return;
  }
  // Small: every page filled in by one call (Linux 5.14) rather than a
  // fault each; where the kernel does not know the advice, pages fault in.
#ifdef MADV_POPULATE_WRITE
  static const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  char* first = align_up(start, page);
  if (end > first) madvise(first, static_cast<std::size_t>(end - first) / page * page, MADV_POPULATE_WRITE);
#endif
}

} // namespace
#endif

void prepare_heap(std::size_t bytes) {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes < 64 * 1024) return;
  // Every allocation from the heap, none given back before exit: the large
  // vectors of a big book would otherwise be mmap'ed apart, and the prepared
  // range trimmed away after the first large free.
  static std::once_flag settings;
  std::call_once(settings, [] {
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  });
  // A larger block would come from another arena (the main one), whose
  // pages this thread does not fill.
  if (gettid() != getpid()) bytes = std::min(bytes, 28 * kHuge);
  auto* block = static_cast<char*>(std::malloc(bytes));
  if (!block) return;
  advise(block, block + bytes);
  std::free(block); // stays in the heap as free space for the load
#else
  (void)bytes;
#endif
}

} // namespace followup
