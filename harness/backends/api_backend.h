// The api backend: OpenAI-compatible chat completions over libcurl's multi interface. One event-loop
// thread (the caller of run()) keeps up to `concurrency` requests in flight over kept-alive connections
// (HTTP/2 multiplexing where the server offers it over TLS), retries transient failures with backoff,
// and stops the run on errors that retrying cannot fix (400, 401, 403, 404).
// The API key lives only in memory (the Authorization header); it is never logged or returned in errors.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "harness/backend.h"
#include "harness/backends/request_pacing.h"

namespace reval::harness {

struct ApiOptions {
  std::string base_url;     // "https://api.deepseek.com", "http://127.0.0.1:8000/v1"; "/chat/completions" is appended
  std::string model;        // the API's model name
  std::string api_key_env;  // the environment variable that held the key (named in 401 messages); "" = none
  std::string api_key;      // the key (read from api_key_env by the caller); "" = no Authorization header
  int concurrency = 16;     // requests in flight
  double timeout_s = 1800;  // per request (one attempt), from connect to the last byte
  double connect_timeout_s = 30;
  RetryPolicy retry;
  double requests_per_minute = 0;  // --rpm, 0 = unlimited
  double tokens_per_minute = 0;    // --tpm, 0 = unlimited
  bool stream = false;             // --stream: ask for SSE
};

// Counts kept over the backend's lifetime, for the run summary and the benchmark.
struct ApiCounters {
  std::int64_t n_attempts = 0;  // HTTP requests started (first tries and retries)
  std::int64_t n_retries = 0;
  std::int64_t n_failed = 0;    // requests delivered as errors after their last retry
};

class ApiBackend final : public Backend {
 public:
  // invalid_input_error when the base URL is not http(s) or the options are out of range.
  static Result<std::unique_ptr<ApiBackend>> create(ApiOptions options);
  ~ApiBackend() override;
  ApiBackend(const ApiBackend&) = delete;
  ApiBackend& operator=(const ApiBackend&) = delete;

  Status run(const std::vector<Request>& requests, const std::function<void(Completion)>& on_complete,
             const std::atomic<bool>& stop) override;
  nlohmann::json identity() const override;
  const ApiCounters& counters() const { return counters_; }

 private:
  explicit ApiBackend(ApiOptions options);
  std::string redact(std::string text) const;

  ApiOptions options_;
  std::string endpoint_;
  ApiCounters counters_;
};

}  // namespace reval::harness
