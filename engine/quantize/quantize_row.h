// Weight quantizers: float rows to any weight type reval computes with. K-quants (Q4_K, Q5_K,
// Q6_K) search per sub-block for the scale (and min) that minimize the squared error, then quantize
// those scales themselves; the 0/1 types and F16/BF16 use round-to-nearest (as llama.cpp does for
// them without an importance matrix). Pure functions, thread-safe.
#pragma once

#include <cstdint>

#include "common/status.h"
#include "engine/gguf/tensor_type.h"

namespace reval::quantize {

using gguf::TensorType;

// True when quantize_row can produce `type`.
bool can_quantize_to(TensorType type);

// Quantizes n floats (a multiple of the type's block size; precondition) into dst, which holds
// the row's byte size. Precondition: can_quantize_to(type).
void quantize_row(TensorType type, const float* src, void* dst, std::int64_t n);

// The K-quant quantizers with scale search (also reachable through quantize_row).
void quantize_row_q4_K(const float* src, void* dst, std::int64_t n);
void quantize_row_q5_K(const float* src, void* dst, std::int64_t n);
void quantize_row_q6_K(const float* src, void* dst, std::int64_t n);

}  // namespace reval::quantize
