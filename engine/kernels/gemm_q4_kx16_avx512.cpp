// AVX-512 VNNI GEMM over interleaved Q4_K weights (engine/kernels/interleaved.h) with Q8_K
// activations. A 64-byte line of a super-block holds 4 weights of 16 rows twice over (low and high
// nibbles): one and/shift pair gives two vpdpbusd operands that add to all 16 rows for one broadcast
// activation word each — the weights are already unsigned, no correction needed. Per 32-column
// sub-block the int32 sums are scaled in float by d * scale (the rows' 6-bit scales decoded for all
// 16 rows with a few shifts); the mins term, sum over sub-blocks of min * (sum of the activations),
// is 4 vpdpwssd per super-block on (min, min) x (sum, sum) int16 pairs. Up to 4 tokens per tile
// share each line load and nibble split.
#include <immintrin.h>

#include <array>
#include <cstring>
#include <utility>

#include "engine/kernels/interleaved.h"
#include "engine/kernels/interleaved_tiles.h"

namespace reval::kernels::avx512 {
namespace {

template <int T>
struct Q4_Kx16Tile {
  static void run(std::int64_t cols, const BlockQ4_Kx16* w, const std::uint8_t* x, std::size_t x_stride, float* y,
                  std::size_t y_stride) {
    const std::int64_t nb = cols / kQK_K;
    const std::int8_t* xq[T];
    const float* xd[T];
    const std::int16_t* xsum[T];
    _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
      const std::uint8_t* row = x + static_cast<std::size_t>(t) * x_stride;
      xq[t] = reinterpret_cast<const std::int8_t*>(row);
      xd[t] = packed_q4_Kx16_scales(row, cols);
      xsum[t] = packed_q4_Kx16_sums(row, cols);
    }
    __m512 acc[T];
    _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) acc[t] = _mm512_setzero_ps();
    const __m512i low4 = _mm512_set1_epi8(0x0F);
    for (std::int64_t i = 0; i < nb; ++i) {
      const BlockQ4_Kx16& b = w[i];
      if constexpr (T <= 2) {
        // Decode streams the weights from memory: fetch ahead into L2. Into L1 (T0, two ahead) the
        // stream reached 10 GB/s on one thread; into L2 (3-12 ahead alike) 12% more (paired A/B,
        // 8960x1536 and 1536x8960 streamed from memory).
        prefetch_block_l2(w + i + 6);
      }
      const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.d)));
      const __m512i s0 = _mm512_loadu_si512(b.scales[0]);
      const __m512i s2 = _mm512_loadu_si512(b.scales[2]);
      _Pragma("GCC unroll 8") for (int j = 0; j < kQK_K / 32; ++j) {
        const __m512 dsc = _mm512_mul_ps(d, _mm512_cvtepi32_ps(q4_K_six_bit_field(s0, s2, j, false)));
        __m512i sum[T];
        _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) sum[t] = _mm512_setzero_si512();
        _Pragma("GCC unroll 4") for (int p = 0; p < 4; ++p) {
          const __m512i v = _mm512_loadu_si512(b.qs[j][p]);
          const __m512i lo = _mm512_and_si512(v, low4);
          const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(v, 4), low4);
          _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
            const std::int8_t* xj = xq[t] + i * kQK_K + 32 * j + 4 * p;
            sum[t] = _mm512_dpbusd_epi32(sum[t], lo, broadcast_word(xj));
            sum[t] = _mm512_dpbusd_epi32(sum[t], hi, broadcast_word(xj + 16));
          }
        }
        _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
          acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[t]), _mm512_mul_ps(dsc, _mm512_set1_ps(xd[t][i])), acc[t]);
        }
      }
      // Mins: pair i4 of int16 lanes = (min 2*i4, min 2*i4 + 1) of each row.
      const __m512i s1 = _mm512_loadu_si512(b.scales[1]);
      __m512i min_pairs[4];
      _Pragma("GCC unroll 4") for (int i4 = 0; i4 < 4; ++i4) {
        min_pairs[i4] = _mm512_or_si512(q4_K_six_bit_field(s1, s2, 2 * i4, true),
                                        _mm512_slli_epi32(q4_K_six_bit_field(s1, s2, 2 * i4 + 1, true), 16));
      }
      const __m512 dmin = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.dmin)));
      _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
        __m512i mins = _mm512_setzero_si512();
        _Pragma("GCC unroll 4") for (int i4 = 0; i4 < 4; ++i4) mins =
            _mm512_dpwssd_epi32(mins, min_pairs[i4], broadcast_word(xsum[t] + i * 8 + 2 * i4));
        acc[t] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(mins), _mm512_mul_ps(dmin, _mm512_set1_ps(xd[t][i])), acc[t]);
      }
    }
    _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(y + static_cast<std::size_t>(t) * y_stride, acc[t]);
  }
};

}  // namespace

void gemm_q4_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  run_group_tiles<BlockQ4_Kx16, 4, Q4_Kx16Tile>(cols, kQK_K, w, n_groups, x, x_stride, n_tokens, y, y_stride);
}

}  // namespace reval::kernels::avx512
