// AVX2 activation quantizers and half conversions. They produce bit-identical output to the
// references in quantize_ref.cpp: the same scale arithmetic and round-to-nearest-even.
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/kernels/avx2.h"
#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels::avx2 {
namespace {

inline __m256 abs_ps(__m256 v) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v); }

inline float hmax_ps(__m256 v) {
  __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  m = _mm_max_ps(m, _mm_movehl_ps(m, m));
  m = _mm_max_ss(m, _mm_movehdup_ps(m));
  return _mm_cvtss_f32(m);
}

// Rounds 32 floats * id to nearest even and stores them as int8; returns their sum.
inline int store_q8_32(const float* x, float id, std::int8_t* out) {
  const __m256 mul = _mm256_set1_ps(id);
  __m256i i[4];
  for (int k = 0; k < 4; ++k) {
    const __m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + 8 * k), mul);
    i[k] = _mm256_cvtps_epi32(_mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
  }
  const __m256i sum32 = _mm256_add_epi32(_mm256_add_epi32(i[0], i[1]), _mm256_add_epi32(i[2], i[3]));
  // packs interleave 128-bit lanes; the permute restores element order.
  const __m256i p16a = _mm256_packs_epi32(i[0], i[1]);
  const __m256i p16b = _mm256_packs_epi32(i[2], i[3]);
  __m256i p8 = _mm256_packs_epi16(p16a, p16b);
  p8 = _mm256_permutevar8x32_epi32(p8, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), p8);
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(sum32), _mm256_extracti128_si256(sum32, 1));
  s = _mm_hadd_epi32(s, s);
  s = _mm_hadd_epi32(s, s);
  return _mm_cvtsi128_si32(s);
}

inline float absmax_32(const float* x) {
  __m256 m = abs_ps(_mm256_loadu_ps(x));
  for (int k = 1; k < 4; ++k) m = _mm256_max_ps(m, abs_ps(_mm256_loadu_ps(x + 8 * k)));
  return hmax_ps(m);
}

}  // namespace

void dequantize_row_f16(const void* src, float* dst, std::int64_t n) {
  const auto* h = static_cast<const f16_t*>(src);
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(h + i))));
  }
  for (; i < n; ++i) dst[i] = fp16_to_f32(h[i]);
}

void quantize_row_f16(const float* src, void* dst, std::int64_t n) {
  auto* h = static_cast<f16_t*>(dst);
  std::int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i v = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(h + i), v);
  }
  for (; i < n; ++i) h[i] = f32_to_fp16(src[i]);
}

void quantize_row_q8_0(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ8_0*>(dst);
  for (std::int64_t b = 0; b < n / kQK; ++b) {
    const float* x = src + b * kQK;
    const float d = absmax_32(x) / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    blocks[b].d = f32_to_fp16(d);
    store_q8_32(x, id, blocks[b].qs);
  }
}

void quantize_row_q8_1(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ8_1*>(dst);
  for (std::int64_t b = 0; b < n / kQK; ++b) {
    const float* x = src + b * kQK;
    const float d = absmax_32(x) / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    const int sum = store_q8_32(x, id, blocks[b].qs);
    blocks[b].d = f32_to_fp16(d);
    blocks[b].s = f32_to_fp16(static_cast<float>(sum) * d);
  }
}

void quantize_row_q8_K(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ8_K*>(dst);
  for (std::int64_t b = 0; b < n / kQK_K; ++b) {
    const float* x = src + b * kQK_K;
    BlockQ8_K& out = blocks[b];
    __m256 m = abs_ps(_mm256_loadu_ps(x));
    for (int k = 1; k < kQK_K / 8; ++k) m = _mm256_max_ps(m, abs_ps(_mm256_loadu_ps(x + 8 * k)));
    const float amax = hmax_ps(m);
    if (amax == 0.0f) {
      std::memset(&out, 0, sizeof out);
      continue;
    }
    // The reference takes the sign of the first element of largest magnitude.
    float max = 0.0f;
    for (int j = 0; j < kQK_K; ++j) {
      if (std::fabs(x[j]) == amax) {
        max = x[j];
        break;
      }
    }
    const float iscale = -127.0f / max;
    // The int16 -> int8 pack saturates at 127, which is the reference's min(127, q).
    for (int k = 0; k < kQK_K / 32; ++k) store_q8_32(x + 32 * k, iscale, out.qs + 32 * k);
    for (int g = 0; g < kQK_K / 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += out.qs[16 * g + l];
      out.bsums[g] = static_cast<std::int16_t>(sum);
    }
    out.d = 1.0f / iscale;
  }
}

}  // namespace reval::kernels::avx2
