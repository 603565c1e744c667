// AVX2 dot products. Integer kernels multiply unsigned weight quants by signed int8 activations
// with maddubs (u8 x s8 -> s16 pairs; no saturation for the ranges here: at most 2*63*127), widen
// with madd, and apply the float scales once per block with FMA. Each is tested against its
// scalar reference in tests/engine/kernels/avx2_test.cpp.
#include <immintrin.h>

#include <cstring>

#include "engine/kernels/avx2.h"
#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels::avx2 {
namespace {

inline float hsum_ps(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

// Sum of products of 32 signed int8 pairs, as 8 int32 lanes: |w| * sign(x, w) keeps maddubs' first
// operand unsigned.
inline __m256i dot_s8_s8(__m256i w, __m256i x) {
  const __m256i aw = _mm256_sign_epi8(w, w);
  const __m256i sx = _mm256_sign_epi8(x, w);
  return _mm256_madd_epi16(_mm256_maddubs_epi16(aw, sx), _mm256_set1_epi16(1));
}

// Sum of products of 32 unsigned (< 128) weights with signed int8 activations, as 8 int32 lanes.
inline __m256i dot_u8_s8(__m256i w, __m256i x) {
  return _mm256_madd_epi16(_mm256_maddubs_epi16(w, x), _mm256_set1_epi16(1));
}

// 16 packed bytes of nibbles -> 32 bytes: low nibbles in bytes 0-15, high nibbles in 16-31.
inline __m256i unpack_nibbles_16(const std::uint8_t* qs) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(qs));
  const __m128i lo = _mm_and_si128(bytes, _mm_set1_epi8(0x0F));
  const __m128i hi = _mm_and_si128(_mm_srli_epi16(bytes, 4), _mm_set1_epi8(0x0F));
  return _mm256_set_m128i(hi, lo);
}

// 32 bits -> 32 bytes: byte j is 0x10 when bit j of the word is set, else 0 (the Q5 fifth bit).
inline __m256i fifth_bits(const std::uint8_t* qh) {
  std::uint32_t word = 0;
  std::memcpy(&word, qh, 4);
  // Byte j takes byte j/8 of the word, then tests its own bit (j % 8).
  const __m256i spread = _mm256_shuffle_epi8(
      _mm256_set1_epi32(static_cast<int>(word)),
      _mm256_setr_epi64x(0x0000000000000000, 0x0101010101010101, 0x0202020202020202, 0x0303030303030303));
  const __m256i bit = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ull));
  const __m256i set = _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit);
  return _mm256_and_si256(set, _mm256_set1_epi8(0x10));
}

inline float f16(f16_t h) { return _cvtsh_ss(h); }

}  // namespace

float vec_dot_f32_f32(std::int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const float*>(w);
  const auto* b = static_cast<const float*>(x);
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  std::int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
  }
  float sum = hsum_ps(_mm256_add_ps(acc0, acc1));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

float vec_dot_f16_f32(std::int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const f16_t*>(w);
  const auto* b = static_cast<const float*>(x);
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  std::int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256 w0 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    const __m256 w1 = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i + 8)));
    acc0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(b + i + 8), acc1);
  }
  float sum = hsum_ps(_mm256_add_ps(acc0, acc1));
  for (; i < n; ++i) sum += fp16_to_f32(a[i]) * b[i];
  return sum;
}

float vec_dot_bf16_f32(std::int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const bf16_t*>(w);
  const auto* b = static_cast<const float*>(x);
  __m256 acc = _mm256_setzero_ps();
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a + i)));
    acc = _mm256_fmadd_ps(_mm256_castsi256_ps(_mm256_slli_epi32(wide, 16)), _mm256_loadu_ps(b + i), acc);
  }
  float sum = hsum_ps(acc);
  for (; i < n; ++i) sum += bf16_to_f32(a[i]) * b[i];
  return sum;
}

float vec_dot_q8_0_q8_0(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ8_0*>(w);
  const auto* xb = static_cast<const BlockQ8_0*>(x);
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const __m256i dot = dot_s8_s8(load256(wb[i].qs), load256(xb[i].qs));
    const __m256 d = _mm256_set1_ps(f16(wb[i].d) * f16(xb[i].d));
    acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot), acc);
  }
  return hsum_ps(acc);
}

float vec_dot_q4_0_q8_0(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ4_0*>(w);
  const auto* xb = static_cast<const BlockQ8_0*>(x);
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const __m256i q = _mm256_sub_epi8(unpack_nibbles_16(wb[i].qs), _mm256_set1_epi8(8));
    const __m256i dot = dot_s8_s8(q, load256(xb[i].qs));
    const __m256 d = _mm256_set1_ps(f16(wb[i].d) * f16(xb[i].d));
    acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot), acc);
  }
  return hsum_ps(acc);
}

float vec_dot_q4_1_q8_1(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ4_1*>(w);
  const auto* xb = static_cast<const BlockQ8_1*>(x);
  __m256 acc = _mm256_setzero_ps();
  float sum_min = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const __m256i dot = dot_u8_s8(unpack_nibbles_16(wb[i].qs), load256(xb[i].qs));
    const __m256 d = _mm256_set1_ps(f16(wb[i].d) * f16(xb[i].d));
    acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot), acc);
    sum_min += f16(wb[i].m) * f16(xb[i].s);
  }
  return hsum_ps(acc) + sum_min;
}

float vec_dot_q5_0_q8_0(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ5_0*>(w);
  const auto* xb = static_cast<const BlockQ8_0*>(x);
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const __m256i q5 = _mm256_or_si256(unpack_nibbles_16(wb[i].qs), fifth_bits(wb[i].qh));
    const __m256i dot = dot_s8_s8(_mm256_sub_epi8(q5, _mm256_set1_epi8(16)), load256(xb[i].qs));
    const __m256 d = _mm256_set1_ps(f16(wb[i].d) * f16(xb[i].d));
    acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot), acc);
  }
  return hsum_ps(acc);
}

float vec_dot_q5_1_q8_1(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ5_1*>(w);
  const auto* xb = static_cast<const BlockQ8_1*>(x);
  __m256 acc = _mm256_setzero_ps();
  float sum_min = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const __m256i q5 = _mm256_or_si256(unpack_nibbles_16(wb[i].qs), fifth_bits(wb[i].qh));
    const __m256i dot = dot_u8_s8(q5, load256(xb[i].qs));
    const __m256 d = _mm256_set1_ps(f16(wb[i].d) * f16(xb[i].d));
    acc = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(dot), acc);
    sum_min += f16(wb[i].m) * f16(xb[i].s);
  }
  return hsum_ps(acc) + sum_min;
}

namespace {

// The 8 six-bit scales and mins of a Q4_K/Q5_K block.
inline void k4_scales_mins(const std::uint8_t* packed, std::uint8_t* sc, std::uint8_t* mn) {
  for (int j = 0; j < 8; ++j) get_scale_min_k4(j, packed, &sc[j], &mn[j]);
}

inline int k4_min_term(const std::uint8_t* mn, const BlockQ8_K& xb) {
  int sum = 0;
  for (int j = 0; j < 8; ++j) sum += mn[j] * (xb.bsums[2 * j] + xb.bsums[2 * j + 1]);
  return sum;
}

}  // namespace

float vec_dot_q4_K_q8_K(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ4_K*>(w);
  const auto* xb = static_cast<const BlockQ8_K*>(x);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  __m256 acc = _mm256_setzero_ps();
  float sum_min = 0.0f;
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    std::uint8_t sc[8];
    std::uint8_t mn[8];
    k4_scales_mins(wb[i].scales, sc, mn);
    __m256i sumi = _mm256_setzero_si256();
    for (int chunk = 0; chunk < 4; ++chunk) {
      const __m256i bytes = load256(wb[i].qs + 32 * chunk);
      const __m256i lo = _mm256_and_si256(bytes, low4);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4);
      const __m256i p_lo = _mm256_maddubs_epi16(lo, load256(xb[i].qs + 64 * chunk));
      const __m256i p_hi = _mm256_maddubs_epi16(hi, load256(xb[i].qs + 64 * chunk + 32));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p_lo, _mm256_set1_epi16(sc[2 * chunk])));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p_hi, _mm256_set1_epi16(sc[2 * chunk + 1])));
    }
    const float d = f16(wb[i].d) * xb[i].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
    sum_min += f16(wb[i].dmin) * xb[i].d * static_cast<float>(k4_min_term(mn, xb[i]));
  }
  return hsum_ps(acc) - sum_min;
}

float vec_dot_q5_K_q8_K(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ5_K*>(w);
  const auto* xb = static_cast<const BlockQ8_K*>(x);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i one = _mm256_set1_epi8(1);
  __m256 acc = _mm256_setzero_ps();
  float sum_min = 0.0f;
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    std::uint8_t sc[8];
    std::uint8_t mn[8];
    k4_scales_mins(wb[i].scales, sc, mn);
    const __m256i qh = load256(wb[i].qh);
    __m256i sumi = _mm256_setzero_si256();
    for (int chunk = 0; chunk < 4; ++chunk) {
      const __m256i bytes = load256(wb[i].qs + 32 * chunk);
      // Bit 2*chunk of qh[l] is the fifth bit of the low sub-block, bit 2*chunk+1 of the high one;
      // 16-bit shifts are safe because each byte is masked to its own bit 0 before moving it to bit 4.
      const __m256i h_lo = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * chunk), one), 4);
      const __m256i h_hi = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * chunk + 1), one), 4);
      const __m256i lo = _mm256_or_si256(_mm256_and_si256(bytes, low4), h_lo);
      const __m256i hi = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4), h_hi);
      const __m256i p_lo = _mm256_maddubs_epi16(lo, load256(xb[i].qs + 64 * chunk));
      const __m256i p_hi = _mm256_maddubs_epi16(hi, load256(xb[i].qs + 64 * chunk + 32));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p_lo, _mm256_set1_epi16(sc[2 * chunk])));
      sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p_hi, _mm256_set1_epi16(sc[2 * chunk + 1])));
    }
    const float d = f16(wb[i].d) * xb[i].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
    sum_min += f16(wb[i].dmin) * xb[i].d * static_cast<float>(k4_min_term(mn, xb[i]));
  }
  return hsum_ps(acc) - sum_min;
}

float vec_dot_q6_K_q8_K(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ6_K*>(w);
  const auto* xb = static_cast<const BlockQ8_K*>(x);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i three = _mm256_set1_epi8(3);
  __m256 acc = _mm256_setzero_ps();
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    __m256i sumi = _mm256_setzero_si256();
    for (int half = 0; half < 2; ++half) {
      const std::uint8_t* ql = wb[i].ql + 64 * half;
      const __m256i ql0 = load256(ql);
      const __m256i ql1 = load256(ql + 32);
      const __m256i qh = load256(wb[i].qh + 32 * half);
      __m256i q[4];
      q[0] = _mm256_and_si256(ql0, low4);
      q[1] = _mm256_and_si256(ql1, low4);
      q[2] = _mm256_and_si256(_mm256_srli_epi16(ql0, 4), low4);
      q[3] = _mm256_and_si256(_mm256_srli_epi16(ql1, 4), low4);
      for (int g = 0; g < 4; ++g) {
        const __m256i high = _mm256_and_si256(_mm256_srli_epi16(qh, 2 * g), three);
        q[g] = _mm256_or_si256(q[g], _mm256_slli_epi16(high, 4));
        // Weights 32g..32g+31 of this half use scales 2g (first 16) and 2g+1 (last 16).
        const std::int8_t* scales = wb[i].scales + 8 * half + 2 * g;
        const __m256i sc = _mm256_set_m128i(_mm_set1_epi16(scales[1]), _mm_set1_epi16(scales[0]));
        const __m256i p = _mm256_maddubs_epi16(q[g], load256(xb[i].qs + 128 * half + 32 * g));
        sumi = _mm256_add_epi32(sumi, _mm256_madd_epi16(p, sc));
      }
    }
    // The stored quants are q + 32: subtract 32 * sum(scale * sum(x)) using the Q8_K group sums.
    int offset = 0;
    for (int g = 0; g < kQK_K / 16; ++g) offset += wb[i].scales[g] * xb[i].bsums[g];
    sumi = _mm256_sub_epi32(sumi, _mm256_setr_epi32(32 * offset, 0, 0, 0, 0, 0, 0, 0));
    const float d = f16(wb[i].d) * xb[i].d;
    acc = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi), acc);
  }
  return hsum_ps(acc);
}

}  // namespace reval::kernels::avx2
