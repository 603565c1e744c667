#include <catch2/catch.hpp>

#include <cmath>

#include "stats/stats.h"

namespace reval::stats {

namespace {
// C(n, k) as a double, directly, for hand-checking small cases.
double choose(int n, int k) {
  if (k < 0 || k > n) return 0;
  double r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}
}  // namespace

TEST_CASE("pass@k matches hand-computed values", "[stats][passk]") {
  // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7
  CHECK(pass_at_k(5, 2, 2) == Approx(0.7));
  // pass@1 is the fraction correct.
  CHECK(pass_at_k(64, 16, 1) == Approx(0.25));
  // c = 0 -> 0; c = n -> 1; n = k -> 1 if any correct.
  CHECK(pass_at_k(10, 0, 5) == 0.0);
  CHECK(pass_at_k(10, 10, 5) == 1.0);
  CHECK(pass_at_k(4, 1, 4) == 1.0);
  CHECK(pass_at_k(4, 0, 4) == 0.0);
  // n - c < k: some correct sample is always drawn.
  CHECK(pass_at_k(10, 8, 3) == 1.0);
}

TEST_CASE("pass@k agrees with the binomial formula for every k <= n", "[stats][passk]") {
  for (int n = 1; n <= 20; ++n) {
    for (int c = 0; c <= n; ++c) {
      for (int k = 1; k <= n; ++k) {
        const double expected = 1.0 - choose(n - c, k) / choose(n, k);
        INFO("n=" << n << " c=" << c << " k=" << k);
        CHECK(pass_at_k(n, c, k) == Approx(expected).margin(1e-12));
      }
    }
  }
}

TEST_CASE("pass@k is stable for large n", "[stats][passk]") {
  const double value = pass_at_k(100000, 3, 1000);
  CHECK(std::isfinite(value));
  // 1 - (1 - k/n)^c approximately, for c << n.
  CHECK(value == Approx(1 - std::pow(1 - 1000.0 / 100000.0, 3)).epsilon(1e-3));
}

TEST_CASE("cons@k takes the majority of the first k samples and breaks ties by first occurrence",
          "[stats][consk]") {
  ProblemSamples samples;
  samples.correct = {false, true, true, false, false};
  samples.canonical = {"7", "12", "12", "7", "7"};
  CHECK(cons_at_k(samples, 3) == 1.0);  // 12 x2 vs 7 x1
  CHECK(cons_at_k(samples, 5) == 0.0);  // 7 x3 vs 12 x2
  // A tie at k=4 (7 x2, 12 x2): 7 appears first, so 7 wins.
  CHECK(majority_vote_index(samples, 4) == 0);
  CHECK(cons_at_k(samples, 4) == 0.0);
}

TEST_CASE("cons@k ignores samples without an answer", "[stats][consk]") {
  ProblemSamples samples;
  samples.correct = {false, false, true};
  samples.canonical = {"", "", "5"};
  CHECK(cons_at_k(samples, 3) == 1.0);
  CHECK(majority_vote_index(samples, 2) == -1);
  CHECK(cons_at_k(samples, 2) == 0.0);
}

TEST_CASE("bootstrap interval is deterministic under a seed and brackets the mean", "[stats][bootstrap]") {
  // pass@1 of 50 problems with k = 8 samples each: values in eighths.
  std::vector<double> scores;
  for (int i = 0; i < 50; ++i) scores.push_back(static_cast<double>((i * 7) % 9 == 0 ? 8 : (i * 5) % 8) / 8.0);
  double sum = 0, sum_sq = 0;
  for (double s : scores) {
    sum += s;
    sum_sq += s * s;
  }
  const double mean = sum / 50;
  const double sample_var = (sum_sq - 50 * mean * mean) / 49;
  const Estimate a = estimate_mean(scores, 42);
  const Estimate b = estimate_mean(scores, 42);
  const Estimate c = estimate_mean(scores, 43);
  CHECK(a.ci_low == b.ci_low);
  CHECK(a.ci_high == b.ci_high);
  CHECK((a.ci_low != c.ci_low || a.ci_high != c.ci_high));
  CHECK(a.value == Approx(mean));
  CHECK(a.ci_low < a.value);
  CHECK(a.ci_high > a.value);
  CHECK(a.stderr_ == Approx(std::sqrt(sample_var / 50)).epsilon(1e-9));
}

TEST_CASE("a single problem or constant scores give a degenerate interval", "[stats][bootstrap]") {
  const Estimate one = estimate_mean({1.0}, 1);
  CHECK(one.ci_low == 1.0);
  CHECK(one.ci_high == 1.0);
  const Estimate constant = estimate_mean(std::vector<double>(30, 0.5), 1);
  CHECK(constant.ci_low == Approx(0.5));
  CHECK(constant.ci_high == Approx(0.5));
  CHECK(constant.stderr_ == 0.0);
}

TEST_CASE("sign test p-values match the exact binomial", "[stats][signtest]") {
  // 10 flips all one way: 2 * 0.5^10.
  CHECK(sign_test_p_value(10, 10) == Approx(2.0 / 1024));
  CHECK(sign_test_p_value(0, 10) == Approx(2.0 / 1024));
  // 5 of 10: p = 1.
  CHECK(sign_test_p_value(5, 10) == 1.0);
  // 8 of 10: 2 * (1 + 10 + 45) / 1024.
  CHECK(sign_test_p_value(8, 10) == Approx(2.0 * 56 / 1024));
  CHECK(sign_test_p_value(0, 0) == 1.0);
}

TEST_CASE("paired comparison counts flips and brackets the difference", "[stats][paired]") {
  std::vector<double> a, b;
  for (int i = 0; i < 40; ++i) {
    a.push_back(i < 20 ? 1.0 : 0.0);
    b.push_back(i < 28 ? 1.0 : 0.0);  // b solves 8 more problems, loses none
  }
  const PairedComparison cmp = compare_paired(a, b, 7);
  CHECK(cmp.n_problems == 40);
  CHECK(cmp.delta == Approx(0.2));
  CHECK(cmp.n_b_better == 8);
  CHECK(cmp.n_a_better == 0);
  CHECK(cmp.n_ties == 32);
  CHECK(cmp.sign_test_p == Approx(2.0 / 256));
  CHECK(cmp.ci_low > 0.0);
  CHECK(cmp.ci_high <= 0.4);
  const PairedComparison again = compare_paired(a, b, 7);
  CHECK(again.ci_low == cmp.ci_low);
}

}  // namespace reval::stats
