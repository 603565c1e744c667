#include "harness/backends/request_pacing.h"

#include <algorithm>
#include <cmath>

namespace reval::harness {

double RetryPolicy::delay_s(int retry, std::optional<double> retry_after_s, std::mt19937_64& rng) const {
  const double exponential = std::min(max_delay_s, base_delay_s * std::ldexp(1.0, std::max(0, retry - 1)));
  std::uniform_real_distribution<double> half(0.0, exponential / 2);
  double delay = exponential / 2 + half(rng);
  if (retry_after_s) delay = std::max(delay, std::min(*retry_after_s, max_retry_after_s));
  return delay;
}

RateLimiter::RateLimiter(double requests_per_minute, double tokens_per_minute, double now_s)
    : rpm_(requests_per_minute),
      tpm_(tokens_per_minute),
      request_capacity_(std::max(1.0, requests_per_minute / 60.0)),
      token_capacity_(tokens_per_minute / 60.0 * 5.0),
      requests_(request_capacity_),
      tokens_(token_capacity_),
      last_s_(now_s) {}

void RateLimiter::refill(double now_s) {
  const double elapsed = std::max(0.0, now_s - last_s_);
  last_s_ = now_s;
  if (rpm_ > 0) requests_ = std::min(request_capacity_, requests_ + elapsed * rpm_ / 60.0);
  if (tpm_ > 0) tokens_ = std::min(token_capacity_, tokens_ + elapsed * tpm_ / 60.0);
}

bool RateLimiter::try_acquire(double now_s) {
  refill(now_s);
  if (rpm_ > 0 && requests_ < 1.0) return false;
  if (tpm_ > 0 && tokens_ <= 0.0) return false;
  if (rpm_ > 0) requests_ -= 1.0;
  return true;
}

void RateLimiter::charge_tokens(std::int64_t n_tokens, double now_s) {
  if (tpm_ <= 0) return;
  refill(now_s);
  tokens_ -= static_cast<double>(n_tokens);
}

double RateLimiter::wait_s(double now_s) {
  refill(now_s);
  double wait = 0;
  if (rpm_ > 0 && requests_ < 1.0) wait = std::max(wait, (1.0 - requests_) * 60.0 / rpm_);
  if (tpm_ > 0 && tokens_ <= 0.0) wait = std::max(wait, (-tokens_ + 1.0) * 60.0 / tpm_);
  return wait;
}

}  // namespace reval::harness
