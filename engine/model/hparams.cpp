#include <string>

#include "engine/gguf/keys.h"
#include "engine/model/model.h"

namespace reval::engine {
namespace {

namespace keys = gguf::keys;

Result<int> read_positive(const gguf::GgufFile& file, const std::string& key) {
  REVAL_ASSIGN_OR_RETURN(std::uint32_t value, file.get_u32(key));
  if (value == 0 || value > (1u << 30)) {
    return invalid_input_error(key + ": value " + std::to_string(value) + " out of range");
  }
  return static_cast<int>(value);
}

Result<int> read_positive_or(const gguf::GgufFile& file, const std::string& key, int fallback) {
  if (file.find(key) == nullptr) return fallback;
  return read_positive(file, key);
}

Status read_rope_scaling(const gguf::GgufFile& file, std::string_view arch, ModelHparams& hp) {
  const std::string type_key = gguf::arch_key(arch, keys::kRopeScalingType);
  if (file.find(type_key) == nullptr) return Status::ok_status();
  REVAL_ASSIGN_OR_RETURN(std::string_view type, file.get_string(type_key));
  if (type == "none") return Status::ok_status();
  if (type == "linear") {
    const std::string factor_key = gguf::arch_key(arch, keys::kRopeScalingFactor);
    REVAL_ASSIGN_OR_RETURN(float factor, file.get_f32_or(factor_key, 1.0f));
    if (!(factor > 0.0f)) return invalid_input_error(factor_key + ": must be positive");
    hp.rope_freq_scale = 1.0f / factor;
    return Status::ok_status();
  }
  // Llama 3.1's scaling arrives as the rope_freqs.weight tensor, not as a scaling type.
  return unimplemented_error(type_key + ": rope scaling '" + std::string(type) + "' is not supported");
}

}  // namespace

Result<ModelHparams> read_hparams(const gguf::GgufFile& file) {
  REVAL_ASSIGN_OR_RETURN(std::string_view arch_name, file.get_string(keys::kGeneralArchitecture));
  ModelHparams hp;
  hp.arch = find_arch(arch_name);
  if (hp.arch == nullptr) {
    std::string names;
    for (std::string_view name : supported_arch_names()) names += (names.empty() ? "" : ", ") + std::string(name);
    return unimplemented_error(std::string(keys::kGeneralArchitecture) + ": architecture '" + std::string(arch_name) +
                               "' is not supported (supported: " + names + ")");
  }
  const std::string_view a = hp.arch->name;
  REVAL_ASSIGN_OR_RETURN(hp.n_embd, read_positive(file, gguf::arch_key(a, keys::kEmbeddingLength)));
  REVAL_ASSIGN_OR_RETURN(hp.n_layer, read_positive(file, gguf::arch_key(a, keys::kBlockCount)));
  REVAL_ASSIGN_OR_RETURN(hp.n_ff, read_positive(file, gguf::arch_key(a, keys::kFeedForwardLength)));
  REVAL_ASSIGN_OR_RETURN(hp.n_head, read_positive(file, gguf::arch_key(a, keys::kHeadCount)));
  REVAL_ASSIGN_OR_RETURN(hp.n_head_kv, read_positive_or(file, gguf::arch_key(a, keys::kHeadCountKv), hp.n_head));
  REVAL_ASSIGN_OR_RETURN(int ctx, read_positive_or(file, gguf::arch_key(a, keys::kContextLength), 2048));
  hp.n_ctx_train = ctx;
  if (hp.n_head % hp.n_head_kv != 0) {
    return invalid_input_error(gguf::arch_key(a, keys::kHeadCountKv) + ": " + std::to_string(hp.n_head_kv) +
                               " does not divide the head count " + std::to_string(hp.n_head));
  }
  const int default_head_dim = hp.n_embd / hp.n_head;
  REVAL_ASSIGN_OR_RETURN(hp.head_dim, read_positive_or(file, gguf::arch_key(a, keys::kKeyLength), default_head_dim));
  REVAL_ASSIGN_OR_RETURN(int value_dim, read_positive_or(file, gguf::arch_key(a, keys::kValueLength), hp.head_dim));
  if (value_dim != hp.head_dim) {
    return unimplemented_error(gguf::arch_key(a, keys::kValueLength) + ": " + std::to_string(value_dim) +
                               " differs from the key length " + std::to_string(hp.head_dim));
  }
  REVAL_ASSIGN_OR_RETURN(hp.n_rot, read_positive_or(file, gguf::arch_key(a, keys::kRopeDimensionCount), hp.head_dim));
  if (hp.n_rot > hp.head_dim || hp.n_rot % 2 != 0) {
    return invalid_input_error(gguf::arch_key(a, keys::kRopeDimensionCount) + ": " + std::to_string(hp.n_rot) +
                               " must be even and at most the head size " + std::to_string(hp.head_dim));
  }
  REVAL_ASSIGN_OR_RETURN(hp.rms_eps,
                         file.get_f32_or(gguf::arch_key(a, keys::kLayerNormRmsEpsilon), hp.arch->default_rms_eps));
  REVAL_ASSIGN_OR_RETURN(hp.rope_freq_base,
                         file.get_f32_or(gguf::arch_key(a, keys::kRopeFreqBase), hp.arch->default_rope_base));
  if (!(hp.rms_eps > 0.0f) || !(hp.rope_freq_base > 0.0f)) {
    return invalid_input_error(std::string(a) + ": rms epsilon and rope base must be positive");
  }
  REVAL_RETURN_IF_ERROR(read_rope_scaling(file, a, hp));
  return hp;
}

}  // namespace reval::engine
