// The interleaved Q8_0, Q4_K and Q6_K layouts (engine/kernels/interleaved.h): repacking loses nothing, and
// their GEMMs in every tier the CPU has match the scalar dots over the original rows on odd shapes
// (1-5 groups, 1-70 tokens, one block to the model's widths). Tiers the CPU lacks report skipped.
#include "engine/kernels/interleaved.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "engine/kernels/matmul.h"
#include "engine/kernels/ref.h"
#include "tests/engine/kernels/kernel_test_util.h"
#include "tests/engine/kernels/random_blocks.h"
#include "tests/support/test_support.h"

namespace reval::kernels {
namespace {

struct Interleaved {
  std::vector<std::uint8_t> rows;  // the GGUF layout
  std::vector<std::uint8_t> groups;
  std::int64_t row_bytes = 0;
};

Interleaved make_matrix(TensorType type, std::int64_t rows, std::int64_t cols, std::uint32_t seed) {
  Interleaved m;
  m.rows = test::random_row(type, rows * cols, seed);
  m.row_bytes = reference_type_traits(type)->row_bytes(cols);
  m.groups.assign(m.rows.size(), 0xEE);
  interleave_rows(type, m.rows.data(), static_cast<std::size_t>(m.row_bytes), cols, 0, rows / kGroupRows,
                  m.groups.data());
  return m;
}

// Runs `gemm` on rows x n_tokens and compares every output with the scalar dot of the original
// row; "" or a message naming the first bad (row, token).
std::string check_gemm(TensorType type, GemmQ8_0x16Fn gemm, std::int64_t rows, std::int64_t cols, std::int64_t n_tokens,
                       std::uint32_t seed, std::vector<float>* out = nullptr) {
  const Interleaved w = make_matrix(type, rows, cols, seed);
  const TypeTraits& ref_w = *reference_type_traits(type);
  const TypeTraits& act = *reference_type_traits(ref_w.vec_dot_type);
  const InterleavedKernels& layout = interleaved_kernels(interleaved_layout(type));
  const auto x_stride = static_cast<std::size_t>(act.row_bytes(cols));
  const auto p_stride = static_cast<std::size_t>(layout.packed_row_bytes(cols));
  std::vector<std::uint8_t> xq(x_stride * static_cast<std::size_t>(n_tokens));
  std::vector<std::uint8_t> packed(p_stride * static_cast<std::size_t>(n_tokens));
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    const std::vector<float> x =
        test::random_floats(static_cast<std::size_t>(cols), seed + 100 + static_cast<std::uint32_t>(t));
    act.quantize_row(x.data(), xq.data() + t * x_stride, cols);
    layout.pack_row(xq.data() + t * x_stride, packed.data() + t * p_stride, cols);
  }
  // A guard column (stride rows + 1) must stay untouched.
  const auto y_stride = static_cast<std::size_t>(rows + 1);
  std::vector<float> got(y_stride * static_cast<std::size_t>(n_tokens), -7.0f);
  gemm(cols, w.groups.data(), rows / kGroupRows, packed.data(), p_stride, n_tokens, got.data(), y_stride);
  std::vector<float> want(got.size(), -7.0f);
  float scale = 0.0f;
  for (std::int64_t t = 0; t < n_tokens; ++t) {
    for (std::int64_t r = 0; r < rows; ++r) {
      const float v = ref_w.vec_dot(cols, w.rows.data() + r * w.row_bytes, xq.data() + t * x_stride);
      want[static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(r)] = v;
      scale = std::max(scale, std::fabs(v));
    }
  }
  if (out != nullptr) *out = got;
  const std::string mismatch = test::first_mismatch(got.data(), want.data(), got.size(), 2e-5f * scale + 1e-6f, 1e-5f);
  if (mismatch.empty()) return "";
  return std::string(ref_w.name) + " rows " + std::to_string(rows) + " cols " + std::to_string(cols) + " tokens " +
         std::to_string(n_tokens) + " (index = token * " + std::to_string(y_stride) + " + row): " + mismatch;
}

}  // namespace

TEST_CASE("interleaving Q8_0, Q4_K and Q6_K rows keeps every weight, scale and min", "[engine][kernels]") {
  for (TensorType type : {TensorType::kQ8_0, TensorType::kQ4_K, TensorType::kQ6_K}) {
    const TypeTraits& traits = *reference_type_traits(type);
    for (std::int64_t blocks : {1, 3, 48}) {
      const std::int64_t cols = blocks * traits.block_size;
      const std::int64_t rows = 48;
      const Interleaved m = make_matrix(type, rows, cols, static_cast<std::uint32_t>(cols));
      std::vector<float> want(static_cast<std::size_t>(cols));
      std::vector<float> got(static_cast<std::size_t>(cols));
      for (std::int64_t r = 0; r < rows; ++r) {
        traits.dequantize_row(m.rows.data() + r * m.row_bytes, want.data(), cols);
        dequantize_interleaved_row(interleaved_layout(type), m.groups.data(), cols, r, got.data());
        INFO(traits.name << " cols " << cols << " row " << r);
        REQUIRE(got == want);
      }
    }
  }
  CHECK(can_interleave(TensorType::kQ8_0, 32, 64));
  CHECK(can_interleave(TensorType::kQ4_K, 32, 256));
  CHECK_FALSE(can_interleave(TensorType::kQ8_0, 40, 64));  // not a whole number of groups
  CHECK(can_interleave(TensorType::kQ6_K, 32, 512));
  CHECK_FALSE(can_interleave(TensorType::kQ4_K, 32, 128));  // not a whole super-block
  CHECK_FALSE(can_interleave(TensorType::kQ5_K, 32, 256));
}

TEST_CASE("interleaved GEMMs in every tier match the scalar dots on odd shapes", "[engine][kernels]") {
  struct Tier {
    TensorType type;
    KernelIsa isa;
    GemmQ8_0x16Fn gemm;
  };
  for (const Tier tier : {Tier{TensorType::kQ8_0, KernelIsa::kScalar, ref::gemm_q8_0x16},
                          Tier{TensorType::kQ8_0, KernelIsa::kAvx512, avx512::gemm_q8_0x16},
                          Tier{TensorType::kQ8_0, KernelIsa::kAmx, amx::gemm_q8_0x16},
                          Tier{TensorType::kQ4_K, KernelIsa::kScalar, ref::gemm_q4_Kx16},
                          Tier{TensorType::kQ4_K, KernelIsa::kAvx512, avx512::gemm_q4_Kx16},
                          Tier{TensorType::kQ4_K, KernelIsa::kAmx, amx::gemm_q4_Kx16},
                          Tier{TensorType::kQ6_K, KernelIsa::kScalar, ref::gemm_q6_Kx16},
                          Tier{TensorType::kQ6_K, KernelIsa::kAvx512, avx512::gemm_q6_Kx16}}) {
    if (!cpu_supports(tier.isa)) {
      reval::test::skip("the CPU does not support the " + std::string(kernel_isa_name(tier.isa)) + " kernel tier");
      continue;
    }
    const std::int64_t block = reference_type_traits(tier.type)->block_size;
    for (std::int64_t cols : {block, 3 * block, 7 * block, std::int64_t{1536}, std::int64_t{2304}}) {
      for (std::int64_t rows : {16, 32, 48, 80}) {
        for (std::int64_t n_tokens : {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33, 70}) {
          const std::string mismatch = check_gemm(tier.type, tier.gemm, rows, cols, n_tokens,
                                                  static_cast<std::uint32_t>(cols + rows * 31 + n_tokens));
          INFO(kernel_isa_name(tier.isa) << ": " << mismatch);
          REQUIRE(mismatch.empty());
        }
      }
    }
  }
}

TEST_CASE("the AVX-512 and AMX interleaved kernels give bit-identical results", "[engine][kernels][amx]") {
  // Decode (AVX-512) and batched steps (AMX) must not change a sequence's logits by batch size.
  if (!cpu_supports(KernelIsa::kAmx)) {
    reval::test::skip("the CPU does not support the amx kernel tier");
    return;
  }
  for (std::int64_t n_tokens : {1, 5, 8, 17}) {
    std::vector<float> vnni;
    std::vector<float> tiles;
    REQUIRE(check_gemm(TensorType::kQ8_0, avx512::gemm_q8_0x16, 48, 1536, n_tokens, 9, &vnni).empty());
    REQUIRE(check_gemm(TensorType::kQ8_0, amx::gemm_q8_0x16, 48, 1536, n_tokens, 9, &tiles).empty());
    INFO("tokens " << n_tokens);
    CHECK(test::first_byte_mismatch(reinterpret_cast<const std::uint8_t*>(vnni.data()),
                                    reinterpret_cast<const std::uint8_t*>(tiles.data()), vnni.size() * 4)
              .empty());
  }
}

TEST_CASE("matmul over an interleaved matrix matches the row layout in every tier and thread count",
          "[engine][kernels]") {
  const std::int64_t rows = 80;
  const std::int64_t cols = 512;
  ThreadPool pool(3);
  for (TensorType type : {TensorType::kQ8_0, TensorType::kQ4_K, TensorType::kQ6_K}) {
    const Interleaved m = make_matrix(type, rows, cols, 5);
    const WeightMatrix plain = WeightMatrix::from_memory(type, m.rows.data(), rows, cols);
    WeightMatrix interleaved = plain;
    interleaved.data = m.groups.data();
    interleaved.layout = interleaved_layout(type);
    for (KernelIsa isa : {KernelIsa::kScalar, KernelIsa::kAvx2, KernelIsa::kAvx512, KernelIsa::kAmx}) {
      if (!cpu_supports(isa)) continue;
      for (std::int64_t n_tokens : {1, 3, 8, 40, 300}) {
        const std::vector<float> x = test::random_floats(static_cast<std::size_t>(n_tokens * cols), 17);
        std::vector<float> want(static_cast<std::size_t>(n_tokens * rows));
        std::vector<float> got(want.size());
        std::vector<float> got_pool(want.size());
        matmul(plain, x.data(), n_tokens, want.data(), nullptr, KernelIsa::kScalar);
        matmul(interleaved, x.data(), n_tokens, got.data(), nullptr, isa);
        matmul(interleaved, x.data(), n_tokens, got_pool.data(), &pool, isa);
        float scale = 0.0f;
        for (float v : want) scale = std::max(scale, std::fabs(v));
        const std::string mismatch = test::first_mismatch(got.data(), want.data(), want.size(), 2e-5f * scale + 1e-6f);
        INFO(tensor_type_name(type) << " " << kernel_isa_name(isa) << " n_tokens " << n_tokens
                                    << " (index = token * rows + row): " << mismatch);
        CHECK(mismatch.empty());
        CHECK(test::first_byte_mismatch(reinterpret_cast<const std::uint8_t*>(got.data()),
                                        reinterpret_cast<const std::uint8_t*>(got_pool.data()), got.size() * 4)
                  .empty());
      }
      std::vector<float> row(static_cast<std::size_t>(cols));
      std::vector<float> want_row(row.size());
      dequantize_row(interleaved, 37, row.data());
      dequantize_row(plain, 37, want_row.data());
      CHECK(row == want_row);
    }
  }
}

}  // namespace reval::kernels
