// AVX-512 VNNI GEMM over interleaved Q6_K weights (engine/kernels/interleaved.h) with Q8_K
// activations. Each 64-byte nibble line gives two vpdpbusd operands for 16 rows (low and high
// nibbles) once the matching 2-bit tops are shifted in from the shared high-bits line; the stored
// quants are q + 32 (unsigned), so each 16-column sub-block's sum starts at the token's
// -32 * sum(x). Sub-block sums are scaled by d * scale (the rows' int8 scales, one vpmovsxbd) and
// accumulated in float. Up to 4 tokens per tile share each line load and unpacking; from 8 tokens a
// group is unpacked to bytes once and up to 8 tokens per tile share each line.
#include <immintrin.h>

#include <array>
#include <cstring>
#include <utility>
#include <vector>

#include "engine/kernels/interleaved.h"
#include "engine/kernels/interleaved_tiles.h"

namespace reval::kernels::avx512 {
namespace {

template <int T>
struct Q6_Kx16Tile {
  static void run(std::int64_t cols, const BlockQ6_Kx16* w, const std::uint8_t* x, std::size_t x_stride, float* y,
                  std::size_t y_stride) {
    const std::int64_t nb = cols / kQK_K;
    const std::int8_t* xq[T];
    const float* xd[T];
    const std::int32_t* xbias[T];
    _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
      const std::uint8_t* row = x + static_cast<std::size_t>(t) * x_stride;
      xq[t] = reinterpret_cast<const std::int8_t*>(row);
      xd[t] = packed_q6_Kx16_scales(row, cols);
      xbias[t] = packed_q6_Kx16_bias(row, cols);
    }
    __m512 acc[T];
    _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) acc[t] = _mm512_setzero_ps();
    const __m512i low4 = _mm512_set1_epi8(0x0F);
    const __m512i top2 = _mm512_set1_epi8(0x30);
    for (std::int64_t i = 0; i < nb; ++i) {
      const BlockQ6_Kx16& b = w[i];
      if constexpr (T <= 2) {
        // Decode streams the weights from memory: fetch four super-blocks ahead into L2 (10-15%
        // faster than two ahead into L1, paired A/B on 8960x1536 streamed from memory).
        prefetch_block_l2(w + i + 4);
      }
      const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.d)));
      _Pragma("GCC unroll 8") for (int j = 0; j < kQK_K / 32; ++j) {
        // Sub-blocks 2j (columns 32j..32j+15: low nibbles) and 2j + 1 (high nibbles).
        __m512i sum_lo[T];
        __m512i sum_hi[T];
        _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
          sum_lo[t] = _mm512_set1_epi32(xbias[t][i * 16 + 2 * j]);
          sum_hi[t] = _mm512_set1_epi32(xbias[t][i * 16 + 2 * j + 1]);
        }
        _Pragma("GCC unroll 2") for (int h = 0; h < 2; ++h) {
          const __m512i tops = _mm512_loadu_si512(b.qh[j][h]);
          _Pragma("GCC unroll 2") for (int pp = 0; pp < 2; ++pp) {
            const int p = 2 * h + pp;
            const __m512i v = _mm512_loadu_si512(b.ql[j][p]);
            // Bits 0-1 (low nibble's top) and 2-3 (high nibble's) of this line's pair in each byte;
            // 16-bit shifts spill across bytes only into bits that the masks drop.
            const __m512i t = pp == 0 ? tops : _mm512_srli_epi16(tops, 4);
            const __m512i lo =
                _mm512_or_si512(_mm512_and_si512(v, low4), _mm512_and_si512(_mm512_slli_epi16(t, 4), top2));
            const __m512i hi = _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(v, 4), low4),
                                               _mm512_and_si512(_mm512_slli_epi16(t, 2), top2));
            _Pragma("GCC unroll 4") for (int tk = 0; tk < T; ++tk) {
              const std::int8_t* xj = xq[tk] + i * kQK_K + 32 * j + 4 * p;
              sum_lo[tk] = _mm512_dpbusd_epi32(sum_lo[tk], lo, broadcast_word(xj));
              sum_hi[tk] = _mm512_dpbusd_epi32(sum_hi[tk], hi, broadcast_word(xj + 16));
            }
          }
        }
        const __m512 dsc_lo = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(
                                                   reinterpret_cast<const __m128i*>(b.scales[2 * j])))));
        const __m512 dsc_hi = _mm512_mul_ps(d, _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(
                                                   reinterpret_cast<const __m128i*>(b.scales[2 * j + 1])))));
        _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t) {
          const __m512 dx = _mm512_set1_ps(xd[t][i]);
          acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum_lo[t]), _mm512_mul_ps(dsc_lo, dx), acc[t]);
          acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum_hi[t]), _mm512_mul_ps(dsc_hi, dx), acc[t]);
        }
      }
    }
    _Pragma("GCC unroll 4") for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(y + static_cast<std::size_t>(t) * y_stride, acc[t]);
  }
};

// Many tokens: a group's quants are unpacked once into bytes (16 sub-blocks x 4 lines of 64 bytes per
// super-block) with d * scale per sub-block as 16 floats, then every tile of up to 8 tokens runs
// plain vpdpbusd over them, so the unpacking no longer costs per token tile.
struct UnpackedQ6_K {
  std::uint8_t q[kQK_K / 16][4][64];
  float scale[kQK_K / 16][kGroupRows];
};

void unpack_group(const BlockQ6_Kx16* w, std::int64_t nb, UnpackedQ6_K* out) {
  const __m512i low4 = _mm512_set1_epi8(0x0F);
  const __m512i top2 = _mm512_set1_epi8(0x30);
  for (std::int64_t i = 0; i < nb; ++i) {
    const BlockQ6_Kx16& b = w[i];
    UnpackedQ6_K& o = out[i];
    const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.d)));
    for (int s = 0; s < kQK_K / 16; ++s) {
      const __m512i sc = _mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales[s])));
      _mm512_storeu_ps(o.scale[s], _mm512_mul_ps(d, _mm512_cvtepi32_ps(sc)));
    }
    for (int j = 0; j < kQK_K / 32; ++j) {
      for (int p = 0; p < 4; ++p) {
        const __m512i tops = _mm512_loadu_si512(b.qh[j][p / 2]);
        const __m512i t = p % 2 == 0 ? tops : _mm512_srli_epi16(tops, 4);
        const __m512i v = _mm512_loadu_si512(b.ql[j][p]);
        _mm512_storeu_si512(
            o.q[2 * j][p], _mm512_or_si512(_mm512_and_si512(v, low4), _mm512_and_si512(_mm512_slli_epi16(t, 4), top2)));
        _mm512_storeu_si512(o.q[2 * j + 1][p], _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi16(v, 4), low4),
                                                               _mm512_and_si512(_mm512_slli_epi16(t, 2), top2)));
      }
    }
  }
}

template <int T>
struct UnpackedTile {
  static void run(std::int64_t cols, const UnpackedQ6_K* w, const std::uint8_t* x, std::size_t x_stride, float* y,
                  std::size_t y_stride) {
    const std::int64_t nb = cols / kQK_K;
    const std::int8_t* xq[T];
    const float* xd[T];
    const std::int32_t* xbias[T];
    _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
      const std::uint8_t* row = x + static_cast<std::size_t>(t) * x_stride;
      xq[t] = reinterpret_cast<const std::int8_t*>(row);
      xd[t] = packed_q6_Kx16_scales(row, cols);
      xbias[t] = packed_q6_Kx16_bias(row, cols);
    }
    __m512 acc[T];
    _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) acc[t] = _mm512_setzero_ps();
    for (std::int64_t i = 0; i < nb; ++i) {
      const UnpackedQ6_K& b = w[i];
      _Pragma("GCC unroll 2") for (int s = 0; s < kQK_K / 16; ++s) {
        // Sub-block s covers columns 16s..16s+15: in 32-column group s / 2, the low (even s) or
        // high (odd s) half.
        const std::int64_t col = i * kQK_K + 32 * (s / 2) + 16 * (s % 2);
        __m512i sum[T];
        _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) sum[t] = _mm512_set1_epi32(xbias[t][i * 16 + s]);
        _Pragma("GCC unroll 4") for (int p = 0; p < 4; ++p) {
          const __m512i q = _mm512_loadu_si512(b.q[s][p]);
          _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
            sum[t] = _mm512_dpbusd_epi32(sum[t], q, broadcast_word(xq[t] + col + 4 * p));
          }
        }
        const __m512 dsc = _mm512_loadu_ps(b.scale[s]);
        _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
          acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[t]), _mm512_mul_ps(dsc, _mm512_set1_ps(xd[t][i])), acc[t]);
        }
      }
    }
    _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t)
        _mm512_storeu_ps(y + static_cast<std::size_t>(t) * y_stride, acc[t]);
  }
};

// From this many tokens the group is unpacked once (kernels_bench, 8960x1536 and 1536x8960).
constexpr std::int64_t kUnpackFromTokens = 8;

}  // namespace

void gemm_q6_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK_K;
  const auto* groups = static_cast<const BlockQ6_Kx16*>(w);
  if (n_tokens >= kUnpackFromTokens) {
    thread_local std::vector<UnpackedQ6_K> unpacked;
    if (unpacked.size() < static_cast<std::size_t>(nb)) unpacked.resize(static_cast<std::size_t>(nb));
    for (std::int64_t g = 0; g < n_groups; ++g) {
      unpack_group(groups + g * nb, nb, unpacked.data());
      run_group_tiles<UnpackedQ6_K, 8, UnpackedTile>(cols, kQK_K, unpacked.data(), 1, x, x_stride, n_tokens,
                                                     y + static_cast<std::size_t>(g * kGroupRows), y_stride);
    }
    return;
  }
  run_group_tiles<BlockQ6_Kx16, 4, Q6_Kx16Tile>(cols, kQK_K, w, n_groups, x, x_stride, n_tokens, y, y_stride);
}

}  // namespace reval::kernels::avx512
