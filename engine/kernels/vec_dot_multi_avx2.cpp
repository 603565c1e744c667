// AVX2 dot products of one weight row with several activation rows at once (batched decode and
// prompt processing): each weight block is loaded and unpacked once and used for every row. Per
// activation row the arithmetic is exactly that of the single-row kernel in vec_dot_avx2.cpp (same
// operations in the same order), so results are bit-identical to it — tested in avx2_test.cpp.
#include <immintrin.h>

#include "engine/kernels/avx2.h"
#include "engine/kernels/blocks.h"

namespace reval::kernels::avx2 {
namespace {

inline float hsum_ps(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }

template <typename Block>
inline const Block* row(const void* x, std::size_t stride, int i) {
  return reinterpret_cast<const Block*>(static_cast<const std::uint8_t*>(x) + static_cast<std::size_t>(i) * stride);
}

template <int N>
void q8_0_multi(std::int64_t n, const void* w, const void* x, std::size_t x_stride, float* out, std::size_t out_stride) {
  const auto* wb = static_cast<const BlockQ8_0*>(w);
  const BlockQ8_0* xb[N];
  for (int t = 0; t < N; ++t) xb[t] = row<BlockQ8_0>(x, x_stride, t);
  __m256 acc[N];
  for (int t = 0; t < N; ++t) acc[t] = _mm256_setzero_ps();
  const __m256i ones = _mm256_set1_epi16(1);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const __m256i q = load256(wb[i].qs);
    const __m256i aw = _mm256_sign_epi8(q, q);
    const float dw = _cvtsh_ss(wb[i].d);
    for (int t = 0; t < N; ++t) {
      const __m256i sx = _mm256_sign_epi8(load256(xb[t][i].qs), q);
      const __m256i dot = _mm256_madd_epi16(_mm256_maddubs_epi16(aw, sx), ones);
      acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(dw * _cvtsh_ss(xb[t][i].d)), _mm256_cvtepi32_ps(dot), acc[t]);
    }
  }
  for (int t = 0; t < N; ++t) out[static_cast<std::size_t>(t) * out_stride] = hsum_ps(acc[t]);
}

template <int N>
void q4_K_multi(std::int64_t n, const void* w, const void* x, std::size_t x_stride, float* out, std::size_t out_stride) {
  const auto* wb = static_cast<const BlockQ4_K*>(w);
  const BlockQ8_K* xb[N];
  for (int t = 0; t < N; ++t) xb[t] = row<BlockQ8_K>(x, x_stride, t);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  __m256 acc[N];
  float sum_min[N];
  for (int t = 0; t < N; ++t) {
    acc[t] = _mm256_setzero_ps();
    sum_min[t] = 0.0f;
  }
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    std::uint8_t sc[8];
    std::uint8_t mn[8];
    for (int j = 0; j < 8; ++j) get_scale_min_k4(j, wb[i].scales, &sc[j], &mn[j]);
    __m256i sumi[N];
    for (int t = 0; t < N; ++t) sumi[t] = _mm256_setzero_si256();
    for (int chunk = 0; chunk < 4; ++chunk) {
      const __m256i bytes = load256(wb[i].qs + 32 * chunk);
      const __m256i lo = _mm256_and_si256(bytes, low4);
      const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4);
      const __m256i sc_lo = _mm256_set1_epi16(sc[2 * chunk]);
      const __m256i sc_hi = _mm256_set1_epi16(sc[2 * chunk + 1]);
      for (int t = 0; t < N; ++t) {
        const __m256i p_lo = _mm256_maddubs_epi16(lo, load256(xb[t][i].qs + 64 * chunk));
        const __m256i p_hi = _mm256_maddubs_epi16(hi, load256(xb[t][i].qs + 64 * chunk + 32));
        sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(p_lo, sc_lo));
        sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(p_hi, sc_hi));
      }
    }
    const float dw = _cvtsh_ss(wb[i].d);
    const float dmin = _cvtsh_ss(wb[i].dmin);
    for (int t = 0; t < N; ++t) {
      const float d = dw * xb[t][i].d;
      acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi[t]), acc[t]);
      int min_term = 0;
      for (int j = 0; j < 8; ++j) min_term += mn[j] * (xb[t][i].bsums[2 * j] + xb[t][i].bsums[2 * j + 1]);
      sum_min[t] += dmin * xb[t][i].d * static_cast<float>(min_term);
    }
  }
  for (int t = 0; t < N; ++t) out[static_cast<std::size_t>(t) * out_stride] = hsum_ps(acc[t]) - sum_min[t];
}

template <int N>
void q6_K_multi(std::int64_t n, const void* w, const void* x, std::size_t x_stride, float* out, std::size_t out_stride) {
  const auto* wb = static_cast<const BlockQ6_K*>(w);
  const BlockQ8_K* xb[N];
  for (int t = 0; t < N; ++t) xb[t] = row<BlockQ8_K>(x, x_stride, t);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  const __m256i three = _mm256_set1_epi8(3);
  __m256 acc[N];
  for (int t = 0; t < N; ++t) acc[t] = _mm256_setzero_ps();
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    __m256i sumi[N];
    for (int t = 0; t < N; ++t) sumi[t] = _mm256_setzero_si256();
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
        const std::int8_t* scales = wb[i].scales + 8 * half + 2 * g;
        const __m256i sc = _mm256_set_m128i(_mm_set1_epi16(scales[1]), _mm_set1_epi16(scales[0]));
        for (int t = 0; t < N; ++t) {
          const __m256i p = _mm256_maddubs_epi16(q[g], load256(xb[t][i].qs + 128 * half + 32 * g));
          sumi[t] = _mm256_add_epi32(sumi[t], _mm256_madd_epi16(p, sc));
        }
      }
    }
    const float dw = _cvtsh_ss(wb[i].d);
    for (int t = 0; t < N; ++t) {
      int offset = 0;
      for (int g = 0; g < kQK_K / 16; ++g) offset += wb[i].scales[g] * xb[t][i].bsums[g];
      sumi[t] = _mm256_sub_epi32(sumi[t], _mm256_setr_epi32(32 * offset, 0, 0, 0, 0, 0, 0, 0));
      const float d = dw * xb[t][i].d;
      acc[t] = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi[t]), acc[t]);
    }
  }
  for (int t = 0; t < N; ++t) out[static_cast<std::size_t>(t) * out_stride] = hsum_ps(acc[t]);
}

}  // namespace

// Entry points: n_x (1..kMaxMultiRows) activation rows; larger n_x is the caller's bug.
#define REVAL_MULTI_DISPATCH(fn, kernel)                                                                       \
  void fn(std::int64_t n, const void* w, const void* x, std::size_t x_stride, int n_x, float* out,            \
          std::size_t out_stride) {                                                                          \
    switch (n_x) {                                                                                           \
      case 1: kernel<1>(n, w, x, x_stride, out, out_stride); return;                                         \
      case 2: kernel<2>(n, w, x, x_stride, out, out_stride); return;                                         \
      case 3: kernel<3>(n, w, x, x_stride, out, out_stride); return;                                         \
      default: kernel<4>(n, w, x, x_stride, out, out_stride); return;                                        \
    }                                                                                                        \
  }

REVAL_MULTI_DISPATCH(vec_dot_multi_q8_0_q8_0, q8_0_multi)
REVAL_MULTI_DISPATCH(vec_dot_multi_q4_K_q8_K, q4_K_multi)
REVAL_MULTI_DISPATCH(vec_dot_multi_q6_K_q8_K, q6_K_multi)

#undef REVAL_MULTI_DISPATCH

}  // namespace reval::kernels::avx2
