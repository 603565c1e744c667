#include "engine/kernels/matmul.h"

#include <algorithm>

#include "common/check.h"

namespace reval::kernels {
namespace {

// Tokens handled together against one block of weight rows: their quantized activations (a few KiB
// each) stay in L2 while each weight row is read from memory once per group.
constexpr std::int64_t kTokenTile = 32;

}  // namespace

Result<WeightMatrix> WeightMatrix::from_tensor(const gguf::GgufTensorInfo& tensor) {
  if (tensor.n_dims != 2 && !(tensor.n_dims > 2 && tensor.ne[2] == 1 && tensor.ne[3] == 1)) {
    return invalid_input_error(std::string(tensor.name) + ": expected a 2-D weight, got " +
                               std::to_string(tensor.n_dims) + " dimensions");
  }
  REVAL_RETURN_IF_ERROR(check_weight_type(tensor.type, tensor.name));
  return from_memory(tensor.type, tensor.data, static_cast<std::int64_t>(tensor.ne[1]),
                     static_cast<std::int64_t>(tensor.ne[0]));
}

WeightMatrix WeightMatrix::from_memory(TensorType type, const void* data, std::int64_t rows, std::int64_t cols) {
  const TypeTraits* traits = type_traits(type);
  REVAL_CHECK(traits != nullptr && cols % traits->block_size == 0);
  return WeightMatrix{type, data, rows, cols, traits->row_bytes(cols)};
}

void QuantizedActivations::quantize(TensorType type, const float* x, std::int64_t n_tokens, std::int64_t cols,
                                    ThreadPool* pool, KernelIsa isa) {
  const TypeTraits* traits = type_traits(type, isa);
  REVAL_CHECK(traits != nullptr && traits->quantize_row != nullptr && cols % traits->block_size == 0);
  type_ = type;
  cols_ = cols;
  n_tokens_ = n_tokens;
  row_bytes_ = traits->row_bytes(cols);
  if (type == TensorType::kF32) {
    data_ = reinterpret_cast<const std::uint8_t*>(x);
    return;
  }
  const auto n_bytes = static_cast<std::size_t>(row_bytes_ * n_tokens);
  if (storage_.size() < n_bytes) storage_.resize(n_bytes);
  data_ = storage_.data();
  std::uint8_t* out = storage_.data();
  const std::int64_t row_bytes = row_bytes_;
  parallel_for(pool, n_tokens, std::max<std::int64_t>(1, n_tokens / 16), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) traits->quantize_row(x + t * cols, out + t * row_bytes, cols);
  });
}

namespace {

// Rows per hand-out: small enough to balance threads (several pieces per thread), large enough to
// amortize the hand-out (16 rows minimum), a multiple of 4 so GEMM row tiles stay whole.
std::int64_t row_grain(std::int64_t rows, ThreadPool* pool) {
  const int n_threads = pool != nullptr ? pool->n_threads() : 1;
  const std::int64_t grain = std::max<std::int64_t>(16, rows / (8 * n_threads));
  return (grain + 3) / 4 * 4;
}

// The GEMM path: pack the activations once, then each thread runs the kernel over its rows for one
// chunk of tokens at a time, the chunk's packed activations small enough to stay in L2.
void matmul_gemm(const WeightMatrix& w, const GemmKernel& kernel, const QuantizedActivations& x, float* y,
                 ThreadPool* pool) {
  thread_local std::vector<std::uint8_t> packed;
  const std::int64_t n_tokens = x.n_tokens();
  const std::int64_t cols = w.cols;
  const std::int64_t packed_row = kernel.packed_row_bytes(cols);
  const auto n_bytes = static_cast<std::size_t>(packed_row * n_tokens);
  if (packed.size() < n_bytes) packed.resize(n_bytes);
  std::uint8_t* p = packed.data();
  parallel_for(pool, n_tokens, std::max<std::int64_t>(1, n_tokens / 16), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) kernel.pack_row(x.row(t), p + t * packed_row, cols);
  });
  const std::int64_t chunk = std::clamp<std::int64_t>(kernel.l2_budget / packed_row / 16 * 16, 16,
                                                      std::max<std::int64_t>(16, kernel.max_chunk_tokens));
  const std::int64_t rows = w.rows;
  const auto* base = static_cast<const std::uint8_t*>(w.data);
  parallel_for(pool, rows, row_grain(rows, pool), [&](std::int64_t row_begin, std::int64_t row_end) {
    for (std::int64_t t0 = 0; t0 < n_tokens; t0 += chunk) {
      const std::int64_t nt = std::min(chunk, n_tokens - t0);
      kernel.gemm(cols, base + row_begin * w.row_bytes, static_cast<std::size_t>(w.row_bytes), row_end - row_begin,
                  p + t0 * packed_row, static_cast<std::size_t>(packed_row), nt, y + t0 * rows + row_begin,
                  static_cast<std::size_t>(rows));
    }
  });
}

// Interleaved weights: activations packed once into the layout's rows, then each thread runs the
// tier's kernel over its 16-row groups for one L2-sized chunk of tokens at a time.
void matmul_interleaved(const WeightMatrix& w, const QuantizedActivations& x, float* y, ThreadPool* pool,
                        KernelIsa isa) {
  const InterleavedKernels& kernels = interleaved_kernels(w.layout);
  const auto packed_row_bytes = kernels.packed_row_bytes;
  const auto pack_row = kernels.pack_row;
  thread_local std::vector<std::uint8_t> packed;
  const std::int64_t n_tokens = x.n_tokens();
  const std::int64_t cols = w.cols;
  const std::int64_t packed_row = packed_row_bytes(cols);
  const auto n_bytes = static_cast<std::size_t>(packed_row * n_tokens);
  if (packed.size() < n_bytes) packed.resize(n_bytes);
  std::uint8_t* p = packed.data();
  parallel_for(pool, n_tokens, std::max<std::int64_t>(1, n_tokens / 16), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t t = begin; t < end; ++t) pack_row(x.row(t), p + t * packed_row, cols);
  });
  constexpr std::int64_t kL2Budget = 512 * 1024;
  const std::int64_t chunk = std::clamp<std::int64_t>(kL2Budget / packed_row / 16 * 16, 16, 256);
  const std::int64_t rows = w.rows;
  const std::int64_t n_groups = rows / kGroupRows;
  const std::int64_t group_bytes = kGroupRows * w.row_bytes;
  const int n_threads = pool != nullptr ? pool->n_threads() : 1;
  const std::int64_t grain = std::max<std::int64_t>(1, n_groups / (8 * n_threads));
  const auto* base = static_cast<const std::uint8_t*>(w.data);
  parallel_for(pool, n_groups, grain, [&](std::int64_t group_begin, std::int64_t group_end) {
    for (std::int64_t t0 = 0; t0 < n_tokens; t0 += chunk) {
      const std::int64_t nt = std::min(chunk, n_tokens - t0);
      const GemmQ8_0x16Fn gemm = kernels.gemm_for(isa, nt);
      gemm(cols, base + group_begin * group_bytes, group_end - group_begin, p + t0 * packed_row,
           static_cast<std::size_t>(packed_row), nt, y + t0 * rows + group_begin * kGroupRows,
           static_cast<std::size_t>(rows));
    }
  });
}

}  // namespace

void matmul_quantized(const WeightMatrix& w, const QuantizedActivations& x, float* y, ThreadPool* pool,
                      KernelIsa isa) {
  const TypeTraits* traits = type_traits(w.type, isa);
  REVAL_CHECK(traits != nullptr && traits->vec_dot != nullptr);
  REVAL_CHECK(x.type() == traits->vec_dot_type && x.cols() == w.cols);
  if (w.layout != WeightLayout::kRows) {
    matmul_interleaved(w, x, y, pool, isa);
    return;
  }
  if (traits->gemm_wide != nullptr && x.n_tokens() >= traits->gemm_wide->min_tokens) {
    matmul_gemm(w, *traits->gemm_wide, x, y, pool);
    return;
  }
  if (traits->gemm != nullptr) {
    matmul_gemm(w, *traits->gemm, x, y, pool);
    return;
  }
  const VecDotFn dot = traits->vec_dot;
  const VecDotMultiFn multi = x.n_tokens() > 1 ? traits->vec_dot_multi : nullptr;
  const auto x_row_bytes = static_cast<std::size_t>(x.n_tokens() > 1 ? x.row(1) - x.row(0) : 0);
  const std::int64_t rows = w.rows;
  const std::int64_t cols = w.cols;
  const std::int64_t n_tokens = x.n_tokens();
  const auto* base = static_cast<const std::uint8_t*>(w.data);
  parallel_for(pool, rows, row_grain(rows, pool), [&](std::int64_t row_begin, std::int64_t row_end) {
    for (std::int64_t t0 = 0; t0 < n_tokens; t0 += kTokenTile) {
      const std::int64_t t1 = std::min(n_tokens, t0 + kTokenTile);
      for (std::int64_t r = row_begin; r < row_end; ++r) {
        const std::uint8_t* wrow = base + r * w.row_bytes;
        if (multi == nullptr) {
          for (std::int64_t t = t0; t < t1; ++t) y[t * rows + r] = dot(cols, wrow, x.row(t));
          continue;
        }
        // Several tokens per weight-row pass: each weight block is unpacked once per group.
        for (std::int64_t t = t0; t < t1; t += kMaxMultiRows) {
          const int n_x = static_cast<int>(std::min<std::int64_t>(kMaxMultiRows, t1 - t));
          multi(cols, wrow, x.row(t), x_row_bytes, n_x, y + t * rows + r, static_cast<std::size_t>(rows));
        }
      }
    }
  });
}

void matmul(const WeightMatrix& w, const float* x, std::int64_t n_tokens, float* y, ThreadPool* pool, KernelIsa isa) {
  matmul_same_input({{&w, y}}, x, n_tokens, pool, isa);
}

void matmul_same_input(std::initializer_list<MatmulOutput> outputs, const float* x, std::int64_t n_tokens,
                       ThreadPool* pool, KernelIsa isa) {
  thread_local QuantizedActivations activations;
  bool quantized = false;
  for (const MatmulOutput& out : outputs) {
    const TypeTraits* traits = type_traits(out.w->type, isa);
    REVAL_CHECK(traits != nullptr && traits->vec_dot != nullptr);
    if (!quantized || activations.type() != traits->vec_dot_type || activations.cols() != out.w->cols) {
      activations.quantize(traits->vec_dot_type, x, n_tokens, out.w->cols, pool, isa);
      quantized = true;
    }
    matmul_quantized(*out.w, activations, out.y, pool, isa);
  }
}

void dequantize_row(const WeightMatrix& w, std::int64_t row, float* dst) {
  REVAL_CHECK(row >= 0 && row < w.rows);
  if (w.layout != WeightLayout::kRows) {
    dequantize_interleaved_row(w.layout, w.data, w.cols, row, dst);
    return;
  }
  type_traits(w.type)->dequantize_row(static_cast<const std::uint8_t*>(w.data) + row * w.row_bytes, dst, w.cols);
}

}  // namespace reval::kernels
