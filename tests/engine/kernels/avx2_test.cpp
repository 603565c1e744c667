// Every AVX2 kernel against its scalar reference: dots within a relative tolerance (the SIMD sums
// run in a different order), quantizers and conversions bit-identical. Skipped without AVX2.
#include <catch2/catch.hpp>

#include <cmath>

#include "engine/kernels/type_traits.h"
#include "tests/engine/kernels/kernel_test_util.h"
#include "tests/engine/kernels/random_blocks.h"
#include "tests/support/test_support.h"

namespace reval::kernels {
namespace {

const TensorType kWeightTypes[] = {TensorType::kF32,  TensorType::kF16,  TensorType::kBF16, TensorType::kQ4_0,
                                   TensorType::kQ4_1, TensorType::kQ5_0, TensorType::kQ5_1, TensorType::kQ8_0,
                                   TensorType::kQ4_K, TensorType::kQ5_K, TensorType::kQ6_K};

bool have_avx2() {
  if (cpu_supports(KernelIsa::kAvx2)) return true;
  reval::test::skip("the CPU has no AVX2+FMA+F16C");
  return false;
}

const TypeTraits* avx2_traits(TensorType type) { return type_traits(type, KernelIsa::kAvx2); }

}  // namespace

TEST_CASE("avx2 dot products match the scalar references row by row", "[engine][kernels][avx2]") {
  if (!have_avx2()) return;
  const std::int64_t n = 2048;
  const int n_rows = 64;
  for (TensorType type : kWeightTypes) {
    const TypeTraits& fast = *avx2_traits(type);
    const TypeTraits& ref = *reference_type_traits(type);
    const TypeTraits& act = *reference_type_traits(ref.vec_dot_type);
    REQUIRE(fast.vec_dot != ref.vec_dot);
    const std::vector<float> x = test::random_floats(n, 7);
    std::vector<std::uint8_t> xq(static_cast<std::size_t>(act.row_bytes(n)));
    act.quantize_row(x.data(), xq.data(), n);
    std::vector<float> got(n_rows);
    std::vector<float> want(n_rows);
    std::vector<float> tol(n_rows);
    for (int r = 0; r < n_rows; ++r) {
      const std::vector<std::uint8_t> w = test::random_row(type, n, 1000 + static_cast<std::uint32_t>(r));
      got[r] = fast.vec_dot(n, w.data(), xq.data());
      want[r] = ref.vec_dot(n, w.data(), xq.data());
    }
    // Relative to the row's typical magnitude: sums of n products in a different order.
    float scale = 0.0f;
    for (float v : want) scale = std::max(scale, std::fabs(v));
    const std::string mismatch = test::first_mismatch(got.data(), want.data(), n_rows, 1e-5f * scale + 1e-6f, 1e-5f);
    INFO(ref.name << ": " << mismatch);
    CHECK(mismatch.empty());
  }
}

TEST_CASE("avx2 activation quantizers are bit-identical to the references", "[engine][kernels][avx2]") {
  if (!have_avx2()) return;
  for (TensorType type : {TensorType::kQ8_0, TensorType::kQ8_1, TensorType::kQ8_K, TensorType::kF16}) {
    const TypeTraits& fast = *avx2_traits(type);
    const TypeTraits& ref = *reference_type_traits(type);
    REQUIRE(fast.quantize_row != ref.quantize_row);
    for (std::uint32_t seed = 0; seed < 20; ++seed) {
      const std::int64_t n = 1024;
      std::vector<float> x = test::random_floats(n, seed, seed % 2 ? 0.01f : 30.0f);
      if (seed == 3) std::fill(x.begin(), x.begin() + 256, 0.0f);  // an all-zero block
      if (seed == 4) x[5] = -1000.0f;                                // a negative extreme
      std::vector<std::uint8_t> a(static_cast<std::size_t>(ref.row_bytes(n)));
      std::vector<std::uint8_t> b(a.size());
      fast.quantize_row(x.data(), a.data(), n);
      ref.quantize_row(x.data(), b.data(), n);
      const std::string mismatch = test::first_byte_mismatch(a.data(), b.data(), a.size());
      INFO(ref.name << " seed " << seed << ": " << mismatch);
      CHECK(mismatch.empty());
    }
  }
}

TEST_CASE("avx2 f16 dequantization matches the reference for every half value", "[engine][kernels][avx2]") {
  if (!have_avx2()) return;
  std::vector<std::uint16_t> all(65536);
  for (std::uint32_t i = 0; i < 65536; ++i) all[i] = static_cast<std::uint16_t>(i);
  std::vector<float> a(65536);
  std::vector<float> b(65536);
  avx2_traits(TensorType::kF16)->dequantize_row(all.data(), a.data(), 65536);
  reference_type_traits(TensorType::kF16)->dequantize_row(all.data(), b.data(), 65536);
  for (std::size_t i = 0; i < 65536; ++i) {
    if (std::isnan(a[i]) && std::isnan(b[i])) continue;
    INFO("half 0x" << std::hex << i);
    REQUIRE(a[i] == b[i]);
  }
}

}  // namespace reval::kernels

namespace reval::kernels {

TEST_CASE("multi-row dots are bit-identical to the single-row dot for every row count", "[engine][kernels][avx2]") {
  if (!have_avx2()) return;
  const std::int64_t n = 1024;
  int n_types_with_multi = 0;
  for (TensorType type : kWeightTypes) {
    const TypeTraits& traits = *avx2_traits(type);
    if (traits.vec_dot_multi == nullptr) continue;
    ++n_types_with_multi;
    const TypeTraits& act = *avx2_traits(traits.vec_dot_type);
    const std::vector<std::uint8_t> w = test::random_row(type, n, 77);
    const auto row_bytes = static_cast<std::size_t>(act.row_bytes(n));
    std::vector<std::uint8_t> xq(row_bytes * kMaxMultiRows);
    for (int t = 0; t < kMaxMultiRows; ++t) {
      const std::vector<float> x = test::random_floats(n, 100 + static_cast<std::uint32_t>(t));
      act.quantize_row(x.data(), xq.data() + t * row_bytes, n);
    }
    for (int n_x = 1; n_x <= kMaxMultiRows; ++n_x) {
      std::vector<float> out(static_cast<std::size_t>(3 * n_x), -1.0f);
      traits.vec_dot_multi(n, w.data(), xq.data(), row_bytes, n_x, out.data(), 3);
      for (int t = 0; t < n_x; ++t) {
        INFO(traits.name << " n_x " << n_x << " row " << t);
        CHECK(out[static_cast<std::size_t>(3 * t)] == traits.vec_dot(n, w.data(), xq.data() + t * row_bytes));
        CHECK(out[static_cast<std::size_t>(3 * t + 1)] == -1.0f);  // nothing written between strided outputs
      }
    }
  }
  CHECK(n_types_with_multi >= 4);
}

}  // namespace reval::kernels
