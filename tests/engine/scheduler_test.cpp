#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "engine/scheduler.h"
#include "tests/engine/model/tiny_model.h"
#include "tests/support/test_support.h"

namespace reval::engine {
namespace {

using Results = std::map<std::pair<std::uint64_t, int>, SampleResult>;

GenerationRequest request(std::uint64_t id, std::vector<std::int32_t> prompt, int n_samples, std::int64_t max_tokens) {
  GenerationRequest r;
  r.id = id;
  r.prompt = std::move(prompt);
  r.sampling = {.temperature = 0.9f, .top_p = 0.95f};
  for (int i = 0; i < n_samples; ++i) r.seeds.push_back(derive_sample_seed(7, std::to_string(id), i));
  r.max_tokens = max_tokens;
  return r;
}

Results run_all(const Model& model, std::vector<GenerationRequest> requests, std::int64_t budget_bytes,
                int n_threads, int max_prefill = 512) {
  const auto& hp = model.hparams;
  auto cache = KvCache::create({.n_layers = hp.n_layer, .n_kv_heads = hp.n_head_kv, .head_dim = hp.head_dim,
                                .budget_bytes = budget_bytes, .block_tokens = 8})
                   .value();
  kernels::ThreadPool pool(n_threads);
  SchedulerOptions options;
  options.end_of_generation = {63};
  options.token_bytes = [](std::int32_t t) { return "<" + std::to_string(t) + ">"; };
  options.n_ctx = 256;
  options.max_prefill_tokens = max_prefill;
  Scheduler scheduler(model, *cache, pool, options);
  for (auto& r : requests) scheduler.submit(std::move(r));
  Results results;
  scheduler.run([](std::uint64_t, int, std::int32_t, std::string_view) {},
                [&](SampleResult r) { results[{r.id, r.sample}] = std::move(r); });
  CHECK(cache->committed_blocks() == 0);
  return results;
}

std::unique_ptr<Model> tiny_model(const test::TempDir& dir) {
  test::write_tiny_model(dir.file("m.gguf"), {.arch = "qwen2"});
  auto model = load_model(dir.file("m.gguf"));
  REQUIRE(model.ok());
  return std::move(model).value();
}

}  // namespace

TEST_CASE("batched generation gives each sample the same tokens as generating it alone", "[engine][scheduler]") {
  test::TempDir dir;
  const auto model = tiny_model(dir);
  const std::vector<std::vector<std::int32_t>> prompts = {{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {40, 41}, {5}};
  std::vector<GenerationRequest> all;
  for (std::size_t i = 0; i < prompts.size(); ++i) all.push_back(request(i, prompts[i], 3, 20));
  const Results batched = run_all(*model, all, 1 << 24, 2, 4);  // chunked prefill of 4 tokens
  REQUIRE(batched.size() == 9);
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    for (int s = 0; s < 3; ++s) {
      GenerationRequest one = request(i, prompts[i], 3, 20);
      one.seeds = {one.seeds[static_cast<std::size_t>(s)]};
      const Results alone = run_all(*model, {one}, 1 << 24, 1);
      const SampleResult& a = alone.at({i, 0});
      const SampleResult& b = batched.at({i, s});
      CHECK(a.tokens == b.tokens);
      CHECK(a.text == b.text);
      CHECK(a.finish == b.finish);
    }
  }
  // Different seeds give different samples of one prompt.
  CHECK(batched.at({0, 0}).tokens != batched.at({0, 1}).tokens);
}

TEST_CASE("a small kv budget makes samples wait instead of failing, with the same results", "[engine][scheduler]") {
  test::TempDir dir;
  const auto model = tiny_model(dir);
  std::vector<GenerationRequest> all;
  for (int i = 0; i < 4; ++i) all.push_back(request(static_cast<std::uint64_t>(i), {3, 1, 4, 1, 5}, 2, 24));
  const Results roomy = run_all(*model, all, 1 << 24, 2);
  // One block is 2 layers * 2 (K,V) * 16 floats * 2 bytes * 8 positions = 1 KiB; a sample needs 4.
  const Results tight = run_all(*model, all, 9 * 1024, 2);
  REQUIRE(tight.size() == 8);
  for (const auto& [key, result] : roomy) {
    CHECK(tight.at(key).tokens == result.tokens);
    CHECK(tight.at(key).finish != FinishReason::kError);
  }
}

TEST_CASE("generation stops at max tokens, end of generation and stop strings", "[engine][scheduler]") {
  test::TempDir dir;
  const auto model = tiny_model(dir);
  GenerationRequest r = request(1, {10, 20, 30}, 1, 5);
  r.sampling = {};  // greedy
  const Results base = run_all(*model, {r}, 1 << 24, 1);
  const SampleResult& first = base.at({1, 0});
  CHECK(first.tokens.size() <= 5);
  if (first.tokens.size() == 5) CHECK(first.finish == FinishReason::kLength);
  REQUIRE(!first.tokens.empty());
  // Stop at the text of the second token: the text ends before it.
  GenerationRequest stopped = r;
  stopped.max_tokens = 50;
  const std::string first_piece = "<" + std::to_string(first.tokens[0]) + ">";
  stopped.stop_strings = {first_piece};
  const SampleResult s = run_all(*model, {stopped}, 1 << 24, 1).at({1, 0});
  CHECK(s.finish == FinishReason::kStop);
  CHECK(s.text.empty());
  // An invalid token id is an error result, not a crash.
  GenerationRequest bad = r;
  bad.prompt = {1, 9999};
  CHECK(run_all(*model, {bad}, 1 << 24, 1).at({1, 0}).finish == FinishReason::kError);
}

}  // namespace reval::engine

namespace reval::engine {

TEST_CASE("a request that can never fit the kv budget fails instead of waiting forever", "[engine][scheduler]") {
  test::TempDir dir;
  const auto model = tiny_model(dir);
  const Results results = run_all(*model, {request(1, {3, 1, 4, 1, 5}, 2, 24)}, 2 * 1024, 1);
  REQUIRE(results.size() == 2);
  for (const auto& [key, result] : results) {
    CHECK(result.finish == FinishReason::kError);
    CHECK(result.error.find("KV cache budget") != std::string::npos);
  }
}

}  // namespace reval::engine
