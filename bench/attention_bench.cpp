// Attention of one decoded token over the F16 KV cache, R1-Distill-Qwen-1.5B head shape (12 query
// heads sharing 2 KV heads of 128 dims), all 28 layers (one decoded token's attention: at 16k
// positions the cache is 470 MB, beyond the 300 MiB L3, as in a real decode), at several context
// lengths:
//  - Reference_RowByRow: the original path (ops.h attend_one through KvRowSource, one K/V row read
//    per query head, virtual call per row);
//  - Ref_Grouped: attend_group_ref (scalar, each K/V row read once per KV head);
//  - Avx2_Grouped: avx2::attend_group (AVX2/F16C dot products, softmax, V sums);
//  - Avx512_Grouped: avx512::attend_group (16-wide; what attend_group picks on AVX-512 CPUs).
// bytes_per_second counts the K/V bytes read once (what bounds it at long contexts).
//   build/release/bench/attention_bench [--benchmark_filter=Avx2]
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model/attention.h"
#include "engine/model/ops.h"

namespace {

using namespace reval::engine;

constexpr AttentionShape kShape{.n_heads = 12, .n_kv_heads = 2, .head_dim = 128};
constexpr int kLayers = 28;

struct Fixture {
  std::unique_ptr<KvCache> cache;
  SeqId seq = 0;
  std::vector<float> q;
};

Fixture make_fixture(std::int64_t n_pos) {
  const KvCacheConfig config{.n_layers = kLayers, .n_kv_heads = kShape.n_kv_heads, .head_dim = kShape.head_dim,
                             .budget_bytes = std::int64_t{4} << 30, .block_tokens = 64};
  Fixture f{KvCache::create(config).value(), 0, {}};
  f.seq = *f.cache->open(n_pos);
  f.cache->extend(f.seq, n_pos);
  const int width = kShape.n_kv_heads * kShape.head_dim;
  std::vector<float> k(static_cast<std::size_t>(width)), v(k.size());
  for (std::int64_t p = 0; p < n_pos; ++p) {
    for (int i = 0; i < width; ++i) {
      k[static_cast<std::size_t>(i)] = std::sin(static_cast<float>(p * width + i) * 0.37f);
      v[static_cast<std::size_t>(i)] = std::cos(static_cast<float>(p * width + i) * 0.11f);
    }
    for (int layer = 0; layer < kLayers; ++layer) f.cache->write(f.seq, layer, p, k.data(), v.data());
  }
  f.q.resize(static_cast<std::size_t>(kShape.n_heads * kShape.head_dim));
  for (std::size_t i = 0; i < f.q.size(); ++i) f.q[i] = std::sin(static_cast<float>(i) * 1.3f);
  return f;
}

void set_counters(benchmark::State& state, std::int64_t n_pos) {
  const std::int64_t kv_bytes = std::int64_t{kLayers} * n_pos * 2 * kShape.n_kv_heads * kShape.head_dim * 2;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * kv_bytes);
}

void Reference_RowByRow(benchmark::State& state) {
  const std::int64_t n_pos = state.range(0);
  const Fixture f = make_fixture(n_pos);
  std::vector<float> scratch(static_cast<std::size_t>(n_pos)), out(f.q.size());
  for (auto _ : state) {
    for (int layer = 0; layer < kLayers; ++layer) {
      attend_one(f.q.data(), f.cache->view(f.seq, layer), n_pos - 1, kShape, scratch.data(), out.data());
    }
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, n_pos);
}

enum class Impl { kRef, kAvx2, kAvx512 };

template <Impl kImpl>
void Grouped(benchmark::State& state) {
  if (kImpl == Impl::kAvx512 && !attention_uses_avx512()) {
    state.SkipWithError("no AVX-512 on this CPU");
    return;
  }
  const std::int64_t n_pos = state.range(0);
  const Fixture f = make_fixture(n_pos);
  std::vector<float> out(f.q.size());
  AttentionScratch scratch;
  for (auto _ : state) {
    for (int layer = 0; layer < kLayers; ++layer) {
      const auto view = f.cache->view(f.seq, layer);
      for (int g = 0; g < kShape.n_kv_heads; ++g) {
        if (kImpl == Impl::kAvx512) {
          avx512::attend_group(f.q.data(), view, n_pos - 1, kShape, g, scratch, out.data());
        } else if (kImpl == Impl::kAvx2) {
          avx2::attend_group(f.q.data(), view, n_pos - 1, kShape, g, scratch, out.data());
        } else {
          attend_group_ref(f.q.data(), view, n_pos - 1, kShape, g, scratch, out.data());
        }
      }
    }
    benchmark::DoNotOptimize(out.data());
  }
  set_counters(state, n_pos);
}

void Ref_Grouped(benchmark::State& state) { Grouped<Impl::kRef>(state); }
void Avx2_Grouped(benchmark::State& state) { Grouped<Impl::kAvx2>(state); }
void Avx512_Grouped(benchmark::State& state) { Grouped<Impl::kAvx512>(state); }

BENCHMARK(Reference_RowByRow)->Arg(512)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(Ref_Grouped)->Arg(512)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(Avx2_Grouped)->Arg(512)->Arg(4096)->Arg(16384)->Unit(benchmark::kMillisecond);
BENCHMARK(Avx512_Grouped)->Arg(512)->Arg(4096)->Arg(16384)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
