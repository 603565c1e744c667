#include "harness/cli/backend_options.h"

#include <cstdlib>
#include <filesystem>

#include "harness/backends/api_backend.h"
#include "harness/backends/builtin_backend.h"

namespace reval::cli {
namespace {

constexpr const char* kDefaultKeyEnv = "OPENAI_API_KEY";

bool names_model_file(const std::string& model) {
  std::error_code ec;
  return model.ends_with(".gguf") || std::filesystem::is_regular_file(model, ec);
}

Result<harness::ApiOptions> api_options_from_args(const ParsedArgs& args) {
  harness::ApiOptions options;
  options.base_url = *args.value("--api");
  options.model = args.value_or("--model", "");
  if (options.model.empty()) return usage_error("--api needs --model NAME (the API's model name)");
  const bool explicit_env = args.has("--api-key-env");
  options.api_key_env = args.value_or("--api-key-env", kDefaultKeyEnv);
  const char* key = std::getenv(options.api_key_env.c_str());
  if (key != nullptr && *key != '\0') {
    options.api_key = key;
  } else if (explicit_env) {
    return usage_error("--api-key-env " + options.api_key_env + ": $" + options.api_key_env + " is not set");
  } else {
    options.api_key_env.clear();  // no key: fine for local servers
  }
  REVAL_ASSIGN_OR_RETURN(auto concurrency, args.int_value("--concurrency"));
  if (concurrency) options.concurrency = static_cast<int>(*concurrency);
  REVAL_ASSIGN_OR_RETURN(auto timeout, args.double_value("--timeout"));
  if (timeout) options.timeout_s = *timeout;
  REVAL_ASSIGN_OR_RETURN(auto retries, args.int_value("--max-retries"));
  if (retries) options.retry.max_retries = static_cast<int>(*retries);
  REVAL_ASSIGN_OR_RETURN(auto rpm, args.double_value("--rpm"));
  if (rpm) options.requests_per_minute = *rpm;
  REVAL_ASSIGN_OR_RETURN(auto tpm, args.double_value("--tpm"));
  if (tpm) options.tokens_per_minute = *tpm;
  if ((rpm && *rpm < 0) || (tpm && *tpm < 0)) return usage_error("--rpm and --tpm must be >= 0");
  options.stream = args.has("--stream");
  return options;
}

Result<std::unique_ptr<harness::Backend>> make_builtin_from_args(const ParsedArgs& args, const std::string& model) {
  harness::BuiltinBackendOptions options;
  options.model_path = model;
  REVAL_ASSIGN_OR_RETURN(auto threads, args.int_value("--threads"));
  if (threads) options.n_threads = static_cast<int>(*threads);
  REVAL_ASSIGN_OR_RETURN(auto kv_budget, args.double_value("--kv-budget-gb"));
  if (kv_budget) {
    if (*kv_budget <= 0) return usage_error("--kv-budget-gb must be positive");
    options.kv_budget_bytes = static_cast<std::int64_t>(*kv_budget * (1u << 30));
  }
  REVAL_ASSIGN_OR_RETURN(auto ctx, args.int_value("--ctx"));
  if (ctx) {
    if (*ctx < 16) return usage_error("--ctx must be at least 16");
    options.n_ctx = *ctx;
  }
  REVAL_ASSIGN_OR_RETURN(auto sequences, args.int_value("--max-sequences"));
  if (sequences) {
    if (*sequences < 1) return usage_error("--max-sequences must be at least 1");
    options.max_sequences = static_cast<int>(*sequences);
  }
  options.chat_template = args.value_or("--chat-template", "");
  return harness::make_builtin_backend(options);
}

}  // namespace

std::vector<OptionSpec> backend_option_specs() {
  return {
      {"--api", 0, "BASE_URL", "OpenAI-compatible endpoint, e.g. https://api.deepseek.com or http://127.0.0.1:8000/v1"},
      {"--model", 0, "NAME|FILE", "the API's model name (with --api), or a .gguf file for the built-in engine"},
      {"--api-key-env", 0, "VAR", "environment variable holding the API key (default OPENAI_API_KEY when set)"},
      {"--concurrency", 'c', "N", "requests in flight (default 16)"},
      {"--timeout", 0, "SECONDS", "per-request timeout (default 1800)"},
      {"--max-retries", 0, "N", "retries of a failed request: 429, 5xx, timeouts, resets (default 8)"},
      {"--rpm", 0, "N", "at most N requests per minute"},
      {"--tpm", 0, "N", "at most N tokens per minute (prompt + completion)"},
      {"--stream", 0, "", "ask for server-sent events (for servers that drop idle connections)"},
      {"--threads", 't', "N", "built-in engine: threads (default: all hardware threads)"},
      {"--kv-budget-gb", 0, "GB", "built-in engine: KV cache memory budget (default: half the free RAM, <= 16)"},
      {"--ctx", 0, "N", "built-in engine: longest sequence in tokens (default: the model's, <= 33792)"},
      {"--max-sequences", 0, "N", "built-in engine: samples decoding together (default 64)"},
      {"--chat-template", 0, "NAME|FILE", "built-in engine: chat template (default: from the GGUF)"},
  };
}

Result<std::unique_ptr<harness::Backend>> make_backend_from_args(const ParsedArgs& args) {
  if (args.has("--api")) {
    REVAL_ASSIGN_OR_RETURN(harness::ApiOptions options, api_options_from_args(args));
    auto backend = harness::ApiBackend::create(std::move(options));
    if (!backend.ok()) return usage_error(backend.status().message());
    return std::unique_ptr<harness::Backend>(std::move(backend).value());
  }
  const std::string model = args.value_or("--model", "");
  if (!model.empty() && names_model_file(model)) return make_builtin_from_args(args, model);
  return usage_error("choose a backend: --api BASE_URL --model NAME, or --model FILE.gguf");
}

std::string model_label_from_args(const ParsedArgs& args) {
  std::string model = args.value_or("--model", "model");
  if (!args.has("--api")) model = std::filesystem::path(model).stem().string();
  std::string label;
  for (char ch : model) {
    const bool keep = std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-';
    label.push_back(keep ? ch : '-');
  }
  return label.empty() ? "model" : label;
}

}  // namespace reval::cli
