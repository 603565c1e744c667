// AVX2 (+FMA, F16C) kernels. Compiled with REVAL_AVX2_FLAGS in their own files; call them only when
// kernel_isa() == "avx2". Same contracts as their references in engine/kernels/ref.h.
#pragma once

#include <cstdint>

namespace reval::kernels::avx2 {

void dequantize_row_f16(const void* src, float* dst, std::int64_t n);
void quantize_row_f16(const float* src, void* dst, std::int64_t n);
void quantize_row_q8_0(const float* src, void* dst, std::int64_t n);
void quantize_row_q8_1(const float* src, void* dst, std::int64_t n);
void quantize_row_q8_K(const float* src, void* dst, std::int64_t n);

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

}  // namespace reval::kernels::avx2
