// AVX-512 VNNI GEMM over interleaved Q8_0 weights (engine/kernels/interleaved.h). One 64-byte line of
// a block holds 4 consecutive weights of 16 rows, so one vpdpbusd with a broadcast activation word
// adds to all 16 rows' sums: no horizontal sums, and each weight line is loaded once per tile of
// tokens. vpdpbusd wants its first factor unsigned, so weights get + 128 (one xor per line); each
// block's int32 sums start at the token's -128 * sum(x) to cancel it. Block sums are scaled by
// d_w (16 rows, one vcvtph2ps) * d_x and accumulated in float, one zmm per (group, token).
#include <immintrin.h>

#include <array>
#include <cstring>
#include <utility>

#include "engine/kernels/interleaved.h"
#include "engine/kernels/interleaved_tiles.h"

#ifndef REVAL_X16_PREFETCH
#define REVAL_X16_PREFETCH 4
#endif

namespace reval::kernels::avx512 {
namespace {

// G groups (16 rows each) x T tokens.
template <int G, int T>
struct Q8_0x16Tile {
  static void run(std::int64_t cols, const BlockQ8_0x16* w, const std::uint8_t* x, std::size_t x_stride, float* y,
                  std::size_t y_stride) {
    const std::int64_t nb = cols / kQK;
    const std::int8_t* xq[T];
    const float* xd[T];
    const std::int32_t* xbias[T];
    _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
      const std::uint8_t* row = x + static_cast<std::size_t>(t) * x_stride;
      xq[t] = reinterpret_cast<const std::int8_t*>(row);
      xd[t] = packed_q8_0x16_scales(row, cols);
      xbias[t] = packed_q8_0x16_bias(row, cols);
    }
    __m512 acc[G][T];
    _Pragma("GCC unroll 8") for (int g = 0; g < G; ++g) {
      _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) acc[g][t] = _mm512_setzero_ps();
    }
    const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
    for (std::int64_t b = 0; b < nb; ++b) {
      const BlockQ8_0x16* blk[G];
      __m512 dw[G];
      _Pragma("GCC unroll 8") for (int g = 0; g < G; ++g) {
        blk[g] = w + g * nb + b;
#if REVAL_X16_PREFETCH
        if constexpr (T <= 2) {
          const char* ahead = reinterpret_cast<const char*>(blk[g] + REVAL_X16_PREFETCH);
          _Pragma("GCC unroll 9") for (int line = 0; line < 9; ++line) _mm_prefetch(ahead + 64 * line, _MM_HINT_T0);
        }
#endif
        dw[g] = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk[g]->d)));
      }
      __m512i sum[G][T];
      _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
        const __m512i bias = _mm512_set1_epi32(xbias[t][b]);
        _Pragma("GCC unroll 8") for (int g = 0; g < G; ++g) sum[g][t] = bias;
      }
      _Pragma("GCC unroll 8") for (int k4 = 0; k4 < kQK / 4; ++k4) {
        __m512i xw[T];
        _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) xw[t] = broadcast_word(xq[t] + b * kQK + 4 * k4);
        _Pragma("GCC unroll 8") for (int g = 0; g < G; ++g) {
          const __m512i wv = _mm512_xor_si512(_mm512_loadu_si512(blk[g]->qs + 64 * k4), flip);
          _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) sum[g][t] = _mm512_dpbusd_epi32(sum[g][t], wv, xw[t]);
        }
      }
      _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
        const __m512 dx = _mm512_set1_ps(xd[t][b]);
        _Pragma("GCC unroll 8") for (int g = 0; g < G; ++g) {
          acc[g][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(sum[g][t]), _mm512_mul_ps(dw[g], dx), acc[g][t]);
        }
      }
    }
    _Pragma("GCC unroll 8") for (int t = 0; t < T; ++t) {
      _Pragma("GCC unroll 8") for (int g = 0; g < G; ++g) {
        _mm512_storeu_ps(y + static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(g * kGroupRows),
                         acc[g][t]);
      }
    }
  }
};

using TileFn = void (*)(std::int64_t, const BlockQ8_0x16*, const std::uint8_t*, std::size_t, float*, std::size_t);

template <int G, int kMaxT, std::size_t... I>
constexpr std::array<TileFn, kMaxT> tile_row(std::index_sequence<I...>) {
  return {&Q8_0x16Tile<G, static_cast<int>(I) + 1>::run...};
}

// Few tokens: two groups per tile (two independent accumulation chains per token and two weight
// streams); more tokens: one group and up to 8 tokens, so the accumulators stay in registers.
constexpr int kPairMaxTokens = 4;
constexpr int kSingleMaxTokens = 8;
constexpr auto kPairTiles = tile_row<2, kPairMaxTokens>(std::make_index_sequence<kPairMaxTokens>());
constexpr auto kSingleTiles = tile_row<1, kSingleMaxTokens>(std::make_index_sequence<kSingleMaxTokens>());

}  // namespace

void gemm_q8_0x16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK;
  const auto* groups = static_cast<const BlockQ8_0x16*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  const bool pairs = n_tokens <= kPairMaxTokens;
  const int max_t = pairs ? kPairMaxTokens : kSingleMaxTokens;
  for (std::int64_t g = 0; g < n_groups;) {
    const bool pair = pairs && g + 1 < n_groups;
    for (std::int64_t t = 0; t < n_tokens; t += max_t) {
      const auto nt = static_cast<std::size_t>(n_tokens - t < max_t ? n_tokens - t : max_t);
      const TileFn fn = pair ? kPairTiles[nt - 1] : kSingleTiles[nt - 1];
      fn(cols, groups + g * nb, xb + static_cast<std::size_t>(t) * x_stride, x_stride,
         y + static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(g * kGroupRows), y_stride);
    }
    g += pair ? 2 : 1;
  }
}

}  // namespace reval::kernels::avx512
