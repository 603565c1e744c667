// The type-traits table: for every tensor type reval computes with, its block geometry and kernels
// (dequantize, quantize, dot product) and the activation format its dot product consumes. The table
// is chosen once per process: AVX2 kernels where the CPU has AVX2+FMA+F16C, else the scalar
// references (engine/kernels/ref.h). Thread-safe (immutable after first use).
#pragma once

#include <cstdint>
#include <string_view>

#include "common/status.h"
#include "engine/gguf/tensor_type.h"

namespace reval::kernels {

using gguf::TensorType;

using DequantizeRowFn = void (*)(const void* src, float* dst, std::int64_t n);
using QuantizeRowFn = void (*)(const float* src, void* dst, std::int64_t n);
using VecDotFn = float (*)(std::int64_t n, const void* w, const void* x);

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

  std::int64_t row_bytes(std::int64_t n) const { return n / block_size * block_bytes; }
};

// The kernels for `type`: best ISA available; nullptr when reval has no kernels for it.
const TypeTraits* type_traits(TensorType type);
// The scalar reference kernels for `type`; nullptr when unsupported.
const TypeTraits* reference_type_traits(TensorType type);

// True when `type` can be used as a weight in matmul (has a vec_dot).
bool is_supported_weight_type(TensorType type);
// Ok, or kUnimplemented naming the tensor and the type: "blk.0.attn_q.weight: tensor type iq2_xs is not supported".
Status check_weight_type(TensorType type, std::string_view tensor_name);

// "avx2" or "scalar": which kernels type_traits() returns on this machine. REVAL_KERNELS=scalar in
// the environment forces the scalar path (for testing and comparison).
std::string_view kernel_isa();

}  // namespace reval::kernels
