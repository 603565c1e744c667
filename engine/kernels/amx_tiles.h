// The AMX tile configuration shared by the interleaved-layout AMX GEMMs: tiles 0-1 hold 16 x 16 int32
// sums, 2-3 activations (16 tokens x 32 bytes), 4-5 weights (8 lines x 64 bytes: one 32-column block
// of a 16-row group in the VNNI order); two of each so consecutive blocks overlap. Include only from
// sources compiled with REVAL_AMX_FLAGS.
#pragma once

#include <immintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace reval::kernels::amx {

inline constexpr int kTileTokens = 16;

// The LDTILECFG memory layout (palette 1).
struct alignas(64) TileConfig {
  std::uint8_t palette_id;
  std::uint8_t start_row;
  std::uint8_t reserved[14];
  std::uint16_t colsb[16];
  std::uint8_t rows[16];
};
static_assert(sizeof(TileConfig) == 64);

// tileloadd with a memory clobber. GCC 12's _tile_loadd passes only the address in a register, so
// the compiler is not told that the instruction reads memory and may legally move (or drop as dead)
// earlier stores to what the tile loads: unpacked weights, reordered activations, the zero-padded
// last token tile. GCC's own _tile_stored has the clobber.
#define REVAL_TILE_LOADD(dst, base, stride)                                                         \
  __asm__ volatile("{tileloadd\t(%0,%1,1), %%tmm" #dst "|tileloadd\t%%tmm" #dst ", [%0+%1*1]}" ::"r"( \
                       static_cast<const void*>(base)),                                              \
                   "r"(static_cast<long>(stride))                                                   \
                   : "memory")

// ldtilecfg with the whole 64-byte configuration as its memory operand. GCC 12's _tile_loadconfig
// declares that it reads only the first 8 bytes, so the compiler may drop the stores of colsb and
// rows as dead and the first tile instruction then faults (seen with a configuration built in an
// inlined helper; SIGILL on tilezero).
inline void load_tile_config(const TileConfig& cfg) { __asm__ volatile("ldtilecfg %0" ::"m"(cfg)); }

inline void configure_block_tiles() {
  TileConfig cfg{};
  cfg.palette_id = 1;
  for (int t = 0; t < 2; ++t) {
    cfg.rows[t] = kTileTokens;
    cfg.colsb[t] = 64;
    cfg.rows[2 + t] = kTileTokens;
    cfg.colsb[2 + t] = 32;
    cfg.rows[4 + t] = 8;
    cfg.colsb[4 + t] = 64;
  }
  load_tile_config(cfg);
}

// Tile loads read 16 rows: a partial last token tile is copied into `tail`, zero-padded to 16 rows
// x stride bytes, so they never read past the caller's rows. Returns the tokens in full tiles.
inline std::int64_t pad_last_token_tile(const std::uint8_t* x, std::size_t x_stride, std::int64_t n_tokens,
                                        std::vector<std::uint8_t>& tail) {
  const std::int64_t full_tokens = n_tokens / kTileTokens * kTileTokens;
  if (full_tokens < n_tokens) {
    tail.assign(kTileTokens * x_stride, 0);
    std::memcpy(tail.data(), x + static_cast<std::size_t>(full_tokens) * x_stride,
                static_cast<std::size_t>(n_tokens - full_tokens) * x_stride);
  }
  return full_tokens;
}

}  // namespace reval::kernels::amx
