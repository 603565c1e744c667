#include <catch2/catch.hpp>

#include <algorithm>
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

namespace reval::engine {

TEST_CASE("nucleus sampling over a large vocabulary matches a brute-force full sort", "[engine][sampler]") {
  // 50 head tokens spread over 6 nats, then 150,000 tail tokens just below the candidate cut (20.5
  // nats under the best): the tail holds ~2e-4 of the mass, so some top-p values put the nucleus edge
  // where only the exact tail sum decides, and top-p near 1 reaches into the tail itself.
  std::vector<float> logits;
  Rng rng(7);
  for (int i = 0; i < 50; ++i) logits.push_back(static_cast<float>(-6.0 * rng.next_double()));
  for (int i = 0; i < 150000; ++i) logits.push_back(-20.5f - static_cast<float>(0.01 * rng.next_double()));
  logits[17] = 0.0f;
  const float temperature = 1.0f;
  std::vector<std::pair<double, std::int32_t>> order;
  for (std::size_t i = 0; i < logits.size(); ++i) order.emplace_back(logits[i], static_cast<std::int32_t>(i));
  std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  double z = 0.0;
  for (const auto& [x, id] : order) z += std::exp(x);
  SamplerScratch scratch;
  for (double top_p = 0.30; top_p < 1.0; top_p += 0.0047) {
    std::size_t n = 0;
    double cumulative = 0.0;
    while (n < order.size() && cumulative < top_p * z) cumulative += std::exp(order[n++].first);
    const auto dist = filtered_distribution(logits, {.temperature = temperature, .top_p = static_cast<float>(top_p)},
                                            scratch);
    INFO("top_p " << top_p);
    REQUIRE(dist.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(dist[i].first == order[i].second);
      REQUIRE(dist[i].second == Approx(std::exp(order[i].first) / cumulative).epsilon(1e-5));
    }
  }
  // top-p just below the mass of the first k tokens: only the exact tail sum puts the edge at k.
  double head_k = 0.0;
  for (std::size_t k = 1; k <= 40; ++k) {
    head_k += std::exp(order[k - 1].first);
    const auto top_p = static_cast<float>(head_k / z * (1.0 - 1e-6));
    if (static_cast<double>(top_p) * z <= head_k - std::exp(order[k - 1].first)) continue;  // float rounding
    const auto dist = filtered_distribution(logits, {.temperature = temperature, .top_p = top_p}, scratch);
    INFO("k " << k);
    CHECK(dist.size() == k);
  }
  // Top-k from the near tokens (k = 30 of the 50 within the cut) and from the whole vocabulary
  // (k = 100 reaches below the cut), each followed by top-p over the k.
  for (int k : {30, 100}) {
    for (float top_p : {1.0f, 0.9f}) {
      double mass = 0.0;
      for (int i = 0; i < k; ++i) mass += std::exp(order[static_cast<std::size_t>(i)].first);
      std::size_t n = 0;
      double cumulative = 0.0;
      while (n < static_cast<std::size_t>(k) && cumulative < top_p * mass) {
        cumulative += std::exp(order[n++].first);
      }
      if (top_p >= 1.0f) cumulative = mass;
      const auto dist = filtered_distribution(logits, {.temperature = temperature, .top_k = k, .top_p = top_p},
                                              scratch);
      INFO("top_k " << k << " top_p " << top_p);
      REQUIRE(dist.size() == (top_p >= 1.0f ? static_cast<std::size_t>(k) : n));
      for (std::size_t i = 0; i < dist.size(); ++i) {
        REQUIRE(dist[i].first == order[i].second);
        REQUIRE(dist[i].second == Approx(std::exp(order[i].first) / cumulative).epsilon(1e-5));
      }
    }
  }
  // A nucleus that needs tail tokens (top-p beyond the head's mass).
  double head = 0.0;
  for (int i = 0; i < 50; ++i) head += std::exp(order[static_cast<std::size_t>(i)].first);
  const float beyond = static_cast<float>(head / z + (1.0 - head / z) * 0.5);
  const auto wide = filtered_distribution(logits, {.temperature = temperature, .top_p = beyond}, scratch);
  CHECK(wide.size() > 50);
  CHECK(wide.size() < logits.size());
}

}  // namespace reval::engine
