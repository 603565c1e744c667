// Quantized block layouts exactly as GGUF stores them (ggml's block_* structs), one struct per
// type with a static_assert on its size. Every block covers kQK (32) or kQK_K (256) weights; within a
// block, "d" is the scale (and "m"/"dmin" the offset) as IEEE half floats unless noted.
#pragma once

#include <cstdint>

#include "engine/kernels/fp16.h"

namespace reval::kernels {

inline constexpr int kQK = 32;     // weights per block of the 0/1 types
inline constexpr int kQK_K = 256;  // weights per super-block of the K types
inline constexpr int kKScaleBytes = 12;

// Q4_0: x[j] = (q[j] - 8) * d. qs[j] holds weight j in its low nibble and weight j + 16 in its high one.
struct BlockQ4_0 {
  f16_t d;
  std::uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_0) == 18);

// Q4_1: x[j] = q[j] * d + m; nibbles as in Q4_0.
struct BlockQ4_1 {
  f16_t d;
  f16_t m;
  std::uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ4_1) == 20);

// Q5_0: x[j] = (q[j] - 16) * d, q 5 bits: low 4 in qs (as Q4_0), bit 4 of weight j is bit j of qh
// (read as a little-endian u32).
struct BlockQ5_0 {
  f16_t d;
  std::uint8_t qh[4];
  std::uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_0) == 22);

// Q5_1: x[j] = q[j] * d + m; bits as in Q5_0.
struct BlockQ5_1 {
  f16_t d;
  f16_t m;
  std::uint8_t qh[4];
  std::uint8_t qs[kQK / 2];
};
static_assert(sizeof(BlockQ5_1) == 24);

// Q8_0: x[j] = qs[j] * d.
struct BlockQ8_0 {
  f16_t d;
  std::int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_0) == 34);

// Q8_1: x[j] = qs[j] * d, with s = d * sum(qs) precomputed (activation side of Q4_1/Q5_1 dots).
struct BlockQ8_1 {
  f16_t d;
  f16_t s;
  std::int8_t qs[kQK];
};
static_assert(sizeof(BlockQ8_1) == 36);

// Q4_K: 8 sub-blocks of 32 weights; sub-block i has a 6-bit scale sc[i] and 6-bit min mn[i] packed in
// `scales` (see get_scale_min_k4): x = d * sc[i] * q - dmin * mn[i], q 4 bits. qs is 4 chunks of 32
// bytes; chunk c holds sub-block 2c in its low nibbles and sub-block 2c + 1 in its high nibbles.
struct BlockQ4_K {
  f16_t d;
  f16_t dmin;
  std::uint8_t scales[kKScaleBytes];
  std::uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockQ4_K) == 144);

// Q5_K: Q4_K plus a fifth bit per weight: bit 4 of weight l of sub-block i is bit i of qh[l].
struct BlockQ5_K {
  f16_t d;
  f16_t dmin;
  std::uint8_t scales[kKScaleBytes];
  std::uint8_t qh[kQK_K / 8];
  std::uint8_t qs[kQK_K / 2];
};
static_assert(sizeof(BlockQ5_K) == 176);

// Q6_K: 16 sub-blocks of 16 weights, x = d * scales[i] * (q - 32), q 6 bits: low 4 bits in ql, high 2
// in qh. Per half (128 weights, 64 ql bytes, 32 qh bytes), for l in 0..31:
//   w[l]      = ql[l] & 15      | (qh[l] >> 0 & 3) << 4
//   w[l + 32] = ql[l + 32] & 15 | (qh[l] >> 2 & 3) << 4
//   w[l + 64] = ql[l] >> 4      | (qh[l] >> 4 & 3) << 4
//   w[l + 96] = ql[l + 32] >> 4 | (qh[l] >> 6 & 3) << 4
struct BlockQ6_K {
  std::uint8_t ql[kQK_K / 2];
  std::uint8_t qh[kQK_K / 4];
  std::int8_t scales[kQK_K / 16];
  f16_t d;
};
static_assert(sizeof(BlockQ6_K) == 210);

// Q8_K: activation side of K-quant dots. d is a float; bsums[i] = sum of qs[16i .. 16i + 15].
struct BlockQ8_K {
  float d;
  std::int8_t qs[kQK_K];
  std::int16_t bsums[kQK_K / 16];
};
static_assert(sizeof(BlockQ8_K) == 292);

// Unpacks the 6-bit scale and min of sub-block j (0..7) of a Q4_K/Q5_K block: scales 0-3 and mins
// 0-3 are the low 6 bits of bytes 0-3 and 4-7; scales/mins 4-7 take their low 4 bits from bytes 8-11
// and their top 2 bits from the spare top bits of bytes 0-3 / 4-7.
static inline void get_scale_min_k4(int j, const std::uint8_t* q, std::uint8_t* scale, std::uint8_t* min) {
  if (j < 4) {
    *scale = q[j] & 63;
    *min = q[j + 4] & 63;
  } else {
    *scale = static_cast<std::uint8_t>((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4));
    *min = static_cast<std::uint8_t>((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
  }
}

}  // namespace reval::kernels
