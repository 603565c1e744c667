// `reval model bench`: llama-bench-style throughput of the builtin engine on one GGUF file, each
// figure the median of several repetitions:
//  - pp: P prompt tokens in one forward pass;
//  - tg: G tokens decoded one at a time, from an empty cache or at depth D (--depth: the cache is
//    filled with D positions of random K/V, which costs attention the same as a real prompt);
//  - batched (--batch B): the evaluation workload — the P-token prompt is computed once, forked
//    into B sequences that share its KV blocks, and the B sequences decode G tokens in lock-step
//    (aggregate tokens/s).
// Also reports the bytes of weights read per decoded token, the bandwidth limit when --mem-bw
// (bench/membw) is given, peak RSS (getrusage) next to file size + KV cache, and the batch's
// sequences per forward pass.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
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

double seconds_since(Clock::time_point start) {
  return std::max(std::chrono::duration<double>(Clock::now() - start).count(), 1e-9);
}

// Bytes of weights a decoded token streams: every layer matrix and the output matrix (the token
// embedding is one row per token, not read whole).
std::int64_t weight_bytes_per_token(const engine::Model& model) {
  auto bytes = [](const engine::Matrix& m) { return m.rows * m.row_bytes; };
  std::int64_t total = bytes(model.output);
  for (const engine::LayerWeights& l : model.layers) {
    total += bytes(l.wq) + bytes(l.wk) + bytes(l.wv) + bytes(l.wo) + bytes(l.ffn_gate) + bytes(l.ffn_up) +
             bytes(l.ffn_down);
  }
  return total;
}

struct BenchRun {
  engine::Session& session;
  engine::Forward forward;
  std::mt19937 rng{1};
  std::vector<float> logits;
  std::vector<engine::BatchToken> batch;
  std::int64_t kv_peak_bytes = 0;

  explicit BenchRun(engine::Session& s) : session(s), forward(s.model(), s.kv_cache(), s.thread_pool()) {}

  std::int32_t random_token() {
    return std::uniform_int_distribution<std::int32_t>(
        0, static_cast<std::int32_t>(session.model().hparams.n_vocab - 1))(rng);
  }
  void note_kv() { kv_peak_bytes = std::max(kv_peak_bytes, session.kv_cache().allocated_bytes()); }

  // Prefills n_prompt random tokens into seq in one pass; returns tokens/s.
  double prefill(engine::SeqId seq, int n_prompt) {
    engine::KvCache& cache = session.kv_cache();
    cache.extend(seq, n_prompt);
    batch.clear();
    for (int i = 0; i < n_prompt; ++i) batch.push_back({random_token(), seq, i, i + 1 == n_prompt});
    const auto start = Clock::now();
    forward.run(batch, logits);
    const double s = seconds_since(start);
    note_kv();
    return n_prompt / s;
  }

  // Writes `depth` positions of random K/V into every layer of seq, as if a prompt had been computed.
  void fill_random(engine::SeqId seq, std::int64_t depth) {
    engine::KvCache& cache = session.kv_cache();
    const engine::KvCacheConfig& config = cache.config();
    const auto width = static_cast<std::size_t>(config.n_kv_heads) * static_cast<std::size_t>(config.head_dim);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> rows(width * 16);
    for (float& x : rows) x = normal(rng);
    cache.extend(seq, depth);
    for (std::int64_t pos = 0; pos < depth; ++pos) {
      const float* k = rows.data() + static_cast<std::size_t>(pos % 16) * width;
      const float* v = rows.data() + static_cast<std::size_t>((pos + 7) % 16) * width;
      for (int layer = 0; layer < config.n_layers; ++layer) cache.write(seq, layer, pos, k, v);
    }
  }

  // Decodes n_gen random tokens on every sequence of seqs, one forward pass per step; tokens/s.
  double decode(const std::vector<engine::SeqId>& seqs, int n_gen) {
    engine::KvCache& cache = session.kv_cache();
    const auto start = Clock::now();
    for (int step = 0; step < n_gen; ++step) {
      batch.clear();
      for (engine::SeqId seq : seqs) {
        const std::int64_t pos = cache.length(seq);
        cache.extend(seq, pos + 1);
        batch.push_back({random_token(), seq, pos, true});
      }
      forward.run(batch, logits);
    }
    const double s = seconds_since(start);
    note_kv();
    return static_cast<double>(n_gen) * static_cast<double>(seqs.size()) / s;
  }
};

Status run_bench(const ParsedArgs& args, CommandContext& ctx) {
  const std::optional<std::string> path = args.value("--model");
  if (!path) return usage_error("--model FILE is required");
  REVAL_ASSIGN_OR_RETURN(auto threads, args.int_value("--threads"));
  REVAL_ASSIGN_OR_RETURN(auto prompt_tokens, args.int_value("--prompt-tokens"));
  REVAL_ASSIGN_OR_RETURN(auto gen_tokens, args.int_value("--gen-tokens"));
  REVAL_ASSIGN_OR_RETURN(auto depth_arg, args.int_value("--depth"));
  REVAL_ASSIGN_OR_RETURN(auto batch_arg, args.int_value("--batch"));
  REVAL_ASSIGN_OR_RETURN(auto reps, args.int_value("--reps"));
  REVAL_ASSIGN_OR_RETURN(auto mem_bw, args.double_value("--mem-bw"));
  const int n_prompt = static_cast<int>(prompt_tokens.value_or(512));
  const int n_gen = static_cast<int>(gen_tokens.value_or(64));
  const std::int64_t depth = depth_arg.value_or(0);
  const int n_batch = static_cast<int>(batch_arg.value_or(0));
  const int n_reps = static_cast<int>(reps.value_or(3));
  if (n_prompt < 0 || n_gen < 0 || depth < 0 || n_batch < 0 || n_reps < 1) {
    return usage_error("--prompt-tokens, --gen-tokens, --depth and --batch must be >= 0 and --reps >= 1");
  }
  if (mem_bw && *mem_bw <= 0.0) return usage_error("--mem-bw must be a positive GB/s figure");

  engine::SessionOptions options;
  options.n_threads = static_cast<int>(threads.value_or(0));
  options.n_ctx = std::max<std::int64_t>(n_prompt, depth) + n_gen + 16;
  options.max_sequences = std::max(1, n_batch);
  REVAL_ASSIGN_OR_RETURN(auto session, engine::Session::open(*path, options));
  engine::KvCache& cache = session->kv_cache();
  BenchRun run(*session);
  const std::int64_t n_capacity = options.n_ctx;
  std::vector<double> pp, tg, bg;
  for (int r = 0; r < n_reps; ++r) {
    std::optional<engine::SeqId> prompt_seq;
    if (n_prompt > 0) {
      prompt_seq = cache.open(n_capacity);
      if (!prompt_seq) return resource_exhausted_error("model bench: the KV cache budget does not fit the prompt");
      pp.push_back(run.prefill(*prompt_seq, n_prompt));
    }
    if (n_gen > 0) {
      const auto seq = cache.open(n_capacity);
      if (!seq) return resource_exhausted_error("model bench: the KV cache budget does not fit --depth");
      if (depth > 0) run.fill_random(*seq, depth);
      tg.push_back(run.decode({*seq}, n_gen));
      cache.close(*seq);
    }
    if (n_batch > 0 && n_gen > 0) {
      std::vector<engine::SeqId> seqs;
      for (int b = 0; b < n_batch; ++b) {
        const auto seq = prompt_seq ? cache.fork(*prompt_seq, n_prompt + n_gen + 1) : cache.open(n_gen + 1);
        if (!seq) return resource_exhausted_error("model bench: the KV cache budget does not fit the batch");
        seqs.push_back(*seq);
      }
      bg.push_back(run.decode(seqs, n_gen));
      for (engine::SeqId seq : seqs) cache.close(seq);
    }
    if (prompt_seq) cache.close(*prompt_seq);
  }

  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  const std::int64_t peak_rss = static_cast<std::int64_t>(usage.ru_maxrss) * 1024;  // Linux: KiB
  std::error_code ec;
  const auto file_bytes = static_cast<std::int64_t>(std::filesystem::file_size(*path, ec));
  const std::int64_t weight_bytes = weight_bytes_per_token(session->model());
  nlohmann::json result = {{"model", *path},
                           {"threads", session->n_threads()},
                           {"prompt_tokens", n_prompt},
                           {"gen_tokens", n_gen},
                           {"depth", depth},
                           {"reps", n_reps},
                           {"pp_tok_s", median(pp)},
                           {"tg_tok_s", median(tg)},
                           {"weights_bytes_per_token", weight_bytes},
                           {"file_bytes", file_bytes},
                           {"kv_peak_bytes", run.kv_peak_bytes},
                           {"peak_rss_bytes", peak_rss}};
  if (!bg.empty()) {
    result["batch"] = n_batch;
    result["batched_tok_s"] = median(bg);
  }
  double limit = 0.0;
  if (mem_bw) {
    limit = *mem_bw * 1e9 / static_cast<double>(weight_bytes);
    result["mem_bw_gbs"] = *mem_bw;
    result["bw_limit_tok_s"] = limit;
    result["bw_fraction"] = median(tg) / limit;
  }
  if (args.has("--json")) {
    std::fprintf(ctx.out, "%s\n", result.dump().c_str());
    return Status::ok_status();
  }
  std::fprintf(ctx.out, "threads %d: pp%d %.2f tok/s, tg%d", session->n_threads(), n_prompt, median(pp), n_gen);
  if (depth > 0) std::fprintf(ctx.out, " @ depth %lld", static_cast<long long>(depth));
  std::fprintf(ctx.out, " %.2f tok/s", median(tg));
  if (!bg.empty()) {
    std::fprintf(ctx.out, ", batch %d x tg%d after a shared pp%d: %.2f tok/s aggregate", n_batch, n_gen, n_prompt,
                 median(bg));
  }
  std::fprintf(ctx.out, " (median of %d)\n", n_reps);
  std::fprintf(ctx.out, "weights read per token %.1f MB", static_cast<double>(weight_bytes) / 1e6);
  if (mem_bw) {
    std::fprintf(ctx.out, "; at %.2f GB/s the limit is %.2f tok/s, tg reaches %.0f%% of it", *mem_bw, limit,
                 100.0 * median(tg) / limit);
  }
  std::fprintf(ctx.out, "\npeak RSS %.1f MB = %.2f x (file %.1f MB + KV cache %.1f MB)\n", static_cast<double>(peak_rss) / 1e6,
               static_cast<double>(peak_rss) / static_cast<double>(file_bytes + run.kv_peak_bytes),
               static_cast<double>(file_bytes) / 1e6, static_cast<double>(run.kv_peak_bytes) / 1e6);
  return Status::ok_status();
}

}  // namespace

Command model_bench_command() {
  Command command;
  command.name = "model bench";
  command.summary = "Measure prompt and decode tokens/s of the builtin engine on a GGUF model";
  command.usage =
      "reval model bench --model FILE [--threads N] [--prompt-tokens P] [--gen-tokens G] [--depth D] [--batch B] "
      "[--mem-bw GBPS] [--json]";
  command.description =
      "Random tokens, like llama-bench: pp = P prompt tokens in one forward pass; tg = G tokens decoded one at a\n"
      "time from an empty context, or at depth D (the cache filled with D positions of random K/V); with --batch B,\n"
      "the P-token prompt is computed once, shared by B forked sequences, and the B sequences decode G tokens in\n"
      "lock-step (aggregate tok/s). --mem-bw (GB/s, from bench/membw) adds the bandwidth limit of tg.\n"
      "Also prints peak RSS next to file size + KV cache.";
  command.options = {
      {"--model", 0, "FILE", "GGUF model file"},
      {"--threads", 't', "N", "threads (default: all hardware threads)"},
      {"--prompt-tokens", 'p', "P", "prompt tokens (default 512; 0 skips)"},
      {"--gen-tokens", 'g', "G", "decoded tokens (default 64; 0 skips)"},
      {"--depth", 'd', "D", "decode after D cached positions (default 0)"},
      {"--batch", 'b', "B", "also decode B sequences sharing the prompt together"},
      {"--reps", 'r', "R", "repetitions; the median is reported (default 3)"},
      {"--mem-bw", 0, "GBPS", "memory read bandwidth in GB/s: print the decode bandwidth limit"},
      {"--json", 0, "", "one JSON object on stdout"},
  };
  command.run = run_bench;
  return command;
}

}  // namespace reval::cli
