// GEMM kernels and every kernel tier against the scalar references: the tile kernels on odd shapes
// (row counts that are not a multiple of the tile, 1..33 tokens, several K), and matmul run in each
// tier the CPU supports. Tiers the CPU lacks report themselves skipped.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "engine/kernels/matmul.h"
#include "engine/kernels/type_traits.h"
#include "tests/engine/kernels/kernel_test_util.h"
#include "tests/engine/kernels/random_blocks.h"
#include "tests/support/test_support.h"

namespace reval::kernels {
namespace {

const TensorType kWeightTypes[] = {TensorType::kF32,  TensorType::kF16,  TensorType::kBF16, TensorType::kQ4_0,
                                   TensorType::kQ4_1, TensorType::kQ5_0, TensorType::kQ5_1, TensorType::kQ8_0,
                                   TensorType::kQ4_K, TensorType::kQ5_K, TensorType::kQ6_K};

bool tier_available(KernelIsa isa) {
  if (cpu_supports(isa)) return true;
  reval::test::skip("the CPU does not support the " + std::string(kernel_isa_name(isa)) + " kernel tier");
  return false;
}

// Runs `type`'s GEMM kernel in tier `isa` on rows x n_tokens and compares every output with the
// scalar reference dot; "" or a message naming the first bad (row, token).
std::string check_gemm(const GemmKernel& kernel, TensorType type, std::int64_t rows, std::int64_t cols,
                       std::int64_t n_tokens, std::uint32_t seed) {
  const TypeTraits& ref = *reference_type_traits(type);
  const TypeTraits& act = *reference_type_traits(ref.vec_dot_type);
  const std::vector<std::uint8_t> w = test::random_row(type, rows * cols, seed);
  const auto w_stride = static_cast<std::size_t>(ref.row_bytes(cols));
  const auto x_stride = static_cast<std::size_t>(act.row_bytes(cols));
  const auto p_stride = static_cast<std::size_t>(kernel.packed_row_bytes(cols));
  std::vector<std::uint8_t> xq(x_stride * static_cast<std::size_t>(n_tokens));
  std::vector<std::uint8_t> packed(p_stride * static_cast<std::size_t>(n_tokens));
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    const std::vector<float> x = test::random_floats(static_cast<std::size_t>(cols), seed + 100 + static_cast<std::uint32_t>(t));
    act.quantize_row(x.data(), xq.data() + t * x_stride, cols);
    kernel.pack_row(xq.data() + t * x_stride, packed.data() + t * p_stride, cols);
  }
  // y has a guard column (stride rows + 1) that must stay untouched.
  const auto y_stride = static_cast<std::size_t>(rows + 1);
  std::vector<float> got(y_stride * static_cast<std::size_t>(n_tokens), -7.0f);
  kernel.gemm(cols, w.data(), w_stride, rows, packed.data(), p_stride, n_tokens, got.data(), y_stride);
  std::vector<float> want(got.size(), -7.0f);
  float scale = 0.0f;
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    for (std::int64_t r = 0; r < rows; ++r) {
      const float v = ref.vec_dot(cols, w.data() + r * w_stride, xq.data() + t * x_stride);
      want[static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(r)] = v;
      scale = std::max(scale, std::fabs(v));
    }
  }
  const std::string mismatch = test::first_mismatch(got.data(), want.data(), got.size(), 2e-5f * scale + 1e-6f, 1e-5f);
  if (mismatch.empty()) return "";
  return std::string(ref.name) + " rows " + std::to_string(rows) + " cols " + std::to_string(cols) + " tokens " +
         std::to_string(n_tokens) + " (index = token * " + std::to_string(y_stride) + " + row): " + mismatch;
}

}  // namespace

TEST_CASE("avx512 GEMM tiles match the scalar dots on odd shapes", "[engine][kernels][avx512]") {
  if (!tier_available(KernelIsa::kAvx512)) return;
  int n_types = 0;
  for (TensorType type : kWeightTypes) {
    const TypeTraits& traits = *type_traits(type, KernelIsa::kAvx512);
    if (traits.gemm == nullptr) continue;
    ++n_types;
    const std::int64_t block = traits.block_size;
    // K: one block, an odd number of blocks, and the model's 1536 / 8960-like sizes.
    for (std::int64_t cols : {block, block * 3, block * 7, std::int64_t{1536}, std::int64_t{2304}}) {
      for (std::int64_t rows : {1, 5, 13}) {
        for (std::int64_t n_tokens = 1; n_tokens <= 33; n_tokens += (n_tokens < 9 ? 1 : 8)) {
          const std::string mismatch = check_gemm(*traits.gemm, type, rows, cols, n_tokens,
                                                  static_cast<std::uint32_t>(cols + rows * 31 + n_tokens));
          INFO(mismatch);
          REQUIRE(mismatch.empty());
        }
      }
    }
  }
  CHECK(n_types >= 1);
}

TEST_CASE("amx GEMM tiles match the scalar dots on odd shapes", "[engine][kernels][amx]") {
  if (!tier_available(KernelIsa::kAmx)) return;
  int n_types = 0;
  for (TensorType type : kWeightTypes) {
    const TypeTraits& traits = *type_traits(type, KernelIsa::kAmx);
    if (traits.gemm_wide == nullptr) continue;
    ++n_types;
    const std::int64_t block = traits.block_size;
    for (std::int64_t cols : {block, block * 3, block * 8, std::int64_t{1536}}) {
      for (std::int64_t rows : {1, 5, 16, 17, 40}) {
        for (std::int64_t n_tokens : {1, 8, 9, 16, 17, 31, 32, 33, 70}) {
          const std::string mismatch = check_gemm(*traits.gemm_wide, type, rows, cols, n_tokens,
                                                  static_cast<std::uint32_t>(cols + rows * 31 + n_tokens));
          INFO(mismatch);
          REQUIRE(mismatch.empty());
        }
      }
    }
  }
  CHECK(n_types >= 1);
}

TEST_CASE("matmul in every supported tier matches the scalar tier", "[engine][kernels]") {
  const std::int64_t rows = 37;
  const std::int64_t cols = 512;
  ThreadPool pool(2);
  for (KernelIsa isa : {KernelIsa::kAvx2, KernelIsa::kAvx512, KernelIsa::kAmx}) {
    if (!tier_available(isa)) continue;
    for (TensorType type : kWeightTypes) {
      const std::vector<std::uint8_t> data = test::random_row(type, rows * cols, 3);
      const WeightMatrix w = WeightMatrix::from_memory(type, data.data(), rows, cols);
      for (std::int64_t n_tokens : {1, 2, 7, 8, 33, 70}) {
        const std::vector<float> x = test::random_floats(static_cast<std::size_t>(n_tokens * cols), 11);
        std::vector<float> want(static_cast<std::size_t>(n_tokens * rows));
        std::vector<float> got(want.size());
        std::vector<float> got_pool(want.size());
        matmul(w, x.data(), n_tokens, want.data(), nullptr, KernelIsa::kScalar);
        matmul(w, x.data(), n_tokens, got.data(), nullptr, isa);
        matmul(w, x.data(), n_tokens, got_pool.data(), &pool, isa);
        float scale = 0.0f;
        for (float v : want) scale = std::max(scale, std::fabs(v));
        const std::string mismatch = test::first_mismatch(got.data(), want.data(), want.size(), 2e-5f * scale + 1e-6f);
        INFO(kernel_isa_name(isa) << " " << tensor_type_name(type) << " n_tokens " << n_tokens << ": " << mismatch);
        CHECK(mismatch.empty());
        // The thread count changes which thread computes a row, never the row's arithmetic.
        CHECK(test::first_byte_mismatch(reinterpret_cast<const std::uint8_t*>(got.data()),
                                        reinterpret_cast<const std::uint8_t*>(got_pool.data()), got.size() * 4)
                  .empty());
      }
    }
  }
}

TEST_CASE("the active tier is the best the CPU supports unless REVAL_KERNELS caps it", "[engine][kernels]") {
  CHECK(cpu_supports(KernelIsa::kScalar));
  CHECK(cpu_supports(active_kernel_isa()));
  const char* env = std::getenv("REVAL_KERNELS");
  if (env == nullptr) {
    const KernelIsa best = cpu_supports(KernelIsa::kAmx)      ? KernelIsa::kAmx
                           : cpu_supports(KernelIsa::kAvx512) ? KernelIsa::kAvx512
                           : cpu_supports(KernelIsa::kAvx2) ? KernelIsa::kAvx2
                                                             : KernelIsa::kScalar;
    CHECK(active_kernel_isa() == best);
  } else if (std::string(env) == "scalar") {
    CHECK(active_kernel_isa() == KernelIsa::kScalar);
  }
  CHECK(kernel_isa() == kernel_isa_name(active_kernel_isa()));
}

}  // namespace reval::kernels
