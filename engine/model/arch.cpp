#include "engine/model/arch.h"

namespace reval::engine {
namespace {

// Values from the GGUF conventions llama.cpp's converters follow (llama: rope type "norm",
// qwen2: rope type "neox" and biases on the Q/K/V projections).
constexpr ArchSpec kArchs[] = {
    {.name = "llama", .qkv_bias = false, .rope_mode = RopeMode::kNormal, .default_rope_base = 10000.0f,
     .default_rms_eps = 1e-5f},
    {.name = "qwen2", .qkv_bias = true, .rope_mode = RopeMode::kNeox, .default_rope_base = 10000.0f,
     .default_rms_eps = 1e-6f},
};

}  // namespace

const ArchSpec* find_arch(std::string_view name) {
  for (const ArchSpec& spec : kArchs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string_view> supported_arch_names() {
  std::vector<std::string_view> names;
  for (const ArchSpec& spec : kArchs) names.push_back(spec.name);
  return names;
}

}  // namespace reval::engine
