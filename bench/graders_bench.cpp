// Throughput and latency of the math equivalence check, single thread: MATH-500 gold answers
// paired with perturbed variants (the same answer, its canonical rendering, reformatted spellings,
// and wrong answers one digit or one term away). Target: >= 50,000 comparisons/s, p99 < 1 ms.
// Needs ../shared/data (REVAL_SHARED_DATA_DIR); skips with a message when it is absent.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "graders/math/canonical.h"
#include "graders/math/equivalence.h"

namespace {

using Pair = std::pair<std::string, std::string>;

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Variants of one gold answer: equivalent rewrites and near misses.
std::vector<std::string> variants_of(const std::string& gold) {
  std::vector<std::string> out = {gold, reval::graders::math::canonical_form(gold),
                                  replace_all(replace_all(gold, "\\frac", "\\dfrac"), " ", ""), "\\left(" + gold + "\\right)",
                                  gold + "+1"};
  size_t digit = gold.find_last_of("0123456789");
  if (digit != std::string::npos) {
    std::string changed = gold;
    changed[digit] = static_cast<char>('0' + (changed[digit] - '0' + 1) % 10);
    out.push_back(changed);
  }
  return out;
}

const std::vector<Pair>& pairs() {
  static const std::vector<Pair> all = [] {
    std::vector<Pair> result;
    std::ifstream in(std::string(REVAL_SHARED_DATA_DIR) + "/datasets/math500/test.jsonl");
    std::string line;
    while (std::getline(in, line)) {
      std::string gold = nlohmann::json::parse(line).at("answer").get<std::string>();
      for (auto& variant : variants_of(gold)) result.emplace_back(gold, std::move(variant));
    }
    return result;
  }();
  return all;
}

void BM_MathEquivalence(benchmark::State& state) {
  const std::vector<Pair>& all = pairs();
  if (all.empty()) {
    state.SkipWithError("../shared/data/datasets/math500/test.jsonl not found");
    return;
  }
  size_t i = 0;
  int64_t n_equivalent = 0;
  for (auto _ : state) {
    const Pair& p = all[i];
    auto result = reval::graders::math::check_equivalence(p.first, p.second);
    n_equivalent += result.equivalent ? 1 : 0;
    benchmark::DoNotOptimize(result);
    i = (i + 1) % all.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["comparisons_per_s"] = benchmark::Counter(static_cast<double>(state.iterations()),
                                                           benchmark::Counter::kIsRate);
  state.counters["n_pairs"] = static_cast<double>(all.size());
}
BENCHMARK(BM_MathEquivalence)->Unit(benchmark::kMicrosecond);

// Each pair timed on its own, over several passes: p50, p99 and the worst case in microseconds.
void BM_MathEquivalenceLatency(benchmark::State& state) {
  const std::vector<Pair>& all = pairs();
  if (all.empty()) {
    state.SkipWithError("../shared/data/datasets/math500/test.jsonl not found");
    return;
  }
  std::vector<double> micros;
  for (auto _ : state) {
    for (const Pair& p : all) {
      auto start = std::chrono::steady_clock::now();
      auto result = reval::graders::math::check_equivalence(p.first, p.second);
      benchmark::DoNotOptimize(result);
      micros.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
    }
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) { return micros[std::min(micros.size() - 1, static_cast<size_t>(q * static_cast<double>(micros.size())))]; };
  state.counters["p50_us"] = at(0.50);
  state.counters["p99_us"] = at(0.99);
  state.counters["max_us"] = micros.back();
  state.SetItemsProcessed(static_cast<int64_t>(micros.size()));
}
BENCHMARK(BM_MathEquivalenceLatency)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
