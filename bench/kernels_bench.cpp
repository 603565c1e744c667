// Kernel microbenchmarks: dot products (cache-resident, GFLOP/s), matrix products on the real
// R1-Distill-Qwen-1.5B layer shapes for 1..512 tokens in each kernel tier (weight streaming in GB/s,
// the decode bound; GFLOP/s, the prefill bound), dequantization and activation quantization.
//   build/release/bench/kernels_bench --benchmark_filter='BM_Matmul/8/16/1/2/'   (q8_0, 16 tokens, 1 thread, 8960x1536)
#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

#include "engine/kernels/interleaved.h"
#include "engine/kernels/matmul.h"
#include "engine/kernels/type_traits.h"
#include "engine/quantize/quantize_row.h"

namespace reval::kernels {
namespace {

const TensorType kTypes[] = {TensorType::kF32,  TensorType::kF16,  TensorType::kBF16, TensorType::kQ8_0,
                             TensorType::kQ4_0, TensorType::kQ4_1, TensorType::kQ5_0, TensorType::kQ5_1,
                             TensorType::kQ4_K, TensorType::kQ5_K, TensorType::kQ6_K};

std::vector<float> gaussian(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> d(0.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

std::vector<std::uint8_t> quantized(TensorType type, std::int64_t rows, std::int64_t cols) {
  const TypeTraits& t = *type_traits(type);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(t.row_bytes(cols) * rows));
  const std::vector<float> row = gaussian(static_cast<std::size_t>(cols), 1);
  // One quantized row repeated: the kernels' speed does not depend on the values.
  std::vector<std::uint8_t> q(static_cast<std::size_t>(t.row_bytes(cols)));
  quantize::quantize_row(type, row.data(), q.data(), cols);
  for (std::int64_t r = 0; r < rows; ++r) std::memcpy(out.data() + r * q.size(), q.data(), q.size());
  return out;
}

void BM_VecDot(benchmark::State& state) {
  const auto type = static_cast<TensorType>(state.range(0));
  const std::int64_t n = 4096;
  const TypeTraits& t = *type_traits(type);
  const TypeTraits& act = *type_traits(t.vec_dot_type);
  const std::vector<std::uint8_t> w = quantized(type, 1, n);
  const std::vector<float> x = gaussian(n, 2);
  std::vector<std::uint8_t> xq(static_cast<std::size_t>(act.row_bytes(n)));
  act.quantize_row(x.data(), xq.data(), n);
  for (auto _ : state) benchmark::DoNotOptimize(t.vec_dot(n, w.data(), xq.data()));
  state.SetLabel(std::string(t.name) + " " + std::string(kernel_isa()));
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * n, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["weight GB/s"] = benchmark::Counter(
      static_cast<double>(w.size()), benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// The R1-Distill-Qwen-1.5B layer shapes (rows x cols): attention q/o, k/v, FFN gate/up, FFN down.
constexpr std::int64_t kShapes[][2] = {{1536, 1536}, {256, 1536}, {8960, 1536}, {1536, 8960}};

// range(0): type, range(1): tokens, range(2): threads, range(3): shape index, range(4): KernelIsa.
// Weight GB/s is the weight bytes over the time of one product (decode: the bandwidth bound);
// GFLOP/s counts 2 * rows * cols * tokens.
void BM_Matmul(benchmark::State& state) {
  const auto type = static_cast<TensorType>(state.range(0));
  const std::int64_t n_tokens = state.range(1);
  const int n_threads = static_cast<int>(state.range(2));
  const std::int64_t rows = kShapes[state.range(3)][0];
  const std::int64_t cols = kShapes[state.range(3)][1];
  const auto isa = static_cast<KernelIsa>(state.range(4));
  if (!cpu_supports(isa)) {
    state.SkipWithError("the CPU does not support this kernel tier");
    return;
  }
  const std::vector<std::uint8_t> w = quantized(type, rows, cols);
  const WeightMatrix weights = WeightMatrix::from_memory(type, w.data(), rows, cols);
  const std::vector<float> x = gaussian(static_cast<std::size_t>(cols * n_tokens), 3);
  std::vector<float> y(static_cast<std::size_t>(rows * n_tokens));
  ThreadPool pool(n_threads);
  for (auto _ : state) {
    matmul(weights, x.data(), n_tokens, y.data(), &pool, isa);
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(type_traits(type)->name) + " " + std::to_string(rows) + "x" + std::to_string(cols) + " " +
                 std::string(kernel_isa_name(isa)));
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(rows * cols * n_tokens),
                         benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["weight GB/s"] = benchmark::Counter(
      static_cast<double>(w.size()), benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

// A matrix repacked into the interleaved layout the engine uses on AVX-512 CPUs (Q8_0, Q4_K, Q6_K).
// range(0): type, range(1): tokens, range(2): threads, range(3): shape index, range(4): KernelIsa.
// range(5): 1 = cold: the product cycles over copies of the matrix totalling 768 MB, more than any
// L3, so the weights stream from memory as in a forward pass over a whole model.
void BM_MatmulInterleaved(benchmark::State& state) {
  const auto type = static_cast<TensorType>(state.range(0));
  const std::int64_t n_tokens = state.range(1);
  const int n_threads = static_cast<int>(state.range(2));
  const std::int64_t rows = kShapes[state.range(3)][0];
  const std::int64_t cols = kShapes[state.range(3)][1];
  const auto isa = static_cast<KernelIsa>(state.range(4));
  if (!cpu_supports(isa)) {
    state.SkipWithError("the CPU does not support this kernel tier");
    return;
  }
  const bool cold = state.range(5) != 0;
  const std::vector<std::uint8_t> w = quantized(type, rows, cols);
  const std::size_t copies = cold ? (std::size_t{768} << 20) / w.size() + 1 : 1;
  std::vector<std::uint8_t> groups(w.size() * copies);
  WeightMatrix weights = WeightMatrix::from_memory(type, w.data(), rows, cols);
  for (std::size_t c = 0; c < copies; ++c) {
    interleave_rows(type, w.data(), static_cast<std::size_t>(weights.row_bytes), cols, 0, rows / kGroupRows,
                    groups.data() + c * w.size());
  }
  weights.layout = interleaved_layout(type);
  const std::vector<float> x = gaussian(static_cast<std::size_t>(cols * n_tokens), 3);
  std::vector<float> y(static_cast<std::size_t>(rows * n_tokens));
  ThreadPool pool(n_threads);
  std::size_t next = 0;
  for (auto _ : state) {
    weights.data = groups.data() + next * w.size();
    next = (next + 1) % copies;
    matmul(weights, x.data(), n_tokens, y.data(), &pool, isa);
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(type_traits(type)->name) + "x16 " + std::to_string(rows) + "x" + std::to_string(cols) +
                 " " + std::string(kernel_isa_name(isa)) + (cold ? " cold" : ""));
  state.counters["GFLOP/s"] =
      benchmark::Counter(2.0 * static_cast<double>(rows * cols * n_tokens),
                         benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
  state.counters["weight GB/s"] = benchmark::Counter(
      static_cast<double>(w.size()), benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_Dequantize(benchmark::State& state) {
  const auto type = static_cast<TensorType>(state.range(0));
  const std::int64_t n = 1 << 16;
  const std::vector<std::uint8_t> w = quantized(type, 1, n);
  std::vector<float> out(static_cast<std::size_t>(n));
  const TypeTraits& t = *type_traits(type);
  for (auto _ : state) {
    t.dequantize_row(w.data(), out.data(), n);
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(t.name));
  state.counters["output GB/s"] =
      benchmark::Counter(4.0 * n, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_QuantizeActivations(benchmark::State& state) {
  const auto type = static_cast<TensorType>(state.range(0));
  const std::int64_t n = 1536;
  const std::vector<float> x = gaussian(n, 4);
  const TypeTraits& t = *type_traits(type);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(t.row_bytes(n)));
  for (auto _ : state) {
    t.quantize_row(x.data(), out.data(), n);
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(t.name));
  state.counters["input GB/s"] =
      benchmark::Counter(4.0 * n, benchmark::Counter::kIsIterationInvariantRate, benchmark::Counter::kIs1000);
}

void BM_QuantizeWeights(benchmark::State& state) {
  const auto type = static_cast<TensorType>(state.range(0));
  const std::int64_t n = 1 << 14;
  const std::vector<float> x = gaussian(n, 5);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(type_traits(type)->row_bytes(n)));
  for (auto _ : state) {
    quantize::quantize_row(type, x.data(), out.data(), n);
    benchmark::ClobberMemory();
  }
  state.SetLabel(std::string(type_traits(type)->name));
  state.counters["weights/s"] =
      benchmark::Counter(static_cast<double>(n), benchmark::Counter::kIsIterationInvariantRate);
}

void type_args(benchmark::internal::Benchmark* b) {
  for (TensorType t : kTypes) b->Arg(static_cast<int>(t));
}

// Filter with e.g. --benchmark_filter='BM_Matmul/8/16/1/2/' (q8_0, 16 tokens, 1 thread, 8960x1536,
// every tier). Tiers: 0 scalar, 1 avx2, 2 avx512, 3 amx; the scalar tier only for 1 and 16 tokens (slow).
void matmul_args(benchmark::internal::Benchmark* b) {
  for (TensorType t : kTypes) {
    for (int tokens : {1, 4, 8, 16, 64, 512}) {
      for (int threads : {1, 2}) {
        for (int shape = 0; shape < 4; ++shape) {
          for (KernelIsa isa : {KernelIsa::kScalar, KernelIsa::kAvx2, KernelIsa::kAvx512, KernelIsa::kAmx}) {
            if (isa == KernelIsa::kScalar && tokens != 1 && tokens != 16) continue;
            if (isa == KernelIsa::kAmx && tokens < 8) continue;  // the same kernels as avx512 there
            b->Args({static_cast<int>(t), tokens, threads, shape, static_cast<int>(isa)});
          }
        }
      }
    }
  }
}

// --benchmark_filter='BM_MatmulInterleaved/8/16/1/2/' (q8_0, 16 tokens, 1 thread, 8960x1536, every tier;
// 12 = q4_K, 14 = q6_K); a trailing /1 is the cold (memory-streaming) variant for 1 and 16 tokens.
void interleaved_args(benchmark::internal::Benchmark* b) {
  for (TensorType t : {TensorType::kQ8_0, TensorType::kQ4_K, TensorType::kQ6_K}) {
    for (int tokens : {1, 4, 8, 16, 64, 512}) {
      for (int threads : {1, 2}) {
        for (int shape = 0; shape < 4; ++shape) {
          for (KernelIsa isa : {KernelIsa::kScalar, KernelIsa::kAvx512, KernelIsa::kAmx}) {
            if (isa == KernelIsa::kScalar && tokens != 1 && tokens != 16) continue;
            if (isa == KernelIsa::kAmx && (tokens < 8 || t == TensorType::kQ6_K)) continue;  // the avx512 kernel there
            b->Args({static_cast<int>(t), tokens, threads, shape, static_cast<int>(isa), 0});
            if (tokens == 1 || tokens == 16)
              b->Args({static_cast<int>(t), tokens, threads, shape, static_cast<int>(isa), 1});
          }
        }
      }
    }
  }
}

BENCHMARK(BM_VecDot)->Apply(type_args);
BENCHMARK(BM_Matmul)->Apply(matmul_args)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatmulInterleaved)->Apply(interleaved_args)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Dequantize)->Apply(type_args);
BENCHMARK(BM_QuantizeActivations)
    ->Arg(static_cast<int>(TensorType::kQ8_0))
    ->Arg(static_cast<int>(TensorType::kQ8_1))
    ->Arg(static_cast<int>(TensorType::kQ8_K));
BENCHMARK(BM_QuantizeWeights)
    ->Arg(static_cast<int>(TensorType::kQ4_0))
    ->Arg(static_cast<int>(TensorType::kQ8_0))
    ->Arg(static_cast<int>(TensorType::kQ4_K))
    ->Arg(static_cast<int>(TensorType::kQ5_K))
    ->Arg(static_cast<int>(TensorType::kQ6_K));

}  // namespace
}  // namespace reval::kernels

BENCHMARK_MAIN();
