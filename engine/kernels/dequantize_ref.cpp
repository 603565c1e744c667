// Scalar reference dequantizers and quant unpackers; layouts in engine/kernels/blocks.h.
#include <cstring>

#include "engine/kernels/blocks.h"
#include "engine/kernels/ref.h"

namespace reval::kernels::ref {

void unpack_q4_0(const void* block_qs, std::uint8_t* q) {
  // Q4_0 and Q4_1 share the nibble layout; the qs array sits at the end of both structs.
  const std::uint8_t* qs = static_cast<const std::uint8_t*>(block_qs);
  for (int j = 0; j < kQK / 2; ++j) {
    q[j] = qs[j] & 0xF;
    q[j + kQK / 2] = qs[j] >> 4;
  }
}

namespace {

void unpack_q5(const std::uint8_t* qh_bytes, const std::uint8_t* qs, std::uint8_t* q) {
  std::uint32_t qh = 0;
  std::memcpy(&qh, qh_bytes, 4);
  for (int j = 0; j < kQK / 2; ++j) {
    q[j] = static_cast<std::uint8_t>((qs[j] & 0xF) | (((qh >> j) & 1u) << 4));
    q[j + kQK / 2] = static_cast<std::uint8_t>((qs[j] >> 4) | (((qh >> (j + 16)) & 1u) << 4));
  }
}

}  // namespace

void unpack_q5_0(const void* block, std::uint8_t* q) {
  const auto* b = static_cast<const BlockQ5_0*>(block);
  unpack_q5(b->qh, b->qs, q);
}

void unpack_q4_K(const void* block, std::uint8_t* q) {
  const auto* b = static_cast<const BlockQ4_K*>(block);
  for (int chunk = 0; chunk < 4; ++chunk) {
    const std::uint8_t* qs = b->qs + 32 * chunk;
    for (int l = 0; l < 32; ++l) {
      q[64 * chunk + l] = qs[l] & 0xF;
      q[64 * chunk + 32 + l] = qs[l] >> 4;
    }
  }
}

void unpack_q5_K(const void* block, std::uint8_t* q) {
  const auto* b = static_cast<const BlockQ5_K*>(block);
  for (int chunk = 0; chunk < 4; ++chunk) {
    const std::uint8_t* qs = b->qs + 32 * chunk;
    for (int l = 0; l < 32; ++l) {
      const int lo_bit = 2 * chunk;
      q[64 * chunk + l] = static_cast<std::uint8_t>((qs[l] & 0xF) | (((b->qh[l] >> lo_bit) & 1) << 4));
      q[64 * chunk + 32 + l] = static_cast<std::uint8_t>((qs[l] >> 4) | (((b->qh[l] >> (lo_bit + 1)) & 1) << 4));
    }
  }
}

void unpack_q6_K(const void* block, std::uint8_t* q) {
  const auto* b = static_cast<const BlockQ6_K*>(block);
  for (int half = 0; half < 2; ++half) {
    const std::uint8_t* ql = b->ql + 64 * half;
    const std::uint8_t* qh = b->qh + 32 * half;
    std::uint8_t* out = q + 128 * half;
    for (int l = 0; l < 32; ++l) {
      out[l] = static_cast<std::uint8_t>((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4));
      out[l + 32] = static_cast<std::uint8_t>((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4));
      out[l + 64] = static_cast<std::uint8_t>((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4));
      out[l + 96] = static_cast<std::uint8_t>((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4));
    }
  }
}

void dequantize_row_f32(const void* src, float* dst, std::int64_t n) {
  std::memcpy(dst, src, static_cast<std::size_t>(n) * sizeof(float));
}

void dequantize_row_f16(const void* src, float* dst, std::int64_t n) {
  const auto* h = static_cast<const f16_t*>(src);
  for (std::int64_t i = 0; i < n; ++i) dst[i] = fp16_to_f32(h[i]);
}

void dequantize_row_bf16(const void* src, float* dst, std::int64_t n) {
  const auto* h = static_cast<const bf16_t*>(src);
  for (std::int64_t i = 0; i < n; ++i) dst[i] = bf16_to_f32(h[i]);
}

void dequantize_row_q4_0(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ4_0*>(src);
  std::uint8_t q[kQK];
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    unpack_q4_0(blocks[i].qs, q);
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = static_cast<float>(q[j] - 8) * d;
  }
}

void dequantize_row_q4_1(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ4_1*>(src);
  std::uint8_t q[kQK];
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    const float m = fp16_to_f32(blocks[i].m);
    unpack_q4_0(blocks[i].qs, q);
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = static_cast<float>(q[j]) * d + m;
  }
}

void dequantize_row_q5_0(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ5_0*>(src);
  std::uint8_t q[kQK];
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    unpack_q5(blocks[i].qh, blocks[i].qs, q);
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = static_cast<float>(q[j] - 16) * d;
  }
}

void dequantize_row_q5_1(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ5_1*>(src);
  std::uint8_t q[kQK];
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    const float m = fp16_to_f32(blocks[i].m);
    unpack_q5(blocks[i].qh, blocks[i].qs, q);
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = static_cast<float>(q[j]) * d + m;
  }
}

void dequantize_row_q8_0(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ8_0*>(src);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = static_cast<float>(blocks[i].qs[j]) * d;
  }
}

void dequantize_row_q8_1(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ8_1*>(src);
  for (std::int64_t i = 0; i < n / kQK; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    for (int j = 0; j < kQK; ++j) dst[i * kQK + j] = static_cast<float>(blocks[i].qs[j]) * d;
  }
}

void dequantize_row_q4_K(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ4_K*>(src);
  std::uint8_t q[kQK_K];
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    const float dmin = fp16_to_f32(blocks[i].dmin);
    unpack_q4_K(&blocks[i], q);
    for (int sub = 0; sub < 8; ++sub) {
      std::uint8_t sc = 0;
      std::uint8_t mn = 0;
      get_scale_min_k4(sub, blocks[i].scales, &sc, &mn);
      const float scale = d * sc;
      const float offset = dmin * mn;
      for (int l = 0; l < 32; ++l) dst[i * kQK_K + 32 * sub + l] = scale * q[32 * sub + l] - offset;
    }
  }
}

void dequantize_row_q5_K(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ5_K*>(src);
  std::uint8_t q[kQK_K];
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    const float dmin = fp16_to_f32(blocks[i].dmin);
    unpack_q5_K(&blocks[i], q);
    for (int sub = 0; sub < 8; ++sub) {
      std::uint8_t sc = 0;
      std::uint8_t mn = 0;
      get_scale_min_k4(sub, blocks[i].scales, &sc, &mn);
      const float scale = d * sc;
      const float offset = dmin * mn;
      for (int l = 0; l < 32; ++l) dst[i * kQK_K + 32 * sub + l] = scale * q[32 * sub + l] - offset;
    }
  }
}

void dequantize_row_q6_K(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ6_K*>(src);
  std::uint8_t q[kQK_K];
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    const float d = fp16_to_f32(blocks[i].d);
    unpack_q6_K(&blocks[i], q);
    for (int j = 0; j < kQK_K; ++j) {
      dst[i * kQK_K + j] = d * blocks[i].scales[j / 16] * static_cast<float>(q[j] - 32);
    }
  }
}

void dequantize_row_q8_K(const void* src, float* dst, std::int64_t n) {
  const auto* blocks = static_cast<const BlockQ8_K*>(src);
  for (std::int64_t i = 0; i < n / kQK_K; ++i) {
    for (int j = 0; j < kQK_K; ++j) dst[i * kQK_K + j] = blocks[i].d * blocks[i].qs[j];
  }
}

}  // namespace reval::kernels::ref
