// The transformer forward pass over a batch of tokens from any number of sequences (continuous
// batching): each token carries its sequence and position; K/V go to the paged cache and attention
// reads the sequence's own cache, so sequences never see each other. Readable top to bottom:
// embed -> per layer (RMSNorm, Q/K/V (+bias), RoPE, cache, attention, output, residual, RMSNorm,
// SwiGLU FFN, residual) -> final RMSNorm -> logits for the tokens that ask for them.
// Not thread-safe: one Forward per model user; parallelism comes from the thread pool inside.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model/model.h"
#include "engine/kernels/thread_pool.h"

namespace reval::engine {

struct BatchToken {
  std::int32_t token = 0;
  SeqId seq = 0;
  std::int64_t pos = 0;       // position in its sequence; the cache must have extended past it
  bool want_logits = false;   // return the next-token logits after this token
};

class Forward {
 public:
  Forward(const Model& model, KvCache& cache, kernels::ThreadPool& pool);

  // Runs the batch. Tokens of one sequence must be in increasing position order and the cache must
  // already hold positions [0, pos) of their sequence (earlier tokens of the same batch count).
  // logits receives n_vocab floats per token with want_logits, in batch order.
  // Precondition (checked): 0 <= token < n_vocab and kv_cache.length(seq) > pos.
  void run(std::span<const BatchToken> batch, std::vector<float>& logits);

 private:
  void attention_layer(std::span<const BatchToken> batch, int il);
  void feed_forward_layer(std::int64_t n_tokens, int il);

  const Model& model_;
  KvCache& cache_;
  kernels::ThreadPool& pool_;
  RopeParams rope_;
  // Activations, [n_tokens][width]; resized per batch, so once warmed up a batch of the same size
  // allocates nothing.
  std::vector<float> x_, norm_, q_, k_, v_, attn_out_, proj_, gate_, up_;
  std::vector<float> rope_cos_, rope_sin_;  // [n_tokens][n_rot / 2], computed once per batch
  std::vector<std::int64_t> wanted_;        // rows that return logits
};

}  // namespace reval::engine
