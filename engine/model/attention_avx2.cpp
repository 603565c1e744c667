// AVX2 + FMA + F16C attention (see attention.h). Compiled with REVAL_AVX2_FLAGS; only called when
// the CPU has them. The group's heads are a template parameter (1..8) so their accumulators live in
// registers; larger groups run in slices of up to 8 heads.
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "engine/model/attention.h"
#include "engine/model/exp_avx2.h"

namespace reval::engine::avx2 {
namespace {

float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

float hmax(__m256 v) {
  __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_max_ps(s, _mm_movehl_ps(s, s));
  s = _mm_max_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

__m256 load_half8(const std::uint16_t* p) {
  return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
}

__m256 round_half8(__m256 x) { return _mm256_cvtph_ps(_mm256_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT)); }

// Asks for the cache lines of n_halves halves starting at p.
void prefetch_rows(const std::uint16_t* p, std::int64_t n_halves) {
  const char* bytes = reinterpret_cast<const char*>(p);
  for (std::int64_t off = 0; off < n_halves * 2; off += 64) _mm_prefetch(bytes + off, _MM_HINT_T0);
}

// Softmax of w[0, n) in place, then each weight rounded to half precision.
void softmax_to_half(float* w, std::int64_t n) {
  std::int64_t i = 0;
  __m256 vmax = _mm256_set1_ps(-INFINITY);
  for (; i + 8 <= n; i += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(w + i));
  float max_value = hmax(vmax);
  for (; i < n; ++i) max_value = std::max(max_value, w[i]);
  const __m256 vm = _mm256_set1_ps(max_value);
  __m256 vsum = _mm256_setzero_ps();
  for (i = 0; i + 8 <= n; i += 8) {
    const __m256 e = exp_clamped(_mm256_sub_ps(_mm256_loadu_ps(w + i), vm));
    _mm256_storeu_ps(w + i, e);
    vsum = _mm256_add_ps(vsum, e);
  }
  double sum = hsum(vsum);
  for (; i < n; ++i) {
    w[i] = std::exp(w[i] - max_value);
    sum += w[i];
  }
  const __m256 inv = _mm256_set1_ps(static_cast<float>(1.0 / sum));
  for (i = 0; i + 8 <= n; i += 8) _mm256_storeu_ps(w + i, round_half8(_mm256_mul_ps(_mm256_loadu_ps(w + i), inv)));
  for (; i < n; ++i) {
    const __m256 one = round_half8(_mm256_set1_ps(w[i] * static_cast<float>(1.0 / sum)));
    w[i] = _mm256_cvtss_f32(one);
  }
}

// G heads' scores against rows [0, n) of one block: scores[h * ld + p0 + p]. Two positions at a
// time: two independent FMA chains per head hide the FMA latency, and each Q load serves both.
// `next` (or null) is the next block's rows: fetched into cache while this block computes, since
// blocks are not adjacent in memory and the hardware prefetcher stops at their ends.
template <int G>
void block_scores(const std::uint16_t* k_rows, const std::uint16_t* next, std::int64_t stride, int n, const float* q,
                  int dim, float scale, float* scores, std::int64_t ld, std::int64_t p0) {
  int p = 0;
  for (; p + 2 <= n; p += 2) {
    if (next != nullptr) prefetch_rows(next + p * stride, 2 * stride);
    const std::uint16_t* k0 = k_rows + p * stride;
    const std::uint16_t* k1 = k0 + stride;
    __m256 a0[G], a1[G];
    for (int h = 0; h < G; ++h) a0[h] = a1[h] = _mm256_setzero_ps();
    for (int d = 0; d < dim; d += 8) {
      const __m256 kv0 = load_half8(k0 + d);
      const __m256 kv1 = load_half8(k1 + d);
      for (int h = 0; h < G; ++h) {
        const __m256 qh = _mm256_loadu_ps(q + h * dim + d);
        a0[h] = _mm256_fmadd_ps(qh, kv0, a0[h]);
        a1[h] = _mm256_fmadd_ps(qh, kv1, a1[h]);
      }
    }
    for (int h = 0; h < G; ++h) {
      scores[h * ld + p0 + p] = hsum(a0[h]) * scale;
      scores[h * ld + p0 + p + 1] = hsum(a1[h]) * scale;
    }
  }
  for (; p < n; ++p) {
    const std::uint16_t* k = k_rows + p * stride;
    __m256 acc[G];
    for (int h = 0; h < G; ++h) acc[h] = _mm256_setzero_ps();
    for (int d = 0; d < dim; d += 8) {
      const __m256 kv = load_half8(k + d);
      for (int h = 0; h < G; ++h) acc[h] = _mm256_fmadd_ps(_mm256_loadu_ps(q + h * dim + d), kv, acc[h]);
    }
    for (int h = 0; h < G; ++h) scores[h * ld + p0 + p] = hsum(acc[h]) * scale;
  }
}

// out_h += sum over rows [0, n) of one block of w[h * ld + p0 + p] * V[p], 8 dimensions at a time so
// the accumulators stay in registers while the block (L1-resident) is walked; even and odd
// positions go to separate accumulators (two FMA chains per head), added at the end.
template <int G>
void block_values(const std::uint16_t* v_rows, const std::uint16_t* next, std::int64_t stride, int n, const float* w,
                  std::int64_t ld, std::int64_t p0, int dim, float* out) {
  if (next != nullptr) prefetch_rows(next, n * stride);
  for (int d = 0; d < dim; d += 8) {
    __m256 acc0[G], acc1[G];
    for (int h = 0; h < G; ++h) {
      acc0[h] = _mm256_loadu_ps(out + h * dim + d);
      acc1[h] = _mm256_setzero_ps();
    }
    int p = 0;
    for (; p + 2 <= n; p += 2) {
      const __m256 v0 = load_half8(v_rows + p * stride + d);
      const __m256 v1 = load_half8(v_rows + (p + 1) * stride + d);
      for (int h = 0; h < G; ++h) {
        acc0[h] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + h * ld + p0 + p), v0, acc0[h]);
        acc1[h] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + h * ld + p0 + p + 1), v1, acc1[h]);
      }
    }
    for (; p < n; ++p) {
      const __m256 v = load_half8(v_rows + p * stride + d);
      for (int h = 0; h < G; ++h) acc0[h] = _mm256_fmadd_ps(_mm256_broadcast_ss(w + h * ld + p0 + p), v, acc0[h]);
    }
    for (int h = 0; h < G; ++h) _mm256_storeu_ps(out + h * dim + d, _mm256_add_ps(acc0[h], acc1[h]));
  }
}

template <int G>
void attend_slice(const float* q, const KvCache::LayerView& kv, std::int64_t n_keys, int dim, int kv_head,
                  float* scores, float* out) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dim));
  const int block_tokens = kv.block_tokens();
  const std::int64_t stride = dim;  // a KV head's rows of a block are contiguous
  const std::int64_t n_blocks = (n_keys + block_tokens - 1) / block_tokens;
  for (std::int64_t b = 0; b < n_blocks; ++b) {
    const std::int64_t p0 = b * block_tokens;
    const int n = static_cast<int>(std::min<std::int64_t>(block_tokens, n_keys - p0));
    const std::uint16_t* next = b + 1 < n_blocks ? kv.k_rows(b + 1, kv_head) : kv.v_rows(0, kv_head);
    block_scores<G>(kv.k_rows(b, kv_head), next, stride, n, q, dim, scale, scores, n_keys, p0);
  }
  for (int h = 0; h < G; ++h) softmax_to_half(scores + h * n_keys, n_keys);
  std::fill(out, out + static_cast<std::ptrdiff_t>(G) * dim, 0.0f);
  for (std::int64_t b = 0; b < n_blocks; ++b) {
    const std::int64_t p0 = b * block_tokens;
    const int n = static_cast<int>(std::min<std::int64_t>(block_tokens, n_keys - p0));
    const std::uint16_t* next = b + 1 < n_blocks ? kv.v_rows(b + 1, kv_head) : nullptr;
    block_values<G>(kv.v_rows(b, kv_head), next, stride, n, scores, n_keys, p0, dim, out);
  }
}

using SliceFn = void (*)(const float*, const KvCache::LayerView&, std::int64_t, int, int, float*, float*);
constexpr SliceFn kSlices[] = {attend_slice<1>, attend_slice<2>, attend_slice<3>, attend_slice<4>,
                               attend_slice<5>, attend_slice<6>, attend_slice<7>, attend_slice<8>};

}  // namespace

void attend_group(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                  int kv_head, AttentionScratch& scratch, float* out) {
  const int dim = shape.head_dim;
  if (dim % 8 != 0) {
    attend_group_ref(q, kv, n_past, shape, kv_head, scratch, out);
    return;
  }
  const int group = shape.n_heads / shape.n_kv_heads;
  const std::int64_t n_keys = n_past + 1;
  const int first_head = kv_head * group;
  scratch.q.resize(static_cast<std::size_t>(group) * dim);
  scratch.scores.resize(static_cast<std::size_t>(std::min(group, 8) * n_keys));
  const float* q_group = q + static_cast<std::int64_t>(first_head) * dim;
  for (int i = 0; i < group * dim; i += 8) {
    _mm256_storeu_ps(scratch.q.data() + i, round_half8(_mm256_loadu_ps(q_group + i)));
  }
  for (int h = 0; h < group; h += 8) {
    const int g = std::min(8, group - h);
    kSlices[g - 1](scratch.q.data() + static_cast<std::ptrdiff_t>(h) * dim, kv, n_keys, dim,
                   kv_head, scratch.scores.data(),
                   out + static_cast<std::int64_t>(first_head + h) * dim);
  }
}

}  // namespace reval::engine::avx2
