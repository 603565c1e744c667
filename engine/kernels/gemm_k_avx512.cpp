// AVX-512 VNNI GEMM for the K-quant weights (Q4_K, Q6_K) with Q8_K activations. The weight quants
// are unsigned (Q4_K 0..15, Q6_K 0..63 stored with a +32 offset) and the activations signed, which
// is exactly vpdpbusd's u8 x s8. Per super-block and weight row, the sub-block scales are unpacked
// once into per-lane float vectors (one zmm covers 64 weights = 16 lanes of 4), and the min/offset
// term (Q4_K: dmin * m_j * sum(x), Q6_K: 32 * d * s_j * sum(x)) becomes one FMA against the
// activations' per-16 sums, precomputed in float when packing.
#include <immintrin.h>

#include <cstring>

#include "engine/kernels/avx512.h"
#include "engine/kernels/blocks.h"
#include "engine/kernels/gemm_tiles.h"

namespace reval::kernels::avx512 {
namespace {

// Packed activations for one Q8_K super-block.
struct PackedQ8_KBlock {
  std::int8_t q[kQK_K];
  float bsum[16];  // d * (sum of quants 16l .. 16l + 15)
  float d[16];     // d, replicated
};
static_assert(sizeof(PackedQ8_KBlock) == 384);

// Scales of one super-block of one weight row: ws[z] the lane scales of quant vector z (64 weights),
// wmin the factors of the 16 activation sums (already negated).
struct RowScales {
  __m512 ws[4];
  __m512 wmin;
};

// Lane l of the result = v[idx[l]].
inline __m512 spread(const __m512 v, const __m512i idx) { return _mm512_permutexvar_ps(idx, v); }

struct Q4_K {
  using Block = BlockQ4_K;
  // Scales and mins: the 12 packed bytes read as three words (see get_scale_min_k4).
  static RowScales scales(const Block& b) {
    std::uint32_t u[3];
    std::memcpy(u, b.scales, 12);
    const std::uint64_t sc = static_cast<std::uint64_t>(u[0] & 0x3f3f3f3fu) |
                             static_cast<std::uint64_t>((u[2] & 0x0f0f0f0fu) | ((u[0] >> 6) & 0x03030303u) << 4) << 32;
    const std::uint64_t mn = static_cast<std::uint64_t>(u[1] & 0x3f3f3f3fu) |
                             static_cast<std::uint64_t>(((u[2] >> 4) & 0x0f0f0f0fu) | ((u[1] >> 6) & 0x03030303u) << 4)
                                 << 32;
    const __m512 scf = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(sc)))),
                                     _mm512_set1_ps(_cvtsh_ss(b.d)));
    const __m512 mnf = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_cvtsi64_si128(static_cast<long long>(mn)))),
                                     _mm512_set1_ps(-_cvtsh_ss(b.dmin)));
    RowScales s;
    // Vector z holds sub-blocks 2z (lanes 0-7) and 2z + 1 (lanes 8-15).
    for (int z = 0; z < 4; ++z) {
      s.ws[z] = spread(scf, _mm512_set_epi32(2 * z + 1, 2 * z + 1, 2 * z + 1, 2 * z + 1, 2 * z + 1, 2 * z + 1, 2 * z + 1,
                                             2 * z + 1, 2 * z, 2 * z, 2 * z, 2 * z, 2 * z, 2 * z, 2 * z, 2 * z));
    }
    // Sub-block j spans the activation sums 2j and 2j + 1.
    s.wmin = spread(mnf, _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0));
    return s;
  }
  // Weights 64z .. 64z + 63: the low nibbles of chunk z (sub-block 2z), then its high nibbles.
  static __m512i quants(const Block& b, int z) {
    const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qs + 32 * z));
    const __m512i both = _mm512_inserti64x4(_mm512_castsi256_si512(bytes), _mm256_srli_epi16(bytes, 4), 1);
    return _mm512_and_si512(both, _mm512_set1_epi8(0x0F));
  }
};

struct Q6_K {
  using Block = BlockQ6_K;
  static RowScales scales(const Block& b) {
    const __m128i sc8 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(b.scales));
    const __m512 scf = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(sc8)), _mm512_set1_ps(_cvtsh_ss(b.d)));
    RowScales s;
    // Vector z covers sub-blocks (16 weights each) 4z .. 4z + 3, four lanes each.
    for (int z = 0; z < 4; ++z) {
      const int k = 4 * z;
      s.ws[z] = spread(scf, _mm512_set_epi32(k + 3, k + 3, k + 3, k + 3, k + 2, k + 2, k + 2, k + 2, k + 1, k + 1, k + 1,
                                             k + 1, k, k, k, k));
    }
    // The stored quants are q + 32: subtract 32 * d * s_l * (sum of sub-block l's activations).
    s.wmin = _mm512_mul_ps(scf, _mm512_set1_ps(-32.0f));
    return s;
  }
  // Weights 64z .. 64z + 63: half h = z / 2 of the block; z even takes the low nibbles of its 64 ql
  // bytes with qh bits 0-1 (first 32) and 2-3 (next 32), z odd the high nibbles with bits 4-5, 6-7.
  static __m512i quants(const Block& b, int z) {
    const int h = z / 2;
    const __m512i ql = _mm512_loadu_si512(b.ql + 64 * h);
    const __m256i qh = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b.qh + 32 * h));
    __m512i qh2 = _mm512_inserti64x4(_mm512_castsi256_si512(qh), _mm256_srli_epi16(qh, 2), 1);
    __m512i lo = ql;
    if (z % 2 == 1) {
      lo = _mm512_srli_epi16(ql, 4);
      qh2 = _mm512_srli_epi16(qh2, 4);
    }
    const __m512i high = _mm512_slli_epi16(_mm512_and_si512(qh2, _mm512_set1_epi8(3)), 4);
    return _mm512_or_si512(_mm512_and_si512(lo, _mm512_set1_epi8(0x0F)), high);
  }
};

template <class Type>
struct KTile {
  template <int R, int T>
  struct Kernel {
    static void run(const gemm::TileArgs& a) {
      using Block = typename Type::Block;
      const std::int64_t nb = a.cols / kQK_K;
      const Block* w[R];
      _Pragma("GCC unroll 8")
      for (int r = 0; r < R; ++r) w[r] = reinterpret_cast<const Block*>(a.w + static_cast<std::size_t>(r) * a.w_stride);
      const PackedQ8_KBlock* x[T];
      _Pragma("GCC unroll 8")
      for (int t = 0; t < T; ++t) {
        x[t] = reinterpret_cast<const PackedQ8_KBlock*>(a.x + static_cast<std::size_t>(t) * a.x_stride);
      }
      __m512 acc[R][T];
      _Pragma("GCC unroll 8")
      for (int r = 0; r < R; ++r) {
        _Pragma("GCC unroll 8")
        for (int t = 0; t < T; ++t) acc[r][t] = _mm512_setzero_ps();
      }
      for (std::int64_t i = 0; i < nb; ++i) {
        RowScales s[R];
        _Pragma("GCC unroll 8")
        for (int r = 0; r < R; ++r) {
          if constexpr (T <= 2) {
            // Decode streams each row from memory: its block four ahead into L2 (paired in-model
            // Q4_K_M decode with REVAL_REPACK=0: 2-6% faster than one line two ahead into L1).
            const char* ahead = reinterpret_cast<const char*>(w[r] + i + 4);
            _mm_prefetch(ahead, _MM_HINT_T1);
            _mm_prefetch(ahead + 64, _MM_HINT_T1);
            _mm_prefetch(ahead + 128, _MM_HINT_T1);
          }
          s[r] = Type::scales(w[r][i]);
        }
        _Pragma("GCC unroll 8")
        for (int t = 0; t < T; ++t) {
          const __m512 xs = _mm512_loadu_ps(x[t][i].bsum);
          _Pragma("GCC unroll 8")
          for (int r = 0; r < R; ++r) acc[r][t] = _mm512_fmadd_ps(s[r].wmin, xs, acc[r][t]);
        }
        _Pragma("GCC unroll 4")
        for (int z = 0; z < 4; ++z) {
          __m512i wq[R];
          _Pragma("GCC unroll 8")
          for (int r = 0; r < R; ++r) wq[r] = Type::quants(w[r][i], z);
          _Pragma("GCC unroll 8")
          for (int t = 0; t < T; ++t) {
            const __m512i xq = _mm512_loadu_si512(x[t][i].q + 64 * z);
            const __m512 xd = _mm512_loadu_ps(x[t][i].d);
            _Pragma("GCC unroll 8")
            for (int r = 0; r < R; ++r) {
              const __m512i dot = _mm512_dpbusd_epi32(_mm512_setzero_si512(), wq[r], xq);
              acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot), _mm512_mul_ps(s[r].ws[z], xd), acc[r][t]);
            }
          }
        }
      }
      _Pragma("GCC unroll 8")
      for (int t = 0; t < T; ++t) {
        _Pragma("GCC unroll 8")
        for (int r = 0; r < R; ++r) {
          a.y[static_cast<std::size_t>(t) * a.y_stride + static_cast<std::size_t>(r)] = _mm512_reduce_add_ps(acc[r][t]);
        }
      }
    }
  };
};

template <int R, int T>
using Q4_KTile = KTile<Q4_K>::Kernel<R, T>;
template <int R, int T>
using Q6_KTile = KTile<Q6_K>::Kernel<R, T>;

}  // namespace

std::int64_t packed_q8_K_row_bytes(std::int64_t cols) {
  return cols / kQK_K * static_cast<std::int64_t>(sizeof(PackedQ8_KBlock));
}

void pack_q8_K_row(const void* xq, void* packed, std::int64_t cols) {
  const auto* xb = static_cast<const BlockQ8_K*>(xq);
  auto* out = static_cast<PackedQ8_KBlock*>(packed);
  for (std::int64_t i = 0; i < cols / kQK_K; ++i) {
    std::memcpy(out[i].q, xb[i].qs, kQK_K);
    for (int l = 0; l < 16; ++l) {
      out[i].bsum[l] = xb[i].d * static_cast<float>(xb[i].bsums[l]);
      out[i].d[l] = xb[i].d;
    }
  }
}

void gemm_q4_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  gemm::run_shaped_tiles<Q4_KTile>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
}

void gemm_q6_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  gemm::run_shaped_tiles<Q6_KTile>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
}

}  // namespace reval::kernels::avx512
