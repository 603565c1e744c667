// K-quant weight quantizers. Each sub-block's scale is chosen by trying a range of candidate scales
// around the one that maps the extreme value to the end of the quant range, rounding the values for
// each, refitting the scale (and offset) by least squares to those integers, and keeping the
// candidate with the smallest squared error. The per-sub-block scales are then quantized to 6 bits
// (Q4_K/Q5_K, against one half-float super-scale) or int8 (Q6_K), and the values are re-rounded
// against the scales actually stored. Layouts: engine/kernels/blocks.h.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/kernels/blocks.h"
#include "engine/quantize/quantize_row.h"

namespace reval::quantize {
namespace {

using kernels::BlockQ4_K;
using kernels::BlockQ5_K;
using kernels::BlockQ6_K;
using kernels::f32_to_fp16;
using kernels::fp16_to_f32;
using kernels::kQK_K;

int round_int(float v) { return static_cast<int>(std::lrintf(v)); }

// Affine fit x ~ d * q - m with q in [0, nmax], d >= 0, m >= 0 (the block's minimum clamped to <= 0,
// as the format stores a subtracted min). Returns the squared error; q receives the integers.
float fit_affine(const float* x, int n, int nmax, float* d_out, float* m_out, std::uint8_t* q) {
  float min = x[0];
  float max = x[0];
  for (int i = 1; i < n; ++i) {
    min = std::min(min, x[i]);
    max = std::max(max, x[i]);
  }
  min = std::min(min, 0.0f);
  if (max <= min) {
    std::fill(q, q + n, 0);
    *d_out = 0.0f;
    *m_out = -min;
    return 0.0f;
  }
  std::uint8_t trial[32];
  float best_err = INFINITY;
  // Candidates: the extreme maps to nmax - 1 .. nmax + 1 in steps of 0.1 (21 scales).
  for (int step = -10; step <= 10; ++step) {
    const float iscale = (static_cast<float>(nmax) + 0.1f * static_cast<float>(step)) / (max - min);
    double sq = 0, sqq = 0, sx = 0, sqx = 0;
    for (int i = 0; i < n; ++i) {
      const int v = std::clamp(round_int(iscale * (x[i] - min)), 0, nmax);
      trial[i] = static_cast<std::uint8_t>(v);
      sq += v;
      sqq += static_cast<double>(v) * v;
      sx += x[i];
      sqx += static_cast<double>(v) * x[i];
    }
    // Least squares for x ~ d q + b: the normal equations of a line fit.
    const double det = n * sqq - sq * sq;
    double d = 0;
    double b = 0;
    if (det > 0) {
      d = (n * sqx - sq * sx) / det;
      b = (sqq * sx - sq * sqx) / det;
    }
    if (b > 0 || det <= 0) {  // the format needs b = -m <= 0: refit d with b = 0
      b = 0;
      d = sqq > 0 ? sqx / sqq : 0;
    }
    if (d < 0) continue;
    double err = 0;
    for (int i = 0; i < n; ++i) {
      const double diff = d * trial[i] + b - x[i];
      err += diff * diff;
    }
    if (err < best_err) {
      best_err = static_cast<float>(err);
      *d_out = static_cast<float>(d);
      *m_out = static_cast<float>(-b);
      std::memcpy(q, trial, static_cast<std::size_t>(n));
    }
  }
  if (best_err == INFINITY) {
    *d_out = (max - min) / static_cast<float>(nmax);
    *m_out = -min;
  }
  return best_err;
}

// Symmetric fit x ~ d * q with q in [-nmax - 1, nmax] (the extreme value maps to the negative end,
// which has one more step). Returns d; q receives the signed integers.
float fit_symmetric(const float* x, int n, int nmax, int* q) {
  float amax = 0.0f;
  float max = 0.0f;
  for (int i = 0; i < n; ++i) {
    if (std::fabs(x[i]) > amax) {
      amax = std::fabs(x[i]);
      max = x[i];
    }
  }
  if (amax == 0.0f) {
    std::fill(q, q + n, 0);
    return 0.0f;
  }
  int trial[32];
  double best_score = -1;
  float best_d = 0.0f;
  for (int step = -9; step <= 9; ++step) {
    const float iscale = -(static_cast<float>(nmax + 1) + 0.1f * static_cast<float>(step)) / max;
    double sqx = 0, sqq = 0;
    for (int i = 0; i < n; ++i) {
      const int v = std::clamp(round_int(iscale * x[i]), -(nmax + 1), nmax);
      trial[i] = v;
      sqx += static_cast<double>(v) * x[i];
      sqq += static_cast<double>(v) * v;
    }
    // With the least-squares d = sqx / sqq the error is sum(x^2) - sqx^2 / sqq: maximize sqx^2 / sqq.
    if (sqq <= 0) continue;
    const double score = sqx * sqx / sqq;
    if (score > best_score) {
      best_score = score;
      best_d = static_cast<float>(sqx / sqq);
      std::memcpy(q, trial, sizeof(int) * static_cast<std::size_t>(n));
    }
  }
  return best_d;
}

// Packs 6-bit scales and mins of 8 sub-blocks into 12 bytes (inverse of get_scale_min_k4).
void pack_scales_k4(const std::uint8_t* sc, const std::uint8_t* mn, std::uint8_t* out) {
  for (int j = 0; j < 4; ++j) {
    out[j] = static_cast<std::uint8_t>(sc[j] | ((sc[j + 4] >> 4) << 6));
    out[j + 4] = static_cast<std::uint8_t>(mn[j] | ((mn[j + 4] >> 4) << 6));
    out[j + 8] = static_cast<std::uint8_t>((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
  }
}

// Shared by Q4_K (nmax 15) and Q5_K (nmax 31): fills d, dmin, packed scales and q[256] (0..nmax).
void quantize_superblock_k4(const float* x, int nmax, kernels::f16_t* d_out, kernels::f16_t* dmin_out,
                            std::uint8_t* scales_out, std::uint8_t* q) {
  float sub_d[8];
  float sub_m[8];
  float max_d = 0.0f;
  float max_m = 0.0f;
  for (int j = 0; j < 8; ++j) {
    fit_affine(x + 32 * j, 32, nmax, &sub_d[j], &sub_m[j], q + 32 * j);
    max_d = std::max(max_d, sub_d[j]);
    max_m = std::max(max_m, sub_m[j]);
  }
  const float inv_d = max_d > 0 ? 63.0f / max_d : 0.0f;
  const float inv_m = max_m > 0 ? 63.0f / max_m : 0.0f;
  std::uint8_t sc[8];
  std::uint8_t mn[8];
  for (int j = 0; j < 8; ++j) {
    sc[j] = static_cast<std::uint8_t>(std::min(63, round_int(inv_d * sub_d[j])));
    mn[j] = static_cast<std::uint8_t>(std::min(63, round_int(inv_m * sub_m[j])));
  }
  pack_scales_k4(sc, mn, scales_out);
  *d_out = f32_to_fp16(max_d / 63.0f);
  *dmin_out = f32_to_fp16(max_m / 63.0f);
  const float d = fp16_to_f32(*d_out);
  const float dmin = fp16_to_f32(*dmin_out);
  // Re-round every value against the scale and min as stored.
  for (int j = 0; j < 8; ++j) {
    const float dd = d * sc[j];
    if (dd == 0.0f) {
      std::fill(q + 32 * j, q + 32 * j + 32, 0);
      continue;
    }
    const float dm = dmin * mn[j];
    for (int i = 0; i < 32; ++i) {
      q[32 * j + i] = static_cast<std::uint8_t>(std::clamp(round_int((x[32 * j + i] + dm) / dd), 0, nmax));
    }
  }
}

}  // namespace

void quantize_row_q4_K(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ4_K*>(dst);
  std::uint8_t q[kQK_K];
  for (std::int64_t b = 0; b < n / kQK_K; ++b) {
    BlockQ4_K& out = blocks[b];
    quantize_superblock_k4(src + b * kQK_K, 15, &out.d, &out.dmin, out.scales, q);
    for (int chunk = 0; chunk < 4; ++chunk) {
      for (int l = 0; l < 32; ++l) {
        out.qs[32 * chunk + l] = static_cast<std::uint8_t>(q[64 * chunk + l] | (q[64 * chunk + 32 + l] << 4));
      }
    }
  }
}

void quantize_row_q5_K(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ5_K*>(dst);
  std::uint8_t q[kQK_K];
  for (std::int64_t b = 0; b < n / kQK_K; ++b) {
    BlockQ5_K& out = blocks[b];
    quantize_superblock_k4(src + b * kQK_K, 31, &out.d, &out.dmin, out.scales, q);
    std::memset(out.qh, 0, sizeof out.qh);
    for (int chunk = 0; chunk < 4; ++chunk) {
      for (int l = 0; l < 32; ++l) {
        const int lo = q[64 * chunk + l];
        const int hi = q[64 * chunk + 32 + l];
        out.qs[32 * chunk + l] = static_cast<std::uint8_t>((lo & 15) | ((hi & 15) << 4));
        out.qh[l] = static_cast<std::uint8_t>(out.qh[l] | ((lo >> 4) << (2 * chunk)) | ((hi >> 4) << (2 * chunk + 1)));
      }
    }
  }
}

void quantize_row_q6_K(const float* src, void* dst, std::int64_t n) {
  auto* blocks = static_cast<BlockQ6_K*>(dst);
  int q[kQK_K];
  for (std::int64_t b = 0; b < n / kQK_K; ++b) {
    const float* x = src + b * kQK_K;
    BlockQ6_K& out = blocks[b];
    float sub_d[16];
    float max_d = 0.0f;  // signed: the sub-block scale of largest magnitude
    for (int j = 0; j < 16; ++j) {
      sub_d[j] = fit_symmetric(x + 16 * j, 16, 31, q + 16 * j);
      if (std::fabs(sub_d[j]) > std::fabs(max_d)) max_d = sub_d[j];
    }
    if (max_d == 0.0f) {
      std::memset(&out, 0, sizeof out);
      // All-zero quants are stored as 32 (the offset), so the block decodes to zeros with d = 0 anyway.
      continue;
    }
    const float iscale = -128.0f / max_d;
    out.d = f32_to_fp16(1.0f / iscale);
    const float d = fp16_to_f32(out.d);
    for (int j = 0; j < 16; ++j) {
      out.scales[j] = static_cast<std::int8_t>(std::clamp(round_int(iscale * sub_d[j]), -128, 127));
      const float dd = d * out.scales[j];
      for (int i = 0; i < 16; ++i) {
        q[16 * j + i] = dd == 0.0f ? 32 : std::clamp(round_int(x[16 * j + i] / dd), -32, 31) + 32;
      }
    }
    for (int half = 0; half < 2; ++half) {
      std::uint8_t* ql = out.ql + 64 * half;
      std::uint8_t* qh = out.qh + 32 * half;
      const int* qq = q + 128 * half;
      for (int l = 0; l < 32; ++l) {
        ql[l] = static_cast<std::uint8_t>((qq[l] & 15) | ((qq[l + 64] & 15) << 4));
        ql[l + 32] = static_cast<std::uint8_t>((qq[l + 32] & 15) | ((qq[l + 96] & 15) << 4));
        qh[l] = static_cast<std::uint8_t>((qq[l] >> 4) | ((qq[l + 32] >> 4) << 2) | ((qq[l + 64] >> 4) << 4) |
                                          ((qq[l + 96] >> 4) << 6));
      }
    }
  }
}

}  // namespace reval::quantize
