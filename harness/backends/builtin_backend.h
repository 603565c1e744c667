// The builtin backend: runs requests on reval's own GGUF engine. Requests that share a prompt
// (the k samples of one problem) are prefilled once; all live samples decode together in one
// forward pass per token (continuous batching) within the KV-cache memory budget.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "engine/session.h"
#include "harness/backend.h"

namespace reval::harness {

struct BuiltinBackendOptions {
  std::string model_path;
  int n_threads = 0;                 // <= 0: all hardware threads
  std::int64_t kv_budget_bytes = 0;  // <= 0: half of available memory, at most 16 GiB
  std::int64_t n_ctx = 0;            // <= 0: the model's context (capped)
  int max_sequences = 64;            // samples decoding at once
  std::string chat_template;         // "" = recognized from the GGUF; else a template name or file
};

// Opens the model; errors name the file.
Result<std::unique_ptr<Backend>> make_builtin_backend(const BuiltinBackendOptions& options);

// The prompt text for a conversation in the session's chat template, ending with the assistant's
// generation prompt. `chat_template` as in BuiltinBackendOptions.
Result<std::string> render_chat_prompt(const engine::Session& session, const std::vector<ChatMessage>& messages,
                                       const std::string& chat_template);

// Splits generated text at the end of the thinking block: reasoning before "</think>", the answer
// after it. `thinking_open` says the prompt left a "<think>" open, so text without "</think>" is all
// reasoning (and the completion's reasoning_open is set).
void split_reasoning(const std::string& generated, bool thinking_open, Completion& completion);

}  // namespace reval::harness
