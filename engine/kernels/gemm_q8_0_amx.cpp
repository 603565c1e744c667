// AMX-INT8 GEMM for Q8_0 weights with Q8_0 activations, for 16 or more tokens. tdpbssd multiplies a
// 16 x 32-byte tile of activations (16 tokens, one block) by a 32 x 16 tile of weights (one block of
// 16 weight rows, stored in the VNNI layout: row k/4 holds bytes k..k+3 of every weight row) into
// 16 x 16 int32 sums; each block's sums are then scaled by d_x[t] * d_w[r] and accumulated in float,
// one zmm per token holding its 16 weight rows (so results are stored without horizontal sums).
// Weights are reordered into the VNNI layout per 16-row tile, once per call, and reused by every
// token tile. Tested against the scalar reference in tests/engine/kernels/gemm_test.cpp.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "engine/kernels/amx.h"
#include "engine/kernels/amx_tiles.h"
#include "engine/kernels/blocks.h"

namespace reval::kernels::amx {
namespace {

constexpr int kTile = 16;  // tokens per activation tile, weight rows per weight tile

// Tiles 0-1: int32 sums (16 x 16), 2-3: activations (16 tokens x 32 bytes), 4-5: weights (8 x 64
// bytes); two of each so consecutive blocks overlap.
void configure_tiles() {
  TileConfig cfg{};
  cfg.palette_id = 1;
  for (int t = 0; t < 2; ++t) {
    cfg.rows[t] = kTile;
    cfg.colsb[t] = 64;
    cfg.rows[2 + t] = kTile;
    cfg.colsb[2 + t] = kQK;
    cfg.rows[4 + t] = kQK / 4;
    cfg.colsb[4 + t] = 64;
  }
  load_tile_config(cfg);
}

// The packed activation row: the quants of every block back to back (cols bytes), then each
// block's scale as a float.
std::int64_t quant_bytes(std::int64_t cols) { return cols; }

// 16 weight rows (fewer at the edge: zeros) in the VNNI layout, 512 bytes per block, and their
// scales, 16 floats per block. Each VNNI row is one 16-lane gather (4 bytes from each weight row;
// 32-bit offsets: rows are at most a few hundred KiB).
void reorder_weights(const std::uint8_t* w, std::size_t w_stride, int n_rows, std::int64_t nb, std::uint8_t* vnni,
                     float* scales) {
  const __m512i offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                             _mm512_set1_epi32(static_cast<int>(w_stride)));
  const auto rows = static_cast<__mmask16>((1u << n_rows) - 1u);
  for (std::int64_t b = 0; b < nb; ++b) {
    const std::uint8_t* block = w + b * static_cast<std::int64_t>(sizeof(BlockQ8_0));
    // The scale's 2 bytes and the first 2 quants; the low half is the scale.
    const __m512i d = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), rows, offsets, block, 1);
    _mm512_storeu_ps(scales + b * kTile, _mm512_cvtph_ps(_mm512_cvtepi32_epi16(d)));
    for (int k4 = 0; k4 < kQK / 4; ++k4) {
      const __m512i q = _mm512_mask_i32gather_epi32(_mm512_setzero_si512(), rows, offsets, block + 2 + 4 * k4, 1);
      _mm512_storeu_si512(vnni + b * 512 + 64 * k4, q);
    }
  }
}

}  // namespace

std::int64_t packed_q8_0_row_bytes(std::int64_t cols) {
  return (quant_bytes(cols) + cols / kQK * static_cast<std::int64_t>(sizeof(float)) + 63) / 64 * 64;
}

void pack_q8_0_row(const void* xq, void* packed, std::int64_t cols) {
  const auto* xb = static_cast<const BlockQ8_0*>(xq);
  auto* out = static_cast<std::uint8_t*>(packed);
  float* scales = reinterpret_cast<float*>(out + quant_bytes(cols));
  for (std::int64_t b = 0; b < cols / kQK; ++b) {
    std::memcpy(out + b * kQK, xb[b].qs, kQK);
    scales[b] = _cvtsh_ss(xb[b].d);
  }
}

void gemm_q8_0(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK;
  thread_local std::vector<std::uint8_t> vnni;
  thread_local std::vector<float> w_scales;
  thread_local std::vector<std::uint8_t> x_tail;
  if (vnni.size() < static_cast<std::size_t>(nb * 512)) vnni.resize(static_cast<std::size_t>(nb * 512));
  if (w_scales.size() < static_cast<std::size_t>(nb * kTile)) w_scales.resize(static_cast<std::size_t>(nb * kTile));
  configure_tiles();
  alignas(64) std::int32_t sums[2][kTile * kTile];
  const auto* wb = static_cast<const std::uint8_t*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t r0 = 0; r0 < n_rows; r0 += kTile) {
    const int nr = static_cast<int>(n_rows - r0 < kTile ? n_rows - r0 : kTile);
    reorder_weights(wb + static_cast<std::size_t>(r0) * w_stride, w_stride, nr, nb, vnni.data(), w_scales.data());
    const auto row_mask = static_cast<__mmask16>((1u << nr) - 1u);
    for (std::int64_t t0 = 0; t0 < n_tokens; t0 += kTile) {
      const int nt = static_cast<int>(n_tokens - t0 < kTile ? n_tokens - t0 : kTile);
      // A partial token tile is copied so the tile loads never read past the caller's rows.
      const std::uint8_t* xt = xb + static_cast<std::size_t>(t0) * x_stride;
      if (nt < kTile) {
        x_tail.assign(kTile * x_stride, 0);
        std::memcpy(x_tail.data(), xt, static_cast<std::size_t>(nt) * x_stride);
        xt = x_tail.data();
      }
      __m512 acc[kTile];
      for (int t = 0; t < kTile; ++t) acc[t] = _mm512_setzero_ps();
      auto accumulate = [&](const std::int32_t* s, std::int64_t b) {
        const __m512 dw = _mm512_loadu_ps(w_scales.data() + b * kTile);
        // Rows past the last token are padding: skipped.
        _Pragma("GCC unroll 16") for (int t = 0; t < kTile; ++t) {
          if (t >= nt) break;
          const float dx = reinterpret_cast<const float*>(xt + t * x_stride + quant_bytes(cols))[b];
          const __m512 sum = _mm512_cvtepi32_ps(_mm512_load_si512(s + kTile * t));
          acc[t] = _mm512_fmadd_ps(sum, _mm512_mul_ps(dw, _mm512_set1_ps(dx)), acc[t]);
        }
      };
      std::int64_t b = 0;
      for (; b + 1 < nb; b += 2) {
        _tile_zero(0);
        _tile_zero(1);
        REVAL_TILE_LOADD(2, xt + b * kQK, static_cast<long>(x_stride));
        REVAL_TILE_LOADD(4, vnni.data() + b * 512, 64);
        REVAL_TILE_LOADD(3, xt + (b + 1) * kQK, static_cast<long>(x_stride));
        REVAL_TILE_LOADD(5, vnni.data() + (b + 1) * 512, 64);
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
        REVAL_TILE_LOADD(4, vnni.data() + b * 512, 64);
        _tile_dpbssd(0, 2, 4);
        _tile_stored(0, sums[0], 64);
        accumulate(sums[0], b);
      }
      for (int t = 0; t < nt; ++t) {
        _mm512_mask_storeu_ps(y + static_cast<std::size_t>(t0 + t) * y_stride + static_cast<std::size_t>(r0), row_mask,
                              acc[t]);
      }
    }
  }
  _tile_release();
}

}  // namespace reval::kernels::amx
