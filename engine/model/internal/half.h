// IEEE binary16 <-> binary32 conversion (round to nearest even), portable scalar code for the KV
// cache. F16 tensor kernels live in engine/kernels; this copy keeps the cache free of that dependency.
#pragma once

#include <cstdint>
#include <cstring>

namespace reval::engine::internal {

inline float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1fu;
  std::uint32_t mantissa = h & 0x3ffu;
  std::uint32_t bits = 0;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa != 0) {
    // Subnormal: shift the mantissa up until its leading one is the implicit bit.
    exponent = 113;
    while ((mantissa & 0x400u) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
  } else {
    bits = sign;
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

inline std::uint16_t float_to_half(float f) {
  std::uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  const std::uint32_t abs = bits & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // inf or nan
    return static_cast<std::uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u : 0u));
  }
  if (abs >= 0x477ff000u) return static_cast<std::uint16_t>(sign | 0x7c00u);  // rounds to >= 65520: inf
  if (abs < 0x38800000u) {
    // Result is subnormal (or zero): add the magic 0.5 so the FPU rounds the mantissa for us.
    float magic;
    const std::uint32_t magic_bits = 0x3f000000u;  // 0.5f
    std::memcpy(&magic, &magic_bits, sizeof magic);
    float value;
    std::memcpy(&value, &abs, sizeof value);
    value += magic;
    std::uint32_t out;
    std::memcpy(&out, &value, sizeof out);
    return static_cast<std::uint16_t>(sign | (out - magic_bits));
  }
  const std::uint32_t mantissa_odd = (abs >> 13) & 1u;
  const std::uint32_t rounded = abs + 0xc8000fffu + mantissa_odd;  // rebias exponent, round to even
  return static_cast<std::uint16_t>(sign | (rounded >> 13));
}

inline float round_to_half(float f) { return half_to_float(float_to_half(f)); }

}  // namespace reval::engine::internal
