// AVX-512 (F + VL + BW) + F16C attention (see attention.h): the AVX2 algorithm with 16-wide vectors,
// 32 registers (two positions x up to 8 heads of accumulators) and FMAs that take the softmax weight
// as an embedded broadcast. Compiled with its own -mavx512* flags; only called when the CPU has them.
#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "engine/model/attention.h"

namespace reval::engine::avx512 {
namespace {

__m512 load_half16(const std::uint16_t* p) {
  return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
}

__m512 round_half16(__m512 x) {
  return _mm512_cvtph_ps(_mm512_cvtps_ph(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC));
}

void prefetch_rows(const std::uint16_t* p, std::int64_t n_halves) {
  const char* bytes = reinterpret_cast<const char*>(p);
  for (std::int64_t off = 0; off < n_halves * 2; off += 64) _mm_prefetch(bytes + off, _MM_HINT_T0);
}

// exp(x) for x <= 0, as in the AVX2 version: 2^n * e^r, degree-6 Taylor polynomial for e^r.
__m512 exp_nonpositive(__m512 x) {
  x = _mm512_max_ps(x, _mm512_set1_ps(-87.0f));
  const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                        _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
  r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
  __m512 p = _mm512_set1_ps(1.0f / 720.0f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 120.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 24.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f / 6.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.0f));
  const __m512i bits = _mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23);
  return _mm512_mul_ps(p, _mm512_castsi512_ps(bits));
}

// Softmax of w[0, n) in place, then each weight rounded to half precision (masked tail: no scalar
// remainder, so every weight goes through the same arithmetic).
void softmax_to_half(float* w, std::int64_t n) {
  __m512 vmax = _mm512_set1_ps(-INFINITY);
  for (std::int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
    vmax = _mm512_mask_max_ps(vmax, m, vmax, _mm512_maskz_loadu_ps(m, w + i));
  }
  const __m512 vm = _mm512_set1_ps(_mm512_reduce_max_ps(vmax));
  __m512 vsum = _mm512_setzero_ps();
  for (std::int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
    const __m512 e = exp_nonpositive(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, w + i), vm));
    _mm512_mask_storeu_ps(w + i, m, e);
    vsum = _mm512_mask_add_ps(vsum, m, vsum, e);
  }
  const __m512 inv = _mm512_set1_ps(static_cast<float>(1.0 / static_cast<double>(_mm512_reduce_add_ps(vsum))));
  for (std::int64_t i = 0; i < n; i += 16) {
    const __mmask16 m = n - i >= 16 ? __mmask16(0xffff) : static_cast<__mmask16>((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(w + i, m, round_half16(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, w + i), inv)));
  }
}

// G heads' scores against rows [0, n) of one block, two positions per pass (see the AVX2 version).
template <int G>
void block_scores(const std::uint16_t* k_rows, const std::uint16_t* next, int n, const float* q, int dim, float scale,
                  float* scores, std::int64_t ld, std::int64_t p0) {
  int p = 0;
  for (; p + 2 <= n; p += 2) {
    if (next != nullptr) prefetch_rows(next + p * dim, 2 * dim);
    const std::uint16_t* k0 = k_rows + p * dim;
    const std::uint16_t* k1 = k0 + dim;
    __m512 a0[G], a1[G];
    for (int h = 0; h < G; ++h) a0[h] = a1[h] = _mm512_setzero_ps();
    for (int d = 0; d < dim; d += 16) {
      const __m512 kv0 = load_half16(k0 + d);
      const __m512 kv1 = load_half16(k1 + d);
      for (int h = 0; h < G; ++h) {
        const __m512 qh = _mm512_loadu_ps(q + h * dim + d);
        a0[h] = _mm512_fmadd_ps(qh, kv0, a0[h]);
        a1[h] = _mm512_fmadd_ps(qh, kv1, a1[h]);
      }
    }
    for (int h = 0; h < G; ++h) {
      scores[h * ld + p0 + p] = _mm512_reduce_add_ps(a0[h]) * scale;
      scores[h * ld + p0 + p + 1] = _mm512_reduce_add_ps(a1[h]) * scale;
    }
  }
  for (; p < n; ++p) {
    const std::uint16_t* k = k_rows + p * dim;
    __m512 acc[G];
    for (int h = 0; h < G; ++h) acc[h] = _mm512_setzero_ps();
    for (int d = 0; d < dim; d += 16) {
      const __m512 kv = load_half16(k + d);
      for (int h = 0; h < G; ++h) acc[h] = _mm512_fmadd_ps(_mm512_loadu_ps(q + h * dim + d), kv, acc[h]);
    }
    for (int h = 0; h < G; ++h) scores[h * ld + p0 + p] = _mm512_reduce_add_ps(acc[h]) * scale;
  }
}

// out_h += sum over rows [0, n) of one block of w[h * ld + p0 + p] * V[p], 16 dimensions at a time,
// even and odd positions in separate accumulators.
template <int G>
void block_values(const std::uint16_t* v_rows, const std::uint16_t* next, int n, const float* w, std::int64_t ld,
                  std::int64_t p0, int dim, float* out) {
  if (next != nullptr) prefetch_rows(next, static_cast<std::int64_t>(n) * dim);
  for (int d = 0; d < dim; d += 16) {
    __m512 acc0[G], acc1[G];
    for (int h = 0; h < G; ++h) {
      acc0[h] = _mm512_loadu_ps(out + h * dim + d);
      acc1[h] = _mm512_setzero_ps();
    }
    int p = 0;
    for (; p + 2 <= n; p += 2) {
      const __m512 v0 = load_half16(v_rows + p * dim + d);
      const __m512 v1 = load_half16(v_rows + (p + 1) * dim + d);
      for (int h = 0; h < G; ++h) {
        acc0[h] = _mm512_fmadd_ps(_mm512_set1_ps(w[h * ld + p0 + p]), v0, acc0[h]);
        acc1[h] = _mm512_fmadd_ps(_mm512_set1_ps(w[h * ld + p0 + p + 1]), v1, acc1[h]);
      }
    }
    for (; p < n; ++p) {
      const __m512 v = load_half16(v_rows + p * dim + d);
      for (int h = 0; h < G; ++h) acc0[h] = _mm512_fmadd_ps(_mm512_set1_ps(w[h * ld + p0 + p]), v, acc0[h]);
    }
    for (int h = 0; h < G; ++h) _mm512_storeu_ps(out + h * dim + d, _mm512_add_ps(acc0[h], acc1[h]));
  }
}

template <int G>
void attend_slice(const float* q, const KvCache::LayerView& kv, std::int64_t n_keys, int dim, int kv_head,
                  float* scores, float* out) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dim));
  const int block_tokens = kv.block_tokens();
  const std::int64_t n_blocks = (n_keys + block_tokens - 1) / block_tokens;
  for (std::int64_t b = 0; b < n_blocks; ++b) {
    const std::int64_t p0 = b * block_tokens;
    const int n = static_cast<int>(std::min<std::int64_t>(block_tokens, n_keys - p0));
    const std::uint16_t* next = b + 1 < n_blocks ? kv.k_rows(b + 1, kv_head) : kv.v_rows(0, kv_head);
    block_scores<G>(kv.k_rows(b, kv_head), next, n, q, dim, scale, scores, n_keys, p0);
  }
  for (int h = 0; h < G; ++h) softmax_to_half(scores + h * n_keys, n_keys);
  std::fill(out, out + static_cast<std::ptrdiff_t>(G) * dim, 0.0f);
  for (std::int64_t b = 0; b < n_blocks; ++b) {
    const std::int64_t p0 = b * block_tokens;
    const int n = static_cast<int>(std::min<std::int64_t>(block_tokens, n_keys - p0));
    const std::uint16_t* next = b + 1 < n_blocks ? kv.v_rows(b + 1, kv_head) : nullptr;
    block_values<G>(kv.v_rows(b, kv_head), next, n, scores, n_keys, p0, dim, out);
  }
}

using SliceFn = void (*)(const float*, const KvCache::LayerView&, std::int64_t, int, int, float*, float*);
constexpr SliceFn kSlices[] = {attend_slice<1>, attend_slice<2>, attend_slice<3>, attend_slice<4>,
                               attend_slice<5>, attend_slice<6>, attend_slice<7>, attend_slice<8>};

}  // namespace

void attend_group(const float* q, const KvCache::LayerView& kv, std::int64_t n_past, const AttentionShape& shape,
                  int kv_head, AttentionScratch& scratch, float* out) {
  const int dim = shape.head_dim;
  if (dim % 16 != 0) {
    avx2::attend_group(q, kv, n_past, shape, kv_head, scratch, out);
    return;
  }
  const int group = shape.n_heads / shape.n_kv_heads;
  const std::int64_t n_keys = n_past + 1;
  const int first_head = kv_head * group;
  scratch.q.resize(static_cast<std::size_t>(group) * dim);
  scratch.scores.resize(static_cast<std::size_t>(std::min(group, 8) * n_keys));
  const float* q_group = q + static_cast<std::int64_t>(first_head) * dim;
  for (int i = 0; i < group * dim; i += 16) {
    _mm512_storeu_ps(scratch.q.data() + i, round_half16(_mm512_loadu_ps(q_group + i)));
  }
  for (int h = 0; h < group; h += 8) {
    const int g = std::min(8, group - h);
    kSlices[g - 1](scratch.q.data() + static_cast<std::ptrdiff_t>(h) * dim, kv, n_keys, dim, kv_head,
                   scratch.scores.data(), out + static_cast<std::int64_t>(first_head + h) * dim);
  }
}

}  // namespace reval::engine::avx512
