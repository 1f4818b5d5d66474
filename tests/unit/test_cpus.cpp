// Slicing work over the usable CPUs (cpus.hpp): every slice runs once, the
// caller waits for all, and an exception in any slice reaches the caller.
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

#include <sched.h>

#include "followup/sys/cpus.hpp"

using namespace followup;

TEST_CASE("usable_cpus follows the affinity mask") {
  cpu_set_t before;
  CPU_ZERO(&before);
  REQUIRE(::sched_getaffinity(0, sizeof before, &before) == 0);
  CHECK(usable_cpus() == static_cast<unsigned>(CPU_COUNT(&before)));
  // Narrowed to one of the CPUs we may use (as `taskset -c N` does): 1.
  int first = 0;
  while (!CPU_ISSET(first, &before)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  REQUIRE(::sched_setaffinity(0, sizeof one, &one) == 0);
  unsigned narrowed = usable_cpus();
  REQUIRE(::sched_setaffinity(0, sizeof before, &before) == 0);
  CHECK(narrowed == 1);
  CHECK(usable_cpus() == static_cast<unsigned>(CPU_COUNT(&before)));
}

TEST_CASE("slice_count") {
  CHECK(slice_count(0, 2000, 8) == 1);
  CHECK(slice_count(3999, 2000, 8) == 1);
  CHECK(slice_count(4000, 2000, 8) == 2);
  CHECK(slice_count(1000000, 2000, 8) == 8);
  CHECK(slice_count(1000000, 2000, 0) == 1);
  CHECK(slice_count(5, 0, 3) == 3);
}

TEST_CASE("each_slice runs every slice once and waits for them all") {
  for (std::size_t slices : {1u, 2u, 5u}) {
    CAPTURE(slices);
    std::vector<std::atomic<int>> runs(slices);
    each_slice(slices, [&](std::size_t i) { ++runs[i]; });
    for (const auto& r : runs) CHECK(r.load() == 1);
  }
}

TEST_CASE("each_slice rethrows a slice's exception once all are done") {
  for (std::size_t failing : {0u, 2u}) {
    CAPTURE(failing);
    std::atomic<int> done{0};
    CHECK_THROWS_WITH_AS(each_slice(3,
                                    [&](std::size_t i) {
                                      if (i == failing) throw std::runtime_error("slice failed");
                                      ++done;
                                    }),
                         "slice failed", std::runtime_error);
    CHECK(done.load() == 2);
  }
}
