#include "harness/backends/openai_wire.h"

#include <catch2/catch.hpp>

namespace reval::harness::openai {

using nlohmann::json;

TEST_CASE("the request body carries the model, messages, sampling and seed", "[harness][wire]") {
  Request request;
  request.messages = {{"system", "be brief"}, {"user", "1+1?"}};
  request.sampling.temperature = 0.6;
  request.sampling.top_p = 0.95;
  request.sampling.max_tokens = 32768;
  request.seed = 1234567;
  const json body = json::parse(build_request_body("deepseek-reasoner", request, false));
  CHECK(body["model"] == "deepseek-reasoner");
  CHECK(body["messages"][1]["content"] == "1+1?");
  CHECK(body["messages"][0]["role"] == "system");
  CHECK(body["temperature"] == 0.6);
  CHECK(body["top_p"] == 0.95);
  CHECK(body["max_tokens"] == 32768);
  CHECK(body["seed"] == 1234567);
  CHECK_FALSE(body.contains("stream"));
  CHECK_FALSE(body.contains("top_k"));
  const json streamed = json::parse(build_request_body("m", request, true));
  CHECK(streamed["stream"] == true);
  CHECK(streamed["stream_options"]["include_usage"] == true);
}

TEST_CASE("a response with reasoning_content and usage details is parsed", "[harness][wire]") {
  const std::string body = R"({"choices":[{"message":{"role":"assistant","content":"\\boxed{204}",
    "reasoning_content":"Let me think."},"finish_reason":"stop"}],
    "usage":{"prompt_tokens":12,"completion_tokens":300,"completion_tokens_details":{"reasoning_tokens":250}}})";
  const auto parsed = parse_response_body(body);
  REQUIRE(parsed.ok());
  CHECK(parsed->content == "\\boxed{204}");
  CHECK(parsed->reasoning == "Let me think.");
  CHECK(parsed->finish_reason == "stop");
  CHECK(parsed->prompt_tokens == 12);
  CHECK(parsed->completion_tokens == 300);
  CHECK(parsed->reasoning_tokens == 250);
  CHECK_FALSE(parsed->reasoning_open);
}

TEST_CASE("think tags in the content are split into reasoning and answer", "[harness][wire]") {
  ParsedResponse closed;
  closed.content = "<think>steps</think>\n\nThe answer is 3.";
  split_think_tags(&closed);
  CHECK(closed.reasoning == "steps");
  CHECK(closed.content == "The answer is 3.");
  ParsedResponse no_open_tag;  // chat templates that put <think> in the prompt
  no_open_tag.content = "steps</think>answer";
  split_think_tags(&no_open_tag);
  CHECK(no_open_tag.reasoning == "steps");
  CHECK(no_open_tag.content == "answer");
  ParsedResponse open;
  open.content = "<think>still going";
  split_think_tags(&open);
  CHECK(open.reasoning == "still going");
  CHECK(open.content.empty());
  CHECK(open.reasoning_open);
}

TEST_CASE("malformed responses are errors, not crashes", "[harness][wire]") {
  CHECK_FALSE(parse_response_body("{not json").ok());
  CHECK_FALSE(parse_response_body("[]").ok());
  CHECK_FALSE(parse_response_body(R"({"choices":[]})").ok());
  CHECK_FALSE(parse_response_body(R"({"choices":[{"text":"x"}]})").ok());
  CHECK(parse_response_body(R"({"choices":[{"message":{"content":null}}]})").ok());
}

TEST_CASE("error bodies give one short line", "[harness][wire]") {
  CHECK(error_message_from_body(R"({"error":{"message":"bad\nkey"}})") == "bad key");
  CHECK(error_message_from_body(R"({"error":"plain"})") == "plain");
  CHECK(error_message_from_body("<html>") == "");
  CHECK(error_message_from_body(R"({"error":{"message":")" + std::string(500, 'x') + "\"}}").size() == 203);
}

TEST_CASE("an SSE stream assembles the same whatever the byte boundaries", "[harness][wire]") {
  const std::string stream =
      ": keep-alive\n\n"
      "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"th\"}}]}\n\n"
      "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"ink\"}}]}\r\n\r\n"
      "data: {\"choices\":[{\"delta\":{\"content\":\"\\\\boxed{1}\"},\"finish_reason\":null}]}\n\n"
      "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":9}}\n\n"
      "data: [DONE]\n\n";
  for (std::size_t step : {std::size_t{1}, std::size_t{3}, std::size_t{7}, stream.size()}) {
    SseAccumulator sse;
    for (std::size_t i = 0; i < stream.size(); i += step) REQUIRE(sse.feed(std::string_view(stream).substr(i, step)).ok());
    const auto parsed = sse.finish();
    REQUIRE(parsed.ok());
    CHECK(parsed->reasoning == "think");
    CHECK(parsed->content == "\\boxed{1}");
    CHECK(parsed->finish_reason == "stop");
    CHECK(parsed->completion_tokens == 9);
  }
}

TEST_CASE("an SSE stream cut before its end is an error", "[harness][wire]") {
  SseAccumulator sse;
  REQUIRE(sse.feed("data: {\"choices\":[{\"delta\":{\"content\":\"par\"}}]}\n\ndata: {\"cho").ok());
  CHECK_FALSE(sse.finish().ok());
  SseAccumulator empty;
  CHECK_FALSE(empty.finish().ok());
  SseAccumulator bad;
  CHECK_FALSE(bad.feed("data: {oops}\n\n").ok());
}

TEST_CASE("Retry-After is read as seconds or as an HTTP date", "[harness][wire]") {
  CHECK(parse_retry_after("120", 0) == 120.0);
  CHECK(parse_retry_after(" 1.5 ", 0) == 1.5);
  CHECK_FALSE(parse_retry_after("", 0).has_value());
  CHECK_FALSE(parse_retry_after("soon", 0).has_value());
  CHECK_FALSE(parse_retry_after("-3", 0).has_value());
  // Sun, 06 Nov 1994 08:49:37 GMT = 784111777
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111770) == 7.0);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111790) == 0.0);
}

}  // namespace reval::harness::openai
