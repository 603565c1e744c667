#include <catch2/catch.hpp>

#include <atomic>
#include <vector>

#include "engine/thread_pool.h"

namespace reval::engine {

TEST_CASE("parallel for visits every item exactly once across many jobs", "[engine][threads]") {
  for (int n_threads : {1, 2, 3, 8}) {
    ThreadPool pool(n_threads);
    for (std::int64_t n : {1, 7, 64, 1000}) {
      for (int rep = 0; rep < 50; ++rep) {
        std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
        pool.parallel_for(n, 3, [&](std::int64_t begin, std::int64_t end, int thread) {
          REQUIRE(thread < n_threads);
          for (std::int64_t i = begin; i < end; ++i) hits[static_cast<std::size_t>(i)].fetch_add(1);
        });
        for (const auto& h : hits) REQUIRE(h.load() == 1);
      }
    }
  }
}

TEST_CASE("more threads than cores still finish when workers are descheduled", "[engine][threads]") {
  ThreadPool pool(6);  // oversubscribed on a 2-vCPU machine: must not stall
  std::atomic<std::int64_t> sum{0};
  for (int rep = 0; rep < 2000; ++rep) {
    pool.parallel_for(100, 1, [&](std::int64_t begin, std::int64_t end, int) {
      for (std::int64_t i = begin; i < end; ++i) sum.fetch_add(i);
    });
  }
  CHECK(sum.load() == 2000 * 4950);
}

}  // namespace reval::engine
