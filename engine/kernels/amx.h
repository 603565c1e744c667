// AMX-INT8 GEMM kernels (tile registers): compiled with REVAL_AMX_FLAGS in their own files; call them
// only when cpu_supports(KernelIsa::kAmx), which also asks Linux for the tile-data permission.
#pragma once

#include <cstddef>
#include <cstdint>

namespace reval::kernels::amx {

// Packed Q8_0 activations: the quants back to back, then one float scale per block.
std::int64_t packed_q8_0_row_bytes(std::int64_t cols);
void pack_q8_0_row(const void* xq, void* packed, std::int64_t cols);
// Same contract as avx512::gemm_q8_0.
void gemm_q8_0(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);

// Q4_K and Q6_K weights: packed Q8_K activations (quants, then scales and per-16 sums as floats).
std::int64_t packed_q8_K_row_bytes(std::int64_t cols);
void pack_q8_K_row(const void* xq, void* packed, std::int64_t cols);
void gemm_q6_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);
void gemm_q4_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);

}  // namespace reval::kernels::amx
