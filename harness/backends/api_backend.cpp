#include "harness/backends/api_backend.h"

#include <curl/curl.h>

#include <chrono>
#include <ctime>
#include <deque>
#include <map>
#include <queue>

#include "common/log.h"
#include "common/strings.h"
#include "harness/backends/openai_wire.h"

namespace reval::harness {
namespace {

double monotonic_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// One HTTP attempt in flight. Owned by the loop; the easy handle is pooled and reused so its
// connection (keep-alive) and TLS session survive across requests.
struct Transfer {
  CURL* easy = nullptr;
  std::size_t index = 0;  // into the requests vector
  int attempt = 0;        // 0 = first try
  std::string body;       // the request body; must outlive the transfer (CURLOPT_POSTFIELDS)
  std::string response;
  std::string retry_after;
};

// A request waiting to be (re)sent, ordered by the time it may go.
struct Pending {
  double not_before_s = 0;
  std::size_t index = 0;
  int attempt = 0;
  bool operator>(const Pending& other) const { return not_before_s > other.not_before_s; }
};

// Past this size a response body is not a chat completion; the attempt fails instead of eating memory.
constexpr std::size_t kMaxResponseBytes = std::size_t{256} << 20;

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer->response.size() + size * n > kMaxResponseBytes) return 0;
  transfer->response.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const std::string_view line(data, size * n);
  if (line.substr(0, 5) == "HTTP/") transfer->retry_after.clear();  // a new response (after 100-continue)
  if (line.size() > 12 && to_lower(line.substr(0, 12)) == "retry-after:") {
    transfer->retry_after = std::string(trim(line.substr(12)));
  }
  return size * n;
}

// What to do with a finished attempt.
struct Verdict {
  enum class Kind { kDone, kRetry, kFatal } kind = Kind::kDone;
  Completion completion;  // kDone
  std::string error;      // kRetry / kFatal
  std::optional<double> retry_after_s;
};

class RunLoop {
 public:
  RunLoop(const ApiOptions& options, const std::string& endpoint, ApiCounters* counters,
          const std::vector<Request>& requests)
      : options_(options), endpoint_(endpoint), counters_(counters), requests_(requests),
        limiter_(options.requests_per_minute, options.tokens_per_minute, monotonic_s()),
        rng_(std::random_device{}()) {}

  ~RunLoop() {
    for (auto& [easy, transfer] : in_flight_) {
      curl_multi_remove_handle(multi_, easy);
      curl_easy_cleanup(easy);
    }
    for (CURL* easy : idle_) curl_easy_cleanup(easy);
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (headers_ != nullptr) curl_slist_free_all(headers_);
  }

  Status run(const std::function<void(Completion)>& on_complete, const std::atomic<bool>& stop,
             const std::function<std::string(std::string)>& redact);

 private:
  Status setup();
  CURL* take_easy();
  Status start(const Pending& pending);
  Verdict judge(const Transfer& transfer, CURLcode code) const;
  Verdict judge_http_error(long status, const Transfer& transfer) const;

  const ApiOptions& options_;
  const std::string& endpoint_;
  ApiCounters* counters_;
  const std::vector<Request>& requests_;
  RateLimiter limiter_;
  std::mt19937_64 rng_;
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;
  std::vector<CURL*> idle_;
  std::map<CURL*, std::unique_ptr<Transfer>> in_flight_;
};

Status RunLoop::setup() {
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return internal_error("curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(options_.concurrency));
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(options_.concurrency));
  headers_ = curl_slist_append(headers_, "Content-Type: application/json");
  // Without this libcurl waits for "100 Continue" before sending bodies over 1 KiB: a wasted round trip.
  headers_ = curl_slist_append(headers_, "Expect:");
  if (!options_.api_key.empty()) {
    headers_ = curl_slist_append(headers_, ("Authorization: Bearer " + options_.api_key).c_str());
  }
  return Status::ok_status();
}

CURL* RunLoop::take_easy() {
  if (!idle_.empty()) {
    CURL* easy = idle_.back();
    idle_.pop_back();
    return easy;
  }
  CURL* easy = curl_easy_init();
  if (easy == nullptr) return nullptr;
  curl_easy_setopt(easy, CURLOPT_URL, endpoint_.c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers_);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout_s * 1000));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_s * 1000));
  curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
  return easy;
}

Status RunLoop::start(const Pending& pending) {
  auto transfer = std::make_unique<Transfer>();
  transfer->easy = take_easy();
  if (transfer->easy == nullptr) return internal_error("curl_easy_init failed");
  transfer->index = pending.index;
  transfer->attempt = pending.attempt;
  transfer->body = openai::build_request_body(options_.model, requests_[pending.index], options_.stream);
  CURL* easy = transfer->easy;
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->body.data());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(transfer->body.size()));
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) return internal_error("curl_multi_add_handle failed");
  ++counters_->n_attempts;
  in_flight_.emplace(easy, std::move(transfer));
  return Status::ok_status();
}

Verdict RunLoop::judge_http_error(long status, const Transfer& transfer) const {
  Verdict verdict;
  const std::string server = openai::error_message_from_body(transfer.response);
  const std::string detail = server.empty() ? "" : " (" + server + ")";
  const std::string where = std::to_string(status) + " from " + options_.base_url;
  if (status == 429 || status == 408 || status >= 500) {
    verdict.kind = Verdict::Kind::kRetry;
    verdict.error = "HTTP " + where + detail;
    verdict.retry_after_s = openai::parse_retry_after(transfer.retry_after, static_cast<std::int64_t>(std::time(nullptr)));
    return verdict;
  }
  verdict.kind = Verdict::Kind::kFatal;
  if (status == 401) {
    verdict.error = options_.api_key_env.empty()
                        ? where + ": the server wants an API key; pass --api-key-env VAR" + detail
                        : where + ": check $" + options_.api_key_env + detail;
  } else if (status == 403) {
    verdict.error = where + ": the key in $" + options_.api_key_env + " may not use model '" + options_.model + "'" + detail;
  } else if (status == 404) {
    verdict.error = where + ": check --api (" + endpoint_ + " was not found) and --model '" + options_.model + "'" + detail;
  } else {
    verdict.error = where + detail;
  }
  return verdict;
}

Verdict RunLoop::judge(const Transfer& transfer, CURLcode code) const {
  Verdict verdict;
  if (code != CURLE_OK) {
    verdict.kind = Verdict::Kind::kRetry;
    verdict.error = std::string(curl_easy_strerror(code));
    return verdict;
  }
  long status = 0;
  curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status >= 300) return judge_http_error(status, transfer);
  auto parse = [&]() -> Result<openai::ParsedResponse> {
    if (!options_.stream) return openai::parse_response_body(transfer.response);
    openai::SseAccumulator sse;
    REVAL_RETURN_IF_ERROR(sse.feed(transfer.response));
    return sse.finish();
  };
  Result<openai::ParsedResponse> parsed = parse();
  if (!parsed.ok()) {
    verdict.kind = Verdict::Kind::kRetry;
    verdict.error = "malformed response: " + parsed.status().message();
    return verdict;
  }
  const Request& request = requests_[transfer.index];
  Completion& out = verdict.completion;
  out.problem_id = request.problem_id;
  out.sample = request.sample;
  out.text = std::move(parsed->content);
  out.reasoning = std::move(parsed->reasoning);
  out.reasoning_open = parsed->reasoning_open;
  out.finish_reason = parsed->finish_reason.empty() ? "stop" : parsed->finish_reason;
  out.prompt_tokens = parsed->prompt_tokens;
  out.completion_tokens = parsed->completion_tokens;
  out.reasoning_tokens = parsed->reasoning_tokens;
  double total_s = 0;
  curl_easy_getinfo(transfer.easy, CURLINFO_TOTAL_TIME, &total_s);
  out.latency_ms = total_s * 1000;
  out.seed = request.seed;
  out.request_hash = request.request_hash;
  return verdict;
}

Status RunLoop::run(const std::function<void(Completion)>& on_complete, const std::atomic<bool>& stop,
                    const std::function<std::string(std::string)>& redact) {
  REVAL_RETURN_IF_ERROR(setup());
  std::deque<Pending> ready;
  for (std::size_t i = 0; i < requests_.size(); ++i) ready.push_back({0, i, 0});
  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> delayed;
  const std::size_t max_in_flight = static_cast<std::size_t>(options_.concurrency);
  while (true) {
    const double now = monotonic_s();
    if (stop.load()) {
      // Graceful stop: nothing new goes out; what is in flight finishes and is delivered.
      ready.clear();
      delayed = {};
    }
    while (!delayed.empty() && delayed.top().not_before_s <= now) {
      ready.push_back(delayed.top());
      delayed.pop();
    }
    while (!ready.empty() && in_flight_.size() < max_in_flight && limiter_.try_acquire(now)) {
      REVAL_RETURN_IF_ERROR(start(ready.front()));
      ready.pop_front();
    }
    if (ready.empty() && delayed.empty() && in_flight_.empty()) break;

    int n_running = 0;
    curl_multi_perform(multi_, &n_running);
    int n_messages = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &n_messages)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      const CURLcode code = message->data.result;
      auto it = in_flight_.find(easy);
      std::unique_ptr<Transfer> transfer = std::move(it->second);
      in_flight_.erase(it);
      curl_multi_remove_handle(multi_, easy);
      Verdict verdict = judge(*transfer, code);
      idle_.push_back(easy);
      const double done_s = monotonic_s();
      if (verdict.kind == Verdict::Kind::kDone) {
        limiter_.charge_tokens(verdict.completion.prompt_tokens + verdict.completion.completion_tokens, done_s);
        on_complete(std::move(verdict.completion));
        continue;
      }
      if (verdict.kind == Verdict::Kind::kFatal) return network_error(redact(verdict.error));
      const Request& request = requests_[transfer->index];
      if (transfer->attempt < options_.retry.max_retries) {
        ++counters_->n_retries;
        const double delay = options_.retry.delay_s(transfer->attempt + 1, verdict.retry_after_s, rng_);
        REVAL_LOG_DEBUG("retrying " + request.problem_id + "#" + std::to_string(request.sample) + " in " +
                        std::to_string(delay) + " s: " + redact(verdict.error));
        delayed.push({done_s + delay, transfer->index, transfer->attempt + 1});
        continue;
      }
      ++counters_->n_failed;
      Completion failed;
      failed.problem_id = request.problem_id;
      failed.sample = request.sample;
      failed.finish_reason = "error";
      failed.seed = request.seed;
      failed.request_hash = request.request_hash;
      failed.error = redact("after " + std::to_string(transfer->attempt + 1) + " attempts: " + verdict.error);
      REVAL_LOG_WARN(request.problem_id + "#" + std::to_string(request.sample) + ": " + failed.error);
      on_complete(std::move(failed));
    }

    // Sleep until a transfer has news, a delayed retry is due or the rate limit lets the next one go,
    // but never longer than 100 ms so a Ctrl-C is noticed promptly.
    double wait_s = 0.1;
    const double after = monotonic_s();
    if (!delayed.empty()) wait_s = std::min(wait_s, std::max(0.0, delayed.top().not_before_s - after));
    if (!ready.empty() && in_flight_.size() < max_in_flight) wait_s = std::min(wait_s, limiter_.wait_s(after));
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_s * 1000), nullptr);
  }
  return Status::ok_status();
}

}  // namespace

ApiBackend::ApiBackend(ApiOptions options) : options_(std::move(options)) {
  std::string base = options_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  endpoint_ = base + "/chat/completions";
}

ApiBackend::~ApiBackend() = default;

Result<std::unique_ptr<ApiBackend>> ApiBackend::create(ApiOptions options) {
  const std::string lower = to_lower(options.base_url);
  if (lower.rfind("http://", 0) != 0 && lower.rfind("https://", 0) != 0) {
    return invalid_input_error("--api " + options.base_url + ": expected an http:// or https:// base URL");
  }
  if (options.concurrency < 1 || options.concurrency > 4096) {
    return invalid_input_error("--concurrency " + std::to_string(options.concurrency) + ": expected 1..4096");
  }
  if (options.timeout_s <= 0) return invalid_input_error("--timeout must be positive");
  if (options.retry.max_retries < 0) return invalid_input_error("--max-retries must be >= 0");
  if (options.model.empty()) return invalid_input_error("--model: the API's model name is required");
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return internal_error("curl_global_init failed");
  return std::unique_ptr<ApiBackend>(new ApiBackend(std::move(options)));
}

std::string ApiBackend::redact(std::string text) const {
  if (options_.api_key.size() >= 4) text = replace_all(std::move(text), options_.api_key, "[REDACTED]");
  return text;
}

Status ApiBackend::run(const std::vector<Request>& requests, const std::function<void(Completion)>& on_complete,
                       const std::atomic<bool>& stop) {
  RunLoop loop(options_, endpoint_, &counters_, requests);
  return loop.run(on_complete, stop, [this](std::string text) { return redact(std::move(text)); });
}

nlohmann::json ApiBackend::identity() const {
  return {{"backend", "api"}, {"name", options_.model}, {"base_url", options_.base_url}, {"file", nullptr},
          {"file_sha256", nullptr}, {"quantization", nullptr}, {"price_per_mtok", nullptr}};
}

}  // namespace reval::harness
