// AVX2 + FMA versions of the element-wise ops in ops.h (compiled with REVAL_AVX2_FLAGS; called only
// when the CPU has them). SwiGLU's exp is a polynomial (relative error < 2e-7), so results differ
// from the reference by float rounding only.
#include <immintrin.h>

#include <cmath>

#include "engine/model/exp_avx2.h"
#include "engine/model/ops.h"

namespace reval::engine::avx2 {

void swiglu(const float* gate, const float* up, int n, float* out) {
  const __m256 one = _mm256_set1_ps(1.0f);
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 g = _mm256_loadu_ps(gate + i);
    const __m256 silu = _mm256_div_ps(g, _mm256_add_ps(one, exp_clamped(_mm256_sub_ps(_mm256_setzero_ps(), g))));
    _mm256_storeu_ps(out + i, _mm256_mul_ps(silu, _mm256_loadu_ps(up + i)));
  }
  for (; i < n; ++i) {
    const float g = gate[i];
    out[i] = g / (1.0f + std::exp(-g)) * up[i];
  }
}

}  // namespace reval::engine::avx2
