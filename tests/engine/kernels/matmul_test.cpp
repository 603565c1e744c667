#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>

#include "engine/kernels/matmul.h"
#include "tests/engine/kernels/kernel_test_util.h"
#include "tests/engine/kernels/random_blocks.h"

namespace reval::kernels {
namespace {

// y[t][r] = dot(dequantize(W[r]), dequantize(quantize(x[t]))) in double.
std::vector<float> naive_matmul(const WeightMatrix& w, const std::vector<float>& x, std::int64_t n_tokens) {
  const TypeTraits& traits = *reference_type_traits(w.type);
  const TypeTraits& act = *reference_type_traits(traits.vec_dot_type);
  std::vector<float> y(static_cast<std::size_t>(n_tokens * w.rows));
  std::vector<float> wf(w.cols);
  std::vector<float> xf(w.cols);
  std::vector<std::uint8_t> xq(static_cast<std::size_t>(act.row_bytes(w.cols)));
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    act.quantize_row(x.data() + t * w.cols, xq.data(), w.cols);
    act.dequantize_row(xq.data(), xf.data(), w.cols);
    for (std::int64_t r = 0; r < w.rows; ++r) {
      traits.dequantize_row(static_cast<const std::uint8_t*>(w.data) + r * w.row_bytes, wf.data(), w.cols);
      double sum = 0.0;
      for (std::int64_t c = 0; c < w.cols; ++c) sum += static_cast<double>(wf[c]) * xf[c];
      y[t * w.rows + r] = static_cast<float>(sum);
    }
  }
  return y;
}

}  // namespace

TEST_CASE("matmul equals the naive product for every weight type and token count", "[engine][kernels]") {
  const std::int64_t rows = 45;
  const std::int64_t cols = 512;
  ThreadPool pool(3);
  for (TensorType type : {TensorType::kF32, TensorType::kF16, TensorType::kBF16, TensorType::kQ4_0,
                          TensorType::kQ4_1, TensorType::kQ5_0, TensorType::kQ5_1, TensorType::kQ8_0,
                          TensorType::kQ4_K, TensorType::kQ5_K, TensorType::kQ6_K}) {
    const std::vector<std::uint8_t> data = test::random_row(type, rows * cols, 42);
    const WeightMatrix w = WeightMatrix::from_memory(type, data.data(), rows, cols);
    for (std::int64_t n_tokens : {1, 3, 40}) {
      const std::vector<float> x = test::random_floats(static_cast<std::size_t>(n_tokens * cols), 9);
      const std::vector<float> want = naive_matmul(w, x, n_tokens);
      std::vector<float> one(want.size());
      std::vector<float> many(want.size());
      matmul(w, x.data(), n_tokens, one.data(), nullptr);
      matmul(w, x.data(), n_tokens, many.data(), &pool);
      float scale = 0.0f;
      for (float v : want) scale = std::max(scale, std::fabs(v));
      // Q8_1 activations (for q4_1/q5_1) store s = d * sum(q) as a half float: the min term of each
      // block carries that 2^-11 relative rounding, by format (llama.cpp's too).
      const bool q8_1 = type_traits(type)->vec_dot_type == TensorType::kQ8_1;
      const float tol = (q8_1 ? 2e-3f : 2e-5f) * scale + 1e-6f;
      const std::string mismatch = test::first_mismatch(one.data(), want.data(), want.size(), tol);
      INFO(tensor_type_name(type) << " n_tokens " << n_tokens << ": " << mismatch);
      CHECK(mismatch.empty());
      // The thread count changes which thread computes a row, never the row's arithmetic.
      CHECK(test::first_byte_mismatch(reinterpret_cast<const std::uint8_t*>(one.data()),
                                      reinterpret_cast<const std::uint8_t*>(many.data()), one.size() * 4)
                .empty());
    }
  }
}

TEST_CASE("activations quantized once serve several products", "[engine][kernels]") {
  const std::vector<std::uint8_t> a = test::random_row(TensorType::kQ4_K, 32 * 256, 1);
  const std::vector<std::uint8_t> b = test::random_row(TensorType::kQ4_K, 16 * 256, 2);
  const WeightMatrix wa = WeightMatrix::from_memory(TensorType::kQ4_K, a.data(), 32, 256);
  const WeightMatrix wb = WeightMatrix::from_memory(TensorType::kQ4_K, b.data(), 16, 256);
  const std::vector<float> x = test::random_floats(2 * 256, 5);
  QuantizedActivations q;
  q.quantize(TensorType::kQ8_K, x.data(), 2, 256);
  std::vector<float> ya(64);
  std::vector<float> yb(32);
  matmul_quantized(wa, q, ya.data());
  matmul_quantized(wb, q, yb.data());
  std::vector<float> ya2(64);
  matmul(wa, x.data(), 2, ya2.data());
  CHECK(ya == ya2);
}

TEST_CASE("products sharing an input equal separate products, whatever mix of activation formats",
          "[engine][kernels]") {
  // q/k/v of a Q4_K_M model are Q4_K, Q4_K, Q6_K (all Q8_K activations); a Q8_0 matrix in between
  // needs Q8_0 activations, and the Q6_K after it Q8_K again.
  const std::int64_t cols = 512;
  const std::int64_t n_tokens = 5;
  const TensorType types[] = {TensorType::kQ4_K, TensorType::kQ4_K, TensorType::kQ8_0, TensorType::kQ6_K};
  const std::int64_t rows[] = {48, 16, 32, 16};
  std::vector<std::vector<std::uint8_t>> data;
  std::vector<WeightMatrix> ws;
  for (int i = 0; i < 4; ++i) {
    data.push_back(test::random_row(types[i], rows[i] * cols, static_cast<std::uint32_t>(10 + i)));
    ws.push_back(WeightMatrix::from_memory(types[i], data.back().data(), rows[i], cols));
  }
  const std::vector<float> x = test::random_floats(static_cast<std::size_t>(n_tokens * cols), 6);
  ThreadPool pool(2);
  std::vector<std::vector<float>> want(4);
  std::vector<std::vector<float>> got(4);
  for (int i = 0; i < 4; ++i) {
    want[i].resize(static_cast<std::size_t>(rows[i] * n_tokens));
    got[i].assign(want[i].size(), -1.0f);
    matmul(ws[i], x.data(), n_tokens, want[i].data(), &pool);
  }
  matmul_same_input(
      {{&ws[0], got[0].data()}, {&ws[1], got[1].data()}, {&ws[2], got[2].data()}, {&ws[3], got[3].data()}}, x.data(),
      n_tokens, &pool);
  for (int i = 0; i < 4; ++i) {
    INFO("product " << i << " (" << tensor_type_name(types[i]) << ")");
    CHECK(got[i] == want[i]);
  }
}

TEST_CASE("a weight view rejects tensors that are not 2-D or have no kernels", "[engine][kernels]") {
  gguf::GgufTensorInfo t;
  t.name = "blk.0.ffn_up.weight";
  t.type = TensorType::kQ4_K;
  t.n_dims = 3;
  t.ne = {256, 4, 2, 1};
  auto w = WeightMatrix::from_tensor(t);
  REQUIRE_FALSE(w.ok());
  CHECK(w.status().message() == "blk.0.ffn_up.weight: expected a 2-D weight, got 3 dimensions");
  t.n_dims = 2;
  t.ne = {256, 4, 1, 1};
  t.type = TensorType::kQ2_K;
  CHECK(WeightMatrix::from_tensor(t).status().code() == StatusCode::kUnimplemented);
}

TEST_CASE("the thread pool covers every index exactly once, many times over", "[engine][kernels]") {
  for (int n_threads : {1, 2, 4}) {
    ThreadPool pool(n_threads);
    for (int round = 0; round < 200; ++round) {
      const std::int64_t n = 1 + (round * 37) % 500;
      std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
      pool.parallel_for(n, 1 + round % 7, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i) hits[static_cast<std::size_t>(i)].fetch_add(1);
      });
      for (std::int64_t i = 0; i < n; ++i) REQUIRE(hits[static_cast<std::size_t>(i)].load() == 1);
    }
  }
}

}  // namespace reval::kernels
