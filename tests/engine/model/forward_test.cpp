#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model/forward.h"
#include "engine/model/model.h"
#include "tests/engine/model/tiny_model.h"
#include "tests/support/test_support.h"

namespace reval::engine {
namespace {

std::unique_ptr<KvCache> make_cache(const Model& model) {
  const auto& hp = model.hparams;
  return KvCache::create({.n_layers = hp.n_layer, .n_kv_heads = hp.n_head_kv, .head_dim = hp.head_dim,
                          .budget_bytes = 1 << 24, .block_tokens = 8})
      .value();
}

}  // namespace

TEST_CASE("a batch of several sequences gives bit-identical logits to running each alone", "[engine][model]") {
  for (const char* arch : {"qwen2", "llama"}) {
    test::TempDir dir;
    test::write_tiny_model(dir.file("m.gguf"), {.arch = arch, .tied = std::string(arch) == "llama"});
    auto model = load_model(dir.file("m.gguf"));
    INFO(model.status().to_string());
    REQUIRE(model.ok());
    const std::vector<std::vector<std::int32_t>> prompts = {{1, 5, 9, 13, 2}, {7, 7, 3}, {60, 0, 12, 33, 4, 8, 19}};
    const std::int64_t n_vocab = model.value()->hparams.n_vocab;

    std::vector<std::vector<float>> alone;
    for (int n_threads : {1, 3}) {
      kernels::ThreadPool pool(n_threads);
      auto cache = make_cache(*model.value());
      Forward forward(*model.value(), *cache, pool);
      for (const auto& p : prompts) {
        const SeqId seq = *cache->open(32);
        cache->extend(seq, static_cast<std::int64_t>(p.size()));
        std::vector<BatchToken> batch;
        for (std::size_t i = 0; i < p.size(); ++i) batch.push_back({p[i], seq, static_cast<std::int64_t>(i), true});
        std::vector<float> logits;
        forward.run(batch, logits);
        if (n_threads == 1) {
          alone.push_back(logits);
        } else {
          CHECK(logits == alone[static_cast<std::size_t>(&p - prompts.data())]);
        }
      }
    }
    kernels::ThreadPool pool(2);
    auto cache = make_cache(*model.value());
    Forward forward(*model.value(), *cache, pool);
    std::vector<BatchToken> batch;
    std::vector<SeqId> seqs;
    for (const auto& p : prompts) {
      seqs.push_back(*cache->open(32));
      cache->extend(seqs.back(), static_cast<std::int64_t>(p.size()));
    }
    // Interleave the sequences' tokens in one batch.
    for (std::size_t i = 0; i < 7; ++i) {
      for (std::size_t s = 0; s < prompts.size(); ++s) {
        if (i < prompts[s].size()) batch.push_back({prompts[s][i], seqs[s], static_cast<std::int64_t>(i), true});
      }
    }
    std::vector<float> logits;
    forward.run(batch, logits);
    std::vector<std::size_t> next(prompts.size(), 0);
    for (std::size_t r = 0; r < batch.size(); ++r) {
      const std::size_t s = static_cast<std::size_t>(std::find(seqs.begin(), seqs.end(), batch[r].seq) - seqs.begin());
      const std::size_t i = next[s]++;
      const std::vector<float> got(logits.begin() + static_cast<std::ptrdiff_t>(r * n_vocab),
                                   logits.begin() + static_cast<std::ptrdiff_t>((r + 1) * n_vocab));
      const std::vector<float> want(alone[s].begin() + static_cast<std::ptrdiff_t>(i * n_vocab),
                                    alone[s].begin() + static_cast<std::ptrdiff_t>((i + 1) * n_vocab));
      CHECK(got == want);
    }
  }
}

TEST_CASE("loading a model with a missing tensor names the tensor", "[engine][model]") {
  test::TempDir dir;
  test::write_tiny_model(dir.file("m.gguf"), {.arch = "llama", .tied = true});
  auto file = gguf::GgufFile::open(dir.file("m.gguf"));
  REQUIRE(file.ok());
  auto model = load_model(std::move(file).value(), "m.gguf");
  REQUIRE(model.ok());
  CHECK(model.value()->tied_output);
  CHECK(model.value()->hparams.head_dim == 8);
  CHECK(model.value()->hparams.arch->rope_mode == RopeMode::kNormal);
}

TEST_CASE("rope frequency factors from rope_freqs.weight change the logits past position zero", "[engine][model]") {
  test::TempDir dir;
  test::write_tiny_model(dir.file("plain.gguf"), {.arch = "llama", .seed = 5});
  test::write_tiny_model(dir.file("freqs.gguf"), {.arch = "llama", .rope_freqs = true, .seed = 5});
  auto plain = load_model(dir.file("plain.gguf"));
  auto freqs = load_model(dir.file("freqs.gguf"));
  REQUIRE(plain.ok());
  REQUIRE(freqs.ok());
  CHECK(plain.value()->rope_freq_factors.empty());
  CHECK(freqs.value()->rope_freq_factors == std::vector<float>{1.0f, 2.0f, 3.0f, 4.0f});
  const auto logits_of = [](const Model& model) {
    kernels::ThreadPool pool(1);
    auto cache = make_cache(model);
    Forward forward(model, *cache, pool);
    const SeqId seq = *cache->open(8);
    cache->extend(seq, 3);
    std::vector<float> logits;
    forward.run(std::vector<BatchToken>{{4, seq, 0, true}, {9, seq, 1, true}, {17, seq, 2, true}}, logits);
    return logits;
  };
  const std::vector<float> a = logits_of(*plain.value());
  const std::vector<float> b = logits_of(*freqs.value());
  const std::size_t n_vocab = static_cast<std::size_t>(plain.value()->hparams.n_vocab);
  // Position 0 is not rotated, so the first token's logits agree; later ones must not.
  CHECK(std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n_vocab), b.begin()));
  CHECK_FALSE(std::equal(a.begin() + static_cast<std::ptrdiff_t>(2 * n_vocab), a.end(),
                         b.begin() + static_cast<std::ptrdiff_t>(2 * n_vocab)));
}

}  // namespace reval::engine
