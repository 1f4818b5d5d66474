// glibc's malloc serves the main thread from one heap grown with brk, and
// each other thread from an arena of its own, grown with mmap. Grown once by
// the size a load will need, that range is advised MADV_HUGEPAGE (filled
// with 2 MB pages as the model is built) or, when small, populated at once.
// glibc's own tunable (GLIBC_TUNABLES=glibc.malloc.hugetlb=1) does the
// former, but it can only be set before the process starts.
#include "followup/heap.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>

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

// Readies the heap range [start, end), free space the allocations to come
// will take.
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
  advise(start, static_cast<char*>(sbrk(0)));
#else
  (void)bytes;
#endif
}

void prepare_thread_heap(std::size_t bytes) {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
  // A thread's arena grows in heaps of 64 MB: a larger block would come from
  // another arena, the main one, whose pages are not this thread's.
  bytes = std::min(bytes, 28 * kHuge);
  if (bytes < 64 * 1024) return;
  auto* block = static_cast<char*>(std::malloc(bytes));
  if (!block) return;
  advise(block, block + bytes);
  std::free(block); // stays in the thread's arena as free space for the part
#else
  (void)bytes;
#endif
}

} // namespace followup
