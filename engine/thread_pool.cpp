#include "engine/thread_pool.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace reval::engine {
namespace {

// About 20-50 microseconds of polling: long enough to catch the next matmul of the same forward
// pass without a syscall, short enough that a descheduled peer does not burn a whole time slice.
constexpr int kSpinIterations = 4096;

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

}  // namespace

ThreadPool::ThreadPool(int n_threads) : n_threads_(std::max(1, n_threads)) {
  workers_.reserve(n_threads_ - 1);
  for (int i = 1; i < n_threads_; ++i) workers_.emplace_back([this, i] { worker_loop(i); });
}

ThreadPool::~ThreadPool() {
  stopping_.store(true, std::memory_order_release);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  generation_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::parallel_for(std::int64_t n_items, std::int64_t grain, const RangeFn& fn) {
  if (n_items <= 0) return;
  grain = std::max<std::int64_t>(1, grain);
  // A few chunks per thread so a stalled thread's share is small and can be picked up by others.
  const std::int64_t target_chunks = static_cast<std::int64_t>(n_threads_) * 4;
  const std::int64_t chunk = std::max(grain, (n_items + target_chunks - 1) / target_chunks);
  const auto n_chunks = static_cast<std::uint32_t>((n_items + chunk - 1) / chunk);
  if (n_threads_ == 1 || n_chunks == 1) {
    fn(0, n_items, 0);
    return;
  }
  job_.store(&fn, std::memory_order_relaxed);
  n_items_.store(n_items, std::memory_order_relaxed);
  chunk_size_.store(chunk, std::memory_order_relaxed);
  n_chunks_.store(n_chunks, std::memory_order_relaxed);
  chunks_done_.store(0, std::memory_order_relaxed);
  const std::uint32_t generation = generation_.load(std::memory_order_relaxed) + 1;
  next_chunk_.store(static_cast<std::uint64_t>(generation) << 32, std::memory_order_release);
  generation_.store(generation, std::memory_order_release);
  generation_.notify_all();

  run_chunks(generation, 0);

  for (int spin = 0; chunks_done_.load(std::memory_order_acquire) < n_chunks; ++spin) {
    if (spin < kSpinIterations) {
      cpu_relax();
    } else {
      const std::uint32_t done = chunks_done_.load(std::memory_order_acquire);
      if (done < n_chunks) chunks_done_.wait(done, std::memory_order_acquire);
    }
  }
}

void ThreadPool::run_chunks(std::uint32_t generation, int thread_index) {
  const std::uint64_t tag = static_cast<std::uint64_t>(generation) << 32;
  std::uint64_t current = next_chunk_.load(std::memory_order_acquire);
  while (true) {
    // A late worker from an earlier job sees another generation in the tag and claims nothing.
    if ((current & ~0xffffffffULL) != tag) return;
    const auto index = static_cast<std::uint32_t>(current & 0xffffffffULL);
    const std::uint32_t n_chunks = n_chunks_.load(std::memory_order_relaxed);
    if (index >= n_chunks) return;
    if (!next_chunk_.compare_exchange_weak(current, current + 1, std::memory_order_acq_rel)) continue;
    // The claim succeeded, so the job cannot finish (and its fields cannot change) before this chunk.
    const std::int64_t chunk = chunk_size_.load(std::memory_order_relaxed);
    const std::int64_t begin = static_cast<std::int64_t>(index) * chunk;
    const std::int64_t end = std::min(n_items_.load(std::memory_order_relaxed), begin + chunk);
    (*job_.load(std::memory_order_relaxed))(begin, end, thread_index);
    if (chunks_done_.fetch_add(1, std::memory_order_acq_rel) + 1 == n_chunks) chunks_done_.notify_all();
    current = next_chunk_.load(std::memory_order_acquire);
  }
}

void ThreadPool::worker_loop(int thread_index) {
  std::uint32_t seen = 0;
  while (true) {
    std::uint32_t generation = generation_.load(std::memory_order_acquire);
    for (int spin = 0; generation == seen && spin < kSpinIterations; ++spin) {
      cpu_relax();
      generation = generation_.load(std::memory_order_acquire);
    }
    if (generation == seen) {
      generation_.wait(seen, std::memory_order_acquire);
      continue;
    }
    seen = generation;
    if (stopping_.load(std::memory_order_acquire)) return;
    run_chunks(generation, thread_index);
  }
}

}  // namespace reval::engine
