// AMX-INT8 GEMM over interleaved Q4_K weights (engine/kernels/interleaved.h) for batches and prompts.
// With several token tiles a 16-row group is unpacked once per call (with one, super-block by
// super-block, one ahead of its use): each 32-column sub-block's nibbles become one AMX B tile
// (8 lines of 64 bytes: the four low-nibble lines, then the four high-nibble ones, which is column
// order), with d * scale per sub-block and the (min, min) int16 pairs per super-block beside it.
// tdpbssd then multiplies 16 tokens' 32 activation bytes (tile A, rows x_stride apart) by each
// sub-block tile; its 16 x 16 sums are scaled by d * scale[row] * d_x[token] and accumulated in
// float, one zmm per token, and each super-block's mins term is 4 vpdpwssd per token.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "engine/kernels/amx_tiles.h"
#include "engine/kernels/interleaved.h"
#include "engine/kernels/interleaved_tiles.h"

namespace reval::kernels::amx {
namespace {

constexpr int kSub = kQK_K / 32;
// Super-blocks the one-tile path fetches ahead (2304 bytes each; 3-6 measured alike, 10 and the
// L1 hint slower).
constexpr std::int64_t kPrefetchBlocks = 4;

struct UnpackedQ4_K {
  std::uint8_t q[kSub][8][64];            // B tiles, one per sub-block
  float scale[kSub][kGroupRows];          // d * scale
  std::int32_t min_pairs[4][kGroupRows];  // (min 2i, min 2i + 1) as int16 pairs
  float dmin[kGroupRows];
};

void unpack_group(const BlockQ4_Kx16* w, std::int64_t nb, UnpackedQ4_K* out) {
  const __m512i low4 = _mm512_set1_epi8(0x0F);
  for (std::int64_t i = 0; i < nb; ++i) {
    const BlockQ4_Kx16& b = w[i];
    UnpackedQ4_K& o = out[i];
    const __m512 d = _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.d)));
    _mm512_storeu_ps(o.dmin, _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.dmin))));
    const __m512i s0 = _mm512_loadu_si512(b.scales[0]);
    const __m512i s1 = _mm512_loadu_si512(b.scales[1]);
    const __m512i s2 = _mm512_loadu_si512(b.scales[2]);
    for (int j = 0; j < kSub; ++j) {
      _mm512_storeu_ps(o.scale[j], _mm512_mul_ps(d, _mm512_cvtepi32_ps(avx512::q4_K_six_bit_field(s0, s2, j, false))));
      for (int p = 0; p < 4; ++p) {
        const __m512i v = _mm512_loadu_si512(b.qs[j][p]);
        _mm512_storeu_si512(o.q[j][p], _mm512_and_si512(v, low4));
        _mm512_storeu_si512(o.q[j][4 + p], _mm512_and_si512(_mm512_srli_epi16(v, 4), low4));
      }
    }
    for (int i4 = 0; i4 < 4; ++i4) {
      _mm512_storeu_si512(o.min_pairs[i4],
                          _mm512_or_si512(avx512::q4_K_six_bit_field(s1, s2, 2 * i4, true),
                                          _mm512_slli_epi32(avx512::q4_K_six_bit_field(s1, s2, 2 * i4 + 1, true), 16)));
    }
  }
}

}  // namespace

void gemm_q4_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK_K;
  const auto* groups = static_cast<const BlockQ4_Kx16*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  thread_local std::vector<std::uint8_t> x_tail;
  thread_local std::vector<UnpackedQ4_K> unpacked;
  if (unpacked.size() < static_cast<std::size_t>(nb) + 1) unpacked.resize(static_cast<std::size_t>(nb) + 1);
  configure_block_tiles();
  alignas(64) std::int32_t sums[2][kTileTokens * kGroupRows];
  pad_last_token_tile(xb, x_stride, n_tokens, x_tail);
  // One token tile (a batch of up to 16 sequences): each super-block is unpacked into an L1 buffer
  // right before its tile products, while the next weights stream in.
  const bool one_tile = n_tokens <= kTileTokens;
  for (std::int64_t g = 0; g < n_groups; ++g) {
    unpack_group(groups + g * nb, one_tile ? 1 : nb, unpacked.data());
    for (std::int64_t t0 = 0; t0 < n_tokens; t0 += kTileTokens) {
      const int nt = static_cast<int>(n_tokens - t0 < kTileTokens ? n_tokens - t0 : kTileTokens);
      const std::uint8_t* xt = nt < kTileTokens ? x_tail.data() : xb + static_cast<std::size_t>(t0) * x_stride;
      const float* xd[kTileTokens];
      const std::int16_t* xsum[kTileTokens];
      for (int t = 0; t < kTileTokens; ++t) {
        xd[t] = packed_q4_Kx16_scales(xt + t * x_stride, cols);
        xsum[t] = packed_q4_Kx16_sums(xt + t * x_stride, cols);
      }
      __m512 acc[kTileTokens];
      for (int t = 0; t < kTileTokens; ++t) acc[t] = _mm512_setzero_ps();
      for (std::int64_t i = 0; i < nb; ++i) {
        // Tile loads wait for earlier stores to the same lines to retire, so the one-tile path
        // unpacks super-block i + 1 (into the other of two slots) before the tiles read block i.
        if (one_tile && i + 1 < nb) unpack_group(groups + g * nb + i + 1, 1, unpacked.data() + ((i + 1) & 1));
        if (one_tile && g * nb + i + kPrefetchBlocks < n_groups * nb) {
          // Tile loads do not train the hardware prefetchers and a batch's weights stream from
          // memory: fetch a few super-blocks ahead into L2, across group boundaries (group g + 1's
          // first super-block follows group g's last). kernels_bench cold, 16 tokens: 7-12% faster.
          avx512::prefetch_block_l2(groups + g * nb + i + kPrefetchBlocks);
        }
        const UnpackedQ4_K& u = unpacked[static_cast<std::size_t>(one_tile ? (i & 1) : i)];
        auto accumulate = [&](const std::int32_t* s, int j) {
          const __m512 dsc = _mm512_loadu_ps(u.scale[j]);
          _Pragma("GCC unroll 16") for (int t = 0; t < kTileTokens; ++t) {
            if (t >= nt) break;  // padding rows
            const __m512 sum = _mm512_cvtepi32_ps(_mm512_load_si512(s + kGroupRows * t));
            acc[t] = _mm512_fmadd_ps(sum, _mm512_mul_ps(dsc, _mm512_set1_ps(xd[t][i])), acc[t]);
          }
        };
        for (int j = 0; j < kSub; j += 2) {
          _tile_zero(0);
          _tile_zero(1);
          REVAL_TILE_LOADD(2, xt + i * kQK_K + 32 * j, static_cast<long>(x_stride));
          REVAL_TILE_LOADD(4, u.q[j], 64);
          REVAL_TILE_LOADD(3, xt + i * kQK_K + 32 * (j + 1), static_cast<long>(x_stride));
          REVAL_TILE_LOADD(5, u.q[j + 1], 64);
          _tile_dpbssd(0, 2, 4);
          _tile_dpbssd(1, 3, 5);
          _tile_stored(0, sums[0], 64);
          _tile_stored(1, sums[1], 64);
          accumulate(sums[0], j);
          accumulate(sums[1], j + 1);
        }
        const __m512 dmin = _mm512_loadu_ps(u.dmin);
        __m512i pairs[4];
        for (int i4 = 0; i4 < 4; ++i4) pairs[i4] = _mm512_loadu_si512(u.min_pairs[i4]);
        _Pragma("GCC unroll 16") for (int t = 0; t < kTileTokens; ++t) {
          if (t >= nt) break;
          __m512i mins = _mm512_setzero_si512();
          for (int i4 = 0; i4 < 4; ++i4)
            mins = _mm512_dpwssd_epi32(mins, pairs[i4], avx512::broadcast_word(xsum[t] + i * 8 + 2 * i4));
          acc[t] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(mins), _mm512_mul_ps(dmin, _mm512_set1_ps(xd[t][i])), acc[t]);
        }
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
