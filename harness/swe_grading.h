// Grading the samples of an SWE run (docs/run-format.md, "SWE runs"): each successful completion is
// turned into a verdict by graders/swe (diff extracted, applied, tests run in the sandbox) by a pool
// of worker threads that runs while generation goes on, and every verdict is appended to
// swe_results.jsonl as it is decided, so a resumed run never grades a finished sample again. The
// verdicts then become the run's grades (correct = resolved) for the normal statistics.
// SweResults is thread-safe; SweGradingPool::submit is called from one thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "graders/swe/evaluator.h"
#include "harness/backend.h"
#include "harness/scoring.h"

namespace reval::harness {

inline constexpr const char* kSweResultsJsonl = "swe_results.jsonl";

// swe_results.jsonl: one line per verdict, {"problem_id", "sample", "request_hash", "swe": {...}}
// (graders/swe/response_grading.h verdict_json), appended with one write(2) each.
class SweResults {
 public:
  // Reads the verdicts already in `dir` (a torn last line is dropped and cut off) and opens the file
  // for appending. Errors name the file and line.
  static Result<std::unique_ptr<SweResults>> open(const std::string& dir);
  ~SweResults();
  SweResults(const SweResults&) = delete;
  SweResults& operator=(const SweResults&) = delete;

  // Reads the verdicts of a finished run without opening it for writing (for `reval grade`).
  static Result<std::map<std::pair<std::string, int>, nlohmann::json>> read(const std::string& dir);

  // True when `completion` already has a verdict that stands: same request_hash, and not an
  // infrastructure error (those are graded again on the next invocation).
  bool is_graded(const Completion& completion) const;
  Status append(const std::string& problem_id, int sample, const std::string& request_hash, const nlohmann::json& swe);
  // The latest line per (problem_id, sample).
  std::map<std::pair<std::string, int>, nlohmann::json> verdicts() const;

 private:
  SweResults() = default;
  std::string path_;
  int fd_ = -1;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, nlohmann::json> rows_;
};

struct SweGradingCounts {
  std::size_t n_graded = 0;   // verdicts decided in this invocation
  std::size_t n_skipped = 0;  // already graded by an earlier invocation
  std::size_t n_left = 0;     // not graded because of a stop request
};

// N worker threads, each a sandbox slot, grading completions in submission order.
class SweGradingPool {
 public:
  SweGradingPool(const std::vector<graders::swe::SweInstance>& instances, graders::swe::EvalOptions options,
                 std::string model_name, int n_workers, SweResults& results, const std::atomic<bool>& stop,
                 std::FILE* progress_out);
  ~SweGradingPool();
  SweGradingPool(const SweGradingPool&) = delete;
  SweGradingPool& operator=(const SweGradingPool&) = delete;

  // Queues a successful completion unless it is graded already (errors and unknown problems are ignored).
  void submit(const Completion& completion);
  // Waits for the queue to drain (or, once `stop` is set, for the samples being graded) and joins the
  // workers. The first error appending a verdict is returned.
  Status finish();
  SweGradingCounts counts() const;

 private:
  void work(int slot);

  std::map<std::string, const graders::swe::SweInstance*> instances_;
  graders::swe::EvalOptions options_;
  std::string model_name_;
  SweResults& results_;
  const std::atomic<bool>& stop_;
  std::FILE* progress_out_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Completion> queue_;
  bool closed_ = false;
  Status status_;
  SweGradingCounts counts_;
  std::vector<std::thread> workers_;
};

// The verdicts as the run's grades: correct = resolved; extracted = the files the diff touches;
// canonical = a short hash of the diff (identical patches vote together for cons@k); reason = the
// verdict's reason; rule = where the diff was found; "swe" = the verdict.
std::map<std::pair<std::string, int>, ExternalGrade> swe_external_grades(
    const std::map<std::pair<std::string, int>, nlohmann::json>& verdicts);

// summary.json "swe": counts per outcome over the graded samples of pairs [0, k), the samples not yet
// graded, and the retrieval setting ("oracle").
nlohmann::json swe_outcome_breakdown(const std::map<std::pair<std::string, int>, nlohmann::json>& verdicts,
                                     const std::vector<Completion>& samples, int k);

// One line for the terminal: "swe outcomes: 1 resolved, 0 unresolved, ... (oracle retrieval)".
std::string format_swe_breakdown(const nlohmann::json& breakdown);

// Scores an SWE run from its stored verdicts (tests are not run again): the statistics of `input`
// with the verdicts as grades, and summary "swe" = the outcome breakdown over pairs [0, k). `input`
// is borrowed (its external_grades is set during the call, then cleared).
ScoredRun score_swe_run(ScoringInput& input, const std::map<std::pair<std::string, int>, nlohmann::json>& verdicts,
                        int k);

}  // namespace reval::harness
