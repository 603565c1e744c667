// AVX-512 (F, BW, VL, DQ, VNNI) GEMM kernels: compiled with REVAL_AVX512_FLAGS in their own files;
// call them only when the CPU has those extensions (kernel_isa() == "avx512"). Each weight type's
// GEMM reads its activations in a packed layout made once per product by the matching pack_row
// from the type's ordinary activation rows (Q8_0 or Q8_K), so scales are floats and per-lane
// corrections are precomputed before the inner loops. Tested against the scalar references in
// tests/engine/kernels/gemm_test.cpp.
#pragma once

#include <cstddef>
#include <cstdint>

namespace reval::kernels::avx512 {

// Q8_0 activations, per pair of blocks (64 columns; an odd last block is paired with zeros).
std::int64_t packed_q8_0_row_bytes(std::int64_t cols);
void pack_q8_0_row(const void* xq, void* packed, std::int64_t cols);
// Q8_K activations, per super-block (256 columns).
std::int64_t packed_q8_K_row_bytes(std::int64_t cols);
void pack_q8_K_row(const void* xq, void* packed, std::int64_t cols);

// y[t * y_stride + r] = dot(weight row r, activation row t) for r < n_rows, t < n_tokens; weight
// rows are w_stride bytes apart, packed activation rows x_stride bytes apart.
void gemm_q8_0(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);
void gemm_q4_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);
void gemm_q6_K(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);

}  // namespace reval::kernels::avx512
