// Architecture shapes of real models as data, for `reval model synth`: the hyper-parameters of the
// published configs (dimensions, heads, context, RoPE base, norm epsilon, tied embeddings) so a
// random-weight model has exactly the tensor sizes and speed profile of the real one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reval::synth {

struct ModelShape {
  std::string_view name;          // "r1-distill-qwen-1.5b"
  std::string_view default_arch;  // "qwen2" or "llama"
  int n_embd;
  int n_layer;
  int n_head;
  int n_head_kv;
  int n_ff;
  std::uint32_t n_ctx;
  float rope_theta;
  float rms_eps;
  bool tied_embeddings;  // no output.weight: the token embedding is the output matrix
  bool r1;               // DeepSeek-R1-Distill flavour: R1 special tokens, BOS and chat template
  bool llama3_rope;      // Llama-3.1 RoPE frequency scaling (rope_freqs.weight), llama arch only
};

// Every known shape, in the order `reval model synth --help` lists them.
const std::vector<ModelShape>& model_shapes();
// The shape named `name`, or nullptr.
const ModelShape* find_model_shape(std::string_view name);
// "tiny, qwen2-0.5b, ..." for error messages.
std::string model_shape_names();

// Llama-3.1's RoPE frequency factors (one per rotated pair, n_rot / 2 values): 1 for high
// frequencies, `factor` for low ones, a smooth blend between (Meta's published llama3 scaling with
// factor 8, low/high frequency factors 1 and 4, original context 8192).
std::vector<float> llama3_rope_factors(int n_rot, float theta);

// DeepSeek-R1-Distill special tokens placed over a base vocab: id, text, GGUF token type
// (3 = control, 4 = user-defined).
struct SpecialToken {
  std::uint32_t id;
  std::string_view text;
  std::int32_t token_type;
};
struct R1Vocab {
  std::vector<SpecialToken> tokens;
  std::uint32_t bos_id;
  std::uint32_t eos_id;
  std::string_view pre;  // tokenizer.ggml.pre
};
// The R1 specials for a base vocab of `n_vocab` tokens: the Qwen2 (151936) or Llama-3 (128256) one;
// nullptr for other vocab sizes.
const R1Vocab* r1_vocab_for(std::size_t n_vocab);

// A DeepSeek-R1 chat template (written for reval): BOS, system text, "<｜User｜>" + user turns,
// "<｜Assistant｜>" + assistant turns + EOS, and a generation prompt "<｜Assistant｜><think>\n".
std::string_view r1_chat_template();

}  // namespace reval::synth
