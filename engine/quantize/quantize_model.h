// Quantizing a whole GGUF model: every 2-D weight gets the target type (or a mix like Q4_K_M),
// 1-D tensors (norms, biases) stay as they are, metadata is copied with general.file_type updated.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "engine/gguf/reader.h"
#include "engine/gguf/tensor_type.h"
#include "engine/gguf/writer.h"
#include "engine/kernels/thread_pool.h"

namespace reval::quantize {

// A target: one base type for every weight, or a mix (Q4_K_M / Q5_K_M: output.weight and, on a
// third of the layers, attn_v / ffn_down get Q6_K — the policy of llama.cpp's mixes of that name).
struct QuantizePlan {
  std::string name;           // "q4_K_M", "q8_0", ...
  gguf::TensorType base;      // the type most weights get
  bool k_mix = false;         // the _M mix rules apply
  std::uint32_t file_type = 0;  // general.file_type (llama_ftype) to record
};

// Parses "q4_0", "Q4_K", "q4_k_m", "f16"...; an error listing the accepted names otherwise.
Result<QuantizePlan> parse_quantize_plan(std::string_view name);

// The type a tensor gets under `plan`: the plan's choice, or a fallback when the row length is not a
// multiple of the chosen type's block (K types -> Q5_0/Q5_1/Q8_0, then F16), or the tensor's own
// type when it is not a 2-D weight.
gguf::TensorType choose_tensor_type(const QuantizePlan& plan, const gguf::GgufTensorInfo& tensor, int n_layers);

struct QuantizeStats {
  int n_tensors = 0;
  int n_quantized = 0;
  int n_fallback = 0;  // tensors whose row length forced a fallback type
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_out = 0;
};

// Reads `in` (weights of any type with a dequantizer), writes `out`. n_threads splits rows.
// `on_tensor` (optional) is told each tensor name and its chosen type as writing begins.
Result<QuantizeStats> quantize_model(const std::string& in, const std::string& out, const QuantizePlan& plan,
                                     int n_threads,
                                     const std::function<void(std::string_view, gguf::TensorType)>& on_tensor = {});

// Adds a tensor to `writer` whose rows are `source` rows converted to `type` (dequantize, then
// quantize) when written; the same type is copied byte for byte. `source` data and `pool` must
// outlive the writer's write().
void add_converted_tensor(gguf::GgufWriter& writer, const gguf::GgufTensorInfo& source, gguf::TensorType type,
                          kernels::ThreadPool* pool);

}  // namespace reval::quantize
