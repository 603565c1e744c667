// AMX-INT8 GEMMs for the K-quant weights Q4_K and Q6_K with Q8_K activations, for 16 or more
// tokens. tdpbusd takes its unsigned operand as the row tile, so here the roles are swapped against
// the Q8_0 kernel: tile A is 16 weight rows x one sub-block (Q4_K: 32 weights, Q6_K: 16; quants
// unpacked to bytes), tile B the same columns of 16 tokens in the VNNI layout, and the 16 x 16 int32
// sums (weight row x token) are scaled per sub-block: + scale[j] * d_x * sum + min[j] * d_x * (sum
// of the sub-block's activations), where Q4_K's min is -dmin * m[j] and Q6_K's -32 * d * sc[j]
// (its quants are stored with +32). Weights are unpacked once per 16-row tile and call,
// activations reordered once per call.
#include <immintrin.h>

#include <cstring>
#include <vector>

#include "engine/kernels/amx.h"
#include "engine/kernels/amx_tiles.h"
#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels::amx {
namespace {

constexpr int kTile = 16;

// Per weight type: the sub-block size and how one super-block unpacks into quants, scales, mins.
struct Q4_K {
  using Block = BlockQ4_K;
  static constexpr int kSubSize = 32;
  static void unpack(const Block& b, std::uint8_t* q, float* scale, float* min) {
    // Chunk c of qs: sub-block 2c in the low nibbles, 2c + 1 in the high ones.
    const __m256i low4 = _mm256_set1_epi8(0x0F);
    for (int c = 0; c < 4; ++c) {
      const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * c));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + 64 * c), _mm256_and_si256(bytes, low4));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + 64 * c + 32),
                          _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4));
    }
    const float d = _cvtsh_ss(b.d);
    const float dmin = _cvtsh_ss(b.dmin);
    for (int j = 0; j < kQK_K / kSubSize; ++j) {
      std::uint8_t sc = 0;
      std::uint8_t mn = 0;
      get_scale_min_k4(j, b.scales, &sc, &mn);
      scale[j] = d * sc;
      min[j] = -dmin * mn;
    }
  }
};

struct Q6_K {
  using Block = BlockQ6_K;
  static constexpr int kSubSize = 16;
  static void unpack(const Block& b, std::uint8_t* q, float* scale, float* min) {
    ref::unpack_q6_K(&b, q);
    const float d = _cvtsh_ss(b.d);
    for (int j = 0; j < kQK_K / kSubSize; ++j) {
      scale[j] = d * b.scales[j];
      min[j] = -32.0f * d * b.scales[j];
    }
  }
};

// Tiles 0-1: sums (16 x 16 int32), 2-3: weights (16 rows x sub bytes), 4-5: activations (sub / 4 x 64
// bytes).
void configure_tiles(int sub) {
  TileConfig cfg{};
  cfg.palette_id = 1;
  for (int t = 0; t < 2; ++t) {
    cfg.rows[t] = kTile;
    cfg.colsb[t] = 64;
    cfg.rows[2 + t] = kTile;
    cfg.colsb[2 + t] = static_cast<std::uint16_t>(sub);
    cfg.rows[4 + t] = static_cast<std::uint8_t>(sub / 4);
    cfg.colsb[4 + t] = 64;
  }
  load_tile_config(cfg);
}

// Packed Q8_K activation row: the quants (cols bytes), then per super-block d, then per 16 columns
// d * (sum of their quants) (the Q8_K bsums as floats).
struct RowLayout {
  std::int64_t nb;
  std::int64_t d_offset;
  std::int64_t sum_offset;
  std::int64_t bytes;
  explicit RowLayout(std::int64_t cols)
      : nb(cols / kQK_K),
        d_offset(cols),
        sum_offset(cols + nb * 4),
        bytes((cols + nb * 4 + nb * 16 * 4 + 63) / 64 * 64) {}
};

// Unpacks 16 weight rows (zeros past n_rows): quants [sub-block][row][kSubSize], scales and mins
// [sub-block][row].
template <class Type>
void unpack_weights(const std::uint8_t* w, std::size_t w_stride, int n_rows, std::int64_t nb, std::uint8_t* q,
                    float* scale, float* min) {
  constexpr int kSubSize = Type::kSubSize;
  constexpr int kSub = kQK_K / kSubSize;
  if (n_rows < kTile) {
    std::memset(q, 0, static_cast<std::size_t>(nb) * kQK_K * kTile);
    std::memset(scale, 0, static_cast<std::size_t>(nb) * kSub * kTile * sizeof(float));
    std::memset(min, 0, static_cast<std::size_t>(nb) * kSub * kTile * sizeof(float));
  }
  alignas(64) std::uint8_t block_q[kQK_K];
  float block_scale[kSub];
  float block_min[kSub];
  for (int r = 0; r < n_rows; ++r) {
    const auto* row = reinterpret_cast<const typename Type::Block*>(w + static_cast<std::size_t>(r) * w_stride);
    for (std::int64_t i = 0; i < nb; ++i) {
      Type::unpack(row[i], block_q, block_scale, block_min);
      for (int j = 0; j < kSub; ++j) {
        std::memcpy(q + ((i * kSub + j) * kTile + r) * kSubSize, block_q + j * kSubSize, kSubSize);
        scale[(i * kSub + j) * kTile + r] = block_scale[j];
        min[(i * kSub + j) * kTile + r] = block_min[j];
      }
    }
  }
}

// Q4_K, 16 rows at once: d/dmin and the 12 bytes of packed 6-bit scales and mins of the 16 rows come
// from four 16-lane gathers (lane r = row r), so each sub-block's scales and mins are decoded with a
// few vector shifts and masks for all rows instead of bit by bit per row; nibbles are split straight
// into the tile layout.
template <>
void unpack_weights<Q4_K>(const std::uint8_t* w, std::size_t w_stride, int n_rows, std::int64_t nb, std::uint8_t* q,
                          float* scale, float* min) {
  constexpr int kSub = kQK_K / Q4_K::kSubSize;
  if (n_rows < kTile) std::memset(q, 0, static_cast<std::size_t>(nb) * kQK_K * kTile);
  const auto rows = static_cast<__mmask16>((1u << n_rows) - 1u);
  const __m512i offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                             _mm512_set1_epi32(static_cast<int>(w_stride)));
  const __m512i six_bits = _mm512_set1_epi32(63);
  const __m512i four_bits = _mm512_set1_epi32(15);
  const __m512i two_bits = _mm512_set1_epi32(3);
  const __m256i low4 = _mm256_set1_epi8(0x0F);
  for (std::int64_t i = 0; i < nb; ++i) {
    const std::uint8_t* block = w + static_cast<std::size_t>(i) * sizeof(BlockQ4_K);
    const __m512i zero = _mm512_setzero_si512();
    const __m512i dd = _mm512_mask_i32gather_epi32(zero, rows, offsets, block, 1);  // d | dmin << 16
    const __m512 d = _mm512_cvtph_ps(_mm512_cvtepi32_epi16(dd));
    const __m512 neg_dmin =
        _mm512_sub_ps(_mm512_setzero_ps(), _mm512_cvtph_ps(_mm512_cvtepi32_epi16(_mm512_srli_epi32(dd, 16))));
    const __m512i s0 = _mm512_mask_i32gather_epi32(zero, rows, offsets, block + 4, 1);   // scales[0..3]
    const __m512i s1 = _mm512_mask_i32gather_epi32(zero, rows, offsets, block + 8, 1);   // scales[4..7]
    const __m512i s2 = _mm512_mask_i32gather_epi32(zero, rows, offsets, block + 12, 1);  // scales[8..11]
    _Pragma("GCC unroll 4") for (int j = 0; j < 4; ++j) {
      const __m512i sc = _mm512_and_si512(_mm512_srli_epi32(s0, static_cast<unsigned>(8 * j)), six_bits);
      const __m512i mn = _mm512_and_si512(_mm512_srli_epi32(s1, static_cast<unsigned>(8 * j)), six_bits);
      _mm512_storeu_ps(scale + (i * kSub + j) * kTile, _mm512_mul_ps(d, _mm512_cvtepi32_ps(sc)));
      _mm512_storeu_ps(min + (i * kSub + j) * kTile, _mm512_mul_ps(neg_dmin, _mm512_cvtepi32_ps(mn)));
    }
    _Pragma("GCC unroll 4") for (int jj = 0; jj < 4; ++jj) {
      const auto shift = static_cast<unsigned>(8 * jj);
      const __m512i high_sc = _mm512_and_si512(_mm512_srli_epi32(s0, shift + 6), two_bits);
      const __m512i high_mn = _mm512_and_si512(_mm512_srli_epi32(s1, shift + 6), two_bits);
      const __m512i sc =
          _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(s2, shift), four_bits), _mm512_slli_epi32(high_sc, 4));
      const __m512i mn =
          _mm512_or_si512(_mm512_and_si512(_mm512_srli_epi32(s2, shift + 4), four_bits), _mm512_slli_epi32(high_mn, 4));
      _mm512_storeu_ps(scale + (i * kSub + 4 + jj) * kTile, _mm512_mul_ps(d, _mm512_cvtepi32_ps(sc)));
      _mm512_storeu_ps(min + (i * kSub + 4 + jj) * kTile, _mm512_mul_ps(neg_dmin, _mm512_cvtepi32_ps(mn)));
    }
    for (int r = 0; r < n_rows; ++r) {
      const auto* blk = reinterpret_cast<const BlockQ4_K*>(block + static_cast<std::size_t>(r) * w_stride);
      _Pragma("GCC unroll 4") for (int c = 0; c < 4; ++c) {
        const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(blk->qs + 32 * c));
        std::uint8_t* lo = q + ((i * kSub + 2 * c) * kTile + r) * Q4_K::kSubSize;
        std::uint8_t* hi = q + ((i * kSub + 2 * c + 1) * kTile + r) * Q4_K::kSubSize;
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(lo), _mm256_and_si256(bytes, low4));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(hi), _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low4));
      }
    }
  }
}

// Reorders 16 packed activation rows (zeros past n_tokens) into VNNI tiles, [i][j] 8 x 64 bytes
// (row k/4 holds bytes k..k+3 of each token), and gathers their scales and sums as 16-token vectors.
template <int kSubSize>
void reorder_activations(const std::uint8_t* x, std::size_t x_stride, int n_tokens, const RowLayout& layout,
                         std::uint8_t* vnni, float* d, float* sums) {
  constexpr int kSub = kQK_K / kSubSize;
  constexpr int kPerSum = kSubSize / 16;  // Q8_K sums per sub-block
  const std::int64_t nb = layout.nb;
  std::memset(vnni, 0, static_cast<std::size_t>(nb) * kQK_K * kTile);
  std::memset(d, 0, static_cast<std::size_t>(nb) * kTile * sizeof(float));
  std::memset(sums, 0, static_cast<std::size_t>(nb) * kSub * kTile * sizeof(float));
  for (int t = 0; t < n_tokens; ++t) {
    const std::uint8_t* row = x + static_cast<std::size_t>(t) * x_stride;
    const auto* row_d = reinterpret_cast<const float*>(row + layout.d_offset);
    const auto* row_sum = reinterpret_cast<const float*>(row + layout.sum_offset);
    for (std::int64_t i = 0; i < nb; ++i) {
      d[i * kTile + t] = row_d[i];
      for (int j = 0; j < kSub; ++j) {
        float sum = 0.0f;
        for (int k = 0; k < kPerSum; ++k) sum += row_sum[i * 16 + j * kPerSum + k];
        sums[(i * kSub + j) * kTile + t] = sum;
        const std::uint8_t* src = row + i * kQK_K + j * kSubSize;
        std::uint8_t* dst = vnni + (i * kSub + j) * (kSubSize * kTile) + 4 * t;
        for (int k4 = 0; k4 < kSubSize / 4; ++k4) std::memcpy(dst + 64 * k4, src + 4 * k4, 4);
      }
    }
  }
}

}  // namespace

std::int64_t packed_q8_K_row_bytes(std::int64_t cols) { return RowLayout(cols).bytes; }

void pack_q8_K_row(const void* xq, void* packed, std::int64_t cols) {
  const RowLayout layout(cols);
  const auto* xb = static_cast<const BlockQ8_K*>(xq);
  auto* out = static_cast<std::uint8_t*>(packed);
  auto* d = reinterpret_cast<float*>(out + layout.d_offset);
  auto* sums = reinterpret_cast<float*>(out + layout.sum_offset);
  for (std::int64_t i = 0; i < layout.nb; ++i) {
    std::memcpy(out + i * kQK_K, xb[i].qs, kQK_K);
    d[i] = xb[i].d;
    for (int l = 0; l < 16; ++l) sums[i * 16 + l] = xb[i].d * static_cast<float>(xb[i].bsums[l]);
  }
}

namespace {

template <class Type>
void gemm_k(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
            std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  constexpr int kSubSize = Type::kSubSize;
  constexpr int kSub = kQK_K / kSubSize;
  constexpr std::int64_t kTileBytes = kSubSize * kTile;  // one A or B tile
  const RowLayout layout(cols);
  const std::int64_t nb = layout.nb;
  const std::int64_t n_token_tiles = (n_tokens + kTile - 1) / kTile;
  const auto subs = static_cast<std::size_t>(nb * kSub);
  thread_local std::vector<std::uint8_t> wq;
  thread_local std::vector<float> w_scale;
  thread_local std::vector<float> w_min;
  thread_local std::vector<std::uint8_t> xq;
  thread_local std::vector<float> x_d;
  thread_local std::vector<float> x_sum;
  wq.resize(subs * kTileBytes);
  w_scale.resize(subs * kTile);
  w_min.resize(subs * kTile);
  xq.resize(static_cast<std::size_t>(n_token_tiles) * subs * kTileBytes);
  x_d.resize(static_cast<std::size_t>(n_token_tiles * nb) * kTile);
  x_sum.resize(static_cast<std::size_t>(n_token_tiles) * subs * kTile);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t tt = 0; tt < n_token_tiles; ++tt) {
    const int nt = static_cast<int>(n_tokens - tt * kTile < kTile ? n_tokens - tt * kTile : kTile);
    reorder_activations<kSubSize>(xb + static_cast<std::size_t>(tt * kTile) * x_stride, x_stride, nt, layout,
                                  xq.data() + static_cast<std::size_t>(tt) * subs * kTileBytes,
                                  x_d.data() + static_cast<std::size_t>(tt * nb) * kTile,
                                  x_sum.data() + static_cast<std::size_t>(tt) * subs * kTile);
  }
  configure_tiles(kSubSize);
  alignas(64) std::int32_t c[2][kTile * kTile];
  alignas(64) float out[kTile * kTile];
  const auto* wb = static_cast<const std::uint8_t*>(w);
  for (std::int64_t r0 = 0; r0 < n_rows; r0 += kTile) {
    const int nr = static_cast<int>(n_rows - r0 < kTile ? n_rows - r0 : kTile);
    unpack_weights<Type>(wb + static_cast<std::size_t>(r0) * w_stride, w_stride, nr, nb, wq.data(), w_scale.data(),
                         w_min.data());
    for (std::int64_t tt = 0; tt < n_token_tiles; ++tt) {
      const int nt = static_cast<int>(n_tokens - tt * kTile < kTile ? n_tokens - tt * kTile : kTile);
      const std::uint8_t* xt = xq.data() + static_cast<std::size_t>(tt) * subs * kTileBytes;
      const float* xd = x_d.data() + static_cast<std::size_t>(tt * nb) * kTile;
      const float* xs = x_sum.data() + static_cast<std::size_t>(tt) * subs * kTile;
      __m512 acc[kTile];
      for (int r = 0; r < kTile; ++r) acc[r] = _mm512_setzero_ps();
      for (std::int64_t i = 0; i < nb; ++i) {
        // The unpacking of the next 16 rows reads them with scalar loads that stall on memory when
        // few tokens share the weights (batched decode): fetch their block i now, during this tile's
        // arithmetic.
        if (tt == 0 && r0 + kTile < n_rows) {
          const std::uint8_t* next = wb + static_cast<std::size_t>(r0 + kTile) * w_stride +
                                     static_cast<std::size_t>(i) * sizeof(typename Type::Block);
          for (int r = 0; r < kTile; ++r) {
            const char* row = reinterpret_cast<const char*>(next + static_cast<std::size_t>(r) * w_stride);
            _Pragma("GCC unroll 4") for (std::size_t line = 0; line < sizeof(typename Type::Block); line += 64) {
              _mm_prefetch(row + line, _MM_HINT_T0);
            }
          }
        }
        const __m512 dx = _mm512_loadu_ps(xd + i * kTile);
        for (int j = 0; j < kSub; j += 2) {
          const std::int64_t s = i * kSub + j;
          _tile_zero(0);
          _tile_zero(1);
          REVAL_TILE_LOADD(2, wq.data() + s * kTileBytes, kSubSize);
          REVAL_TILE_LOADD(4, xt + s * kTileBytes, 64);
          REVAL_TILE_LOADD(3, wq.data() + (s + 1) * kTileBytes, kSubSize);
          REVAL_TILE_LOADD(5, xt + (s + 1) * kTileBytes, 64);
          _tile_dpbusd(0, 2, 4);
          _tile_dpbusd(1, 3, 5);
          _tile_stored(0, c[0], 64);
          _tile_stored(1, c[1], 64);
          for (int h = 0; h < 2; ++h) {
            const float* sc = w_scale.data() + (s + h) * kTile;
            const float* mn = w_min.data() + (s + h) * kTile;
            const __m512 xsum = _mm512_loadu_ps(xs + (s + h) * kTile);
            for (int r = 0; r < kTile; ++r) {
              const __m512 sum = _mm512_cvtepi32_ps(_mm512_load_si512(c[h] + kTile * r));
              acc[r] = _mm512_fmadd_ps(sum, _mm512_mul_ps(dx, _mm512_set1_ps(sc[r])), acc[r]);
              acc[r] = _mm512_fmadd_ps(xsum, _mm512_set1_ps(mn[r]), acc[r]);
            }
          }
        }
      }
      for (int r = 0; r < kTile; ++r) _mm512_store_ps(out + kTile * r, acc[r]);
      for (int t = 0; t < nt; ++t) {
        float* yt = y + static_cast<std::size_t>(tt * kTile + t) * y_stride + static_cast<std::size_t>(r0);
        for (int r = 0; r < nr; ++r) yt[r] = out[kTile * r + t];
      }
    }
  }
  _tile_release();
}

}  // namespace

void gemm_q4_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  gemm_k<Q4_K>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
}

void gemm_q6_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  gemm_k<Q6_K>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
}

}  // namespace reval::kernels::amx
