// Scoring a run: grade every stored sample, compute per-problem and suite-level metrics (pass@1 as the
// mean over samples, unbiased pass@k, cons@k) with bootstrap intervals, and render the summary.json
// object and the terminal summary. Pure apart from the grader (itself pure); deterministic for a seed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "datasets/problem.h"
#include "graders/grader.h"
#include "harness/backend.h"

namespace reval::harness {

// A grade decided outside the grader (SWE runs: the verdict of a sandboxed test run); `extra` fields
// are added to its grades.jsonl row (e.g. "swe").
struct ExternalGrade {
  graders::Grade grade;
  nlohmann::json extra = nlohmann::json::object();
};

struct ScoringInput {
  nlohmann::json run_json;                        // run.json: suite, model, sampling, wall_time_s
  std::vector<datasets::Problem> problems;        // in suite order
  std::vector<Completion> samples;                // one per (problem, sample); errors included
  std::vector<std::string> metrics;               // "pass@1", "cons@K", "pass@K"
  int k = 1;                                      // samples per problem requested; later indexes are ignored
  std::uint64_t seed = 0;                         // bootstrap seed
  // When set, samples are graded from this map by (problem_id, sample) and the grader is not called;
  // a sample missing from it is not graded yet (left out like an error, counted in "n_ungraded").
  const std::map<std::pair<std::string, int>, ExternalGrade>* external_grades = nullptr;
};

struct ScoredRun {
  std::vector<nlohmann::json> grades;  // grades.jsonl rows; infrastructure errors are not graded
  nlohmann::json summary;              // summary.json
};

// Grades and summarizes. Problems without any graded sample are left out of the metrics and counted in
// summary "n_problems_missing". A metric with K above a problem's sample count uses that count.
ScoredRun score_run(const ScoringInput& input, const graders::Grader& grader);
// The same for input with external_grades (required).
ScoredRun score_run(const ScoringInput& input);

// Writes grades.jsonl and summary.json into `dir`, each atomically.
Status write_scored_run(const std::string& dir, const ScoredRun& scored);

// The summary as a few lines for the terminal: metric ± stderr (95% CI), problems, samples, truncated %,
// mean reasoning tokens, errors, wall time, tokens/s.
std::string format_summary(const nlohmann::json& summary);

}  // namespace reval::harness
