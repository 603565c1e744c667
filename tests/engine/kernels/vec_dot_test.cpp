// Dot products against dequantize-then-float-dot, for every weight type, through the dispatched
// kernels and the scalar references; and the activation quantizers' error bounds.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"
#include "engine/kernels/type_traits.h"
#include "tests/engine/kernels/kernel_test_util.h"
#include "tests/engine/kernels/random_blocks.h"

namespace reval::kernels {
namespace {

const TensorType kWeightTypes[] = {TensorType::kF32,  TensorType::kF16,  TensorType::kBF16, TensorType::kQ4_0,
                                   TensorType::kQ4_1, TensorType::kQ5_0, TensorType::kQ5_1, TensorType::kQ8_0,
                                   TensorType::kQ4_K, TensorType::kQ5_K, TensorType::kQ6_K};

// Checks traits.vec_dot(w, quantize(x)) == sum(dequantize(w) * dequantize(quantize(x))).
void check_dot_matches_dequantized(const TypeTraits& traits, std::int64_t n, std::uint32_t seed) {
  const std::vector<std::uint8_t> w = test::random_row(traits.type, n, seed);
  const std::vector<float> x = test::random_floats(static_cast<std::size_t>(n), seed + 1);
  const TypeTraits& act = *reference_type_traits(traits.vec_dot_type);
  std::vector<std::uint8_t> xq(static_cast<std::size_t>(act.row_bytes(n)));
  act.quantize_row(x.data(), xq.data(), n);
  std::vector<float> wf(static_cast<std::size_t>(n));
  std::vector<float> xf(static_cast<std::size_t>(n));
  reference_type_traits(traits.type)->dequantize_row(w.data(), wf.data(), n);
  act.dequantize_row(xq.data(), xf.data(), n);
  double want = 0.0;
  double magnitude = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    want += static_cast<double>(wf[i]) * xf[i];
    magnitude += std::fabs(static_cast<double>(wf[i]) * xf[i]);
  }
  const float got = traits.vec_dot(n, w.data(), xq.data());
  INFO(traits.name << " n=" << n << " got " << got << " want " << want);
  CHECK(std::fabs(got - want) <= 1e-5 * magnitude + 1e-6);
}

}  // namespace

TEST_CASE("every reference dot equals the float dot of the dequantized rows", "[engine][kernels]") {
  for (TensorType type : kWeightTypes) {
    const TypeTraits* traits = reference_type_traits(type);
    REQUIRE(traits != nullptr);
    for (std::int64_t n : {256, 1024, 4096}) check_dot_matches_dequantized(*traits, n, 17 + static_cast<std::uint32_t>(n));
  }
}

TEST_CASE("every dispatched dot equals the float dot of the dequantized rows", "[engine][kernels]") {
  INFO("kernels: " << kernel_isa());
  for (TensorType type : kWeightTypes) {
    const TypeTraits* traits = type_traits(type);
    REQUIRE(traits != nullptr);
    for (std::int64_t n : {256, 1536, 8960}) check_dot_matches_dequantized(*traits, n, 5 + static_cast<std::uint32_t>(n));
  }
}

TEST_CASE("float rows whose length is not a multiple of 8 dot correctly", "[engine][kernels]") {
  const std::vector<float> a = test::random_floats(67, 1);
  const std::vector<float> b = test::random_floats(67, 2);
  double want = 0.0;
  for (int i = 0; i < 67; ++i) want += static_cast<double>(a[i]) * b[i];
  CHECK(std::fabs(type_traits(TensorType::kF32)->vec_dot(67, a.data(), b.data()) - want) < 1e-4);
  std::vector<f16_t> h(67);
  for (int i = 0; i < 67; ++i) h[i] = f32_to_fp16(a[i]);
  double want_h = 0.0;
  for (int i = 0; i < 67; ++i) want_h += static_cast<double>(fp16_to_f32(h[i])) * b[i];
  CHECK(std::fabs(type_traits(TensorType::kF16)->vec_dot(67, h.data(), b.data()) - want_h) < 1e-4);
}

TEST_CASE("round-to-nearest quantizers stay within half a step of the input", "[engine][kernels]") {
  const std::int64_t n = 4096;
  const std::vector<float> x = test::random_floats(n, 99);
  struct Case {
    TensorType type;
    float max_err_over_absmax;  // half a quantization step relative to the block's largest |x|
  };
  // Q4_0: step = absmax/8 -> error <= absmax/16 (+ the clamp of the extreme end: up to a full step).
  const Case cases[] = {{TensorType::kQ4_0, 1.0f / 8}, {TensorType::kQ4_1, 1.0f / 15},
                        {TensorType::kQ5_0, 1.0f / 16}, {TensorType::kQ5_1, 1.0f / 31},
                        {TensorType::kQ8_0, 1.0f / 254 + 1e-3f}, {TensorType::kQ8_1, 1.0f / 254 + 1e-3f},
                        {TensorType::kQ8_K, 1.0f / 254 + 1e-3f}, {TensorType::kF16, 1e-3f},
                        {TensorType::kBF16, 8e-3f}};
  for (const Case& c : cases) {
    const TypeTraits& t = *reference_type_traits(c.type);
    std::vector<std::uint8_t> q(static_cast<std::size_t>(t.row_bytes(n)));
    t.quantize_row(x.data(), q.data(), n);
    std::vector<float> back(n);
    t.dequantize_row(q.data(), back.data(), n);
    const int block = std::max(t.block_size, 32);
    for (std::int64_t b = 0; b < n / block; ++b) {
      float absmax = 0.0f;
      for (int j = 0; j < block; ++j) absmax = std::max(absmax, std::fabs(x[b * block + j]));
      for (int j = 0; j < block; ++j) {
        const std::int64_t i = b * block + j;
        INFO(t.name << " index " << i << ": " << x[i] << " -> " << back[i]);
        REQUIRE(std::fabs(back[i] - x[i]) <= c.max_err_over_absmax * absmax * 1.02f + 2e-3f * absmax + 1e-6f);
      }
    }
  }
}

TEST_CASE("q8_K block sums equal the sums of their sixteen quants", "[engine][kernels]") {
  const std::vector<float> x = test::random_floats(512, 3, 10.0f);
  BlockQ8_K b[2];
  type_traits(TensorType::kQ8_K)->quantize_row(x.data(), b, 512);
  for (const BlockQ8_K& block : b) {
    for (int g = 0; g < 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += block.qs[16 * g + l];
      CHECK(block.bsums[g] == sum);
    }
  }
}

TEST_CASE("unsupported weight types are named in the error", "[engine][kernels]") {
  CHECK(check_weight_type(TensorType::kQ4_K, "x").ok());
  const Status st = check_weight_type(TensorType::kIQ2_XS, "blk.0.attn_q.weight");
  CHECK(st.code() == StatusCode::kUnimplemented);
  CHECK(st.message().find("blk.0.attn_q.weight: tensor type iq2_xs is not supported") == 0);
}

}  // namespace reval::kernels
