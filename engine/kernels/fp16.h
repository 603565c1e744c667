// Half-precision conversions: IEEE binary16 (GGUF F16) and bfloat16 (GGUF BF16), both stored as
// uint16_t. Float-to-half rounds to nearest even, like the hardware (F16C) and ggml's converters.
// Helpers here and in blocks.h are `static inline`: the AVX2 files include them too, and internal
// linkage keeps an AVX2-compiled copy from being picked by the linker for the scalar path.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace reval::kernels {

using f16_t = std::uint16_t;
using bf16_t = std::uint16_t;

static inline float fp16_to_f32(f16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exponent = (h >> 10) & 0x1fu;
  const std::uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0) {
    // Zero or subnormal: mantissa * 2^-24.
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -magnitude : magnitude;
  }
  if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

static inline f16_t f32_to_fp16(float f) {
  std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const std::uint32_t sign = (x >> 16) & 0x8000u;
  std::uint32_t ax = x & 0x7fffffffu;
  if (ax >= 0x7f800000u) return static_cast<f16_t>(sign | 0x7c00u | (ax > 0x7f800000u ? 0x200u : 0u));
  // 65520 (= 0x477ff000) is halfway between the largest half 65504 and 2^16: it and above round to inf.
  if (ax >= 0x477ff000u) return static_cast<f16_t>(sign | 0x7c00u);
  if (ax < 0x38800000u) {
    // Below 2^-14: a subnormal half (units of 2^-24), rounded to nearest even by nearbyint.
    const auto units = static_cast<std::uint32_t>(std::nearbyint(std::bit_cast<float>(ax) * 0x1p24f));
    return static_cast<f16_t>(sign | units);
  }
  ax += 0xfffu + ((ax >> 13) & 1u);  // round to nearest, ties to even
  return static_cast<f16_t>(sign | ((ax - (112u << 23)) >> 13));
}

static inline float bf16_to_f32(bf16_t h) { return std::bit_cast<float>(static_cast<std::uint32_t>(h) << 16); }

static inline bf16_t f32_to_bf16(float f) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<bf16_t>((x >> 16) | 0x40u);  // quiet NaN
  return static_cast<bf16_t>((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
}

}  // namespace reval::kernels
