// The run store: one folder per run (docs/run-format.md). Creates or resumes a run, refuses a folder
// made with other settings, appends each completion to samples.jsonl with one write(2) as it arrives
// (a kill -9 loses at most in-flight requests; a torn last line is cut off on the next open), and holds
// an exclusive lock so two processes never write one run. Not thread-safe: one writer thread.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "harness/backend.h"
#include "harness/sample_record.h"

namespace reval::harness {

inline constexpr int kRunFormatVersion = 1;

// File names inside a run folder, as on disk.
inline constexpr const char* kRunJson = "run.json";
inline constexpr const char* kSamplesJsonl = "samples.jsonl";
inline constexpr const char* kGradesJsonl = "grades.jsonl";
inline constexpr const char* kProblemsJsonl = "problems.jsonl";
inline constexpr const char* kSummaryJson = "summary.json";

class RunStore {
 public:
  // Opens `dir` for writing. `run_json` is the run.json to write; it must hold "settings" (the object
  // whose hash must match to resume). A new folder is created; a folder with a run.json of the same
  // settings_hash is resumed (its "started" is kept); other settings are refused with an
  // invalid_input_error naming the first differing setting, unless `force_new`, which moves the old
  // folder aside to "<dir>.replaced-<time>" and starts afresh.
  static Result<std::unique_ptr<RunStore>> open(const std::string& dir, nlohmann::json run_json, bool force_new);
  ~RunStore();
  RunStore(const RunStore&) = delete;
  RunStore& operator=(const RunStore&) = delete;

  // Settings hash of a "settings" object: sha256 of its compact JSON (keys sorted by nlohmann).
  static std::string settings_hash(const nlohmann::json& settings);

  bool resumed() const { return resumed_; }
  const std::string& dir() const { return dir_; }
  // What samples.jsonl held when opened (after dropping a torn line).
  const SamplesFile& existing() const { return existing_; }
  // True when (problem, sample) had a successful completion when the store was opened. Appends do not
  // update it, so memory stays flat however many samples a run appends.
  bool is_done(const std::string& problem_id, int sample) const;

  // Appends one line and hands it to the kernel before returning (survives kill -9; not fsynced).
  Status append(const Completion& completion);
  // Sets top-level fields of run.json (e.g. "finished", "wall_time_s") and rewrites it atomically.
  Status update_run_json(const nlohmann::json& fields);
  const nlohmann::json& run_json() const { return run_json_; }

 private:
  RunStore() = default;
  Status open_samples_file();

  std::string dir_;
  nlohmann::json run_json_;
  SamplesFile existing_;
  std::set<std::pair<std::string, int>> done_;
  bool resumed_ = false;
  int fd_ = -1;
};

// "2026-11-29T14:00:00Z" for now.
std::string utc_timestamp();

}  // namespace reval::harness
