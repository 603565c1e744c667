#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "engine/kernels/fp16.h"

namespace reval::kernels {

TEST_CASE("every half value converts to float and back unchanged", "[engine][kernels]") {
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float f = fp16_to_f32(static_cast<f16_t>(h));
    if (std::isnan(f)) {
      CHECK((f32_to_fp16(f) & 0x7c00) == 0x7c00);
      continue;
    }
    INFO("half 0x" << std::hex << h);
    REQUIRE(f32_to_fp16(f) == h);
  }
}

TEST_CASE("half conversion knows its landmarks", "[engine][kernels]") {
  CHECK(fp16_to_f32(0x3c00) == 1.0f);
  CHECK(fp16_to_f32(0xc000) == -2.0f);
  CHECK(fp16_to_f32(0x7bff) == 65504.0f);
  CHECK(fp16_to_f32(0x0001) == 0x1p-24f);
  CHECK(fp16_to_f32(0x0400) == 0x1p-14f);
  CHECK(std::isinf(fp16_to_f32(0x7c00)));
  CHECK(f32_to_fp16(65520.0f) == 0x7c00);  // halfway to 2^16 rounds to even = infinity
  CHECK(f32_to_fp16(65519.0f) == 0x7bff);
  CHECK(f32_to_fp16(1e-10f) == 0x0000);
  CHECK(f32_to_fp16(-0.0f) == 0x8000);
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to the even mantissa (1.0).
  CHECK(f32_to_fp16(1.0f + 0x1p-11f) == 0x3c00);
  // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
  CHECK(f32_to_fp16(1.0f + 3 * 0x1p-11f) == 0x3c02);
  // Subnormal halfway: 1.5 * 2^-24 rounds to 2 * 2^-24.
  CHECK(f32_to_fp16(1.5f * 0x1p-24f) == 0x0002);
  CHECK(f32_to_fp16(0.5f * 0x1p-24f) == 0x0000);
}

TEST_CASE("bfloat16 conversion rounds to nearest even and keeps NaN", "[engine][kernels]") {
  CHECK(bf16_to_f32(0x3f80) == 1.0f);
  CHECK(f32_to_bf16(1.0f) == 0x3f80);
  std::uint32_t bits = 0x3f808000;  // exactly halfway above 1.0: ties to even (1.0)
  float f = 0;
  std::memcpy(&f, &bits, 4);
  CHECK(f32_to_bf16(f) == 0x3f80);
  bits = 0x3f818000;  // halfway between 0x3f81 (odd) and 0x3f82
  std::memcpy(&f, &bits, 4);
  CHECK(f32_to_bf16(f) == 0x3f82);
  CHECK(std::isnan(bf16_to_f32(f32_to_bf16(std::nanf("")))));
}

}  // namespace reval::kernels
