// Writes tiny random-weight llama/qwen2 GGUF files for engine unit tests (F32 weights, scaled init).
#pragma once

#include <string>

namespace reval::test {

struct TinyModelSpec {
  std::string arch = "qwen2";
  int n_vocab = 64;
  int n_embd = 32;
  int n_layer = 2;
  int n_head = 4;
  int n_head_kv = 2;
  int n_ff = 48;
  bool tied = false;
  bool rope_freqs = false;  // write rope_freqs.weight (Llama 3.1 style frequency divisors)
  unsigned seed = 1;
};

// Writes the model to `path`; REQUIREs success.
void write_tiny_model(const std::string& path, const TinyModelSpec& spec);

}  // namespace reval::test
