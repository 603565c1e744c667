// The options that choose and configure a backend, shared by commands that generate completions, and
// the small factory that turns them into a Backend: --api BASE_URL selects the OpenAI-compatible api
// backend; a --model that names a .gguf or an existing file selects the built-in engine.
#pragma once

#include <memory>
#include <vector>

#include "common/result.h"
#include "harness/backend.h"
#include "harness/cli/args.h"

namespace reval::cli {

std::vector<OptionSpec> backend_option_specs();

// usage_error when neither --api nor a model file is given, or a value is out of range; the API key
// is read from the environment variable named by --api-key-env (default OPENAI_API_KEY; an unset
// default means no key, an unset explicit variable is an error).
Result<std::unique_ptr<harness::Backend>> make_backend_from_args(const ParsedArgs& args);

// A short name for the model, for default run folder names ("deepseek-reasoner", "qwen2.5-1.5b-q4_k_m").
std::string model_label_from_args(const ParsedArgs& args);

}  // namespace reval::cli
