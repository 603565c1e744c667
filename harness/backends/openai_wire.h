// The OpenAI-compatible chat-completions wire format (POST {base}/chat/completions), used by the api
// backend. Pure functions and a push parser: no I/O, no libcurl. Thread-compatible.
//
// Request body (fields sent):
//   {"model": NAME, "messages": [{"role","content"}...], "temperature", "top_p", "max_tokens", "seed",
//    "stop" (when set), "top_k"/"min_p" (when set: vLLM, SGLang, llama-server extensions),
//    "stream": true + "stream_options": {"include_usage": true} (with --stream)}
// Response (non-streaming): choices[0].message.content, choices[0].message.reasoning_content (DeepSeek,
//   vLLM, SGLang) or .reasoning (some vLLM versions, OpenRouter), choices[0].finish_reason,
//   usage.prompt_tokens, usage.completion_tokens, usage.completion_tokens_details.reasoning_tokens.
// Response (streaming, SSE): lines "data: {json}" separated by blank lines, ending with "data: [DONE]";
//   each chunk carries choices[0].delta.{content, reasoning_content}, choices[0].finish_reason, and the
//   final chunk (with include_usage) carries usage.
// Errors: {"error": {"message": ..., "type": ..., "code": ...}} with a 4xx/5xx status.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "harness/backend.h"

namespace reval::harness::openai {

// The JSON body of one chat-completions request.
std::string build_request_body(const std::string& model, const Request& request, bool stream);

// What a response carries, before the harness attaches problem id, sample, latency and hashes.
struct ParsedResponse {
  std::string content;
  std::string reasoning;
  bool reasoning_open = false;
  std::string finish_reason;  // as sent; "" when absent
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t reasoning_tokens = 0;
};

// Parses a non-streaming response body. invalid_input_error("response is not valid JSON ...") /
// ("response has no choices[0].message") on malformed bodies. Splits "<think>...</think>" out of the
// content when the server did not separate the reasoning itself.
Result<ParsedResponse> parse_response_body(std::string_view body);

// The "error.message" of an error body, shortened to one line of at most 200 characters; "" when the body
// has none (then the caller shows the status alone).
std::string error_message_from_body(std::string_view body);

// Splits "<think>reasoning</think>answer" (local models that put the thinking in content) into
// reasoning and answer; a <think> never closed leaves everything in reasoning and sets reasoning_open.
void split_think_tags(ParsedResponse* response);

// Incremental parser for a server-sent-events stream of chat-completion chunks. feed() bytes as they
// arrive (any split); finish() once the transfer ends. A stream that ends without "[DONE]" and without a
// finish_reason was cut: finish() reports it as an error so the request is retried.
class SseAccumulator {
 public:
  // invalid_input_error on a malformed chunk (the request is then retried like any malformed response).
  Status feed(std::string_view bytes);
  Result<ParsedResponse> finish();
  bool saw_done() const { return saw_done_; }

 private:
  Status handle_line(std::string_view line);
  Status handle_data(std::string_view data);

  std::string pending_;  // bytes of an incomplete line
  std::string data_;     // "data:" lines of the current event, joined by '\n'
  ParsedResponse response_;
  bool saw_done_ = false;
  bool saw_any_event_ = false;
};

// Retry-After: delay in seconds ("120") or an HTTP date. nullopt when absent or unparseable.
// `now_unix_s` is the current time, for dates.
std::optional<double> parse_retry_after(std::string_view value, std::int64_t now_unix_s);

}  // namespace reval::harness::openai
