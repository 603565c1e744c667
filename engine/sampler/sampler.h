// Token sampling: greedy, temperature, top-k, top-p (nucleus) and min-p, driven by a per-sequence
// random generator. Given the same logits and the same generator state the chosen token is the same
// on every machine and thread count; nothing here reads global state. Not thread-safe per object.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace reval::engine {

struct SamplingConfig {
  float temperature = 0.0f;  // <= 0: greedy (argmax, lowest id on ties)
  int top_k = 0;             // <= 0: off
  float top_p = 1.0f;        // >= 1: off
  float min_p = 0.0f;        // <= 0: off
};

// xoshiro256** seeded through splitmix64: small, fast, and identical on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed = 0);
  std::uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double next_double();

 private:
  std::uint64_t state_[4];
};

// A seed for one sample from (run seed, problem id, sample index); distinct inputs give unrelated
// streams, so a sample's text depends on nothing else in the run.
std::uint64_t derive_sample_seed(std::uint64_t run_seed, std::string_view problem_id, int sample_index);

// Reusable buffers so sampling allocates nothing per token once warmed up.
struct SamplerScratch {
  std::vector<std::pair<float, std::int32_t>> candidates;  // (probability or logit, token id)
};

// Picks the next token from raw logits. Order of the filters (as vLLM and Hugging Face apply them):
// temperature scaling, then top-k, then top-p over the renormalized top-k set, then min-p relative to
// the most likely token, then a draw from the renormalized survivors.
std::int32_t sample_token(std::span<const float> logits, const SamplingConfig& config, Rng& rng,
                          SamplerScratch& scratch);

// The index of the largest logit (lowest index on ties).
std::int32_t argmax(std::span<const float> logits);

// log softmax(logits) for the k most likely tokens, most likely first: (token, log-probability).
std::vector<std::pair<std::int32_t, float>> top_log_probs(std::span<const float> logits, int k);

// The probability distribution sample_token draws from (after all filters), as (token, p) pairs
// sorted by decreasing p; for tests and diagnostics.
std::vector<std::pair<std::int32_t, float>> filtered_distribution(std::span<const float> logits,
                                                                  const SamplingConfig& config,
                                                                  SamplerScratch& scratch);

}  // namespace reval::engine
