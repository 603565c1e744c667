// The report model: N runs compared on the problems they share. Built from run folders, it holds
// everything the renderers (HTML, Markdown, JSON) show; renderers compute nothing statistical.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "reports/published_scores.h"
#include "reports/run_folder.h"
#include "stats/stats.h"

namespace reval::reports {

struct MetricCell {
  std::string name;  // "pass@1", "cons@64", "pass@64"
  bool available = false;  // false when k exceeds the samples this run has
  double value = 0;
  std::optional<double> stderr_, ci_low, ci_high;
};

// One row of the headline table (section 1).
struct Headline {
  std::vector<MetricCell> metrics;  // aligned with ReportModel::metric_names
  std::int64_t n_samples = 0;       // samples counted on the compared problems
  std::int64_t k = 0;               // samples per problem (the most any problem has)
  std::optional<double> truncated_fraction;
  std::int64_t errors = 0;
  std::optional<double> mean_reasoning_tokens, mean_answer_tokens;
  std::optional<double> wall_time_s, tokens_per_s, cost_usd;
  bool from_summary = false;  // values are summary.json's (the run's full problem set)
};

// One run's results on one compared problem.
struct ProblemResult {
  int n = 0;         // graded samples (infrastructure errors excluded)
  int correct = 0;
  bool cons_correct = false;  // the majority answer is correct
  std::string cons_answer;
  std::vector<int> sample_indices;  // into RunFolder::samples, in sample order
  std::vector<int> grade_indices;   // into RunFolder::grades, aligned with sample_indices (-1: ungraded)
  double pass1() const { return n == 0 ? 0.0 : static_cast<double>(correct) / n; }
};

struct RunReport {
  RunFolder folder;
  std::string label;  // unique short name: model + quantization or backend, or the run id
  Headline headline;
  std::vector<ProblemResult> problems;  // aligned with ReportModel::problem_ids
  std::vector<PublishedScore> published;
  bool has_swe = false;
  // SWE runs: graded samples per outcome ("resolved", "unresolved", "patch_failed", "error", "empty_patch").
  std::map<std::string, int> swe_outcomes;
  // Completion token counts of graded samples, split by verdict (section 6).
  std::vector<double> tokens_correct, tokens_wrong;
};

struct Comparison {
  int run = 0;  // index into ReportModel::runs; compared against the baseline
  stats::PairedComparison paired;
};

struct ReportModel {
  std::vector<RunReport> runs;
  int baseline = 0;
  std::vector<std::string> metric_names;   // union over runs, in first-seen order
  std::vector<std::string> problem_ids;    // the problems every run has, in the first run's order
  std::vector<ProblemRecord> problems;     // aligned with problem_ids (text from the first run)
  bool problem_sets_differ = false;
  std::string scope_note;  // one sentence stating what is compared, shown by every renderer
  std::vector<Comparison> comparisons;  // every run but the baseline
  std::vector<std::string> warnings;
};

struct ReportOptions {
  // Index of the baseline run (section 3); runs are compared against it.
  int baseline = 0;
  std::uint64_t seed = 0;  // bootstrap seed
  const PublishedScores* published = nullptr;  // nullptr: the built-in registry
};

// Builds the model. Errors: no runs, a baseline out of range, or runs without a common problem.
Result<ReportModel> build_report_model(std::vector<RunFolder> runs, const ReportOptions& options);

// The k of "pass@k" / "cons@k" names, 0 for other metric names.
int metric_k(const std::string& metric_name);

}  // namespace reval::reports
