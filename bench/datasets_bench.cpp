// Throughput of the dataset path: sha256 (every download and `datasets verify` hashes whole files)
// and JSONL parsing into Problems (every run loads its dataset).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "common/sha256.h"
#include "datasets/readers.h"

namespace {

void BM_Sha256(benchmark::State& state) {
  const std::string data(static_cast<std::size_t>(state.range(0)), 'x');
  for (auto _ : state) benchmark::DoNotOptimize(reval::sha256_hex(data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256)->Arg(1 << 20)->Arg(16 << 20);

// Rows shaped like MATH-500's (a problem, a solution of ~700 bytes, answer, subject, level, id).
std::string make_jsonl(int n_rows) {
  std::string text;
  const std::string solution(700, 's');
  for (int i = 0; i < n_rows; ++i) {
    text += "{\"problem\": \"Find $x$ if $x^2 = " + std::to_string(i) + "$.\", \"solution\": \"" + solution +
            "\", \"answer\": \"\\\\sqrt{" + std::to_string(i) + "}\", \"subject\": \"Algebra\", \"level\": 3, "
            "\"unique_id\": \"test/algebra/" + std::to_string(i) + ".json\"}\n";
  }
  return text;
}

void BM_ParseJsonl(benchmark::State& state) {
  const std::string text = make_jsonl(static_cast<int>(state.range(0)));
  reval::datasets::ParseOptions options;
  options.label = "bench.jsonl";
  options.mapping.id = "unique_id";
  for (auto _ : state) {
    std::vector<reval::datasets::Problem> problems;
    if (!reval::datasets::parse_problems(text, options, &problems, nullptr).ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(problems.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseJsonl)->Arg(500)->Arg(5000);

}  // namespace

BENCHMARK_MAIN();
