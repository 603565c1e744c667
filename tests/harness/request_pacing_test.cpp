#include "harness/backends/request_pacing.h"

#include <catch2/catch.hpp>

namespace reval::harness {

TEST_CASE("retry delays grow exponentially with jitter and respect Retry-After", "[harness][pacing]") {
  RetryPolicy policy;
  policy.base_delay_s = 1;
  policy.max_delay_s = 8;
  std::mt19937_64 rng(1);
  for (int i = 0; i < 200; ++i) {
    const double first = policy.delay_s(1, std::nullopt, rng);
    CHECK(first >= 0.5);
    CHECK(first <= 1.0);
    const double third = policy.delay_s(3, std::nullopt, rng);
    CHECK(third >= 2.0);
    CHECK(third <= 4.0);
    const double capped = policy.delay_s(20, std::nullopt, rng);
    CHECK(capped >= 4.0);
    CHECK(capped <= 8.0);
    CHECK(policy.delay_s(1, 30.0, rng) == 30.0);
  }
  policy.max_retry_after_s = 10;
  CHECK(policy.delay_s(1, 1e6, rng) == 10.0);
}

TEST_CASE("the request rate limit spreads requests over the minute", "[harness][pacing]") {
  RateLimiter limiter(120, 0, 0.0);  // 2 per second, burst of 2
  CHECK(limiter.try_acquire(0.0));
  CHECK(limiter.try_acquire(0.0));
  CHECK_FALSE(limiter.try_acquire(0.0));
  CHECK(limiter.wait_s(0.0) == Approx(0.5));
  CHECK(limiter.try_acquire(0.5));
  int n = 0;
  for (double t = 1.0; t < 61.0; t += 0.01) n += limiter.try_acquire(t) ? 1 : 0;
  CHECK(n >= 119);
  CHECK(n <= 122);
}

TEST_CASE("the token rate limit holds sends until the usage is paid back", "[harness][pacing]") {
  RateLimiter limiter(0, 6000, 0.0);  // 100 tokens per second
  CHECK(limiter.try_acquire(0.0));
  limiter.charge_tokens(1000, 0.0);  // bucket held 500: now -500
  CHECK_FALSE(limiter.try_acquire(0.0));
  CHECK(limiter.wait_s(0.0) == Approx(5.01).epsilon(0.01));
  CHECK_FALSE(limiter.try_acquire(4.9));
  CHECK(limiter.try_acquire(5.1));
  RateLimiter unlimited(0, 0, 0.0);
  for (int i = 0; i < 1000; ++i) CHECK(unlimited.try_acquire(0.0));
  CHECK(unlimited.wait_s(0.0) == 0.0);
}

}  // namespace reval::harness
