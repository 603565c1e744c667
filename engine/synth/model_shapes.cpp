#include "engine/synth/model_shapes.h"

#include <cmath>
#include <numbers>

namespace reval::synth {

const std::vector<ModelShape>& model_shapes() {
  // Values from the models' published config.json files (hidden_size, num_hidden_layers,
  // num_attention_heads, num_key_value_heads, intermediate_size, max_position_embeddings,
  // rope_theta, rms_norm_eps, tie_word_embeddings).
  static const std::vector<ModelShape> shapes = {
      // name                    arch     embd  layers heads kv  ff     ctx     theta     eps    tied   r1     l3rope
      {"tiny",                   "qwen2", 256,  2,     4,    2,  768,   4096,   1e6f,     1e-6f, false, false, false},
      {"qwen2-0.5b",             "qwen2", 896,  24,    14,   2,  4864,  32768,  1e6f,     1e-6f, true,  false, false},
      {"qwen2-1.5b",             "qwen2", 1536, 28,    12,   2,  8960,  32768,  1e6f,     1e-6f, true,  false, false},
      {"r1-distill-qwen-1.5b",   "qwen2", 1536, 28,    12,   2,  8960,  131072, 10000.0f, 1e-6f, false, true,  false},
      {"r1-distill-qwen-7b",     "qwen2", 3584, 28,    28,   4,  18944, 131072, 10000.0f, 1e-6f, false, true,  false},
      {"r1-distill-qwen-14b",    "qwen2", 5120, 48,    40,   8,  13824, 131072, 1e6f,     1e-5f, false, true,  false},
      {"r1-distill-qwen-32b",    "qwen2", 5120, 64,    40,   8,  27648, 131072, 1e6f,     1e-5f, false, true,  false},
      {"llama-3-8b",             "llama", 4096, 32,    32,   8,  14336, 131072, 500000.0f, 1e-5f, false, false, true},
      {"r1-distill-llama-8b",    "llama", 4096, 32,    32,   8,  14336, 131072, 500000.0f, 1e-5f, false, true,  true},
      {"llama-3-70b",            "llama", 8192, 80,    64,   8,  28672, 131072, 500000.0f, 1e-5f, false, false, true},
      {"r1-distill-llama-70b",   "llama", 8192, 80,    64,   8,  28672, 131072, 500000.0f, 1e-5f, false, true,  true},
  };
  return shapes;
}

const ModelShape* find_model_shape(std::string_view name) {
  for (const ModelShape& shape : model_shapes()) {
    if (shape.name == name) return &shape;
  }
  return nullptr;
}

std::string model_shape_names() {
  std::string names;
  for (const ModelShape& shape : model_shapes()) {
    if (!names.empty()) names += ", ";
    names += shape.name;
  }
  return names;
}

std::vector<float> llama3_rope_factors(int n_rot, float theta) {
  constexpr double kFactor = 8.0;
  constexpr double kLowFreqFactor = 1.0;
  constexpr double kHighFreqFactor = 4.0;
  constexpr double kOriginalContext = 8192.0;
  const double low_freq_wavelen = kOriginalContext / kLowFreqFactor;
  const double high_freq_wavelen = kOriginalContext / kHighFreqFactor;
  std::vector<float> factors;
  for (int i = 0; i < n_rot / 2; ++i) {
    const double freq = std::pow(static_cast<double>(theta), -2.0 * i / n_rot);
    const double wavelen = 2.0 * std::numbers::pi / freq;
    double factor = 1.0;
    if (wavelen > low_freq_wavelen) {
      factor = kFactor;
    } else if (wavelen >= high_freq_wavelen) {
      const double smooth = (kOriginalContext / wavelen - kLowFreqFactor) / (kHighFreqFactor - kLowFreqFactor);
      factor = 1.0 / ((1.0 - smooth) / kFactor + smooth);
    }
    factors.push_back(static_cast<float>(factor));
  }
  return factors;
}

const R1Vocab* r1_vocab_for(std::size_t n_vocab) {
  // Qwen2 base vocab: DeepSeek-R1-Distill-Qwen's added tokens start at 151643.
  static const R1Vocab qwen = {{{151643, "<｜end▁of▁sentence｜>", 3},
                                {151644, "<｜User｜>", 3},
                                {151645, "<｜Assistant｜>", 3},
                                {151646, "<｜begin▁of▁sentence｜>", 3},
                                {151647, "<|EOT|>", 3},
                                {151648, "<think>", 4},
                                {151649, "</think>", 4}},
                               151646,
                               151643,
                               "deepseek-r1-qwen"};
  // Llama-3 base vocab: DeepSeek-R1-Distill-Llama renames Llama-3's reserved specials.
  static const R1Vocab llama = {{{128000, "<｜begin▁of▁sentence｜>", 3},
                                 {128001, "<｜end▁of▁sentence｜>", 3},
                                 {128011, "<｜User｜>", 3},
                                 {128012, "<｜Assistant｜>", 3},
                                 {128013, "<think>", 4},
                                 {128014, "</think>", 4}},
                                128000,
                                128001,
                                "llama-bpe"};
  if (n_vocab == 151936) return &qwen;
  if (n_vocab == 128256) return &llama;
  return nullptr;
}

std::string_view r1_chat_template() {
  static constexpr std::string_view kTemplate =
      "{% if not add_generation_prompt is defined %}{% set add_generation_prompt = false %}{% endif %}"
      "{{ bos_token }}"
      "{% for message in messages %}"
      "{% if message['role'] == 'system' %}{{ message['content'] }}"
      "{% elif message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}"
      "{% elif message['role'] == 'assistant' %}{{ '<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>' }}"
      "{% endif %}"
      "{% endfor %}"
      "{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\\n' }}{% endif %}";
  return kTemplate;
}

}  // namespace reval::synth
