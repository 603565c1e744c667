// Scalar reference round-to-nearest quantizers (ggml's reference rounding rules, so activations
// quantize the way llama.cpp quantizes them). Layouts in engine/kernels/blocks.h.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels::ref {
namespace {

// The value of largest magnitude, with its sign.
float signed_absmax(const float* x, int n) {
  float amax = 0.0f;
  float max = 0.0f;
  for (int j = 0; j < n; ++j) {
    if (std::fabs(x[j]) > amax) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  return max;
}

void min_max(const float* x, int n, float* min, float* max) {
  *min = x[0];
  *max = x[0];
  for (int j = 1; j < n; ++j) {
    *min = std::min(*min, x[j]);
    *max = std::max(*max, x[j]);
  }
}

// Packs 32 values of 0..31 into Q5 nibbles + high-bit word.
void pack_q5(const int* q, std::uint8_t* qs, std::uint8_t* qh_bytes) {
  std::uint32_t qh = 0;
  for (int j = 0; j < kQK / 2; ++j) {
    qs[j] = static_cast<std::uint8_t>((q[j] & 0xF) | ((q[j + 16] & 0xF) << 4));
    qh |= static_cast<std::uint32_t>((q[j] >> 4) & 1) << j;
    qh |= static_cast<std::uint32_t>((q[j + 16] >> 4) & 1) << (j + 16);
  }
  std::memcpy(qh_bytes, &qh, 4);
}

}  // namespace

void quantize_row_f32(const float* src, void* dst, std::int64_t n) {
  std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
}

void quantize_row_f16(const float* src, void* dst, std::int64_t n) {
  auto* h = static_cast<f16_t*>(dst);
  for (std::int64_t i = 0; i < n; ++i) h[i] = f32_to_fp16(src[i]);
}

void quantize_row_bf16(const float* src, void* dst, std::int64_t n) {
  auto* h = static_cast<bf16_t*>(dst);
  for (std::int64_t i = 0; i < n; ++i) h[i] = f32_to_bf16(src[i]);
}

void quantize_row_q4_0(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ4_0*>(dst);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    const float d = signed_absmax(x, kQK) / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    blocks[i].d = f32_to_fp16(d);
    for (int j = 0; j < kQK / 2; ++j) {
      const int q0 = std::min(15, static_cast<int>(x[j] * id + 8.5f));
      const int q1 = std::min(15, static_cast<int>(x[j + 16] * id + 8.5f));
      blocks[i].qs[j] = static_cast<std::uint8_t>(q0 | (q1 << 4));
    }
  }
}

void quantize_row_q4_1(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ4_1*>(dst);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    float min = 0.0f;
    float max = 0.0f;
    min_max(x, kQK, &min, &max);
    const float d = (max - min) / 15.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    blocks[i].d = f32_to_fp16(d);
    blocks[i].m = f32_to_fp16(min);
    for (int j = 0; j < kQK / 2; ++j) {
      const int q0 = std::min(15, static_cast<int>((x[j] - min) * id + 0.5f));
      const int q1 = std::min(15, static_cast<int>((x[j + 16] - min) * id + 0.5f));
      blocks[i].qs[j] = static_cast<std::uint8_t>(q0 | (q1 << 4));
    }
  }
}

void quantize_row_q5_0(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ5_0*>(dst);
  int q[kQK];
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    const float d = signed_absmax(x, kQK) / -16.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    blocks[i].d = f32_to_fp16(d);
    for (int j = 0; j < kQK; ++j) q[j] = std::min(31, static_cast<int>(x[j] * id + 16.5f));
    pack_q5(q, blocks[i].qs, blocks[i].qh);
  }
}

void quantize_row_q5_1(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ5_1*>(dst);
  int q[kQK];
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    float min = 0.0f;
    float max = 0.0f;
    min_max(x, kQK, &min, &max);
    const float d = (max - min) / 31.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    blocks[i].d = f32_to_fp16(d);
    blocks[i].m = f32_to_fp16(min);
    for (int j = 0; j < kQK; ++j) q[j] = std::min(31, static_cast<int>((x[j] - min) * id + 0.5f));
    pack_q5(q, blocks[i].qs, blocks[i].qh);
  }
}

void quantize_row_q8_0(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ8_0*>(dst);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    float amax = 0.0f;
    for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    blocks[i].d = f32_to_fp16(d);
    for (int j = 0; j < kQK; ++j) blocks[i].qs[j] = static_cast<std::int8_t>(std::nearbyint(x[j] * id));
  }
}

void quantize_row_q8_1(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ8_1*>(dst);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float* x = src + i * kQK;
    float amax = 0.0f;
    for (int j = 0; j < kQK; ++j) amax = std::max(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    int sum = 0;
    for (int j = 0; j < kQK; ++j) {
      blocks[i].qs[j] = static_cast<std::int8_t>(std::nearbyint(x[j] * id));
      sum += blocks[i].qs[j];
    }
    blocks[i].d = f32_to_fp16(d);
    blocks[i].s = f32_to_fp16(static_cast<float>(sum) * d);
  }
}

void quantize_row_q8_K(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ8_K*>(dst);
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    const float* x = src + i * kQK_K;
    const float max = signed_absmax(x, kQK_K);
    BlockQ8_K& b = blocks[i];
    if (max == 0.0f) {
      std::memset(&b, 0, sizeof b);
      continue;
    }
    // -127/max (not 127/amax): same products, and the same sign convention as llama.cpp's Q8_K.
    const float iscale = -127.0f / max;
    for (int j = 0; j < kQK_K; ++j) {
      b.qs[j] = static_cast<std::int8_t>(std::min(127, static_cast<int>(std::nearbyint(iscale * x[j]))));
    }
    for (int g = 0; g < kQK_K / 16; ++g) {
      int sum = 0;
      for (int l = 0; l < 16; ++l) sum += b.qs[16 * g + l];
      b.bsums[g] = static_cast<std::int16_t>(sum);
    }
    b.d = 1.0f / iscale;
  }
}

}  // namespace reval::kernels::ref
