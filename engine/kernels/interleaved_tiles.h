// Helpers shared by the AVX-512 GEMMs over interleaved layouts (include only from sources compiled
// with REVAL_AVX512_FLAGS): the activation-word broadcast and the loop that covers groups x token
// tiles with a register tile instantiated for each token count.
#pragma once

#include <immintrin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

#include "engine/kernels/interleaved.h"

namespace reval::kernels::avx512 {

// Four activation bytes as a 32-bit word in every lane: one vpdpbusd operand for 16 weight rows.
inline __m512i broadcast_word(const void* p) {
  std::int32_t word;
  std::memcpy(&word, p, 4);
  return _mm512_set1_epi32(word);
}

// Fetches every cache line of one interleaved block into L2 (the block may start anywhere in a
// line). The kernels that stream weights from memory call it a few blocks ahead of their loads.
template <class Block>
inline void prefetch_block_l2(const Block* block) {
  constexpr int kLines = static_cast<int>((sizeof(Block) + 63) / 64) + 1;
  const char* bytes = reinterpret_cast<const char*>(block);
  _Pragma("GCC unroll 64") for (int line = 0; line < kLines; ++line) _mm_prefetch(bytes + 64 * line, _MM_HINT_T1);
}

// get_scale_min_k4 for the 16 rows of a BlockQ4_Kx16: scale j (low = scales[0], high_nibble = false) or
// min j (low = scales[1], high_nibble = true) as 16 int32 lanes. j < 4: the low 6 bits of byte j of
// `low`; j >= 4: 4 bits of byte j - 4 of `s2` (= scales[2]) below the top 2 bits of byte j - 4 of `low`.
inline __m512i q4_K_six_bit_field(__m512i low, __m512i s2, int j, bool high_nibble) {
  const unsigned shift = 8u * static_cast<unsigned>(j % 4);
  if (j < 4) return _mm512_and_si512(_mm512_srli_epi32(low, shift), _mm512_set1_epi32(63));
  const __m512i bottom =
      _mm512_and_si512(_mm512_srli_epi32(s2, shift + (high_nibble ? 4u : 0u)), _mm512_set1_epi32(15));
  const __m512i top = _mm512_and_si512(_mm512_srli_epi32(low, shift + 6), _mm512_set1_epi32(3));
  return _mm512_or_si512(bottom, _mm512_slli_epi32(top, 4));
}

// Runs Tile<T>::run(cols, group blocks, x, x_stride, y, y_stride) over every group and every tile of
// up to kMaxTokens tokens, groups outermost so a group's blocks stay in L1/L2 while every token tile
// passes over them. `Block` is the layout's per-group block, `block_cols` the columns it covers.
template <class Block, int kMaxTokens, template <int> class Tile>
void run_group_tiles(std::int64_t cols, std::int64_t block_cols, const void* w, std::int64_t n_groups, const void* x,
                     std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  using TileFn = void (*)(std::int64_t, const Block*, const std::uint8_t*, std::size_t, float*, std::size_t);
  static constexpr auto kTiles = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<TileFn, kMaxTokens>{&Tile<static_cast<int>(I) + 1>::run...};
  }
  (std::make_index_sequence<kMaxTokens>());
  const std::int64_t nb = cols / block_cols;
  const auto* groups = static_cast<const Block*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t g = 0; g < n_groups; ++g) {
    for (std::int64_t t = 0; t < n_tokens; t += kMaxTokens) {
      const auto nt = static_cast<std::size_t>(n_tokens - t < kMaxTokens ? n_tokens - t : kMaxTokens);
      kTiles[nt - 1](cols, groups + g * nb, xb + static_cast<std::size_t>(t) * x_stride, x_stride,
                     y + static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(g * kGroupRows), y_stride);
    }
  }
}

}  // namespace reval::kernels::avx512
