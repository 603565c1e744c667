// Tensor element types as GGUF stores them (ggml_type ids) and their storage geometry
// (elements per block, bytes per block). Pure format facts: the kernels add behaviour in
// engine/kernels/type_traits.h. Thread-safe (constant tables only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace reval::gguf {

// The numeric values are the on-disk ids (ggml_type); gaps are ids retired by ggml.
enum class TensorType : std::uint32_t {
  kF32 = 0,
  kF16 = 1,
  kQ4_0 = 2,
  kQ4_1 = 3,
  kQ5_0 = 6,
  kQ5_1 = 7,
  kQ8_0 = 8,
  kQ8_1 = 9,
  kQ2_K = 10,
  kQ3_K = 11,
  kQ4_K = 12,
  kQ5_K = 13,
  kQ6_K = 14,
  kQ8_K = 15,
  kIQ2_XXS = 16,
  kIQ2_XS = 17,
  kIQ3_XXS = 18,
  kIQ1_S = 19,
  kIQ4_NL = 20,
  kIQ3_S = 21,
  kIQ2_S = 22,
  kIQ4_XS = 23,
  kI8 = 24,
  kI16 = 25,
  kI32 = 26,
  kI64 = 27,
  kF64 = 28,
  kIQ1_M = 29,
  kBF16 = 30,
  kTQ1_0 = 34,
  kTQ2_0 = 35,
  kMXFP4 = 39,
};

// Storage geometry of one type: a row of n elements (n a multiple of block_size) takes
// n / block_size * block_bytes bytes.
struct TensorTypeInfo {
  TensorType type;
  std::string_view name;  // as llama.cpp prints it: "q4_K", "f16"
  std::uint32_t block_size;
  std::uint32_t block_bytes;
};

// Geometry of a type id read from a file; nullopt for ids no ggml version defines.
std::optional<TensorTypeInfo> tensor_type_info(std::uint32_t type_id);
// Geometry of a known type.
TensorTypeInfo tensor_type_info(TensorType type);

std::string_view tensor_type_name(TensorType type);
// Case-insensitive lookup of "q4_k", "Q8_0", "bf16"...; nullopt when unknown.
std::optional<TensorType> tensor_type_from_name(std::string_view name);

// Bytes of a row of n_elements; precondition: n_elements % block_size == 0.
std::uint64_t tensor_row_bytes(TensorType type, std::uint64_t n_elements);

}  // namespace reval::gguf
