#include "engine/model/attention.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "engine/kernels/fp16.h"
#include "engine/kernels/type_traits.h"

namespace reval::engine {

using kernels::f32_to_fp16;
using kernels::fp16_to_f32;

namespace {
float round_to_half(float x) { return fp16_to_f32(f32_to_fp16(x)); }
}  // namespace

void attend_group_ref(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                      int kv_head, AttentionScratch& scratch, float* out) {
  const int group = shape.n_heads / shape.n_kv_heads;
  const int dim = shape.head_dim;
  const std::int64_t n_keys = n_past + 1;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dim));
  const int block_tokens = kv.block_tokens();
  const int first_head = kv_head * group;
  scratch.q.resize(static_cast<std::size_t>(group) * dim);
  scratch.scores.resize(static_cast<std::size_t>(group * n_keys));
  for (int i = 0; i < group * dim; ++i) {
    scratch.q[static_cast<std::size_t>(i)] = round_to_half(q[static_cast<std::int64_t>(first_head) * dim + i]);
  }
  // Scores, one K row at a time for every head of the group.
  for (std::int64_t p = 0; p < n_keys; ++p) {
    const std::uint16_t* k = kv.k_rows(p / block_tokens, kv_head) + (p % block_tokens) * dim;
    for (int h = 0; h < group; ++h) {
      const float* qh = scratch.q.data() + static_cast<std::ptrdiff_t>(h) * dim;
      float sum = 0.0f;
      for (int d = 0; d < dim; ++d) sum += qh[d] * fp16_to_f32(k[d]);
      scratch.scores[static_cast<std::size_t>(h * n_keys + p)] = sum * scale;
    }
  }
  for (int h = 0; h < group; ++h) {
    float* w = scratch.scores.data() + h * n_keys;
    softmax(w, static_cast<int>(n_keys));
    for (std::int64_t p = 0; p < n_keys; ++p) w[p] = round_to_half(w[p]);
    float* oh = out + static_cast<std::int64_t>(first_head + h) * dim;
    std::fill(oh, oh + dim, 0.0f);
  }
  for (std::int64_t p = 0; p < n_keys; ++p) {
    const std::uint16_t* v = kv.v_rows(p / block_tokens, kv_head) + (p % block_tokens) * dim;
    for (int h = 0; h < group; ++h) {
      const float w = scratch.scores[static_cast<std::size_t>(h * n_keys + p)];
      float* oh = out + static_cast<std::int64_t>(first_head + h) * dim;
      for (int d = 0; d < dim; ++d) oh[d] += w * fp16_to_f32(v[d]);
    }
  }
}

bool attention_uses_avx2() {
  // Every kernel tier above scalar (avx2, and avx512/amx which include it) has AVX2 + FMA + F16C;
  // REVAL_KERNELS=scalar selects the reference here too.
  static const bool value = kernels::kernel_isa() != "scalar";
  return value;
}

bool attention_uses_avx512() {
  static const bool value = [] {
#if defined(__x86_64__)
    const char* cap = std::getenv("REVAL_KERNELS");
    if (cap != nullptr && (std::strcmp(cap, "avx2") == 0 || std::strcmp(cap, "scalar") == 0)) return false;
    __builtin_cpu_init();
    return attention_uses_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
           __builtin_cpu_supports("avx512bw");
#else
    return false;
#endif
  }();
  return value;
}

void attend_group(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                  int kv_head, AttentionScratch& scratch, float* out) {
  if (attention_uses_avx512()) {
    avx512::attend_group(q, kv, n_past, shape, kv_head, scratch, out);
  } else if (attention_uses_avx2()) {
    avx2::attend_group(q, kv, n_past, shape, kv_head, scratch, out);
  } else {
    attend_group_ref(q, kv, n_past, shape, kv_head, scratch, out);
  }
}

}  // namespace reval::engine
