// The interleaved Q6_K layout: repacking, row dequantization, activation packing and the scalar
// reference GEMM (the ground truth of the AVX-512 kernel, and the path of CPUs without it).
#include <cstring>

#include "engine/kernels/interleaved.h"
#include "engine/kernels/ref.h"

namespace reval::kernels {
namespace {

// Quant k (0..255, the stored q + 32 in 0..63) of row r in an interleaved super-block.
int interleaved_quant(const BlockQ6_Kx16& b, int r, int k) {
  const int j = k / 32;
  const int m = k % 32;
  const int p = (m % 16) / 4;
  const int byte = 4 * r + m % 4;
  const int high_nibble = m < 16 ? 0 : 1;
  const int low = (b.ql[j][p][byte] >> (4 * high_nibble)) & 0x0F;
  const int top = (b.qh[j][p / 2][byte] >> (4 * (p % 2) + 2 * high_nibble)) & 3;
  return low | top << 4;
}

}  // namespace

void interleave_q6_K(const void* src, std::size_t src_stride, std::int64_t cols, std::int64_t group_begin,
                     std::int64_t group_end, void* dst) {
  const std::int64_t nb = cols / kQK_K;
  const auto* in = static_cast<const std::uint8_t*>(src);
  auto* out = static_cast<BlockQ6_Kx16*>(dst);
  std::uint8_t q[kQK_K];
  for (std::int64_t g = group_begin; g < group_end; ++g) {
    for (std::int64_t i = 0; i < nb; ++i) {
      BlockQ6_Kx16& o = out[g * nb + i];
      std::memset(o.qh, 0, sizeof(o.qh));
      for (int r = 0; r < kGroupRows; ++r) {
        const auto& b =
            reinterpret_cast<const BlockQ6_K*>(in + static_cast<std::size_t>(g * kGroupRows + r) * src_stride)[i];
        o.d[r] = b.d;
        for (int s = 0; s < kQK_K / 16; ++s) o.scales[s][r] = b.scales[s];
        ref::unpack_q6_K(&b, q);  // weight order, 0..63
        for (int j = 0; j < kQK_K / 32; ++j) {
          for (int p = 0; p < 4; ++p) {
            for (int k = 0; k < 4; ++k) {
              const int lo = q[32 * j + 4 * p + k];
              const int hi = q[32 * j + 16 + 4 * p + k];
              o.ql[j][p][4 * r + k] = static_cast<std::uint8_t>((lo & 0x0F) | (hi & 0x0F) << 4);
              o.qh[j][p / 2][4 * r + k] |= static_cast<std::uint8_t>(((lo >> 4) | (hi >> 4) << 2) << (4 * (p % 2)));
            }
          }
        }
      }
    }
  }
}

void dequantize_q6_Kx16_row(const void* data, std::int64_t cols, std::int64_t row, float* dst) {
  const std::int64_t nb = cols / kQK_K;
  const auto* group = static_cast<const BlockQ6_Kx16*>(data) + row / kGroupRows * nb;
  const int r = static_cast<int>(row % kGroupRows);
  for (std::int64_t i = 0; i < nb; ++i) {
    const BlockQ6_Kx16& b = group[i];
    const float d = fp16_to_f32(b.d[r]);
    for (int k = 0; k < kQK_K; ++k) {
      dst[i * kQK_K + k] =
          d * static_cast<float>(b.scales[k / 16][r]) * static_cast<float>(interleaved_quant(b, r, k) - 32);
    }
  }
}

std::int64_t packed_q6_Kx16_row_bytes(std::int64_t cols) { return (cols + cols / kQK_K * (4 + 64) + 63) / 64 * 64; }

void pack_q6_Kx16_row(const void* xq, void* packed, std::int64_t cols) {
  const auto* xb = static_cast<const BlockQ8_K*>(xq);
  auto* out = static_cast<std::uint8_t*>(packed);
  const std::int64_t nb = cols / kQK_K;
  auto* scales = reinterpret_cast<float*>(out + cols);
  auto* bias = reinterpret_cast<std::int32_t*>(out + cols + nb * 4);
  for (std::int64_t i = 0; i < nb; ++i) {
    std::memcpy(out + i * kQK_K, xb[i].qs, kQK_K);
    scales[i] = xb[i].d;
    for (int s = 0; s < kQK_K / 16; ++s) bias[i * 16 + s] = -32 * xb[i].bsums[s];
  }
  const std::int64_t used = cols + nb * 68;
  std::memset(out + used, 0, static_cast<std::size_t>(packed_q6_Kx16_row_bytes(cols) - used));
}

namespace ref {

void gemm_q6_Kx16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK_K;
  const auto* groups = static_cast<const BlockQ6_Kx16*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t g = 0; g < n_groups; ++g) {
    for (std::int64_t t = 0; t < n_tokens; ++t) {
      const std::uint8_t* xt = xb + static_cast<std::size_t>(t) * x_stride;
      const auto* xq = reinterpret_cast<const std::int8_t*>(xt);
      const float* xd = packed_q6_Kx16_scales(xt, cols);
      for (int r = 0; r < kGroupRows; ++r) {
        float sum = 0.0f;
        for (std::int64_t i = 0; i < nb; ++i) {
          const BlockQ6_Kx16& b = groups[g * nb + i];
          int scaled = 0;
          for (int s = 0; s < kQK_K / 16; ++s) {
            int dot = 0;
            for (int m = 0; m < 16; ++m) {
              const int k = 16 * s + m;
              dot += (interleaved_quant(b, r, k) - 32) * xq[i * kQK_K + k];
            }
            scaled += b.scales[s][r] * dot;
          }
          sum += fp16_to_f32(b.d[r]) * xd[i] * static_cast<float>(scaled);
        }
        y[static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(g * kGroupRows + r)] = sum;
      }
    }
  }
}

}  // namespace ref

}  // namespace reval::kernels
