// Statistics for evaluation runs: pass@k, cons@k, bootstrap intervals, paired comparisons.
// Pure functions, deterministic for a given seed, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace reval::stats {

// Unbiased pass@k estimator 1 - C(n-c, k) / C(n, k), computed in product form (stable for n up to 10^6).
// Preconditions: 0 <= c <= n, 1 <= k <= n.
double pass_at_k(int n, int c, int k);

// The samples of one problem: correctness and the canonical answer of each, in sample order.
struct ProblemSamples {
  std::string problem_id;
  std::vector<bool> correct;
  std::vector<std::string> canonical;  // "" = no answer (never wins a vote)
};

// Majority vote over the canonical answers of the first k samples. Ties go to the answer whose first
// occurrence is earliest (deterministic). Returns the index of a sample holding the winning answer, or -1
// when no sample among the first k has an answer.
int majority_vote_index(const ProblemSamples& samples, int k);
// 1 when the majority answer of the first k samples is correct, else 0.
double cons_at_k(const ProblemSamples& samples, int k);

struct Estimate {
  double value = 0;
  double stderr_ = 0;          // standard error over problems
  double ci_low = 0, ci_high = 0;  // 95% bootstrap percentile interval
};

// Per-problem scores (e.g. pass@1 of each problem) -> mean with stderr and a seeded bootstrap 95%
// interval (problems resampled with replacement; a problem's k samples stay together because the
// input is already one score per problem).
Estimate estimate_mean(const std::vector<double>& per_problem, std::uint64_t seed, int n_resamples = 2000);

struct PairedComparison {
  int n_problems = 0;
  double mean_a = 0, mean_b = 0;
  double delta = 0;                 // mean_b - mean_a
  double ci_low = 0, ci_high = 0;   // paired bootstrap 95% interval of delta
  int n_b_better = 0, n_a_better = 0, n_ties = 0;  // per-problem comparison of scores
  double sign_test_p = 1;           // exact two-sided sign test on the non-tied problems
};

// Compares two runs on the same problems (vectors aligned by problem).
PairedComparison compare_paired(const std::vector<double>& a, const std::vector<double>& b, std::uint64_t seed,
                                int n_resamples = 2000);

// Exact two-sided binomial sign test p-value for `n_plus` successes among `n` trials at p = 0.5.
double sign_test_p_value(int n_plus, int n);

}  // namespace reval::stats
