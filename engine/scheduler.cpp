#include "engine/scheduler.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace reval::engine {

std::string_view finish_reason_name(FinishReason reason) {
  switch (reason) {
    case FinishReason::kStop:
      return "stop";
    case FinishReason::kLength:
      return "length";
    case FinishReason::kError:
      return "error";
  }
  return "error";
}

Scheduler::Scheduler(const Model& model, KvCache& cache, kernels::ThreadPool& pool, SchedulerOptions options)
    : model_(model), cache_(cache), pool_(pool), options_(std::move(options)), forward_(model, cache, pool) {}

void Scheduler::submit(GenerationRequest request) {
  auto group = std::make_unique<Group>();
  for (std::size_t i = 0; i < request.seeds.size(); ++i) {
    Sample s;
    s.index = static_cast<int>(i);
    s.rng = Rng(request.seeds[i]);
    group->samples.push_back(std::move(s));
  }
  group->request = std::move(request);
  groups_.push_back(std::move(group));
}

int Scheduler::live_sequences() const {
  int n = 0;
  for (const auto& g : groups_) {
    if (g->prompt_seq >= 0 && !g->prefill_done) ++n;
    for (const Sample& s : g->samples) n += (s.started && !s.done) ? 1 : 0;
  }
  return n;
}

std::int64_t Scheduler::capacity_for(const Group& g) const {
  return std::min<std::int64_t>(static_cast<std::int64_t>(g.request.prompt.size()) + g.request.max_tokens,
                                options_.n_ctx);
}

void Scheduler::finish(Group& g, Sample& s, FinishReason reason, std::string error, const DoneFn& on_done) {
  s.done = true;
  if (s.seq >= 0) cache_.close(s.seq);
  s.seq = -1;
  SampleResult result;
  result.id = g.request.id;
  result.sample = s.index;
  result.tokens = std::move(s.tokens);
  result.text = std::move(s.text);
  result.finish = reason;
  result.error = std::move(error);
  result.prompt_tokens = static_cast<std::int64_t>(g.request.prompt.size());
  on_done(std::move(result));
}

void Scheduler::advance(Group& g, Sample& s, const float* logits, const TokenFn& on_token, const DoneFn& on_done) {
  const std::span<const float> row(logits, static_cast<std::size_t>(model_.hparams.n_vocab));
  accept(g, s, sample_token(row, g.request.sampling, s.rng, scratch_), on_token, on_done);
}

void Scheduler::accept(Group& g, Sample& s, std::int32_t token, const TokenFn& on_token, const DoneFn& on_done) {
  const auto& eog = options_.end_of_generation;
  if (std::find(eog.begin(), eog.end(), token) != eog.end()) {
    finish(g, s, FinishReason::kStop, "", on_done);
    return;
  }
  s.tokens.push_back(token);
  const std::string bytes = options_.token_bytes ? options_.token_bytes(token) : std::string();
  const std::size_t before = s.text.size();
  s.text += bytes;
  // A stop string can only newly appear in the tail that includes this token's bytes.
  for (const std::string& stop : g.request.stop_strings) {
    if (stop.empty()) continue;
    const std::size_t from = before >= stop.size() ? before - stop.size() + 1 : 0;
    const std::size_t at = s.text.find(stop, from);
    if (at != std::string::npos) {
      if (at > before) on_token(g.request.id, s.index, token, std::string_view(s.text).substr(before, at - before));
      s.text.resize(at);
      finish(g, s, FinishReason::kStop, "", on_done);
      return;
    }
  }
  on_token(g.request.id, s.index, token, bytes);
  if (static_cast<std::int64_t>(s.tokens.size()) >= g.request.max_tokens ||
      cache_.length(s.seq) >= cache_.capacity(s.seq)) {
    finish(g, s, FinishReason::kLength, "", on_done);
    return;
  }
  s.pending = token;
}

void Scheduler::admit(const DoneFn& on_done) {
  for (auto& gp : groups_) {
    Group& g = *gp;
    const auto n_prompt = static_cast<std::int64_t>(g.request.prompt.size());
    if (g.prompt_seq < 0 && !g.prefill_done) {
      if (live_sequences() >= options_.max_sequences) return;
      std::string error;
      if (n_prompt == 0) error = "empty prompt";
      if (n_prompt >= options_.n_ctx) {
        error = "prompt of " + std::to_string(n_prompt) + " tokens does not fit the context of " +
                std::to_string(options_.n_ctx);
      }
      for (std::int32_t t : g.request.prompt) {
        if (t < 0 || t >= model_.hparams.n_vocab) error = "token id " + std::to_string(t) + " outside the vocabulary";
      }
      if (!error.empty()) {
        for (Sample& s : g.samples) finish(g, s, FinishReason::kError, error, on_done);
        g.prefill_done = true;
        continue;
      }
      // The prompt's sequence also reserves room for one whole sample (plus a block of slack for the
      // copied partial block): prompts cannot fill the budget with prefixes whose samples never fit.
      const auto seq = cache_.open(n_prompt + capacity_for(g) + cache_.config().block_tokens);
      if (!seq) {
        if (cache_.committed_blocks() == 0) {  // nothing holds memory that could be freed: never fits
          for (Sample& s : g.samples) {
            finish(g, s, FinishReason::kError, "prompt does not fit the KV cache budget", on_done);
          }
          g.prefill_done = true;
          continue;
        }
        return;  // first come, first served: wait for memory
      }
      g.prompt_seq = *seq;
      g.holds_reservation = true;
    }
  }
}

void Scheduler::fork_samples(Group& g, const TokenFn& on_token, const DoneFn& on_done) {
  for (Sample& s : g.samples) {
    if (s.started || s.done) continue;
    if (live_sequences() >= options_.max_sequences) break;
    auto seq = cache_.fork(g.prompt_seq, capacity_for(g));
    if (!seq && live_sequences() == 0 && g.holds_reservation) {
      // Nothing running will free memory: spend the room the prompt reserved at admission.
      cache_.release_reservation(g.prompt_seq);
      g.holds_reservation = false;
      seq = cache_.fork(g.prompt_seq, capacity_for(g));
    }
    if (!seq) {
      const bool any_reservation = std::any_of(groups_.begin(), groups_.end(), [](const auto& other) {
        return other->prompt_seq >= 0 && other->holds_reservation;
      });
      if (live_sequences() == 0 && !any_reservation) {
        finish(g, s, FinishReason::kError, "sample does not fit the KV cache budget", on_done);
      }
      break;
    }
    s.seq = *seq;
    s.started = true;
    advance(g, s, g.last_logits.data(), on_token, on_done);
  }
  const bool all_forked =
      std::all_of(g.samples.begin(), g.samples.end(), [](const Sample& s) { return s.started || s.done; });
  if (all_forked) {
    cache_.close(g.prompt_seq);
    g.prompt_seq = -1;
    g.last_logits = {};
  }
}

bool Scheduler::step(const TokenFn& on_token, const DoneFn& on_done) {
  admit(on_done);
  for (auto& gp : groups_) {
    if (gp->prefill_done && gp->prompt_seq >= 0) fork_samples(*gp, on_token, on_done);
  }

  // One batch: the pending token of every decoding sample, then prompt chunks.
  std::vector<BatchToken>& batch = batch_;
  std::vector<Row>& rows = rows_;
  batch.clear();
  rows.clear();
  for (auto& gp : groups_) {
    for (Sample& s : gp->samples) {
      if (!s.started || s.done || s.pending < 0) continue;
      const std::int64_t pos = cache_.length(s.seq);
      cache_.extend(s.seq, pos + 1);
      batch.push_back({.token = s.pending, .seq = s.seq, .pos = pos, .want_logits = true});
      rows.push_back({gp.get(), &s});
      s.pending = -1;
    }
  }
  const auto n_decoding = static_cast<std::int64_t>(batch.size());
  int prefill_budget = options_.max_prefill_tokens;
  for (auto& gp : groups_) {
    Group& g = *gp;
    if (g.prompt_seq < 0 || g.prefill_done || prefill_budget <= 0) continue;
    const auto n_prompt = static_cast<std::int64_t>(g.request.prompt.size());
    const std::int64_t n = std::min<std::int64_t>(prefill_budget, n_prompt - g.prefilled);
    cache_.extend(g.prompt_seq, g.prefilled + n);
    for (std::int64_t i = 0; i < n; ++i) {
      const std::int64_t pos = g.prefilled + i;
      const bool last = pos + 1 == n_prompt;
      batch.push_back({.token = g.request.prompt[static_cast<std::size_t>(pos)], .seq = g.prompt_seq, .pos = pos,
                       .want_logits = last});
      if (last) rows.push_back({&g, nullptr});
    }
    g.prefilled += n;
    prefill_budget -= static_cast<int>(n);
  }
  last_batch_sequences_ = static_cast<int>(rows.size());
  if (!batch.empty()) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    forward_.run(batch, logits_);
    const auto forwarded = Clock::now();
    ++stats_.forward_passes;
    stats_.decode_passes += n_decoding > 0 ? 1 : 0;
    stats_.decode_tokens += n_decoding;
    stats_.prefill_tokens += static_cast<std::int64_t>(batch.size()) - n_decoding;
    stats_.forward_seconds += std::chrono::duration<double>(forwarded - start).count();
    const auto n_vocab = static_cast<std::size_t>(model_.hparams.n_vocab);
    // Drawing a token over a large vocabulary costs ~0.1-1 ms: the rows are sampled on the pool's
    // threads (each sample owns its RNG, so the draws do not depend on the split), then applied in
    // order on this thread.
    sampled_.assign(rows.size(), -1);
    pool_.parallel_for(static_cast<std::int64_t>(rows.size()), 1, [&](std::int64_t begin, std::int64_t end) {
      thread_local SamplerScratch scratch;
      for (std::int64_t r = begin; r < end; ++r) {
        const Row& row = rows[static_cast<std::size_t>(r)];
        if (row.sample == nullptr) continue;
        const std::span<const float> row_logits(logits_.data() + static_cast<std::size_t>(r) * n_vocab, n_vocab);
        sampled_[static_cast<std::size_t>(r)] = sample_token(row_logits, row.group->request.sampling, row.sample->rng, scratch);
      }
    });
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const float* row = logits_.data() + r * n_vocab;
      if (rows[r].sample != nullptr) {
        accept(*rows[r].group, *rows[r].sample, sampled_[r], on_token, on_done);
      } else {
        rows[r].group->last_logits.assign(row, row + n_vocab);
        rows[r].group->prefill_done = true;
      }
    }
    stats_.sampling_seconds += std::chrono::duration<double>(Clock::now() - forwarded).count();
  }
  const bool worked = !batch.empty();
  std::erase_if(groups_, [](const std::unique_ptr<Group>& g) {
    return g->prompt_seq < 0 && std::all_of(g->samples.begin(), g->samples.end(), [](const Sample& s) { return s.done; });
  });
  // A step that only forked (no batch) still made progress as long as groups remain.
  return worked || !groups_.empty();
}

void Scheduler::run(const TokenFn& on_token, const DoneFn& on_done) {
  while (!idle()) step(on_token, on_done);
}

}  // namespace reval::engine
