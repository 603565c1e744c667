#include "harness/cli/backend_options.h"

#include <cstdlib>
#include <filesystem>

#include "harness/backends/api_backend.h"

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
  if (!model.empty() && names_model_file(model)) {
    return unimplemented_error("the built-in engine is not part of this build yet; serve " + model +
                               " (e.g. llama-server) and pass --api BASE_URL --model NAME");
  }
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
