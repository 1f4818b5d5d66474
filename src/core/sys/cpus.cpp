#include "followup/sys/cpus.hpp"

#include <algorithm>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

#include <sched.h>

namespace followup {

unsigned usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return static_cast<unsigned>(std::max(1, CPU_COUNT(&set)));
}

std::size_t slice_count(std::size_t items, std::size_t per_slice, unsigned threads) {
  return std::clamp<std::size_t>(items / std::max<std::size_t>(per_slice, 1), 1, std::max(threads, 1u));
}

void each_slice(std::size_t slices, const std::function<void(std::size_t)>& work) {
  std::vector<std::exception_ptr> errors(slices);
  auto run = [&](std::size_t i) {
    try {
      work(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> threads;
    threads.reserve(slices);
    for (std::size_t i = 1; i < slices; ++i) {
      try {
        threads.emplace_back(run, i);
      } catch (const std::system_error&) {
        run(i);
      }
    }
    if (slices > 0) run(0);
  } // joined
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
}

} // namespace followup
