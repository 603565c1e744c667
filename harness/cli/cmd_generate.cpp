// `reval generate`: one prompt through the builtin engine, streaming the continuation to stdout.
#include <chrono>
#include <cstdio>
#include <string>

#include "common/strings.h"
#include "engine/sampler/sampler.h"
#include "engine/session.h"
#include "harness/backends/builtin_backend.h"
#include "harness/cli/commands.h"

namespace reval::cli {
namespace {

template <typename T>
Result<T> option_or(const ParsedArgs& args, const std::string& name, T fallback) {
  if constexpr (std::is_floating_point_v<T>) {
    REVAL_ASSIGN_OR_RETURN(std::optional<double> value, args.double_value(name));
    return value ? static_cast<T>(*value) : fallback;
  } else {
    REVAL_ASSIGN_OR_RETURN(std::optional<std::int64_t> value, args.int_value(name));
    return value ? static_cast<T>(*value) : fallback;
  }
}

Status run_generate(const ParsedArgs& args, CommandContext& ctx) {
  const std::optional<std::string> model_path = args.value("--model");
  const std::optional<std::string> prompt = args.value("--prompt");
  if (!model_path) return usage_error("--model FILE is required");
  if (!prompt) return usage_error("--prompt TEXT is required");
  REVAL_ASSIGN_OR_RETURN(std::int64_t n_tokens, option_or<std::int64_t>(args, "--n-tokens", 256));
  REVAL_ASSIGN_OR_RETURN(std::int64_t seed, option_or<std::int64_t>(args, "--seed", 0));
  REVAL_ASSIGN_OR_RETURN(int n_threads, option_or<int>(args, "--threads", 0));
  REVAL_ASSIGN_OR_RETURN(float temperature, option_or<float>(args, "--temperature", 0.6f));
  REVAL_ASSIGN_OR_RETURN(float top_p, option_or<float>(args, "--top-p", 0.95f));
  REVAL_ASSIGN_OR_RETURN(int top_k, option_or<int>(args, "--top-k", 0));
  REVAL_ASSIGN_OR_RETURN(float min_p, option_or<float>(args, "--min-p", 0.0f));
  if (n_tokens <= 0) return usage_error("-n must be positive");
  if (temperature < 0.0f) return usage_error("--temperature must be >= 0");
  if (!(top_p > 0.0f && top_p <= 1.0f)) return usage_error("--top-p must be in (0, 1]");

  engine::SessionOptions options;
  options.n_threads = n_threads;
  options.max_sequences = 1;
  REVAL_ASSIGN_OR_RETURN(auto session, engine::Session::open(*model_path, options));

  std::string text = *prompt;
  bool parse_special = false;
  if (args.has("--chat")) {
    REVAL_ASSIGN_OR_RETURN(text, harness::render_chat_prompt(*session, {{"user", *prompt}}, ""));
    parse_special = true;
  }
  engine::GenerationRequest request;
  request.prompt = session->encode_prompt(text, parse_special);
  request.sampling = {.temperature = temperature, .top_k = top_k, .top_p = top_p, .min_p = min_p};
  request.seeds = {engine::derive_sample_seed(static_cast<std::uint64_t>(seed), "", 0)};
  request.max_tokens = n_tokens;

  engine::SampleResult result;
  const auto start = std::chrono::steady_clock::now();
  session->scheduler().submit(std::move(request));
  session->scheduler().run(
      [&](std::uint64_t, int, std::int32_t, std::string_view bytes) {
        std::fwrite(bytes.data(), 1, bytes.size(), ctx.out);
        std::fflush(ctx.out);
      },
      [&](engine::SampleResult r) { result = std::move(r); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fputc('\n', ctx.out);
  std::fflush(ctx.out);
  if (result.finish == engine::FinishReason::kError) return invalid_input_error(result.error);
  std::fprintf(ctx.err, "[%lld prompt + %zu generated tokens in %.2f s (%.1f tok/s), finish: %s]\n",
               static_cast<long long>(result.prompt_tokens), result.tokens.size(), seconds,
               static_cast<double>(result.tokens.size()) / std::max(seconds, 1e-9),
               std::string(engine::finish_reason_name(result.finish)).c_str());
  return Status::ok_status();
}

}  // namespace

Command generate_command() {
  Command command;
  command.name = "generate";
  command.summary = "Generate text from a prompt with the builtin GGUF engine";
  command.usage = "reval generate --model FILE --prompt TEXT [--chat] [-n N] [--seed S] [--temperature T] [--threads N]";
  command.description =
      "Streams the model's continuation of TEXT to stdout. BOS is added exactly as the GGUF metadata says.\n"
      "--chat wraps TEXT as one user message in the model's chat template (with the generation prompt).\n"
      "--temperature 0 is greedy decoding; the same --seed gives the same text on any thread count.";
  command.options = {
      {"--model", 0, "FILE", "GGUF model file"},
      {"--prompt", 0, "TEXT", "the prompt"},
      {"--chat", 0, "", "format the prompt with the model's chat template"},
      {"--n-tokens", 'n', "N", "tokens to generate (default 256)"},
      {"--seed", 0, "S", "sampling seed (default 0)"},
      {"--temperature", 0, "T", "0 = greedy (default 0.6)"},
      {"--top-p", 0, "P", "nucleus mass (default 0.95)"},
      {"--top-k", 0, "K", "keep the K most likely tokens (default off)"},
      {"--min-p", 0, "P", "drop tokens below P times the top probability (default off)"},
      {"--threads", 0, "N", "threads (default: all hardware threads)"},
  };
  command.run = run_generate;
  return command;
}

}  // namespace reval::cli
