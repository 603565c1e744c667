#include "engine/quantize/quantize_model.h"

#include <cctype>
#include <cstring>
#include <vector>

#include "engine/gguf/keys.h"
#include "engine/kernels/type_traits.h"
#include "engine/quantize/quantize_row.h"

namespace reval::quantize {

using gguf::TensorType;

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// llama.cpp's "more bits" layers for the _M mixes: the first and last eighth, and every third between.
bool use_more_bits(int layer, int n_layers) {
  return layer < n_layers / 8 || layer >= 7 * n_layers / 8 || (layer - n_layers / 8) % 3 == 2;
}

// "blk.12.attn_v.weight" -> 12; -1 for tensors outside a block.
int layer_of(std::string_view name) {
  if (name.substr(0, 4) != "blk.") return -1;
  int layer = 0;
  std::size_t i = 4;
  if (i >= name.size() || !std::isdigit(static_cast<unsigned char>(name[i]))) return -1;
  for (; i < name.size() && std::isdigit(static_cast<unsigned char>(name[i])); ++i) layer = layer * 10 + (name[i] - '0');
  return layer;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

TensorType fallback_for(TensorType type, std::uint64_t row_length) {
  TensorType t = type;
  if (gguf::tensor_type_info(t).block_size == 256 && row_length % 256 != 0) {
    t = t == TensorType::kQ4_K ? TensorType::kQ5_0 : t == TensorType::kQ5_K ? TensorType::kQ5_1 : TensorType::kQ8_0;
  }
  if (row_length % gguf::tensor_type_info(t).block_size != 0) t = TensorType::kF16;
  return t;
}

}  // namespace

Result<QuantizePlan> parse_quantize_plan(std::string_view name) {
  struct Known {
    const char* name;
    TensorType base;
    bool k_mix;
    std::uint32_t file_type;
  };
  static const Known kKnown[] = {
      {"f32", TensorType::kF32, false, 0},     {"f16", TensorType::kF16, false, 1},
      {"bf16", TensorType::kBF16, false, 32},  {"q4_0", TensorType::kQ4_0, false, 2},
      {"q4_1", TensorType::kQ4_1, false, 3},   {"q5_0", TensorType::kQ5_0, false, 8},
      {"q5_1", TensorType::kQ5_1, false, 9},   {"q8_0", TensorType::kQ8_0, false, 7},
      {"q4_k", TensorType::kQ4_K, false, 14},  {"q4_k_s", TensorType::kQ4_K, false, 14},
      {"q4_k_m", TensorType::kQ4_K, true, 15}, {"q5_k", TensorType::kQ5_K, false, 16},
      {"q5_k_s", TensorType::kQ5_K, false, 16}, {"q5_k_m", TensorType::kQ5_K, true, 17},
      {"q6_k", TensorType::kQ6_K, false, 18},
  };
  const std::string key = lower(name);
  std::string names;
  for (const Known& k : kKnown) {
    if (key == k.name) return QuantizePlan{std::string(name), k.base, k.k_mix, k.file_type};
    names += names.empty() ? "" : ", ";
    names += k.name;
  }
  return usage_error("unknown quantization type '" + std::string(name) + "' (one of: " + names + ")");
}

TensorType choose_tensor_type(const QuantizePlan& plan, const gguf::GgufTensorInfo& tensor, int n_layers) {
  if (tensor.n_dims < 2 || !ends_with(tensor.name, "weight")) return tensor.type;
  TensorType type = plan.base;
  if (plan.k_mix) {
    const int layer = layer_of(tensor.name);
    if (tensor.name == gguf::tensors::kOutput) {
      type = TensorType::kQ6_K;
    } else if (layer >= 0 && (ends_with(tensor.name, gguf::tensors::kAttnV) ||
                              ends_with(tensor.name, gguf::tensors::kFfnDown))) {
      if (use_more_bits(layer, n_layers)) type = TensorType::kQ6_K;
    }
  }
  return fallback_for(type, tensor.ne[0]);
}

void add_converted_tensor(gguf::GgufWriter& writer, const gguf::GgufTensorInfo& source, TensorType type,
                          kernels::ThreadPool* pool) {
  std::vector<std::uint64_t> ne(source.ne.begin(), source.ne.begin() + source.n_dims);
  if (source.type == type) {
    writer.add_tensor(source.name, type, ne, std::vector<std::uint8_t>(source.data, source.data + source.n_bytes));
    return;
  }
  const gguf::GgufTensorInfo info = source;
  writer.add_tensor(source.name, type, ne,
                    [info, type, pool](std::uint64_t row, std::uint64_t n_rows, std::span<std::uint8_t> out) -> Status {
                      const kernels::TypeTraits* from = kernels::type_traits(info.type);
                      if (from == nullptr) {
                        return unimplemented_error("cannot read tensor type " +
                                                   std::string(gguf::tensor_type_name(info.type)));
                      }
                      const auto cols = static_cast<std::int64_t>(info.ne[0]);
                      const std::uint64_t in_row_bytes = gguf::tensor_row_bytes(info.type, info.ne[0]);
                      const std::uint64_t out_row_bytes = gguf::tensor_row_bytes(type, info.ne[0]);
                      kernels::parallel_for(pool, static_cast<std::int64_t>(n_rows), 8,
                                            [&](std::int64_t begin, std::int64_t end) {
                                              std::vector<float> buffer(static_cast<std::size_t>(cols));
                                              for (std::int64_t r = begin; r < end; ++r) {
                                                const std::uint8_t* src =
                                                    info.data + (row + static_cast<std::uint64_t>(r)) * in_row_bytes;
                                                from->dequantize_row(src, buffer.data(), cols);
                                                quantize_row(type, buffer.data(),
                                                             out.data() + static_cast<std::uint64_t>(r) * out_row_bytes,
                                                             cols);
                                              }
                                            });
                      return Status::ok_status();
                    });
}

Result<QuantizeStats> quantize_model(const std::string& in, const std::string& out, const QuantizePlan& plan,
                                     int n_threads,
                                     const std::function<void(std::string_view, TensorType)>& on_tensor) {
  REVAL_ASSIGN_OR_RETURN(gguf::GgufFile file, gguf::GgufFile::open(in));
  if (!can_quantize_to(plan.base)) {
    return unimplemented_error("quantize: cannot produce " + std::string(gguf::tensor_type_name(plan.base)));
  }
  int n_layers = 0;
  for (const gguf::GgufTensorInfo& t : file.tensors()) {
    n_layers = std::max(n_layers, layer_of(t.name) + 1);
  }
  const bool has_output = file.find_tensor(gguf::tensors::kOutput) != nullptr;
  gguf::GgufWriter writer;
  if (file.alignment() != gguf::kDefaultAlignment) writer.set_alignment(file.alignment());
  for (const gguf::GgufKeyValue& kv : file.metadata()) writer.set(kv.key, gguf::MetaValue::copy_of(kv.value));
  writer.set(gguf::keys::kGeneralFileType, gguf::MetaValue::u32(plan.file_type));
  writer.set(gguf::keys::kGeneralQuantizationVersion, gguf::MetaValue::u32(2));

  kernels::ThreadPool pool(n_threads);
  QuantizeStats stats;
  for (const gguf::GgufTensorInfo& t : file.tensors()) {
    TensorType type = choose_tensor_type(plan, t, n_layers);
    // A tied model's embedding doubles as the output matrix: the mixes give it the output's type.
    if (plan.k_mix && !has_output && t.name == gguf::tensors::kTokenEmbd) {
      gguf::GgufTensorInfo as_output = t;
      as_output.name = gguf::tensors::kOutput;
      type = choose_tensor_type(plan, as_output, n_layers);
    }
    if (type != t.type && kernels::type_traits(t.type) == nullptr) {
      return unimplemented_error(in + ": tensor '" + std::string(t.name) + "': cannot convert from type " +
                                 std::string(gguf::tensor_type_name(t.type)));
    }
    const bool is_weight = t.n_dims >= 2 && type != t.type;
    if (is_weight && type != plan.base && !(plan.k_mix && type == TensorType::kQ6_K)) ++stats.n_fallback;
    if (type != t.type) ++stats.n_quantized;
    ++stats.n_tensors;
    stats.bytes_in += t.n_bytes;
    stats.bytes_out += gguf::tensor_row_bytes(type, t.ne[0]) * t.n_rows();
    if (on_tensor) on_tensor(t.name, type);
    add_converted_tensor(writer, t, type, &pool);
  }
  REVAL_RETURN_IF_ERROR(writer.write(out));
  return stats;
}

}  // namespace reval::quantize
