// Continuous batching: every live sequence advances in one forward pass per step. A request's k
// samples share one prefill (the prompt is computed once, then its KV blocks are forked to each
// sample); finished samples leave the batch and waiting ones join as the KV budget allows.
// Each sample samples with its own RNG, and the forward pass computes every row the same way
// whatever else is in the batch, so a sample's tokens do not depend on batching or threads.
// Not thread-safe: drive it from one thread (the forward pass uses the thread pool inside).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kv_cache.h"
#include "engine/model/forward.h"
#include "engine/sampler/sampler.h"

namespace reval::engine {

enum class FinishReason { kStop, kLength, kError };
std::string_view finish_reason_name(FinishReason reason);  // "stop", "length", "error"

struct GenerationRequest {
  std::uint64_t id = 0;  // caller's tag, echoed in events and results
  std::vector<std::int32_t> prompt;
  SamplingConfig sampling;
  std::vector<std::uint64_t> seeds;  // one per sample: the number of samples is seeds.size()
  std::int64_t max_tokens = 256;     // new tokens per sample
  std::vector<std::string> stop_strings;
};

struct SampleResult {
  std::uint64_t id = 0;
  int sample = 0;
  std::vector<std::int32_t> tokens;  // generated tokens, without the end-of-generation token
  std::string text;                  // their bytes, cut before a matched stop string
  FinishReason finish = FinishReason::kStop;
  std::string error;                 // finish == kError
  std::int64_t prompt_tokens = 0;
};

struct SchedulerOptions {
  std::vector<std::int32_t> end_of_generation;  // EOS/EOT ids: finish with kStop
  // The bytes of a token, for stop strings and results; must be thread-compatible with the caller.
  std::function<std::string(std::int32_t)> token_bytes;
  std::int64_t n_ctx = 4096;          // longest sequence (prompt + generated) allowed
  int max_prefill_tokens = 512;       // prompt tokens per forward pass (chunked prefill)
  int max_sequences = 64;             // live sequences at once
};

class Scheduler {
 public:
  // The model, cache and pool must outlive the scheduler.
  Scheduler(const Model& model, KvCache& cache, kernels::ThreadPool& pool, SchedulerOptions options);

  void submit(GenerationRequest request);
  bool idle() const { return groups_.empty(); }

  // Called for each generated token (not the end-of-generation token) with its bytes.
  using TokenFn = std::function<void(std::uint64_t id, int sample, std::int32_t token, std::string_view bytes)>;
  using DoneFn = std::function<void(SampleResult)>;
  // Admits what fits, runs one forward pass and samples. Returns false when there is nothing to do.
  bool step(const TokenFn& on_token, const DoneFn& on_done);
  // Steps until idle.
  void run(const TokenFn& on_token, const DoneFn& on_done);

  // Sequences in the last forward pass (for occupancy figures).
  int last_batch_sequences() const { return last_batch_sequences_; }

  // Running totals since construction, for throughput and batch-occupancy figures.
  struct Stats {
    std::int64_t forward_passes = 0;
    std::int64_t decode_passes = 0;    // passes with at least one decoding sample
    std::int64_t decode_tokens = 0;    // sum over passes of decoding samples (= tokens decoded)
    std::int64_t prefill_tokens = 0;   // prompt tokens computed
    double forward_seconds = 0.0;      // wall time inside forward passes
    double sampling_seconds = 0.0;     // wall time choosing tokens and applying stop rules
  };
  const Stats& stats() const { return stats_; }
  int max_sequences() const { return options_.max_sequences; }

 private:
  struct Sample {
    int index = 0;
    SeqId seq = -1;
    bool started = false;
    bool done = false;
    Rng rng;
    std::vector<std::int32_t> tokens;
    std::string text;
    std::int32_t pending = -1;  // sampled token to feed next step
  };
  struct Group {
    GenerationRequest request;
    SeqId prompt_seq = -1;
    bool holds_reservation = false;  // prompt_seq still reserves room for one sample (see admit)
    std::int64_t prefilled = 0;
    bool prefill_done = false;
    std::vector<float> last_logits;  // logits after the prompt, kept until every sample has forked
    std::vector<Sample> samples;
  };

  void admit(const DoneFn& on_done);
  // Samples a token for `s` from logits and applies the stop rules.
  void advance(Group& g, Sample& s, const float* logits, const TokenFn& on_token, const DoneFn& on_done);
  // Applies an already sampled token to `s`: end of generation, stop strings, length.
  void accept(Group& g, Sample& s, std::int32_t token, const TokenFn& on_token, const DoneFn& on_done);
  void finish(Group& g, Sample& s, FinishReason reason, std::string error, const DoneFn& on_done);
  int live_sequences() const;
  // Forks the next waiting samples of a prefilled group as memory allows.
  void fork_samples(Group& g, const TokenFn& on_token, const DoneFn& on_done);
  std::int64_t capacity_for(const Group& g) const;

  const Model& model_;
  KvCache& cache_;
  kernels::ThreadPool& pool_;
  SchedulerOptions options_;
  Forward forward_;
  SamplerScratch scratch_;
  std::deque<std::unique_ptr<Group>> groups_;
  std::vector<float> logits_;
  int last_batch_sequences_ = 0;
  Stats stats_;
  // The step's batch, kept to reuse their storage.
  struct Row {
    Group* group;
    Sample* sample;  // null: the end of a prompt
  };
  std::vector<BatchToken> batch_;
  std::vector<Row> rows_;
  std::vector<std::int32_t> sampled_;  // per row: the token drawn for it (rows are sampled in parallel)
};

}  // namespace reval::engine
