#include "harness/backends/openai_wire.h"

#include <ctime>

#include <nlohmann/json.hpp>

#include "common/strings.h"

namespace reval::harness::openai {
namespace {

using nlohmann::json;

std::int64_t int_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return 0;
  return it->get<std::int64_t>();
}

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// The reasoning text of a message or delta: DeepSeek/vLLM/SGLang use "reasoning_content", some servers
// "reasoning".
std::string reasoning_field(const json& message) {
  std::string reasoning = string_field(message, "reasoning_content");
  if (reasoning.empty()) reasoning = string_field(message, "reasoning");
  return reasoning;
}

void read_usage(const json& usage, ParsedResponse* out) {
  if (!usage.is_object()) return;
  out->prompt_tokens = int_field(usage, "prompt_tokens");
  out->completion_tokens = int_field(usage, "completion_tokens");
  const auto details = usage.find("completion_tokens_details");
  if (details != usage.end() && details->is_object()) out->reasoning_tokens = int_field(*details, "reasoning_tokens");
}

std::string one_line(std::string text, std::size_t max_chars) {
  for (char& ch : text) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  if (text.size() > max_chars) text = text.substr(0, max_chars) + "...";
  return text;
}

}  // namespace

std::string build_request_body(const std::string& model, const Request& request, bool stream) {
  json body;
  body["model"] = model;
  json messages = json::array();
  for (const ChatMessage& message : request.messages) {
    messages.push_back({{"role", message.role}, {"content", message.content}});
  }
  body["messages"] = std::move(messages);
  const SamplingParams& sampling = request.sampling;
  body["temperature"] = sampling.temperature;
  body["top_p"] = sampling.top_p;
  body["max_tokens"] = sampling.max_tokens;
  body["seed"] = request.seed;
  if (sampling.top_k > 0) body["top_k"] = sampling.top_k;
  if (sampling.min_p > 0) body["min_p"] = sampling.min_p;
  if (!sampling.stop.empty()) body["stop"] = sampling.stop;
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = {{"include_usage", true}};
  }
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

void split_think_tags(ParsedResponse* response) {
  if (!response->reasoning.empty()) return;
  static constexpr std::string_view kOpen = "<think>";
  static constexpr std::string_view kClose = "</think>";
  const std::string& content = response->content;
  const std::size_t close = content.rfind(kClose);
  if (close != std::string::npos) {
    std::size_t start = content.find(kOpen);
    start = (start == std::string::npos || start > close) ? 0 : start + kOpen.size();
    response->reasoning = content.substr(start, close - start);
    response->content = std::string(trim(std::string_view(content).substr(close + kClose.size())));
    return;
  }
  const std::size_t open = content.find(kOpen);
  if (open != std::string::npos) {
    response->reasoning = content.substr(open + kOpen.size());
    response->content.clear();
    response->reasoning_open = true;
  }
}

Result<ParsedResponse> parse_response_body(std::string_view body) {
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return invalid_input_error("response is not valid JSON (" + std::to_string(body.size()) + " bytes)");
  }
  const auto choices = parsed.find("choices");
  if (choices == parsed.end() || !choices->is_array() || choices->empty() || !(*choices)[0].is_object()) {
    return invalid_input_error("response has no choices[0]");
  }
  const json& choice = (*choices)[0];
  const auto message = choice.find("message");
  if (message == choice.end() || !message->is_object()) return invalid_input_error("response has no choices[0].message");
  ParsedResponse out;
  out.content = string_field(*message, "content");
  out.reasoning = reasoning_field(*message);
  out.finish_reason = string_field(choice, "finish_reason");
  if (const auto usage = parsed.find("usage"); usage != parsed.end()) read_usage(*usage, &out);
  split_think_tags(&out);
  // A reasoning model cut by max_tokens while still thinking: reasoning without any answer.
  if (!out.reasoning.empty() && out.content.empty() && out.finish_reason == "length") out.reasoning_open = true;
  return out;
}

std::string error_message_from_body(std::string_view body) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return "";
  const auto error = parsed.find("error");
  if (error == parsed.end()) return "";
  if (error->is_string()) return one_line(error->get<std::string>(), 200);
  if (error->is_object()) return one_line(string_field(*error, "message"), 200);
  return "";
}

Status SseAccumulator::feed(std::string_view bytes) {
  pending_.append(bytes);
  std::size_t start = 0;
  while (true) {
    const std::size_t newline = pending_.find('\n', start);
    if (newline == std::string::npos) break;
    std::string_view line(pending_.data() + start, newline - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    Status status = handle_line(line);
    if (!status.ok()) return status;
    start = newline + 1;
  }
  pending_.erase(0, start);
  return Status::ok_status();
}

// SSE (WHATWG HTML, "server-sent events"): a blank line dispatches the event; "data:" lines accumulate;
// lines starting with ':' are comments (keep-alives); other fields (event, id, retry) are not used here.
Status SseAccumulator::handle_line(std::string_view line) {
  if (line.empty()) {
    if (data_.empty()) return Status::ok_status();
    std::string data = std::move(data_);
    data_.clear();
    return handle_data(data);
  }
  if (line.front() == ':') return Status::ok_status();
  if (line.substr(0, 5) == "data:") {
    std::string_view value = line.substr(5);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (!data_.empty()) data_.push_back('\n');
    data_.append(value);
  }
  return Status::ok_status();
}

Status SseAccumulator::handle_data(std::string_view data) {
  saw_any_event_ = true;
  if (trim(data) == "[DONE]") {
    saw_done_ = true;
    return Status::ok_status();
  }
  json chunk = json::parse(data, nullptr, false);
  if (chunk.is_discarded() || !chunk.is_object()) return invalid_input_error("stream chunk is not valid JSON");
  if (const auto error = chunk.find("error"); error != chunk.end()) {
    return invalid_input_error("stream reported an error: " + error_message_from_body(data));
  }
  if (const auto usage = chunk.find("usage"); usage != chunk.end()) read_usage(*usage, &response_);
  const auto choices = chunk.find("choices");
  if (choices == chunk.end() || !choices->is_array() || choices->empty()) return Status::ok_status();
  const json& choice = (*choices)[0];
  if (!choice.is_object()) return invalid_input_error("stream chunk has a malformed choices[0]");
  if (const auto delta = choice.find("delta"); delta != choice.end() && delta->is_object()) {
    response_.content += string_field(*delta, "content");
    response_.reasoning += reasoning_field(*delta);
  }
  const std::string finish = string_field(choice, "finish_reason");
  if (!finish.empty()) response_.finish_reason = finish;
  return Status::ok_status();
}

Result<ParsedResponse> SseAccumulator::finish() {
  if (!pending_.empty()) {
    std::string rest = std::move(pending_);
    pending_.clear();
    REVAL_RETURN_IF_ERROR(handle_line(rest));
  }
  if (!data_.empty()) {
    std::string data = std::move(data_);
    data_.clear();
    REVAL_RETURN_IF_ERROR(handle_data(data));
  }
  if (!saw_any_event_) return invalid_input_error("stream carried no events");
  if (!saw_done_ && response_.finish_reason.empty()) {
    return invalid_input_error("stream ended before its last chunk");
  }
  ParsedResponse out = response_;
  split_think_tags(&out);
  if (!out.reasoning.empty() && out.content.empty() && out.finish_reason == "length") out.reasoning_open = true;
  return out;
}

std::optional<double> parse_retry_after(std::string_view value, std::int64_t now_unix_s) {
  const std::string_view text = trim(value);
  if (text.empty()) return std::nullopt;
  if (auto seconds = parse_double(text)) {
    if (*seconds < 0) return std::nullopt;
    return *seconds;
  }
  // IMF-fixdate (RFC 9110 section 5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const std::string copy(text);
  const char* end = strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr) return std::nullopt;
  const std::int64_t at = static_cast<std::int64_t>(timegm(&tm));
  return at > now_unix_s ? static_cast<double>(at - now_unix_s) : 0.0;
}

}  // namespace reval::harness::openai
