// Executing the requests of a run: skip the pairs the store already holds, answer what the cache
// knows, send the rest to the backend, and append every completion to the store as it arrives.
// Shows progress on stderr. Single-threaded apart from the backend's own work.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "harness/backend.h"
#include "harness/request_cache.h"
#include "harness/run_store.h"

namespace reval::harness {

struct SessionOutcome {
  Status status;                 // a fatal backend or store error; ok otherwise (also when stopped)
  std::size_t n_skipped = 0;     // already in the store
  std::size_t n_cached = 0;      // answered from --cache
  std::size_t n_completed = 0;   // delivered by the backend (including errors)
  std::size_t n_errors = 0;      // of which infrastructure errors
  std::size_t n_pending = 0;     // still missing at the end (stopped early or fatal error)
  double wall_time_s = 0;
};

// Runs `requests` against `backend`. `stop` is polled: once set, nothing new is sent, in-flight requests
// finish and are stored. `cache` may be null. Progress goes to `progress_out` (nullptr: none).
// `on_stored`, when set, is called (from the calling thread) with each successful completion once it
// is stored, cache hits included (SWE runs grade them while generation goes on).
SessionOutcome run_session(Backend& backend, RunStore& store, const RequestCache* cache,
                           const std::vector<Request>& requests, const std::atomic<bool>& stop,
                           std::FILE* progress_out,
                           const std::function<void(const Completion&)>& on_stored = nullptr);

}  // namespace reval::harness
