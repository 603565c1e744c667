// Random but valid rows of any tensor type: random quant bits with sane half-float scales, so
// kernels see every bit pattern without NaN or infinite scales.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "engine/kernels/blocks.h"
#include "engine/kernels/type_traits.h"

namespace reval::kernels::test {

inline std::vector<std::uint8_t> random_row(TensorType type, std::int64_t n, std::uint32_t seed) {
  const TypeTraits& t = *reference_type_traits(type);
  std::vector<std::uint8_t> row(static_cast<std::size_t>(t.row_bytes(n)));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::normal_distribution<float> value(0.0f, 1.0f);
  std::uniform_real_distribution<float> scale(0.001f, 0.05f);
  auto put_half = [&](std::size_t at, float v) {
    const f16_t h = f32_to_fp16(v);
    std::memcpy(row.data() + at, &h, 2);
  };
  if (type == TensorType::kF32) {
    for (std::int64_t i = 0; i < n; ++i) {
      const float v = value(rng);
      std::memcpy(row.data() + 4 * i, &v, 4);
    }
    return row;
  }
  if (type == TensorType::kF16 || type == TensorType::kBF16) {
    for (std::int64_t i = 0; i < n; ++i) {
      const std::uint16_t h = type == TensorType::kF16 ? f32_to_fp16(value(rng)) : f32_to_bf16(value(rng));
      std::memcpy(row.data() + 2 * i, &h, 2);
    }
    return row;
  }
  for (std::uint8_t& b : row) b = static_cast<std::uint8_t>(byte(rng));
  for (std::int64_t blk = 0; blk < n / t.block_size; ++blk) {
    const std::size_t at = static_cast<std::size_t>(blk * t.block_bytes);
    switch (type) {
      case TensorType::kQ4_1:
      case TensorType::kQ5_1:
      case TensorType::kQ4_K:
      case TensorType::kQ5_K:
        put_half(at, scale(rng));
        put_half(at + 2, scale(rng) * 4);
        break;
      case TensorType::kQ6_K: put_half(at + offsetof(BlockQ6_K, d), scale(rng)); break;
      default: put_half(at, (byte(rng) % 2 ? 1.0f : -1.0f) * scale(rng)); break;
    }
  }
  return row;
}

}  // namespace reval::kernels::test
