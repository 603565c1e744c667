// ThreadPool: a fixed set of worker threads that run one parallel loop at a time with the calling
// thread taking part. Workers spin briefly for the next loop, then sleep on a condition variable,
// so a descheduled vCPU on a shared machine costs one short spin instead of a collapsed barrier
// (llama.cpp's pure spin barrier fell from ~970 to ~11 tok/s on this 2-vCPU box). Work is handed
// out in chunks from an atomic counter, so a slow thread only delays the chunk it holds.
// parallel_for is not re-entrant and must be called from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace reval::kernels {

class ThreadPool {
 public:
  // n_threads counts the caller: 1 means no workers (everything runs inline). n_threads <= 0
  // means the number of hardware threads.
  explicit ThreadPool(int n_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int n_threads() const { return n_threads_; }

  // Calls fn(begin, end) over disjoint ranges covering [0, n) in pieces of at most `grain`
  // items, on all threads; returns when every piece is done.
  void parallel_for(std::int64_t n, std::int64_t grain, const std::function<void(std::int64_t, std::int64_t)>& fn);

 private:
  struct State;
  int n_threads_;
  std::unique_ptr<State> state_;
};

// Runs fn over [0, n) on `pool`, or inline when pool is null.
void parallel_for(ThreadPool* pool, std::int64_t n, std::int64_t grain,
                  const std::function<void(std::int64_t, std::int64_t)>& fn);

}  // namespace reval::kernels
