#include "engine/model/ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/kernels/fp16.h"

namespace reval::engine {

void rms_norm(const float* x, const float* weight, int n, float eps, float* out) {
  double sum = 0.0;
  for (int i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * static_cast<double>(x[i]);
  const float mean = static_cast<float>(sum / n);
  const float scale = 1.0f / std::sqrt(mean + eps);
  for (int i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

void rope_angles(std::int64_t pos, const RopeParams& params, float* cos_out, float* sin_out) {
  const int n_pairs = params.n_rot / 2;
  // The angle of pair i is computed as pos * base^(-2i/n_rot) by repeated multiplication in float,
  // the same arithmetic ggml uses, so long positions round the same way as llama.cpp.
  const float theta_scale = std::pow(params.freq_base, -2.0f / static_cast<float>(params.n_rot));
  float theta = static_cast<float>(pos);
  for (int i = 0; i < n_pairs; ++i) {
    const float factor = params.freq_factors.empty() ? 1.0f : params.freq_factors[i];
    const float angle = params.freq_scale * (theta / factor);
    cos_out[i] = std::cos(angle);
    sin_out[i] = std::sin(angle);
    theta *= theta_scale;
  }
}

void rope_apply(float* x, int n_heads, int head_dim, const RopeParams& params, const float* cos_table,
                const float* sin_table) {
  const int n_pairs = params.n_rot / 2;
  for (int h = 0; h < n_heads; ++h) {
    float* head = x + static_cast<std::int64_t>(h) * head_dim;
    for (int i = 0; i < n_pairs; ++i) {
      const int a = params.mode == RopeMode::kNormal ? 2 * i : i;
      const int b = params.mode == RopeMode::kNormal ? 2 * i + 1 : i + n_pairs;
      const float x0 = head[a];
      const float x1 = head[b];
      head[a] = x0 * cos_table[i] - x1 * sin_table[i];
      head[b] = x0 * sin_table[i] + x1 * cos_table[i];
    }
  }
}

void rope(float* x, int n_heads, int head_dim, std::int64_t pos, const RopeParams& params) {
  std::vector<float> cos_table(static_cast<std::size_t>(params.n_rot / 2));
  std::vector<float> sin_table(cos_table.size());
  rope_angles(pos, params, cos_table.data(), sin_table.data());
  rope_apply(x, n_heads, head_dim, params, cos_table.data(), sin_table.data());
}

void softmax(float* x, int n) {
  if (n <= 0) return;
  const float max_value = *std::max_element(x, x + n);
  double sum = 0.0;
  for (int i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max_value);
    sum += x[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int i = 0; i < n; ++i) x[i] *= inv;
}

void swiglu(const float* gate, const float* up, int n, float* out) {
  for (int i = 0; i < n; ++i) {
    const float g = gate[i];
    out[i] = g / (1.0f + std::exp(-g)) * up[i];
  }
}

float KvRowSource::dot_k(std::int64_t pos, int kv_head, const float* q, int head_dim) const {
  std::vector<float> k(head_dim);
  read_k(pos, kv_head, k.data());
  float sum = 0.0f;
  for (int d = 0; d < head_dim; ++d) sum += q[d] * k[d];
  return sum;
}

void KvRowSource::add_v(std::int64_t pos, int kv_head, float w, float* out, int head_dim) const {
  std::vector<float> v(head_dim);
  read_v(pos, kv_head, v.data());
  for (int d = 0; d < head_dim; ++d) out[d] += w * v[d];
}

void attend_one(const float* q, const KvRowSource& kv, std::int64_t n_past, const AttentionShape& shape,
                float* scratch, float* out) {
  const int group = shape.n_heads / shape.n_kv_heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(shape.head_dim));
  const int n_keys = static_cast<int>(n_past + 1);
  std::vector<float> q_half(static_cast<std::size_t>(shape.head_dim));
  for (int h = 0; h < shape.n_heads; ++h) {
    const int kv_head = h / group;
    const float* qh = q + static_cast<std::int64_t>(h) * shape.head_dim;
    // Q and the attention weights are rounded to half precision before meeting the F16 cache, as
    // llama.cpp's (non flash-attention) path does; this keeps both engines' scores within float noise.
    for (int d = 0; d < shape.head_dim; ++d) q_half[static_cast<std::size_t>(d)] = kernels::fp16_to_f32(kernels::f32_to_fp16(qh[d]));
    for (int p = 0; p < n_keys; ++p) scratch[p] = kv.dot_k(p, kv_head, q_half.data(), shape.head_dim) * scale;
    softmax(scratch, n_keys);
    float* oh = out + static_cast<std::int64_t>(h) * shape.head_dim;
    std::fill(oh, oh + shape.head_dim, 0.0f);
    for (int p = 0; p < n_keys; ++p) kv.add_v(p, kv_head, kernels::fp16_to_f32(kernels::f32_to_fp16(scratch[p])), oh, shape.head_dim);
  }
}

}  // namespace reval::engine
