// Pacing of API requests: exponential backoff with jitter for retries, and --rpm/--tpm rate limits.
// Both take the current time as an argument (seconds on a monotonic clock) so tests are deterministic.
// Not thread-safe: the api backend uses them from its one event-loop thread.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace reval::harness {

struct RetryPolicy {
  int max_retries = 8;            // attempts after the first; 0 = never retry
  double base_delay_s = 1.0;      // delay before the first retry, doubled each time
  double max_delay_s = 60.0;      // cap on the exponential part
  double max_retry_after_s = 600; // cap on a server's Retry-After

  // Seconds to wait before retry number `retry` (1-based). "Equal jitter": half the exponential delay
  // plus a uniform random half, so a crowd of failed requests spreads out but never retries at once.
  // A server's Retry-After is a floor: the delay is never shorter than it.
  double delay_s(int retry, std::optional<double> retry_after_s, std::mt19937_64& rng) const;
};

// Requests per minute and tokens per minute, as two token buckets refilled continuously.
// The request bucket holds at most one second's worth of requests (at least 1), so requests are spread
// over the minute instead of bursting; the token bucket is charged with each response's usage after the
// fact (the cost is unknown before), may go negative, and holds sends until it refills above zero.
class RateLimiter {
 public:
  // 0 = no limit.
  RateLimiter(double requests_per_minute, double tokens_per_minute, double now_s);

  // True when a request may start now; consumes one request.
  bool try_acquire(double now_s);
  // Charges `n_tokens` (prompt + completion) to the token bucket.
  void charge_tokens(std::int64_t n_tokens, double now_s);
  // Seconds until try_acquire could succeed (0 when it would now).
  double wait_s(double now_s);

 private:
  void refill(double now_s);

  double rpm_, tpm_;
  double request_capacity_, token_capacity_;
  double requests_, tokens_;
  double last_s_;
};

}  // namespace reval::harness
