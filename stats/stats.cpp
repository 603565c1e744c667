#include "stats/stats.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/check.h"

namespace reval::stats {
namespace {

// splitmix64: a small, fully specified generator, so bootstrap intervals are identical on every
// platform and standard library (std::uniform_int_distribution is implementation-defined).
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by rejection (no modulo bias).
  std::size_t below(std::size_t n) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x;
    do {
      x = next();
    } while (x >= limit);
    return static_cast<std::size_t>(x % n);
  }
};

double mean_of(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double stderr_of(const std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 2) return 0;
  const double mean = mean_of(values);
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n));
}

// The 2.5th and 97.5th percentiles (linear interpolation between order statistics).
void percentile_interval(std::vector<double>& draws, double* low, double* high) {
  std::sort(draws.begin(), draws.end());
  auto at = [&draws](double q) {
    const double pos = q * static_cast<double>(draws.size() - 1);
    const std::size_t i = static_cast<std::size_t>(std::floor(pos));
    const std::size_t j = std::min(i + 1, draws.size() - 1);
    const double frac = pos - static_cast<double>(i);
    return draws[i] * (1 - frac) + draws[j] * frac;
  };
  *low = at(0.025);
  *high = at(0.975);
}

}  // namespace

double pass_at_k(int n, int c, int k) {
  REVAL_CHECK(n >= 1 && c >= 0 && c <= n && k >= 1 && k <= n);
  if (n - c < k) return 1.0;
  // 1 - C(n-c, k)/C(n, k) = 1 - prod_{i=n-c+1}^{n} (1 - k/i): no large binomials, no cancellation.
  double prob_all_wrong = 1.0;
  for (int i = n - c + 1; i <= n; ++i) prob_all_wrong *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
  return 1.0 - prob_all_wrong;
}

int majority_vote_index(const ProblemSamples& samples, int k) {
  const int limit = std::min<int>(k, static_cast<int>(samples.canonical.size()));
  // answer -> (votes, first index); the earliest first occurrence wins ties.
  std::map<std::string, std::pair<int, int>> votes;
  for (int i = 0; i < limit; ++i) {
    const std::string& answer = samples.canonical[static_cast<std::size_t>(i)];
    if (answer.empty()) continue;
    auto [it, inserted] = votes.try_emplace(answer, 0, i);
    it->second.first += 1;
  }
  int best_index = -1;
  int best_votes = 0;
  for (const auto& [answer, entry] : votes) {
    const auto [count, first] = entry;
    if (count > best_votes || (count == best_votes && first < best_index)) {
      best_votes = count;
      best_index = first;
    }
  }
  return best_index;
}

double cons_at_k(const ProblemSamples& samples, int k) {
  const int index = majority_vote_index(samples, k);
  if (index < 0 || static_cast<std::size_t>(index) >= samples.correct.size()) return 0.0;
  return samples.correct[static_cast<std::size_t>(index)] ? 1.0 : 0.0;
}

Estimate estimate_mean(const std::vector<double>& per_problem, std::uint64_t seed, int n_resamples) {
  Estimate estimate;
  estimate.value = mean_of(per_problem);
  estimate.stderr_ = stderr_of(per_problem);
  estimate.ci_low = estimate.ci_high = estimate.value;
  const std::size_t n = per_problem.size();
  if (n < 2 || n_resamples < 2) return estimate;
  SplitMix64 rng{seed};
  std::vector<double> draws(static_cast<std::size_t>(n_resamples));
  for (double& draw : draws) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += per_problem[rng.below(n)];
    draw = sum / static_cast<double>(n);
  }
  percentile_interval(draws, &estimate.ci_low, &estimate.ci_high);
  return estimate;
}

double sign_test_p_value(int n_plus, int n) {
  REVAL_CHECK(n >= 0 && n_plus >= 0 && n_plus <= n);
  if (n == 0) return 1.0;
  const int tail = std::min(n_plus, n - n_plus);
  // P(X <= tail) for X ~ Binomial(n, 1/2), summed in log space so n in the thousands is fine.
  const double log_half_n = -static_cast<double>(n) * std::log(2.0);
  double p = 0;
  for (int i = 0; i <= tail; ++i) {
    const double log_choose = std::lgamma(n + 1.0) - std::lgamma(i + 1.0) - std::lgamma(n - i + 1.0);
    p += std::exp(log_choose + log_half_n);
  }
  return std::min(1.0, 2.0 * p);
}

PairedComparison compare_paired(const std::vector<double>& a, const std::vector<double>& b, std::uint64_t seed,
                                int n_resamples) {
  REVAL_CHECK(a.size() == b.size());
  PairedComparison result;
  const std::size_t n = a.size();
  result.n_problems = static_cast<int>(n);
  result.mean_a = mean_of(a);
  result.mean_b = mean_of(b);
  result.delta = result.mean_b - result.mean_a;
  std::vector<double> diff(n);
  constexpr double kTieEpsilon = 1e-12;
  for (std::size_t i = 0; i < n; ++i) {
    diff[i] = b[i] - a[i];
    if (diff[i] > kTieEpsilon) ++result.n_b_better;
    else if (diff[i] < -kTieEpsilon) ++result.n_a_better;
    else ++result.n_ties;
  }
  result.sign_test_p = sign_test_p_value(result.n_b_better, result.n_b_better + result.n_a_better);
  result.ci_low = result.ci_high = result.delta;
  if (n >= 2 && n_resamples >= 2) {
    // Resampling problems keeps each problem's pair together: that is what makes it paired.
    SplitMix64 rng{seed};
    std::vector<double> draws(static_cast<std::size_t>(n_resamples));
    for (double& draw : draws) {
      double sum = 0;
      for (std::size_t i = 0; i < n; ++i) sum += diff[rng.below(n)];
      draw = sum / static_cast<double>(n);
    }
    percentile_interval(draws, &result.ci_low, &result.ci_high);
  }
  return result;
}

}  // namespace reval::stats
