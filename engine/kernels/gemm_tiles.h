// The tile loop shared by the GEMM kernels: covers n_rows x n_tokens with register tiles of at
// most kMaxR weight rows x kMaxT tokens, calling the kernel instantiated for the tile's exact size
// (edges included), so every tile keeps all its accumulators in registers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace reval::kernels::gemm {

struct TileArgs {
  std::int64_t cols;
  const std::uint8_t* w;  // first weight row of the tile
  std::size_t w_stride;
  const std::uint8_t* x;  // first packed activation row of the tile
  std::size_t x_stride;
  float* y;  // y[t * y_stride + r]
  std::size_t y_stride;
};

using TileFn = void (*)(const TileArgs&);

#ifndef REVAL_GEMM_DECODE_ROWS
#define REVAL_GEMM_DECODE_ROWS 8
#endif
#ifndef REVAL_GEMM_WIDE_ROWS
#define REVAL_GEMM_WIDE_ROWS 2
#define REVAL_GEMM_WIDE_TOKENS 8
#endif
inline constexpr int kDecodeRows = REVAL_GEMM_DECODE_ROWS;
inline constexpr int kWideRows = REVAL_GEMM_WIDE_ROWS;
inline constexpr int kWideTokens = REVAL_GEMM_WIDE_TOKENS;

template <template <int, int> class Kernel, int kMaxR, int kMaxT>
struct TileTable {
  template <std::size_t... I>
  static constexpr std::array<TileFn, kMaxR * kMaxT> make(std::index_sequence<I...>) {
    return {&Kernel<static_cast<int>(I) / kMaxT + 1, static_cast<int>(I) % kMaxT + 1>::run...};
  }
  static constexpr std::array<TileFn, kMaxR * kMaxT> fns = make(std::make_index_sequence<kMaxR * kMaxT>());
};

// Row tiles outermost: a tile's weight rows stay in L1 while every token tile passes over them;
// the caller keeps the activation rows few enough to stay in L2.
template <template <int, int> class Kernel, int kMaxR, int kMaxT>
void run_tiles(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const auto& fns = TileTable<Kernel, kMaxR, kMaxT>::fns;
  const auto* wb = static_cast<const std::uint8_t*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t r = 0; r < n_rows; r += kMaxR) {
    const int nr = static_cast<int>(n_rows - r < kMaxR ? n_rows - r : kMaxR);
    for (std::int64_t t = 0; t < n_tokens; t += kMaxT) {
      const int nt = static_cast<int>(n_tokens - t < kMaxT ? n_tokens - t : kMaxT);
      const TileArgs args{cols,     wb + static_cast<std::size_t>(r) * w_stride,
                          w_stride, xb + static_cast<std::size_t>(t) * x_stride,
                          x_stride, y + static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(r),
                          y_stride};
      fns[static_cast<std::size_t>((nr - 1) * kMaxT + (nt - 1))](args);
    }
  }
}

// The tile shape by token count: one token (decode) streams 8 weight rows at once for memory-level
// parallelism; up to 4 tokens use 4 x 4 tiles; more use 2 rows x 8 tokens, which halves the
// per-token share of unpacking each weight block.
template <template <int, int> class Kernel>
void run_shaped_tiles(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
                      std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride) {
  if (n_tokens == 1) {
    run_tiles<Kernel, kDecodeRows, 1>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
  } else if (n_tokens <= 4) {
    run_tiles<Kernel, 4, 4>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
  } else {
    run_tiles<Kernel, kWideRows, kWideTokens>(cols, w, w_stride, n_rows, x, x_stride, n_tokens, y, y_stride);
  }
}

}  // namespace reval::kernels::gemm
