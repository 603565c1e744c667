#include "harness/run_session.h"

#include <chrono>
#include <memory>
#include <thread>

#include "common/log.h"
#include "common/progress.h"

namespace reval::harness {

SessionOutcome run_session(Backend& backend, RunStore& store, const RequestCache* cache,
                           const std::vector<Request>& requests, const std::atomic<bool>& stop,
                           std::FILE* progress_out, const std::function<void(const Completion&)>& on_stored) {
  const auto start = std::chrono::steady_clock::now();
  SessionOutcome outcome;
  std::vector<Request> to_send;
  for (const Request& request : requests) {
    if (store.is_done(request.problem_id, request.sample)) {
      ++outcome.n_skipped;
      continue;
    }
    if (cache != nullptr) {
      if (std::optional<Completion> hit = cache->lookup(request)) {
        outcome.status = store.append(*hit);
        if (!outcome.status.ok()) return outcome;
        ++outcome.n_cached;
        if (on_stored && hit->finish_reason != "error") on_stored(*hit);
        continue;
      }
    }
    to_send.push_back(request);
  }
  if (outcome.n_skipped > 0 || outcome.n_cached > 0) {
    REVAL_LOG_INFO("resuming: " + std::to_string(outcome.n_skipped) + " samples already stored, " +
                   std::to_string(outcome.n_cached) + " answered from the cache, " + std::to_string(to_send.size()) +
                   " to request");
  }

  std::unique_ptr<ProgressReporter> progress;
  if (progress_out != nullptr && !to_send.empty()) {
    ProgressOptions options;
    options.out = progress_out;
    options.unit = "req";
    progress = std::make_unique<ProgressReporter>("run", to_send.size(), options);
  }
  // A store failure (disk full) must stop the run: flag it and let in-flight requests drain.
  std::atomic<bool> local_stop{false};
  Status store_status;
  std::atomic<bool> combined{false};
  std::size_t n_stored_ok = outcome.n_cached;  // successful completions stored by this session
  const auto on_complete = [&](Completion completion) {
    ++outcome.n_completed;
    if (completion.finish_reason == "error") ++outcome.n_errors;
    if (store_status.ok()) {
      store_status = store.append(completion);
      if (!store_status.ok()) local_stop = true;
      if (store_status.ok() && completion.finish_reason != "error") {
        ++n_stored_ok;
        if (on_stored) on_stored(completion);
      }
    }
    if (cache != nullptr && store_status.ok()) {
      const Status cached = cache->store(completion);
      if (!cached.ok()) REVAL_LOG_WARN("--cache: " + cached.message());
    }
    if (progress) {
      progress->advance();
      if (outcome.n_errors > 0) progress->set_note(std::to_string(outcome.n_errors) + " errors");
    }
    if (stop.load() || local_stop.load()) combined = true;
  };
  // The backend polls one flag; the user's stop (set from a signal handler) and a store failure both
  // raise it, through this small watcher.
  std::thread mirror([&] {
    while (!combined.load()) {
      if (stop.load() || local_stop.load()) combined = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  Status status = to_send.empty() ? Status::ok_status() : backend.run(to_send, on_complete, combined);
  combined = true;
  mirror.join();
  if (progress) progress->finish();
  outcome.status = !store_status.ok() ? store_status : status;
  outcome.n_pending = to_send.size() - (n_stored_ok - outcome.n_cached);
  outcome.wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcome;
}

}  // namespace reval::harness
