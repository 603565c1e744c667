// A small fork-join thread pool for the engine's data-parallel loops (matmul rows, attention heads).
// Built for shared machines where a worker may be descheduled at any moment: work is handed out in
// chunks from an atomic counter (a stalled worker's share is taken by the others instead of being
// waited for), and idle threads spin only briefly before sleeping on a futex-backed atomic wait.
// One parallel_for runs at a time; call it from one thread (the owner).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace reval::engine {

class ThreadPool {
 public:
  // fn(begin, end, thread_index): processes items [begin, end); thread_index < n_threads() names a
  // per-thread scratch slot.
  using RangeFn = std::function<void(std::int64_t, std::int64_t, int)>;

  // n_threads >= 1 counts the calling thread, so n_threads - 1 workers are started.
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int n_threads() const { return n_threads_; }

  // Runs fn over [0, n_items) in chunks of at least `grain` items and returns when all are done.
  // Chunk boundaries depend only on n_items, grain and n_threads, never on timing.
  void parallel_for(std::int64_t n_items, std::int64_t grain, const RangeFn& fn);

 private:
  void worker_loop(int thread_index);
  // Claims and runs chunks of the current job until none are left; returns how many it ran.
  void run_chunks(std::uint32_t generation, int thread_index);

  int n_threads_ = 1;
  std::vector<std::thread> workers_;
  std::atomic<std::uint32_t> generation_{0};  // bumped once per job (and at shutdown)
  // High 32 bits: generation of the job; low 32 bits: next chunk to claim.
  std::atomic<std::uint64_t> next_chunk_{0};
  std::atomic<std::uint32_t> chunks_done_{0};
  std::atomic<bool> stopping_{false};
  // Job description, written by the owner before next_chunk_ is published. Atomic (relaxed) because
  // a late worker may read them while the owner prepares the next job; it then fails its claim.
  std::atomic<const RangeFn*> job_{nullptr};
  std::atomic<std::int64_t> n_items_{0};
  std::atomic<std::int64_t> chunk_size_{1};
  std::atomic<std::uint32_t> n_chunks_{0};
};

}  // namespace reval::engine
