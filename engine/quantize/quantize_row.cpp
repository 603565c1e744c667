#include "engine/quantize/quantize_row.h"

#include "common/check.h"
#include "engine/kernels/type_traits.h"

namespace reval::quantize {

bool can_quantize_to(TensorType type) {
  switch (type) {
    case TensorType::kQ4_K:
    case TensorType::kQ5_K:
    case TensorType::kQ6_K: return true;
    default: {
      const kernels::TypeTraits* traits = kernels::type_traits(type);
      return traits != nullptr && traits->quantize_row != nullptr && traits->vec_dot != nullptr;
    }
  }
}

void quantize_row(TensorType type, const float* src, void* dst, std::int64_t n) {
  switch (type) {
    case TensorType::kQ4_K: quantize_row_q4_K(src, dst, n); return;
    case TensorType::kQ5_K: quantize_row_q5_K(src, dst, n); return;
    case TensorType::kQ6_K: quantize_row_q6_K(src, dst, n); return;
    default: {
      const kernels::TypeTraits* traits = kernels::type_traits(type);
      REVAL_CHECK(traits != nullptr && traits->quantize_row != nullptr);
      traits->quantize_row(src, dst, n);
    }
  }
}

}  // namespace reval::quantize
