// The Backend interface: something that turns chat requests into completions, many at a time.
// Implementations: backends/api_backend (OpenAI-compatible HTTP, N in flight) and
// backends/builtin_backend (the GGUF engine, all live sequences batched in one forward pass).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace reval::harness {

struct ChatMessage {
  std::string role;  // "system", "user", "assistant"
  std::string content;
};

struct SamplingParams {
  double temperature = 0.6;
  double top_p = 0.95;
  int top_k = 0;       // 0 = off
  double min_p = 0.0;  // 0 = off
  int max_tokens = 32768;
  std::vector<std::string> stop;
};

struct Request {
  std::string problem_id;
  int sample = 0;  // sample index within the problem
  std::vector<ChatMessage> messages;
  SamplingParams sampling;
  std::uint64_t seed = 0;    // per-sample seed derived from (run seed, problem, sample)
  std::string request_hash;  // hash of (backend, model, messages, params, seed): cache key
};

struct Completion {
  std::string problem_id;
  int sample = 0;
  std::string text;       // answer part
  std::string reasoning;  // reasoning part (reasoning_content, or text before </think>)
  bool reasoning_open = false;  // thinking started and never closed
  std::string finish_reason;    // "stop", "length", "error"
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t reasoning_tokens = 0;
  double latency_ms = 0;
  std::uint64_t seed = 0;
  std::string request_hash;
  std::string error;  // non-empty when finish_reason == "error"
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Runs every request; calls on_complete (from the calling thread, one at a time) as each finishes,
  // in any order. Returns early (ok) once `stop` is set and in-flight work has finished. A fatal
  // failure (e.g. 401) stops the run and is returned; per-request failures after retries are delivered
  // as completions with finish_reason "error".
  virtual Status run(const std::vector<Request>& requests, const std::function<void(Completion)>& on_complete,
                     const std::atomic<bool>& stop) = 0;
  // What goes into run.json "model": backend, name, base_url or file, sha256, quantization...
  virtual nlohmann::json identity() const = 0;
  // Throughput figures of the backend's own engine for run.json "engine_stats" (builtin: batch
  // occupancy, decode tokens/s); null when the backend has none (api).
  virtual nlohmann::json stats() const { return nullptr; }
};

}  // namespace reval::harness
