// AMX-INT8 GEMM over interleaved Q8_0 weights (engine/kernels/interleaved.h), for 8 or more tokens:
// a block of a 16-row group is already an AMX B tile (8 lines of 64 bytes), so tdpbssd multiplies 16
// tokens' quants of that block (A: 16 x 32 bytes, rows x_stride apart) by it with no reordering.
// Each block's 16 x 16 int32 sums are scaled by d_x[token] * d_w[row] and accumulated in float, one
// zmm per token holding the group's 16 rows.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "engine/kernels/amx_tiles.h"
#include "engine/kernels/interleaved.h"

namespace reval::kernels::amx {
namespace {

constexpr std::int64_t kPrefetchBlocks = 4;

}  // namespace

void gemm_q8_0x16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK;
  const auto* groups = static_cast<const BlockQ8_0x16*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  thread_local std::vector<std::uint8_t> x_tail;
  configure_block_tiles();
  alignas(64) std::int32_t sums[2][kTileTokens * kGroupRows];
  pad_last_token_tile(xb, x_stride, n_tokens, x_tail);
  // Groups outermost: a group's weights (cols / 32 blocks of 544 bytes) stay in L2 while every token
  // tile passes over them.
  for (std::int64_t g = 0; g < n_groups; ++g) {
    const BlockQ8_0x16* blocks = groups + g * nb;
    for (std::int64_t t0 = 0; t0 < n_tokens; t0 += kTileTokens) {
      const int nt = static_cast<int>(n_tokens - t0 < kTileTokens ? n_tokens - t0 : kTileTokens);
      const std::uint8_t* xt = nt < kTileTokens ? x_tail.data() : xb + static_cast<std::size_t>(t0) * x_stride;
      const float* xd[kTileTokens];
      for (int t = 0; t < kTileTokens; ++t) xd[t] = packed_q8_0x16_scales(xt + t * x_stride, cols);
      __m512 acc[kTileTokens];
      for (int t = 0; t < kTileTokens; ++t) acc[t] = _mm512_setzero_ps();
      auto accumulate = [&](const std::int32_t* s, std::int64_t b) {
        const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(blocks[b].d)));
        _Pragma("GCC unroll 16") for (int t = 0; t < kTileTokens; ++t) {
          if (t >= nt) break;  // padding rows
          const __m512 sum = _mm512_cvtepi32_ps(_mm512_load_si512(s + kGroupRows * t));
          acc[t] = _mm512_fmadd_ps(sum, _mm512_mul_ps(dw, _mm512_set1_ps(xd[t][b])), acc[t]);
        }
      };
      std::int64_t b = 0;
      for (; b + 1 < nb; b += 2) {
        // Tile loads do not train the hardware prefetchers the way vector loads do: with few tokens
        // (batched decode) the weights come from memory, so the next blocks are fetched ahead.
        if (b + kPrefetchBlocks + 1 < nb) {
          const char* ahead = reinterpret_cast<const char*>(blocks + b + kPrefetchBlocks);
          _Pragma("GCC unroll 17") for (int line = 0; line < 17; ++line) _mm_prefetch(ahead + 64 * line, _MM_HINT_T0);
        }
        _tile_zero(0);
        _tile_zero(1);
        REVAL_TILE_LOADD(2, xt + b * kQK, static_cast<long>(x_stride));
        REVAL_TILE_LOADD(4, blocks[b].qs, 64);
        REVAL_TILE_LOADD(3, xt + (b + 1) * kQK, static_cast<long>(x_stride));
        REVAL_TILE_LOADD(5, blocks[b + 1].qs, 64);
        _tile_dpbssd(0, 2, 4);
        _tile_dpbssd(1, 3, 5);
        _tile_stored(0, sums[0], 64);
        _tile_stored(1, sums[1], 64);
        accumulate(sums[0], b);
        accumulate(sums[1], b + 1);
      }
      if (b < nb) {
        _tile_zero(0);
        REVAL_TILE_LOADD(2, xt + b * kQK, static_cast<long>(x_stride));
        REVAL_TILE_LOADD(4, blocks[b].qs, 64);
        _tile_dpbssd(0, 2, 4);
        _tile_stored(0, sums[0], 64);
        accumulate(sums[0], b);
      }
      for (int t = 0; t < nt; ++t) {
        _mm512_storeu_ps(y + static_cast<std::size_t>(t0 + t) * y_stride + static_cast<std::size_t>(g * kGroupRows),
                         acc[t]);
      }
    }
  }
  _tile_release();
}

}  // namespace reval::kernels::amx
