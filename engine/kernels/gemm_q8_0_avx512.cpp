// AVX-512 VNNI GEMM for Q8_0 weights with Q8_0 activations. vpdpbusd multiplies unsigned by signed
// bytes, so the weights are flipped to unsigned (w + 128, one xor per weight byte per tile) and the
// extra 128 * sum(x) is cancelled by starting each lane's accumulator at -128 * (sum of its four
// activation bytes), precomputed when packing. One zmm holds two blocks: lanes 0-7 the first, 8-15
// the second; lane scales d_w * d_x are applied in float once per block pair.
#include <immintrin.h>

#include <cstring>

#include "engine/kernels/avx512.h"
#include "engine/kernels/blocks.h"
#include "engine/kernels/gemm_tiles.h"

namespace reval::kernels::avx512 {
namespace {

// Packed activations for two Q8_0 blocks.
struct PackedQ8_0Pair {
  std::int8_t q[2 * kQK];
  float d[16];              // lanes 0-7: the first block's scale, 8-15: the second's
  std::int32_t bias[16];    // -128 * (sum of the lane's four quants)
};
static_assert(sizeof(PackedQ8_0Pair) == 192);

std::int64_t n_pairs(std::int64_t cols) { return (cols / kQK + 1) / 2; }

template <int R, int T>
struct Q8_0Tile {
  static void run(const gemm::TileArgs& a) {
    const std::int64_t nb = a.cols / kQK;
    const BlockQ8_0* w[R];
    _Pragma("GCC unroll 8")
    for (int r = 0; r < R; ++r) w[r] = reinterpret_cast<const BlockQ8_0*>(a.w + static_cast<std::size_t>(r) * a.w_stride);
    const PackedQ8_0Pair* x[T];
    _Pragma("GCC unroll 8")
    for (int t = 0; t < T; ++t) {
      x[t] = reinterpret_cast<const PackedQ8_0Pair*>(a.x + static_cast<std::size_t>(t) * a.x_stride);
    }
    __m512 acc[R][T];
    _Pragma("GCC unroll 8")
    for (int r = 0; r < R; ++r) {
      _Pragma("GCC unroll 8")
      for (int t = 0; t < T; ++t) acc[r][t] = _mm512_setzero_ps();
    }
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    const __m512i scale_lanes = _mm512_set_epi32(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
    for (std::int64_t b = 0; b < nb; b += 2) {
      const bool pair = b + 1 < nb;
      __m512i wq[R];
      __m512 ws[R];
      _Pragma("GCC unroll 8")
      for (int r = 0; r < R; ++r) {
        const BlockQ8_0* blk = w[r] + b;
        if constexpr (T <= 2) _mm_prefetch(reinterpret_cast<const char*>(blk + 16), _MM_HINT_T0);
        const __m256i lo = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk[0].qs));
        const __m256i hi = pair ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk[1].qs)) : _mm256_setzero_si256();
        wq[r] = _mm512_xor_si512(_mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1), flip);
        // Both blocks' half-precision scales in one xmm, converted together and spread to their
        // lanes by one permute (cheaper than two scalar conversions and broadcasts).
        __m128i d16 = _mm_cvtsi32_si128(blk[0].d);
        if (pair) d16 = _mm_insert_epi16(d16, blk[1].d, 1);
        ws[r] = _mm512_permutexvar_ps(scale_lanes, _mm512_castps128_ps512(_mm_cvtph_ps(d16)));
      }
      const std::int64_t p = b / 2;
      _Pragma("GCC unroll 8")
      for (int t = 0; t < T; ++t) {
        const __m512i xq = _mm512_loadu_si512(x[t][p].q);
        const __m512 xd = _mm512_loadu_ps(x[t][p].d);
        const __m512i xb = _mm512_loadu_si512(x[t][p].bias);
        _Pragma("GCC unroll 8")
        for (int r = 0; r < R; ++r) {
          const __m512i dot = _mm512_dpbusd_epi32(xb, wq[r], xq);
          acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(ws[r], xd), acc[r][t]);
        }
      }
    }
    _Pragma("GCC unroll 8")
    for (int t = 0; t < T; ++t) {
      _Pragma("GCC unroll 8")
      for (int r = 0; r < R; ++r) a.y[static_cast<std::size_t>(t) * a.y_stride + static_cast<std::size_t>(r)] = _mm512_reduce_add_ps(acc[r][t]);
    }
  }
};

}  // namespace

std::int64_t packed_q8_0_row_bytes(std::int64_t cols) {
  return n_pairs(cols) * static_cast<std::int64_t>(sizeof(PackedQ8_0Pair));
}

void pack_q8_0_row(const void* xq, void* packed, std::int64_t cols) {
  const auto* xb = static_cast<const BlockQ8_0*>(xq);
  auto* out = static_cast<PackedQ8_0Pair*>(packed);
  const std::int64_t nb = cols / kQK;
  for (std::int64_t p = 0; p < n_pairs(cols); ++p) {
    PackedQ8_0Pair& o = out[p];
    for (int h = 0; h < 2; ++h) {
      const std::int64_t b = 2 * p + h;
      if (b >= nb) {
        std::memset(o.q + kQK * h, 0, kQK);
        for (int l = 0; l < 8; ++l) o.d[8 * h + l] = 0.0f;
        for (int l = 0; l < 8; ++l) o.bias[8 * h + l] = 0;
        continue;
      }
      std::memcpy(o.q + kQK * h, xb[b].qs, kQK);
      const float d = fp16_to_f32(xb[b].d);
      for (int l = 0; l < 8; ++l) {
        o.d[8 * h + l] = d;
        int sum = 0;
        for (int k = 0; k < 4; ++k) sum += xb[b].qs[4 * l + k];
        o.bias[8 * h + l] = -128 * sum;
      }
    }
  }
}

void gemm_q8_0(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  gemm::run_shaped_tiles<Q8_0Tile>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
}

}  // namespace reval::kernels::avx512
