#include <catch2/catch.hpp>

#include <cstdint>
#include <random>

#include "stats/stats.h"

namespace reval::stats {

// Simulates 2,000 runs of a 200-problem suite with k = 4 samples per problem, where each problem has
// its own difficulty (so samples of a problem are correlated, as in real evaluations), and checks that
// the 95% bootstrap interval of pass@1 covers the true rate in 93-97% of runs.
TEST_CASE("bootstrap 95% interval covers the true pass@1 in 93-97% of simulated runs", "[stats][bootstrap][slow]") {
  constexpr int kRuns = 2000;
  constexpr int kProblems = 200;
  constexpr int kSamples = 4;
  std::mt19937_64 rng(20261129);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // True per-problem solve rates drawn once: Beta-like mix of easy and hard problems.
  std::vector<double> rates(kProblems);
  double true_mean = 0;
  for (double& rate : rates) {
    const double u = unit(rng);
    rate = u * u;  // skewed toward hard problems
    true_mean += rate;
  }
  true_mean /= kProblems;

  int covered = 0;
  for (int run = 0; run < kRuns; ++run) {
    // Each run evaluates a fresh draw of problems from the population (problems resampled) and
    // k fresh samples per problem.
    std::vector<double> per_problem(kProblems);
    for (int p = 0; p < kProblems; ++p) {
      const double rate = rates[static_cast<std::size_t>(rng() % kProblems)];
      int correct = 0;
      for (int s = 0; s < kSamples; ++s) correct += unit(rng) < rate ? 1 : 0;
      per_problem[static_cast<std::size_t>(p)] = static_cast<double>(correct) / kSamples;
    }
    const Estimate estimate = estimate_mean(per_problem, static_cast<std::uint64_t>(run), 400);
    if (estimate.ci_low <= true_mean && true_mean <= estimate.ci_high) ++covered;
  }
  const double coverage = static_cast<double>(covered) / kRuns;
  INFO("coverage " << coverage << " (true mean " << true_mean << ")");
  CHECK(coverage >= 0.93);
  CHECK(coverage <= 0.97);
}

}  // namespace reval::stats
