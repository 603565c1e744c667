// Quantized weights repacked at load time into layouts the AVX-512 (and AMX) kernels read directly.
//
// Q8_0 (kQ8_0x16):
// rows are taken 16 at a time ("a group"), and each 32-weight block of the group stores the 16 rows'
// scales followed by their quants in the VNNI order — byte 4 * r + j of 64-byte line k holds weight
// 4 * k + j of row r. One 64-byte line is then one vpdpbusd operand that adds to 16 rows at once for
// a broadcast activation word, and a block's 8 lines are exactly an AMX B tile (8 x 64 bytes). The
// layout has the same size as the GGUF rows (544 = 16 x 34 bytes per block), so a repacked model
// takes no more memory than the mapped one it replaces.
//
// Q4_K (kQ4_Kx16): the same 16-row groups; per 256-weight super-block the rows' d and dmin, their
// 12 bytes of packed 6-bit scales and mins as three 16-lane words (decoded for all rows with a few
// vector shifts), and the quants as 64-byte lines of 16 rows x 4 weights, two weights per byte: the
// low nibbles one group of 4 columns, the high nibbles the group 16 columns later. Also the size of
// the GGUF rows (2304 = 16 x 144 bytes per super-block).
//
// Q6_K (kQ6_Kx16): 16-row groups; per super-block the rows' d, their 16 int8 sub-block scales
// transposed (16 rows per sub-block, one vpmovsxbd away from a vector), the low 4 bits of the quants
// in nibble lines as in Q4_K, and their top 2 bits packed four to a byte in lines matching two nibble
// lines each. The same size as the GGUF rows (3360 = 16 x 210 bytes per super-block).
//
// Matmul over an interleaved matrix (engine/kernels/matmul.cpp) packs each token's quantized
// activations (Q8_0 or Q8_K) into the layout's rows and calls the tier's GEMM: the scalar reference
// below (any CPU; the tests' ground truth), avx512:: (vpdpbusd tiles) or, for Q8_0, amx:: (tdpbssd,
// 16-token tiles).
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/kernels/blocks.h"
#include "engine/kernels/fp16.h"
#include "engine/kernels/type_traits.h"

namespace reval::kernels {

inline constexpr int kGroupRows = 16;

struct BlockQ8_0x16 {
  f16_t d[kGroupRows];
  std::int8_t qs[kGroupRows * kQK];  // qs[64 * (k / 4) + 4 * r + k % 4] = weight k of row r
};
static_assert(sizeof(BlockQ8_0x16) == kGroupRows * sizeof(BlockQ8_0));

struct BlockQ4_Kx16 {
  f16_t d[kGroupRows];
  f16_t dmin[kGroupRows];
  std::uint32_t scales[3][kGroupRows];  // scales[c][r]: bytes 4c..4c+3 of row r's packed scales
  // qs[j][p][4 * r + b]: weight 32j + 4p + b of row r in the low nibble, 32j + 16 + 4p + b in the high one
  std::uint8_t qs[kQK_K / 32][4][64];
};
static_assert(sizeof(BlockQ4_Kx16) == kGroupRows * sizeof(BlockQ4_K));

struct BlockQ6_Kx16 {
  f16_t d[kGroupRows];
  std::int8_t scales[kQK_K / 16][kGroupRows];  // scales[s][r]: sub-block s (16 weights) of row r
  // ql[j][p][4 * r + b]: low 4 bits of weight 32j + 4p + b (low nibble) and 32j + 16 + 4p + b (high)
  std::uint8_t ql[kQK_K / 32][4][64];
  // qh[j][h][4 * r + b]: top 2 bits of the four weights of ql[j][2h] and ql[j][2h + 1] at the same
  // byte, in bits 0-1 / 2-3 (line 2h, low / high nibble) and 4-5 / 6-7 (line 2h + 1)
  std::uint8_t qh[kQK_K / 32][2][64];
};
static_assert(sizeof(BlockQ6_Kx16) == kGroupRows * sizeof(BlockQ6_K));

// How a WeightMatrix stores its rows.
enum class WeightLayout {
  kRows,     // GGUF order: row after row of the type's blocks
  kQ8_0x16,  // Q8_0 in groups of 16 rows (BlockQ8_0x16), group g at g * 16 * row_bytes
  kQ4_Kx16,  // Q4_K in groups of 16 rows (BlockQ4_Kx16), group g at g * 16 * row_bytes
  kQ6_Kx16,  // Q6_K in groups of 16 rows (BlockQ6_Kx16), group g at g * 16 * row_bytes
};

// The interleaved layout for `type` (kRows when there is none), and whether a rows x cols matrix
// can use it (rows a multiple of 16).
WeightLayout interleaved_layout(TensorType type);
bool can_interleave(TensorType type, std::int64_t rows, std::int64_t cols);

// Repacks groups [group_begin, group_end) of a matrix whose rows are src_stride bytes apart into the
// interleaved layout at dst (the whole matrix's destination; groups are written at their offsets).
void interleave_rows(TensorType type, const void* src, std::size_t src_stride, std::int64_t cols,
                     std::int64_t group_begin, std::int64_t group_end, void* dst);
void interleave_q8_0(const void* src, std::size_t src_stride, std::int64_t cols, std::int64_t group_begin,
                     std::int64_t group_end, void* dst);
void interleave_q4_K(const void* src, std::size_t src_stride, std::int64_t cols, std::int64_t group_begin,
                     std::int64_t group_end, void* dst);
void dequantize_q4_Kx16_row(const void* data, std::int64_t cols, std::int64_t row, float* dst);
void interleave_q6_K(const void* src, std::size_t src_stride, std::int64_t cols, std::int64_t group_begin,
                     std::int64_t group_end, void* dst);
void dequantize_q6_Kx16_row(const void* data, std::int64_t cols, std::int64_t row, float* dst);
// Row `row` of an interleaved matrix of any layout.
void dequantize_interleaved_row(WeightLayout layout, const void* data, std::int64_t cols, std::int64_t row, float* dst);

// Row `row` of an interleaved Q8_0 matrix as floats (embedding lookup of tied embeddings).
void dequantize_q8_0x16_row(const void* data, std::int64_t cols, std::int64_t row, float* dst);

// Activations as the interleaved kernels read them, one row per token: the quants of every block
// back to back (cols bytes; AMX loads 16 tokens' blocks as one tile), then per block the scale as a
// float and -128 * (sum of the block's quants) (the VNNI kernels add 128 to each weight to make it
// unsigned and cancel that with this term). Rows are padded to 64 bytes.
std::int64_t packed_q8_0x16_row_bytes(std::int64_t cols);
void pack_q8_0x16_row(const void* xq, void* packed, std::int64_t cols);
inline const float* packed_q8_0x16_scales(const std::uint8_t* row, std::int64_t cols) {
  return reinterpret_cast<const float*>(row + cols);
}
inline const std::int32_t* packed_q8_0x16_bias(const std::uint8_t* row, std::int64_t cols) {
  return reinterpret_cast<const std::int32_t*>(row + cols + cols / kQK * 4);
}

// y[t * y_stride + r] = dot(weight row r, token t) for the n_groups groups starting at w and the
// n_tokens packed rows starting at x. The same contract in every tier.
using GemmQ8_0x16Fn = void (*)(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x,
                               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);

namespace ref {
void gemm_q8_0x16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace ref
namespace avx512 {
void gemm_q8_0x16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace avx512
namespace amx {
// Used from kAmxMinTokensQ8_0x16 tokens (below that the AVX-512 tiles are faster).
inline constexpr std::int64_t kMinTokensQ8_0x16 = 8;
void gemm_q8_0x16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace amx

// The interleaved GEMM of tier `isa` for n_tokens tokens.
GemmQ8_0x16Fn gemm_q8_0x16_for(KernelIsa isa, std::int64_t n_tokens);

// Q4_K: activations quantized to Q8_K, packed one row per token: the quants back to back (cols
// bytes), then per super-block d as a float, then per super-block the 8 sums of each 32-column
// sub-block's quants as int16 (pairs of them multiply the rows' mins with one vpdpwssd).
std::int64_t packed_q4_Kx16_row_bytes(std::int64_t cols);
void pack_q4_Kx16_row(const void* xq, void* packed, std::int64_t cols);
inline const float* packed_q4_Kx16_scales(const std::uint8_t* row, std::int64_t cols) {
  return reinterpret_cast<const float*>(row + cols);
}
inline const std::int16_t* packed_q4_Kx16_sums(const std::uint8_t* row, std::int64_t cols) {
  return reinterpret_cast<const std::int16_t*>(row + cols + cols / kQK_K * 4);
}
// Same contract as GemmQ8_0x16Fn over BlockQ4_Kx16 groups and packed Q8_K rows.
using GemmQ4_Kx16Fn = GemmQ8_0x16Fn;
namespace ref {
void gemm_q4_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace ref
namespace avx512 {
void gemm_q4_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace avx512
namespace amx {
// Used from kMinTokensQ4_Kx16 tokens (batched decode and prompts).
inline constexpr std::int64_t kMinTokensQ4_Kx16 = 16;
void gemm_q4_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace amx
GemmQ4_Kx16Fn gemm_q4_Kx16_for(KernelIsa isa, std::int64_t n_tokens);

// Q6_K: Q8_K activations packed as the quants (cols bytes), then per super-block d as a float, then
// per super-block the 16 values -32 * (sum of each 16-column sub-block's quants) as int32 (the
// stored quants are q + 32; each sub-block's sums start from this).
std::int64_t packed_q6_Kx16_row_bytes(std::int64_t cols);
void pack_q6_Kx16_row(const void* xq, void* packed, std::int64_t cols);
inline const float* packed_q6_Kx16_scales(const std::uint8_t* row, std::int64_t cols) {
  return reinterpret_cast<const float*>(row + cols);
}
inline const std::int32_t* packed_q6_Kx16_bias(const std::uint8_t* row, std::int64_t cols) {
  return reinterpret_cast<const std::int32_t*>(row + cols + cols / kQK_K * 4);
}
namespace ref {
void gemm_q6_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace ref
namespace avx512 {
void gemm_q6_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride);
}  // namespace avx512

// Everything matmul needs for one interleaved layout.
struct InterleavedKernels {
  std::int64_t (*packed_row_bytes)(std::int64_t cols);
  void (*pack_row)(const void* xq, void* packed, std::int64_t cols);
  // The GEMM of tier `isa` for a chunk of n_tokens tokens.
  GemmQ8_0x16Fn (*gemm_for)(KernelIsa isa, std::int64_t n_tokens);
};
const InterleavedKernels& interleaved_kernels(WeightLayout layout);

}  // namespace reval::kernels
