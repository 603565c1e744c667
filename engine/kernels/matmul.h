// Matrix products of a weight matrix in any supported tensor type with f32 activations — the entry
// point the forward pass uses. Activations are quantized once per product into the weight type's
// activation format (Q8_0, Q8_1, Q8_K or f32), then each weight row is dotted with every token's
// row; rows are split across the pool's threads. Layouts: x is n_tokens rows of `cols` floats
// (token-major), y is n_tokens rows of `rows` floats. Thread-safe for distinct outputs.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "common/result.h"
#include "engine/gguf/reader.h"
#include "engine/kernels/interleaved.h"
#include "engine/kernels/thread_pool.h"
#include "engine/kernels/type_traits.h"

namespace reval::kernels {

// A 2-D weight: `rows` rows of `cols` elements of `type`, `row_bytes` bytes per row. In the kRows
// layout row r starts at data + r * row_bytes; the others interleave 16 rows at a time (interleaved.h).
struct WeightMatrix {
  TensorType type = TensorType::kF32;
  const void* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t row_bytes = 0;
  WeightLayout layout = WeightLayout::kRows;

  // A view of a 2-D GGUF tensor (ne = {cols, rows}); an error naming the tensor when it is not 2-D
  // or its type has no kernels.
  static Result<WeightMatrix> from_tensor(const gguf::GgufTensorInfo& tensor);
  // A view of raw memory in `type` (precondition: cols is a multiple of the block size).
  static WeightMatrix from_memory(TensorType type, const void* data, std::int64_t rows, std::int64_t cols);
};

// Activations in a weight type's activation format. Reuse one object across products so the buffer
// is allocated once.
class QuantizedActivations {
 public:
  TensorType type() const { return type_; }
  std::int64_t cols() const { return cols_; }
  std::int64_t n_tokens() const { return n_tokens_; }
  const std::uint8_t* row(std::int64_t token) const { return data_ + token * row_bytes_; }

  // Quantizes x (n_tokens x cols) into `type`; for f32 it only points at x, which must then outlive
  // the use of this object.
  void quantize(TensorType type, const float* x, std::int64_t n_tokens, std::int64_t cols, ThreadPool* pool = nullptr,
                KernelIsa isa = active_kernel_isa());

 private:
  TensorType type_ = TensorType::kF32;
  std::int64_t cols_ = 0;
  std::int64_t n_tokens_ = 0;
  std::int64_t row_bytes_ = 0;
  const std::uint8_t* data_ = nullptr;
  std::vector<std::uint8_t> storage_;
};

// y = x W^T with x already quantized to w's activation format (x.type() == vec_dot_type of w.type;
// checked). Precondition: x.cols() == w.cols. `isa` picks the kernel tier (precondition:
// cpu_supports(isa)); tests pass each tier, everything else the default.
void matmul_quantized(const WeightMatrix& w, const QuantizedActivations& x, float* y, ThreadPool* pool = nullptr,
                      KernelIsa isa = active_kernel_isa());

// Quantizes x for w and multiplies. Uses a per-thread buffer for the quantized activations.
void matmul(const WeightMatrix& w, const float* x, std::int64_t n_tokens, float* y, ThreadPool* pool = nullptr,
            KernelIsa isa = active_kernel_isa());

// One product of several by the same input.
struct MatmulOutput {
  const WeightMatrix* w;
  float* y;
};

// y_i = x W_i^T for each output, quantizing x once per distinct activation format (the attention
// q/k/v projections and the FFN gate/up share their input and, usually, their format).
// Precondition: every W_i has x's width.
void matmul_same_input(std::initializer_list<MatmulOutput> outputs, const float* x, std::int64_t n_tokens,
                       ThreadPool* pool = nullptr, KernelIsa isa = active_kernel_isa());

// Dequantizes row `row` of w into dst (w.cols floats): embedding lookup.
void dequantize_row(const WeightMatrix& w, std::int64_t row, float* dst);

}  // namespace reval::kernels
