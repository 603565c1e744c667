// Architecture tables: what differs between the decoder-only families reval runs, as data.
// Both `llama` and `qwen2` are pre-norm transformers with RMSNorm, grouped-query attention, RoPE and
// a SwiGLU feed-forward; they differ in Q/K/V biases and in how RoPE pairs dimensions (the llama
// converter permutes Q/K rows so adjacent pairs rotate; qwen2 files keep Hugging Face's half split).
#pragma once

#include <string_view>
#include <vector>

#include "engine/model/ops.h"

namespace reval::engine {

struct ArchSpec {
  std::string_view name;    // general.architecture, also the prefix of its hyper-parameter keys
  bool qkv_bias = false;    // blk.N.attn_{q,k,v}.bias present and required
  RopeMode rope_mode = RopeMode::kNormal;
  float default_rope_base = 10000.0f;  // used when <arch>.rope.freq_base is absent
  float default_rms_eps = 1e-5f;       // used when <arch>.attention.layer_norm_rms_epsilon is absent
};

// The spec for an architecture name, or nullptr when reval does not implement it.
const ArchSpec* find_arch(std::string_view name);
// Names of every supported architecture, for error messages.
std::vector<std::string_view> supported_arch_names();

}  // namespace reval::engine
