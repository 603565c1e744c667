// The type-traits table: for every tensor type reval computes with, its block geometry and kernels
// (dequantize, quantize, dot product, GEMM) and the activation format its dot product consumes. One
// table per instruction-set tier: scalar references (engine/kernels/ref.h), AVX2 (+FMA, F16C) and
// AVX-512 (F/BW/VL/DQ + VNNI, which adds GEMM tiles on top of the AVX2 kernels). The active tier is
// chosen once per process: the best the CPU supports, or a lower one forced with REVAL_KERNELS.
// Thread-safe (immutable after first use).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "engine/gguf/tensor_type.h"

namespace reval::kernels {

using gguf::TensorType;

using DequantizeRowFn = void (*)(const void* src, float* dst, std::int64_t n);
using QuantizeRowFn = void (*)(const float* src, void* dst, std::int64_t n);
using VecDotFn = float (*)(std::int64_t n, const void* w, const void* x);
// One weight row against n_x (1..kMaxMultiRows) activation rows spaced x_stride bytes apart;
// result i goes to out[i * out_stride]. Equal (bit for bit) to n_x calls of the type's vec_dot.
using VecDotMultiFn = void (*)(std::int64_t n, const void* w, const void* x, std::size_t x_stride, int n_x,
                               float* out, std::size_t out_stride);
inline constexpr int kMaxMultiRows = 4;

// Instruction-set tiers, in increasing order: each one the CPU supports also supports those below.
// kAmx is AVX-512 plus AMX-INT8 tile GEMMs for prompts (16+ tokens).
enum class KernelIsa { kScalar, kAvx2, kAvx512, kAmx };

// A blocked matrix-product kernel: activations (rows of the weight type's vec_dot_type) are packed
// once per product into the kernel's layout, then gemm computes whole register tiles of weight rows
// x tokens. y[t * y_stride + r] = dot(w row r, x row t) for r < n_rows, t < n_tokens.
struct GemmKernel {
  std::int64_t (*packed_row_bytes)(std::int64_t cols);
  void (*pack_row)(const void* xq, void* packed, std::int64_t cols);
  void (*gemm)(std::int64_t cols, const void* w, std::size_t w_stride, std::int64_t n_rows, const void* x,
               std::size_t x_stride, std::int64_t n_tokens, float* y, std::size_t y_stride);
  // Products with fewer tokens use another kernel.
  std::int64_t min_tokens = 1;
  // Tokens per gemm call at most: the caller splits longer prompts so their packed activations
  // (packed_row_bytes each) stay within l2_budget bytes.
  std::int64_t max_chunk_tokens = 64;
  std::int64_t l2_budget = 512 * 1024;
};

struct TypeTraits {
  TensorType type;
  std::string_view name;
  int block_size;   // elements per block
  int block_bytes;  // bytes per block
  DequantizeRowFn dequantize_row;
  // Round-to-nearest quantizer; for K-quants use engine/quantize (this one is null for them).
  QuantizeRowFn quantize_row;
  // Weight types: the activation format of vec_dot and the dot itself. Activation-only types (Q8_1,
  // Q8_K) have vec_dot == nullptr.
  TensorType vec_dot_type;
  VecDotFn vec_dot;
  // Optional: the multi-row dot (null: callers loop over vec_dot).
  VecDotMultiFn vec_dot_multi = nullptr;
  // Optional: the GEMM kernel (null: matmul uses vec_dot_multi / vec_dot).
  const GemmKernel* gemm = nullptr;
  // Optional: a GEMM kernel for n_tokens >= gemm_wide->min_tokens, preferred over gemm there.
  const GemmKernel* gemm_wide = nullptr;

  std::int64_t row_bytes(std::int64_t n) const { return n / block_size * block_bytes; }
};

// The kernels for `type` in the active tier; nullptr when reval has no kernels for it.
const TypeTraits* type_traits(TensorType type);
// The kernels for `type` in tier `isa` (precondition: cpu_supports(isa)); nullptr when unsupported.
const TypeTraits* type_traits(TensorType type, KernelIsa isa);
// The scalar reference kernels for `type`; nullptr when unsupported.
const TypeTraits* reference_type_traits(TensorType type);

// True when `type` can be used as a weight in matmul (has a vec_dot).
bool is_supported_weight_type(TensorType type);
// Ok, or kUnimplemented naming the tensor and the type: "blk.0.attn_q.weight: tensor type iq2_xs is not supported".
Status check_weight_type(TensorType type, std::string_view tensor_name);

// Whether this CPU (and OS) can run tier `isa`.
bool cpu_supports(KernelIsa isa);
// The tier type_traits(type) uses: the best the CPU supports, capped by REVAL_KERNELS=scalar|avx2|avx512|amx
// in the environment (for testing and comparison; a tier above the CPU's falls back to the CPU's best).
KernelIsa active_kernel_isa();
std::string_view kernel_isa_name(KernelIsa isa);
// "amx", "avx512", "avx2" or "scalar": the name of active_kernel_isa().
std::string_view kernel_isa();

}  // namespace reval::kernels
