// Token sampling over a 151,936-entry vocabulary (Qwen2 / R1-Distill), the per-token cost every
// decoded sample pays: greedy, the R1 protocol's temperature 0.6 + top-p 0.95, top-k 40, and pure
// temperature (the whole vocabulary sorted). Logits: a normal spread of 2.5 plus a few strong tokens,
// roughly the shape of a real model's next-token logits.
//   build/release/bench/sampler_bench
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "engine/sampler/sampler.h"

namespace {

using namespace reval::engine;

std::vector<float> realistic_logits() {
  std::mt19937 gen(3);
  std::normal_distribution<float> spread(0.0f, 2.5f);
  std::vector<float> logits(151936);
  for (float& x : logits) x = spread(gen);
  for (int i = 0; i < 8; ++i) logits[static_cast<std::size_t>(1000 + 997 * i)] = 14.0f - static_cast<float>(i);
  return logits;
}

void run(benchmark::State& state, const SamplingConfig& config) {
  const std::vector<float> logits = realistic_logits();
  SamplerScratch scratch;
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(sample_token(logits, config, rng, scratch));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void Greedy(benchmark::State& state) { run(state, {}); }
void TopP095_T06(benchmark::State& state) { run(state, {.temperature = 0.6f, .top_p = 0.95f}); }
void TopK40_T06(benchmark::State& state) { run(state, {.temperature = 0.6f, .top_k = 40}); }
void Temperature1(benchmark::State& state) { run(state, {.temperature = 1.0f}); }

BENCHMARK(Greedy);
BENCHMARK(TopP095_T06);
BENCHMARK(TopK40_T06);
BENCHMARK(Temperature1);

}  // namespace

BENCHMARK_MAIN();
