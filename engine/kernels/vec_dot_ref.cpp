// Scalar reference dot products of a weight row with a quantized activation row. The integer
// products of a block are summed exactly in int32 and scaled once per block (or sub-block), which
// is what the SIMD kernels do too, so the two agree to float rounding.
#include <cstring>

#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels::ref {

float vec_dot_f32_f32(std::int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const float*>(w);
  const auto* b = static_cast<const float*>(x);
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(a[i]) * b[i];
  return static_cast<float>(sum);
}

float vec_dot_f16_f32(std::int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const f16_t*>(w);
  const auto* b = static_cast<const float*>(x);
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(fp16_to_f32(a[i])) * b[i];
  return static_cast<float>(sum);
}

float vec_dot_bf16_f32(std::int64_t n, const void* w, const void* x) {
  const auto* a = static_cast<const bf16_t*>(w);
  const auto* b = static_cast<const float*>(x);
  double sum = 0.0;
  for (std::int64_t i = 0; i < n; ++i) sum += static_cast<double>(bf16_to_f32(a[i])) * b[i];
  return static_cast<float>(sum);
}

float vec_dot_q4_0_q8_0(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ4_0*>(w);
  const auto* xb = static_cast<const BlockQ8_0*>(x);
  std::uint8_t q[kQK];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    unpack_q4_0(wb[i].qs, q);
    int sumi = 0;
    for (int j = 0; j < kQK; ++j) sumi += (q[j] - 8) * xb[i].qs[j];
    sum += static_cast<float>(sumi) * fp16_to_f32(wb[i].d) * fp16_to_f32(xb[i].d);
  }
  return sum;
}

float vec_dot_q4_1_q8_1(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ4_1*>(w);
  const auto* xb = static_cast<const BlockQ8_1*>(x);
  std::uint8_t q[kQK];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    unpack_q4_0(wb[i].qs, q);
    int sumi = 0;
    for (int j = 0; j < kQK; ++j) sumi += q[j] * xb[i].qs[j];
    // sum_j (q_j d + m) x_j d_x = d d_x sumi + m (d_x sum_j x_j) = d d_x sumi + m s_x.
    sum += static_cast<float>(sumi) * fp16_to_f32(wb[i].d) * fp16_to_f32(xb[i].d) +
           fp16_to_f32(wb[i].m) * fp16_to_f32(xb[i].s);
  }
  return sum;
}

float vec_dot_q5_0_q8_0(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ5_0*>(w);
  const auto* xb = static_cast<const BlockQ8_0*>(x);
  std::uint8_t q[kQK];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    unpack_q5_0(&wb[i], q);
    int sumi = 0;
    for (int j = 0; j < kQK; ++j) sumi += (q[j] - 16) * xb[i].qs[j];
    sum += static_cast<float>(sumi) * fp16_to_f32(wb[i].d) * fp16_to_f32(xb[i].d);
  }
  return sum;
}

float vec_dot_q5_1_q8_1(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ5_1*>(w);
  const auto* xb = static_cast<const BlockQ8_1*>(x);
  std::uint8_t q[kQK];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    // Q5_1's qh/qs follow d and m; view them through a Q5_0-shaped block that starts 2 bytes later.
    BlockQ5_0 as_q5_0;
    std::memcpy(as_q5_0.qh, wb[i].qh, 4);
    std::memcpy(as_q5_0.qs, wb[i].qs, kQK / 2);
    unpack_q5_0(&as_q5_0, q);
    int sumi = 0;
    for (int j = 0; j < kQK; ++j) sumi += q[j] * xb[i].qs[j];
    sum += static_cast<float>(sumi) * fp16_to_f32(wb[i].d) * fp16_to_f32(xb[i].d) +
           fp16_to_f32(wb[i].m) * fp16_to_f32(xb[i].s);
  }
  return sum;
}

float vec_dot_q8_0_q8_0(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ8_0*>(w);
  const auto* xb = static_cast<const BlockQ8_0*>(x);
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    int sumi = 0;
    for (int j = 0; j < kQK; ++j) sumi += wb[i].qs[j] * xb[i].qs[j];
    sum += static_cast<float>(sumi) * fp16_to_f32(wb[i].d) * fp16_to_f32(xb[i].d);
  }
  return sum;
}

namespace {

// Shared by Q4_K and Q5_K: sum over 8 sub-blocks of d*sc*dot(q, x) - dmin*mn*sum(x), with sum(x) of a
// 32-weight sub-block taken from two Q8_K bsums.
float dot_k4_style(const std::uint8_t* q, const std::uint8_t* scales, float d, float dmin, const BlockQ8_K& xb) {
  int sum_scaled = 0;
  int sum_mins = 0;
  for (int sub = 0; sub < 8; ++sub) {
    std::uint8_t sc = 0;
    std::uint8_t mn = 0;
    get_scale_min_k4(sub, scales, &sc, &mn);
    int dot = 0;
    for (int l = 0; l < 32; ++l) dot += q[32 * sub + l] * xb.qs[32 * sub + l];
    sum_scaled += sc * dot;
    sum_mins += mn * (xb.bsums[2 * sub] + xb.bsums[2 * sub + 1]);
  }
  return xb.d * (d * static_cast<float>(sum_scaled) - dmin * static_cast<float>(sum_mins));
}

}  // namespace

float vec_dot_q4_K_q8_K(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ4_K*>(w);
  const auto* xb = static_cast<const BlockQ8_K*>(x);
  std::uint8_t q[kQK_K];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    unpack_q4_K(&wb[i], q);
    sum += dot_k4_style(q, wb[i].scales, fp16_to_f32(wb[i].d), fp16_to_f32(wb[i].dmin), xb[i]);
  }
  return sum;
}

float vec_dot_q5_K_q8_K(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ5_K*>(w);
  const auto* xb = static_cast<const BlockQ8_K*>(x);
  std::uint8_t q[kQK_K];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    unpack_q5_K(&wb[i], q);
    sum += dot_k4_style(q, wb[i].scales, fp16_to_f32(wb[i].d), fp16_to_f32(wb[i].dmin), xb[i]);
  }
  return sum;
}

float vec_dot_q6_K_q8_K(std::int64_t n, const void* w, const void* x) {
  const auto* wb = static_cast<const BlockQ6_K*>(w);
  const auto* xb = static_cast<const BlockQ8_K*>(x);
  std::uint8_t q[kQK_K];
  float sum = 0.0f;
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    unpack_q6_K(&wb[i], q);
    int sumi = 0;
    for (int g = 0; g < kQK_K / 16; ++g) {
      int dot = 0;
      for (int l = 0; l < 16; ++l) dot += (q[16 * g + l] - 32) * xb[i].qs[16 * g + l];
      sumi += wb[i].scales[g] * dot;
    }
    sum += fp16_to_f32(wb[i].d) * xb[i].d * static_cast<float>(sumi);
  }
  return sum;
}

}  // namespace reval::kernels::ref
