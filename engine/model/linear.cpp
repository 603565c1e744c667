#include "engine/model/linear.h"

#include <cstring>
#include <string>
#include <vector>

#include "common/check.h"
#include "engine/model/internal/half.h"

namespace reval::engine {
namespace {

float bf16_to_float(std::uint16_t h) {
  const std::uint32_t bits = static_cast<std::uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

}  // namespace

Status check_matrix_type(const Matrix& w) {
  switch (w.type) {
    case gguf::TensorType::kF32:
    case gguf::TensorType::kF16:
    case gguf::TensorType::kBF16:
      return Status::ok_status();
    default:
      return unimplemented_error(std::string(w.name) + ": tensor type " +
                                 std::string(gguf::tensor_type_name(w.type)) + " is not supported by the forward pass");
  }
}

void matrix_row_to_float(const Matrix& w, std::int64_t r, float* out) {
  const std::uint8_t* src = w.row(r);
  switch (w.type) {
    case gguf::TensorType::kF32:
      std::memcpy(out, src, static_cast<std::size_t>(w.n_in) * sizeof(float));
      break;
    case gguf::TensorType::kF16:
      for (std::int64_t i = 0; i < w.n_in; ++i) {
        std::uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        out[i] = internal::half_to_float(h);
      }
      break;
    case gguf::TensorType::kBF16:
      for (std::int64_t i = 0; i < w.n_in; ++i) {
        std::uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        out[i] = bf16_to_float(h);
      }
      break;
    default:
      REVAL_CHECK(false && "matrix type not checked at load");
  }
}

void matmul(const Matrix& w, const float* x, std::int64_t n_tokens, float* y, ThreadPool& pool) {
  const std::int64_t n_in = w.n_in;
  const std::int64_t n_out = w.n_out;
  static thread_local std::vector<float> row;
  pool.parallel_for(n_out, 16, [&](std::int64_t begin, std::int64_t end, int) {
    row.resize(static_cast<std::size_t>(n_in));
    for (std::int64_t o = begin; o < end; ++o) {
      matrix_row_to_float(w, o, row.data());
      for (std::int64_t t = 0; t < n_tokens; ++t) {
        const float* xt = x + t * n_in;
        float sum = 0.0f;
        for (std::int64_t i = 0; i < n_in; ++i) sum += row[static_cast<std::size_t>(i)] * xt[i];
        y[t * n_out + o] = sum;
      }
    }
  });
}

}  // namespace reval::engine
