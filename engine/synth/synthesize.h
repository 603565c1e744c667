// `reval model synth`: writes a random-weight GGUF with a real architecture shape (model_shapes.h)
// and a real tokenizer (metadata copied from a vocab GGUF). Weights are deterministic for a seed:
// every row is drawn from its own counter-based stream (seed, tensor, row), so neither the thread
// count nor the write chunking changes a single byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"

namespace reval::synth {

struct SynthOptions {
  std::string arch;        // "qwen2" or "llama"; empty: the shape's default
  std::string shape;       // a name from model_shapes()
  std::string vocab_path;  // a GGUF with tokenizer.* metadata (vocab-only files work)
  std::string type = "f32";  // any `model quantize` type name, incl. q4_k_m / q5_k_m mixes
  std::uint64_t seed = 1;
  std::string out;
  int n_threads = 0;                    // <= 0: all hardware threads
  std::optional<bool> r1;               // override the shape's R1 flavour
  std::optional<bool> tied;             // override the shape's tied embeddings
  std::optional<int> n_layers;          // override the layer count (smaller files with real widths)
  std::string chat_template;            // non-empty: use this template text
};

struct SynthSummary {
  std::string arch;
  std::uint64_t n_params = 0;
  std::uint64_t n_bytes = 0;  // tensor bytes written
  std::size_t n_vocab = 0;
  int n_tensors = 0;
};

// Errors: unknown shape/arch/type (kUsage, listing the valid names), an unreadable or
// tokenizer-less vocab file (naming it), write failures (naming the output).
Result<SynthSummary> synthesize_model(const SynthOptions& options);

}  // namespace reval::synth
