// The interleaved Q4_K layout: repacking, row dequantization, activation packing and the scalar
// reference GEMM (the ground truth of the AVX-512 kernel, and the path of CPUs without it).
#include <cstring>

#include "engine/kernels/interleaved.h"

namespace reval::kernels {
namespace {

// Quant k of row r in an interleaved super-block.
int interleaved_quant(const BlockQ4_Kx16& b, int r, int k) {
  const int m = k % 32;
  const std::uint8_t byte = b.qs[k / 32][(m % 16) / 4][4 * r + m % 4];
  return m < 16 ? byte & 0x0F : byte >> 4;
}

void row_scales(const BlockQ4_Kx16& b, int r, std::uint8_t* scales12) {
  for (int c = 0; c < 3; ++c) std::memcpy(scales12 + 4 * c, &b.scales[c][r], 4);
}

}  // namespace

void interleave_q4_K(const void* src, std::size_t src_stride, std::int64_t cols, std::int64_t group_begin,
                     std::int64_t group_end, void* dst) {
  const std::int64_t nb = cols / kQK_K;
  const auto* in = static_cast<const std::uint8_t*>(src);
  auto* out = static_cast<BlockQ4_Kx16*>(dst);
  for (std::int64_t g = group_begin; g < group_end; ++g) {
    for (std::int64_t i = 0; i < nb; ++i) {
      BlockQ4_Kx16& o = out[g * nb + i];
      for (int r = 0; r < kGroupRows; ++r) {
        const auto& b =
            reinterpret_cast<const BlockQ4_K*>(in + static_cast<std::size_t>(g * kGroupRows + r) * src_stride)[i];
        o.d[r] = b.d;
        o.dmin[r] = b.dmin;
        for (int c = 0; c < 3; ++c) std::memcpy(&o.scales[c][r], b.scales + 4 * c, 4);
        for (int j = 0; j < kQK_K / 32; ++j) {
          // GGUF Q4_K: each 32-byte chunk of qs holds 64 weights, the first 32 in the low nibbles and
          // the next 32 in the high ones; so sub-block j is the low (even j) or high (odd j) nibbles
          // of chunk j / 2.
          const std::uint8_t* chunk = b.qs + 32 * (j / 2);
          const int shift = 4 * (j % 2);
          for (int p = 0; p < 4; ++p) {
            for (int k = 0; k < 4; ++k) {
              const int lo = (chunk[4 * p + k] >> shift) & 0x0F;
              const int hi = (chunk[16 + 4 * p + k] >> shift) & 0x0F;
              o.qs[j][p][4 * r + k] = static_cast<std::uint8_t>(lo | hi << 4);
            }
          }
        }
      }
    }
  }
}

void dequantize_q4_Kx16_row(const void* data, std::int64_t cols, std::int64_t row, float* dst) {
  const std::int64_t nb = cols / kQK_K;
  const auto* group = static_cast<const BlockQ4_Kx16*>(data) + row / kGroupRows * nb;
  const int r = static_cast<int>(row % kGroupRows);
  for (std::int64_t i = 0; i < nb; ++i) {
    const BlockQ4_Kx16& b = group[i];
    std::uint8_t scales12[kKScaleBytes];
    row_scales(b, r, scales12);
    const float d = fp16_to_f32(b.d[r]);
    const float dmin = fp16_to_f32(b.dmin[r]);
    for (int j = 0; j < kQK_K / 32; ++j) {
      std::uint8_t sc = 0;
      std::uint8_t mn = 0;
      get_scale_min_k4(j, scales12, &sc, &mn);
      const float scale = d * sc;
      const float min = dmin * mn;
      for (int m = 0; m < 32; ++m)
        dst[i * kQK_K + 32 * j + m] = scale * static_cast<float>(interleaved_quant(b, r, 32 * j + m)) - min;
    }
  }
}

std::int64_t packed_q4_Kx16_row_bytes(std::int64_t cols) { return (cols + cols / kQK_K * (4 + 16) + 63) / 64 * 64; }

void pack_q4_Kx16_row(const void* xq, void* packed, std::int64_t cols) {
  const auto* xb = static_cast<const BlockQ8_K*>(xq);
  auto* out = static_cast<std::uint8_t*>(packed);
  const std::int64_t nb = cols / kQK_K;
  auto* scales = reinterpret_cast<float*>(out + cols);
  auto* sums = reinterpret_cast<std::int16_t*>(out + cols + nb * 4);
  for (std::int64_t i = 0; i < nb; ++i) {
    std::memcpy(out + i * kQK_K, xb[i].qs, kQK_K);
    scales[i] = xb[i].d;
    for (int j = 0; j < kQK_K / 32; ++j) {
      sums[i * 8 + j] = static_cast<std::int16_t>(xb[i].bsums[2 * j] + xb[i].bsums[2 * j + 1]);
    }
  }
  const std::int64_t used = cols + nb * 20;
  std::memset(out + used, 0, static_cast<std::size_t>(packed_q4_Kx16_row_bytes(cols) - used));
}

namespace ref {

void gemm_q4_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK_K;
  const auto* groups = static_cast<const BlockQ4_Kx16*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t g = 0; g < n_groups; ++g) {
    for (std::int64_t t = 0; t < n_tokens; ++t) {
      const std::uint8_t* xt = xb + static_cast<std::size_t>(t) * x_stride;
      const auto* xq = reinterpret_cast<const std::int8_t*>(xt);
      const float* xd = packed_q4_Kx16_scales(xt, cols);
      const std::int16_t* xsum = packed_q4_Kx16_sums(xt, cols);
      for (int r = 0; r < kGroupRows; ++r) {
        float sum = 0.0f;
        for (std::int64_t i = 0; i < nb; ++i) {
          const BlockQ4_Kx16& b = groups[g * nb + i];
          std::uint8_t scales12[kKScaleBytes];
          row_scales(b, r, scales12);
          int scaled = 0;
          int mins = 0;
          for (int j = 0; j < kQK_K / 32; ++j) {
            std::uint8_t sc = 0;
            std::uint8_t mn = 0;
            get_scale_min_k4(j, scales12, &sc, &mn);
            int dot = 0;
            for (int m = 0; m < 32; ++m) dot += interleaved_quant(b, r, 32 * j + m) * xq[i * kQK_K + 32 * j + m];
            scaled += sc * dot;
            mins += mn * xsum[i * 8 + j];
          }
          sum += xd[i] *
                 (fp16_to_f32(b.d[r]) * static_cast<float>(scaled) - fp16_to_f32(b.dmin[r]) * static_cast<float>(mins));
        }
        y[static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(g * kGroupRows + r)] = sum;
      }
    }
  }
}

}  // namespace ref

GemmQ4_Kx16Fn gemm_q4_Kx16_for(KernelIsa isa, std::int64_t n_tokens) {
  if (isa >= KernelIsa::kAmx && n_tokens >= amx::kMinTokensQ4_Kx16) return amx::gemm_q4_Kx16;
  return isa >= KernelIsa::kAvx512 ? avx512::gemm_q4_Kx16 : ref::gemm_q4_Kx16;
}

}  // namespace reval::kernels
