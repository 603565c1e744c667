// `reval model bench`: llama-bench-style throughput of the builtin engine on one GGUF file: prompt
// processing (P tokens in one forward pass), single-stream decode (G tokens one at a time), and
// optionally batched decode (B sequences advancing together), each the median of several repetitions.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/forward.h"
#include "engine/session.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// Tokens per second of `n_seqs` sequences that first take `n_prompt` tokens in one pass (timed when
// n_gen == 0), then decode `n_gen` tokens each, all sequences in one pass per step (timed otherwise).
double measure(engine::Session& session, int n_seqs, int n_prompt, int n_gen, std::mt19937& rng) {
  const engine::Model& model = session.model();
  engine::KvCache& cache = session.kv_cache();
  engine::Forward forward(model, cache, session.thread_pool());
  std::uniform_int_distribution<std::int32_t> token(0, static_cast<std::int32_t>(model.hparams.n_vocab - 1));
  std::vector<engine::SeqId> seqs;
  for (int s = 0; s < n_seqs; ++s) seqs.push_back(*cache.open(n_prompt + n_gen + 1));
  std::vector<float> logits;
  std::vector<engine::BatchToken> batch;
  for (engine::SeqId seq : seqs) {
    cache.extend(seq, n_prompt);
    for (int i = 0; i < n_prompt; ++i) batch.push_back({token(rng), seq, i, i + 1 == n_prompt});
  }
  auto start = Clock::now();
  if (!batch.empty()) forward.run(batch, logits);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  double tokens = static_cast<double>(batch.size());
  if (n_gen > 0) {
    start = Clock::now();
    for (int step = 0; step < n_gen; ++step) {
      batch.clear();
      for (engine::SeqId seq : seqs) {
        const std::int64_t pos = cache.length(seq);
        cache.extend(seq, pos + 1);
        batch.push_back({token(rng), seq, pos, true});
      }
      forward.run(batch, logits);
    }
    seconds = std::chrono::duration<double>(Clock::now() - start).count();
    tokens = static_cast<double>(n_gen) * n_seqs;
  }
  for (engine::SeqId seq : seqs) cache.close(seq);
  return tokens / std::max(seconds, 1e-9);
}

Status run_bench(const ParsedArgs& args, CommandContext& ctx) {
  const std::optional<std::string> path = args.value("--model");
  if (!path) return usage_error("--model FILE is required");
  REVAL_ASSIGN_OR_RETURN(auto threads, args.int_value("--threads"));
  REVAL_ASSIGN_OR_RETURN(auto prompt_tokens, args.int_value("--prompt-tokens"));
  REVAL_ASSIGN_OR_RETURN(auto gen_tokens, args.int_value("--gen-tokens"));
  REVAL_ASSIGN_OR_RETURN(auto batch, args.int_value("--batch"));
  REVAL_ASSIGN_OR_RETURN(auto reps, args.int_value("--reps"));
  const int n_prompt = static_cast<int>(prompt_tokens.value_or(512));
  const int n_gen = static_cast<int>(gen_tokens.value_or(64));
  const int n_batch = static_cast<int>(batch.value_or(0));
  const int n_reps = static_cast<int>(reps.value_or(3));
  if (n_prompt < 0 || n_gen < 0 || n_batch < 0 || n_reps < 1) return usage_error("counts must be positive");

  engine::SessionOptions options;
  options.n_threads = static_cast<int>(threads.value_or(0));
  const std::int64_t n_ctx = std::max(n_prompt, n_gen + 1) + 16;
  options.n_ctx = n_ctx;
  REVAL_ASSIGN_OR_RETURN(auto session, engine::Session::open(*path, options));
  std::mt19937 rng(1);
  std::vector<double> pp, tg, bg;
  for (int r = 0; r < n_reps; ++r) {
    if (n_prompt > 0) pp.push_back(measure(*session, 1, n_prompt, 0, rng));
    if (n_gen > 0) tg.push_back(measure(*session, 1, 0, n_gen, rng));
    if (n_batch > 0 && n_gen > 0) bg.push_back(measure(*session, n_batch, 0, n_gen, rng));
  }
  nlohmann::json result = {{"model", *path}, {"threads", session->n_threads()}, {"prompt_tokens", n_prompt},
                           {"gen_tokens", n_gen}, {"reps", n_reps}, {"pp_tok_s", median(pp)},
                           {"tg_tok_s", median(tg)}};
  if (!bg.empty()) {
    result["batch"] = n_batch;
    result["batched_tok_s"] = median(bg);
  }
  if (args.has("--json")) {
    std::fprintf(ctx.out, "%s\n", result.dump().c_str());
  } else {
    std::fprintf(ctx.out, "threads %d: pp%d %.2f tok/s, tg%d %.2f tok/s", session->n_threads(), n_prompt, median(pp),
                 n_gen, median(tg));
    if (!bg.empty()) std::fprintf(ctx.out, ", batch %d x tg%d %.2f tok/s", n_batch, n_gen, median(bg));
    std::fprintf(ctx.out, " (median of %d)\n", n_reps);
  }
  return Status::ok_status();
}

}  // namespace

Command model_bench_command() {
  Command command;
  command.name = "model bench";
  command.summary = "Measure prompt and decode tokens/s of the builtin engine on a GGUF model";
  command.usage = "reval model bench --model FILE [--threads N] [--prompt-tokens P] [--gen-tokens G] [--batch B] [--json]";
  command.description =
      "Random tokens, like llama-bench: pp = P prompt tokens in one forward pass; tg = G tokens decoded one at a\n"
      "time from an empty context; with --batch B, B sequences decode G tokens together (aggregate tok/s).";
  command.options = {
      {"--model", 0, "FILE", "GGUF model file"},
      {"--threads", 't', "N", "threads (default: all hardware threads)"},
      {"--prompt-tokens", 'p', "P", "prompt tokens (default 512; 0 skips)"},
      {"--gen-tokens", 'g', "G", "decoded tokens (default 64; 0 skips)"},
      {"--batch", 'b', "B", "also decode B sequences together"},
      {"--reps", 'r', "R", "repetitions; the median is reported (default 3)"},
      {"--json", 0, "", "one JSON object on stdout"},
  };
  command.run = run_bench;
  return command;
}

}  // namespace reval::cli
