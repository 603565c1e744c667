// Dispatch over the interleaved layouts, and the interleaved Q8_0 layout itself: repacking, row
// dequantization, activation packing and the scalar reference GEMM (the ground truth of the AVX-512
// and AMX kernels, and the path of CPUs without them).
#include <cstring>

#include "common/check.h"
#include "engine/kernels/interleaved.h"

namespace reval::kernels {

WeightLayout interleaved_layout(TensorType type) {
  switch (type) {
    case TensorType::kQ8_0:
      return WeightLayout::kQ8_0x16;
    case TensorType::kQ4_K:
      return WeightLayout::kQ4_Kx16;
    case TensorType::kQ6_K:
      return WeightLayout::kQ6_Kx16;
    default:
      return WeightLayout::kRows;
  }
}

bool can_interleave(TensorType type, std::int64_t rows, std::int64_t cols) {
  const WeightLayout layout = interleaved_layout(type);
  const std::int64_t block = layout == WeightLayout::kQ8_0x16 ? kQK : kQK_K;
  return layout != WeightLayout::kRows && rows > 0 && rows % kGroupRows == 0 && cols > 0 && cols % block == 0;
}

void interleave_rows(TensorType type, const void* src, std::size_t src_stride, std::int64_t cols,
                     std::int64_t group_begin, std::int64_t group_end, void* dst) {
  switch (interleaved_layout(type)) {
    case WeightLayout::kQ4_Kx16:
      interleave_q4_K(src, src_stride, cols, group_begin, group_end, dst);
      break;
    case WeightLayout::kQ6_Kx16:
      interleave_q6_K(src, src_stride, cols, group_begin, group_end, dst);
      break;
    case WeightLayout::kQ8_0x16:
      interleave_q8_0(src, src_stride, cols, group_begin, group_end, dst);
      break;
    case WeightLayout::kRows:
      REVAL_CHECK(false && "interleave_rows: the type has no interleaved layout");
      break;
  }
}

void dequantize_interleaved_row(WeightLayout layout, const void* data, std::int64_t cols, std::int64_t row,
                                float* dst) {
  switch (layout) {
    case WeightLayout::kQ4_Kx16:
      dequantize_q4_Kx16_row(data, cols, row, dst);
      break;
    case WeightLayout::kQ6_Kx16:
      dequantize_q6_Kx16_row(data, cols, row, dst);
      break;
    case WeightLayout::kQ8_0x16:
      dequantize_q8_0x16_row(data, cols, row, dst);
      break;
    case WeightLayout::kRows:
      REVAL_CHECK(false && "dequantize_interleaved_row: not an interleaved layout");
      break;
  }
}

void interleave_q8_0(const void* src, std::size_t src_stride, std::int64_t cols, std::int64_t group_begin,
                     std::int64_t group_end, void* dst) {
  const std::int64_t nb = cols / kQK;
  const auto* in = static_cast<const std::uint8_t*>(src);
  auto* out = static_cast<BlockQ8_0x16*>(dst);
  for (std::int64_t g = group_begin; g < group_end; ++g) {
    const BlockQ8_0* rows[kGroupRows];
    for (int r = 0; r < kGroupRows; ++r) {
      rows[r] = reinterpret_cast<const BlockQ8_0*>(in + static_cast<std::size_t>(g * kGroupRows + r) * src_stride);
    }
    for (std::int64_t b = 0; b < nb; ++b) {
      BlockQ8_0x16& o = out[g * nb + b];
      for (int r = 0; r < kGroupRows; ++r) {
        const BlockQ8_0& blk = rows[r][b];
        o.d[r] = blk.d;
        for (int k4 = 0; k4 < kQK / 4; ++k4) std::memcpy(o.qs + 64 * k4 + 4 * r, blk.qs + 4 * k4, 4);
      }
    }
  }
}

void dequantize_q8_0x16_row(const void* data, std::int64_t cols, std::int64_t row, float* dst) {
  const std::int64_t nb = cols / kQK;
  const auto* group = static_cast<const BlockQ8_0x16*>(data) + row / kGroupRows * nb;
  const int r = static_cast<int>(row % kGroupRows);
  for (std::int64_t b = 0; b < nb; ++b) {
    const float d = fp16_to_f32(group[b].d[r]);
    for (int k = 0; k < kQK; ++k) dst[b * kQK + k] = d * group[b].qs[64 * (k / 4) + 4 * r + k % 4];
  }
}

std::int64_t packed_q8_0x16_row_bytes(std::int64_t cols) { return (cols + cols / kQK * 8 + 63) / 64 * 64; }

void pack_q8_0x16_row(const void* xq, void* packed, std::int64_t cols) {
  const auto* xb = static_cast<const BlockQ8_0*>(xq);
  auto* out = static_cast<std::uint8_t*>(packed);
  const std::int64_t nb = cols / kQK;
  auto* scales = reinterpret_cast<float*>(out + cols);
  auto* bias = reinterpret_cast<std::int32_t*>(out + cols + nb * 4);
  for (std::int64_t b = 0; b < nb; ++b) {
    std::memcpy(out + b * kQK, xb[b].qs, kQK);
    scales[b] = fp16_to_f32(xb[b].d);
    int sum = 0;
    for (int k = 0; k < kQK; ++k) sum += xb[b].qs[k];
    bias[b] = -128 * sum;
  }
  const std::int64_t used = cols + nb * 8;
  std::memset(out + used, 0, static_cast<std::size_t>(packed_q8_0x16_row_bytes(cols) - used));
}

namespace ref {

void gemm_q8_0x16(std::int64_t cols, const void* w, std::int64_t n_groups, const void* x, std::size_t x_stride,
                  std::int64_t n_tokens, float* y, std::size_t y_stride) {
  const std::int64_t nb = cols / kQK;
  const auto* groups = static_cast<const BlockQ8_0x16*>(w);
  const auto* xb = static_cast<const std::uint8_t*>(x);
  for (std::int64_t g = 0; g < n_groups; ++g) {
    for (std::int64_t t = 0; t < n_tokens; ++t) {
      const std::uint8_t* xt = xb + static_cast<std::size_t>(t) * x_stride;
      const auto* xq = reinterpret_cast<const std::int8_t*>(xt);
      const float* xd = packed_q8_0x16_scales(xt, cols);
      for (int r = 0; r < kGroupRows; ++r) {
        float sum = 0.0f;
        for (std::int64_t b = 0; b < nb; ++b) {
          const BlockQ8_0x16& blk = groups[g * nb + b];
          int sumi = 0;
          for (int k = 0; k < kQK; ++k) sumi += blk.qs[64 * (k / 4) + 4 * r + k % 4] * xq[b * kQK + k];
          sum += static_cast<float>(sumi) * fp16_to_f32(blk.d[r]) * xd[b];
        }
        y[static_cast<std::size_t>(t) * y_stride + static_cast<std::size_t>(g * kGroupRows + r)] = sum;
      }
    }
  }
}

}  // namespace ref

GemmQ8_0x16Fn gemm_q8_0x16_for(KernelIsa isa, std::int64_t n_tokens) {
  if (isa >= KernelIsa::kAmx && n_tokens >= amx::kMinTokensQ8_0x16) return amx::gemm_q8_0x16;
  if (isa >= KernelIsa::kAvx512) return avx512::gemm_q8_0x16;
  return ref::gemm_q8_0x16;
}

const InterleavedKernels& interleaved_kernels(WeightLayout layout) {
  static constexpr InterleavedKernels kQ8_0{packed_q8_0x16_row_bytes, pack_q8_0x16_row, gemm_q8_0x16_for};
  static constexpr InterleavedKernels kQ4_K{packed_q4_Kx16_row_bytes, pack_q4_Kx16_row, gemm_q4_Kx16_for};
  static constexpr InterleavedKernels kQ6_K{
      packed_q6_Kx16_row_bytes, pack_q6_Kx16_row, [](KernelIsa isa, std::int64_t) -> GemmQ8_0x16Fn {
        return isa >= KernelIsa::kAvx512 ? avx512::gemm_q6_Kx16 : ref::gemm_q6_Kx16;
      }};
  REVAL_CHECK(layout != WeightLayout::kRows);
  switch (layout) {
    case WeightLayout::kQ4_Kx16:
      return kQ4_K;
    case WeightLayout::kQ6_Kx16:
      return kQ6_K;
    default:
      return kQ8_0;
  }
}

}  // namespace reval::kernels
