#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <vector>

#include "engine/sampler/sampler.h"

namespace reval::engine {

TEST_CASE("greedy picks the largest logit and the lowest id on ties", "[engine][sampler]") {
  const std::vector<float> logits = {0.5f, 2.0f, -1.0f, 2.0f};
  Rng rng(1);
  SamplerScratch scratch;
  CHECK(sample_token(logits, SamplingConfig{}, rng, scratch) == 1);
  CHECK(argmax(logits) == 1);
}

TEST_CASE("top-p keeps the smallest prefix whose mass reaches p", "[engine][sampler]") {
  // Probabilities 0.5, 0.25, 0.125, 0.125 at temperature 1.
  const std::vector<float> logits = {std::log(0.5f), std::log(0.25f), std::log(0.125f), std::log(0.125f)};
  SamplerScratch scratch;
  const auto dist = filtered_distribution(logits, SamplingConfig{.temperature = 1.0f, .top_p = 0.7f}, scratch);
  REQUIRE(dist.size() == 2);
  CHECK(dist[0].first == 0);
  CHECK(dist[0].second == Approx(2.0 / 3.0));
  CHECK(dist[1].second == Approx(1.0 / 3.0));
  const auto all = filtered_distribution(logits, SamplingConfig{.temperature = 1.0f, .top_p = 0.76f}, scratch);
  CHECK(all.size() == 3);
}

TEST_CASE("top-k and min-p cut the candidate set", "[engine][sampler]") {
  const std::vector<float> logits = {std::log(0.5f), std::log(0.25f), std::log(0.15f), std::log(0.1f)};
  SamplerScratch scratch;
  CHECK(filtered_distribution(logits, SamplingConfig{.temperature = 1.0f, .top_k = 3}, scratch).size() == 3);
  // min_p 0.25: keeps tokens with p >= 0.25 * 0.5 = 0.125.
  const auto dist = filtered_distribution(logits, SamplingConfig{.temperature = 1.0f, .min_p = 0.25f}, scratch);
  CHECK(dist.size() == 3);
}

TEST_CASE("temperature sharpens the distribution", "[engine][sampler]") {
  const std::vector<float> logits = {1.0f, 0.0f};
  SamplerScratch scratch;
  const auto hot = filtered_distribution(logits, SamplingConfig{.temperature = 2.0f}, scratch);
  const auto cold = filtered_distribution(logits, SamplingConfig{.temperature = 0.5f}, scratch);
  CHECK(hot[0].second == Approx(1.0 / (1.0 + std::exp(-0.5))));
  CHECK(cold[0].second == Approx(1.0 / (1.0 + std::exp(-2.0))));
}

TEST_CASE("sampled frequencies follow the filtered distribution", "[engine][sampler]") {
  const std::vector<float> logits = {std::log(0.6f), std::log(0.3f), std::log(0.1f)};
  Rng rng(42);
  SamplerScratch scratch;
  std::map<int, int> counts;
  const int n = 20000;
  for (int i = 0; i < n; ++i) ++counts[sample_token(logits, SamplingConfig{.temperature = 1.0f}, rng, scratch)];
  CHECK(counts[0] / double(n) == Approx(0.6).margin(0.02));
  CHECK(counts[1] / double(n) == Approx(0.3).margin(0.02));
  CHECK(counts[2] / double(n) == Approx(0.1).margin(0.02));
}

TEST_CASE("the same seed gives the same samples and different seeds differ", "[engine][sampler]") {
  std::vector<float> logits(1000);
  for (std::size_t i = 0; i < logits.size(); ++i) logits[i] = std::sin(static_cast<float>(i)) * 3.0f;
  const SamplingConfig config{.temperature = 0.8f, .top_p = 0.95f};
  const auto draw = [&](std::uint64_t seed) {
    Rng rng(seed);
    SamplerScratch scratch;
    std::vector<int> tokens;
    for (int i = 0; i < 50; ++i) tokens.push_back(sample_token(logits, config, rng, scratch));
    return tokens;
  };
  CHECK(draw(7) == draw(7));
  CHECK(draw(7) != draw(8));
}

TEST_CASE("sample seeds depend on run seed, problem and sample index", "[engine][sampler]") {
  const auto a = derive_sample_seed(1, "aime-1", 0);
  CHECK(a == derive_sample_seed(1, "aime-1", 0));
  CHECK(a != derive_sample_seed(2, "aime-1", 0));
  CHECK(a != derive_sample_seed(1, "aime-2", 0));
  CHECK(a != derive_sample_seed(1, "aime-1", 1));
}

TEST_CASE("top log probs are log softmax values in decreasing order", "[engine][sampler]") {
  const std::vector<float> logits = {0.0f, 2.0f, 1.0f};
  const auto top = top_log_probs(logits, 2);
  REQUIRE(top.size() == 2);
  const double z = std::log(1.0 + std::exp(2.0) + std::exp(1.0));
  CHECK(top[0].first == 1);
  CHECK(top[0].second == Approx(2.0 - z));
  CHECK(top[1].first == 2);
  CHECK(top[1].second == Approx(1.0 - z));
}

}  // namespace reval::engine
