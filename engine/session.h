// A ready-to-generate engine: the model, its tokenizer, a KV cache sized by a memory budget, a
// thread pool and the continuous-batching scheduler, opened from one GGUF file. Used by
// `reval generate` and the builtin backend. Not thread-safe: one driving thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "engine/kv_cache.h"
#include "engine/model/model.h"
#include "engine/scheduler.h"
#include "engine/kernels/thread_pool.h"
#include "engine/tokenizer/tokenizer.h"

namespace reval::engine {

struct SessionOptions {
  int n_threads = 0;                // <= 0: hardware threads
  std::int64_t kv_budget_bytes = 0; // <= 0: half of the available memory, at most 16 GiB
  std::int64_t n_ctx = 0;           // <= 0: the model's training context, at most 32768 + 1024
  int max_sequences = 64;
  int max_prefill_tokens = 512;
};

class Session {
 public:
  // Errors name the file ("model.gguf: blk.0.attn_q.weight: ...").
  static Result<std::unique_ptr<Session>> open(const std::string& path, const SessionOptions& options);

  const Model& model() const { return *model_; }
  const tokenizer::Tokenizer& tokenizer() const { return tokenizer_; }
  Scheduler& scheduler() { return *scheduler_; }
  KvCache& kv_cache() { return *cache_; }
  kernels::ThreadPool& thread_pool() { return *pool_; }
  int n_threads() const { return pool_->n_threads(); }
  std::int64_t n_ctx() const { return n_ctx_; }

  // Tokens of a prompt: BOS exactly when the GGUF metadata asks for it; control-token spellings
  // ("<|im_start|>") become those tokens when parse_special (chat-formatted prompts).
  std::vector<std::int32_t> encode_prompt(std::string_view text, bool parse_special) const;

 private:
  Session(std::unique_ptr<Model> model, tokenizer::Tokenizer tokenizer)
      : model_(std::move(model)), tokenizer_(std::move(tokenizer)) {}

  std::unique_ptr<Model> model_;
  tokenizer::Tokenizer tokenizer_;
  std::unique_ptr<KvCache> cache_;
  std::unique_ptr<kernels::ThreadPool> pool_;
  std::unique_ptr<Scheduler> scheduler_;
  std::int64_t n_ctx_ = 0;
};

// Bytes of memory the OS reports as available (MemAvailable), or 0 when unknown.
std::int64_t available_memory_bytes();

}  // namespace reval::engine
