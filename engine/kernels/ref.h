// Scalar reference kernels for every tensor type: dequantize a row, quantize a row (the simple
// rounding quantizers; the K-quant weight quantizers with scale search live in engine/quantize), and
// dot products of a weight row with an activation row in the type's activation format. These are the
// ground truth every SIMD kernel is tested against. n is the element count, a multiple of the block
// size; all functions are pure and thread-safe.
#pragma once

#include <cstdint>

namespace reval::kernels::ref {

void dequantize_row_f32(const void* src, float* dst, std::int64_t n);
void dequantize_row_f16(const void* src, float* dst, std::int64_t n);
void dequantize_row_bf16(const void* src, float* dst, std::int64_t n);
void dequantize_row_q4_0(const void* src, float* dst, std::int64_t n);
void dequantize_row_q4_1(const void* src, float* dst, std::int64_t n);
void dequantize_row_q5_0(const void* src, float* dst, std::int64_t n);
void dequantize_row_q5_1(const void* src, float* dst, std::int64_t n);
void dequantize_row_q8_0(const void* src, float* dst, std::int64_t n);
void dequantize_row_q8_1(const void* src, float* dst, std::int64_t n);
void dequantize_row_q4_K(const void* src, float* dst, std::int64_t n);
void dequantize_row_q5_K(const void* src, float* dst, std::int64_t n);
void dequantize_row_q6_K(const void* src, float* dst, std::int64_t n);
void dequantize_row_q8_K(const void* src, float* dst, std::int64_t n);

// Round-to-nearest quantizers (one scale per block from the block's extreme value, as ggml's
// reference quantizers do). Q8_0/Q8_1/Q8_K are the activation formats.
void quantize_row_f32(const float* src, void* dst, std::int64_t n);
void quantize_row_f16(const float* src, void* dst, std::int64_t n);
void quantize_row_bf16(const float* src, void* dst, std::int64_t n);
void quantize_row_q4_0(const float* src, void* dst, std::int64_t n);
void quantize_row_q4_1(const float* src, void* dst, std::int64_t n);
void quantize_row_q5_0(const float* src, void* dst, std::int64_t n);
void quantize_row_q5_1(const float* src, void* dst, std::int64_t n);
void quantize_row_q8_0(const float* src, void* dst, std::int64_t n);
void quantize_row_q8_1(const float* src, void* dst, std::int64_t n);
void quantize_row_q8_K(const float* src, void* dst, std::int64_t n);

// Dot products: weight row `w` (the first type) with activation row `x` (the second type).
float vec_dot_f32_f32(std::int64_t n, const void* w, const void* x);
float vec_dot_f16_f32(std::int64_t n, const void* w, const void* x);
float vec_dot_bf16_f32(std::int64_t n, const void* w, const void* x);
float vec_dot_q4_0_q8_0(std::int64_t n, const void* w, const void* x);
float vec_dot_q4_1_q8_1(std::int64_t n, const void* w, const void* x);
float vec_dot_q5_0_q8_0(std::int64_t n, const void* w, const void* x);
float vec_dot_q5_1_q8_1(std::int64_t n, const void* w, const void* x);
float vec_dot_q8_0_q8_0(std::int64_t n, const void* w, const void* x);
float vec_dot_q4_K_q8_K(std::int64_t n, const void* w, const void* x);
float vec_dot_q5_K_q8_K(std::int64_t n, const void* w, const void* x);
float vec_dot_q6_K_q8_K(std::int64_t n, const void* w, const void* x);

// Unpacks the integer quants of one block (no scales) into q[block_size]: the building block the
// reference dots and the dequantizers share. Values: Q4_0 0..15, Q5_0 0..31, Q4_K 0..15, Q5_K 0..31,
// Q6_K 0..63 (offsets like -8/-16/-32 not applied).
void unpack_q4_0(const void* qs, std::uint8_t* q);  // takes the 16 qs bytes (Q4_0 and Q4_1)
void unpack_q5_0(const void* block, std::uint8_t* q);  // a whole BlockQ5_0
void unpack_q4_K(const void* block, std::uint8_t* q);
void unpack_q5_K(const void* block, std::uint8_t* q);
void unpack_q6_K(const void* block, std::uint8_t* q);

}  // namespace reval::kernels::ref
