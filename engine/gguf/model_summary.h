// A summary of a GGUF model for `reval model info`: architecture, hyper-parameters, parameter count,
// tensor-type mix, size, context length, tokenizer and chat template. Reads metadata only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "engine/gguf/reader.h"

namespace reval::gguf {

struct TensorTypeShare {
  int n_tensors = 0;
  std::uint64_t n_elements = 0;
  std::uint64_t n_bytes = 0;
};

struct ModelSummary {
  std::string path;
  std::uint32_t version = 0;
  std::uint64_t file_size = 0;
  std::string architecture;  // "" when general.architecture is absent
  std::string name;          // general.name
  std::optional<std::uint32_t> file_type;
  std::optional<std::uint32_t> context_length;
  std::optional<std::uint32_t> n_layers;
  std::optional<std::uint32_t> n_embd;
  std::optional<std::uint32_t> n_ff;
  std::optional<std::uint32_t> n_head;
  std::optional<std::uint32_t> n_head_kv;
  std::optional<float> rope_freq_base;
  std::uint64_t n_params = 0;  // elements over all tensors
  std::uint64_t tensor_bytes = 0;
  int n_tensors = 0;
  std::map<TensorType, TensorTypeShare> type_mix;
  bool tied_embeddings = false;  // token_embd present, output.weight absent
  std::string tokenizer_model;   // tokenizer.ggml.model
  std::string tokenizer_pre;     // tokenizer.ggml.pre
  std::size_t vocab_size = 0;
  std::optional<std::uint32_t> bos_id;
  std::optional<std::uint32_t> eos_id;
  bool has_chat_template = false;
  std::string chat_template_family;  // "deepseek-r1", "chatml", "llama-3", "unknown" or "" (none)
};

// Never fails on missing optional keys; fails only when a present key has the wrong type.
Result<ModelSummary> summarize_model(const GgufFile& file);

// A family guess from markers in the template text (the chat module does the real recognition).
std::string chat_template_family(std::string_view template_text);

}  // namespace reval::gguf
