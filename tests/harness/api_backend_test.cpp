#include "harness/backends/api_backend.h"

#include <catch2/catch.hpp>
#include <map>

#include "tests/harness/scripted_server.h"
#include "tests/support/test_support.h"

namespace reval::harness {
namespace {

using nlohmann::json;

std::vector<Request> make_requests(const std::vector<std::string>& problems, int n_samples) {
  std::vector<Request> requests;
  for (const std::string& problem : problems) {
    for (int sample = 0; sample < n_samples; ++sample) {
      Request request;
      request.problem_id = problem;
      request.sample = sample;
      request.messages = {{"user", "Problem " + problem}};
      request.sampling.max_tokens = 100;
      request.seed = static_cast<std::uint64_t>(1000 + sample);
      request.request_hash = problem + "#" + std::to_string(sample);
      requests.push_back(request);
    }
  }
  return requests;
}

ApiOptions fast_options(const test::ScriptedServer& server) {
  ApiOptions options;
  options.base_url = server.base_url();
  options.model = "test-model";
  options.concurrency = 8;
  options.timeout_s = 5;
  options.retry.base_delay_s = 0.05;
  options.retry.max_delay_s = 0.2;
  options.retry.max_retries = 4;
  return options;
}

struct Collected {
  std::map<std::pair<std::string, int>, std::vector<Completion>> by_pair;
  Status status;
};

Collected run_backend(ApiOptions options, const std::vector<Request>& requests) {
  auto backend = ApiBackend::create(std::move(options));
  REQUIRE(backend.ok());
  Collected collected;
  std::atomic<bool> stop{false};
  collected.status = (*backend)->run(requests, [&](Completion c) {
    collected.by_pair[{c.problem_id, c.sample}].push_back(std::move(c));
  }, stop);
  return collected;
}

}  // namespace

TEST_CASE("the api backend delivers every request exactly once through every scripted fault",
          "[harness][api][integration]") {
  test::TempDir dir;
  const json script = {
      {"rules",
       json::array({
           {{"match", "Problem ok"}, {"responses", {{{"answer", "42"}, {"reasoning", "think"}}}}},
           {{"match", "Problem busy"}, {"responses", {{{"status", 429}, {"retry_after", 0}}, {{"answer", "7"}}}}},
           {{"match", "Problem broken"}, {"responses", {{{"status", 500}}, {{"status", 503}}, {{"answer", "8"}}}}},
           {{"match", "Problem garbled"}, {"responses", {{{"malformed", true}}, {{"answer", "9"}}}}},
           {{"match", "Problem reset"}, {"responses", {{{"reset", true}}, {{"answer", "10"}}}}},
           {{"match", "Problem stall"}, {"responses", {{{"stall", 3}}, {{"answer", "11"}}}}},
           {{"match", "Problem thinks"},
            {"responses", {{{"answer", "12"}, {"reasoning", "hmm"}, {"think_in_content", true}}}}},
       })}};
  test::ScriptedServer server(dir.path(), script);
  ApiOptions options = fast_options(server);
  options.timeout_s = 1;
  const auto requests = make_requests({"ok", "busy", "broken", "garbled", "reset", "stall", "thinks"}, 3);
  const Collected collected = run_backend(options, requests);
  REQUIRE(collected.status.ok());
  REQUIRE(collected.by_pair.size() == requests.size());
  const std::map<std::string, std::string> expected = {{"ok", "42"},     {"busy", "7"},   {"broken", "8"}, {"garbled", "9"},
                                                       {"reset", "10"}, {"stall", "11"}, {"thinks", "12"}};
  for (const auto& [pair, completions] : collected.by_pair) {
    INFO(pair.first << "#" << pair.second);
    REQUIRE(completions.size() == 1);
    const Completion& c = completions[0];
    CHECK(c.finish_reason == "stop");
    CHECK(c.text == "So the final answer is \\boxed{" + expected.at(pair.first) + "}.");
    CHECK(c.seed == static_cast<std::uint64_t>(1000 + pair.second));
    CHECK(c.completion_tokens == 100);
    CHECK(c.reasoning_tokens == 60);
  }
  CHECK(collected.by_pair.at({"ok", 0})[0].reasoning == "think");
  CHECK(collected.by_pair.at({"thinks", 1})[0].reasoning == "hmm");
}

TEST_CASE("the api backend waits at least Retry-After before retrying a 429", "[harness][api][integration]") {
  test::TempDir dir;
  const json script = {{"rules", json::array({{{"match", "Problem"},
                                               {"responses", {{{"status", 429}, {"retry_after", 1}}, {{"answer", "1"}}}}}})}};
  test::ScriptedServer server(dir.path(), script);
  const Collected collected = run_backend(fast_options(server), make_requests({"a", "b"}, 1));
  REQUIRE(collected.status.ok());
  REQUIRE(collected.by_pair.size() == 2);
  std::map<std::string, std::vector<double>> times;
  for (const json& request : server.requests()) times[request["key"]].push_back(request["t"].get<double>());
  for (const auto& [key, seen] : times) {
    INFO(key);
    REQUIRE(seen.size() == 2);
    CHECK(seen[1] - seen[0] >= 0.95);  // the retry waited for Retry-After (1 s), not the 50 ms backoff
  }
}

TEST_CASE("a 401 stops the run with one line naming the key variable, never the key", "[harness][api][integration]") {
  test::TempDir dir;
  test::ScriptedServer server(dir.path(), {{"require_key", "sk-right"}});
  ApiOptions options = fast_options(server);
  options.api_key_env = "TEST_KEY";
  options.api_key = "sk-wrong-secret";
  const Collected collected = run_backend(options, make_requests({"a", "b", "c"}, 4));
  REQUIRE_FALSE(collected.status.ok());
  CHECK(collected.status.code() == StatusCode::kNetwork);
  CHECK(collected.status.message().rfind("401 from " + server.base_url() + ": check $TEST_KEY", 0) == 0);
  CHECK(collected.status.message().find("sk-wrong-secret") == std::string::npos);
  CHECK(collected.status.message().find('\n') == std::string::npos);
  CHECK(server.requests().size() <= 8);  // stopped at once: at most the first wave went out
}

TEST_CASE("the right key is sent as a bearer token", "[harness][api][integration]") {
  test::TempDir dir;
  test::ScriptedServer server(dir.path(), {{"require_key", "sk-right"}});
  ApiOptions options = fast_options(server);
  options.api_key = "sk-right";
  const Collected collected = run_backend(options, make_requests({"a"}, 2));
  REQUIRE(collected.status.ok());
  CHECK(collected.by_pair.size() == 2);
}

TEST_CASE("a request that keeps failing becomes an error completion after --max-retries", "[harness][api][integration]") {
  test::TempDir dir;
  const json script = {{"rules", json::array({{{"match", "Problem bad"}, {"responses", {{{"status", 500}}}}}})}};
  test::ScriptedServer server(dir.path(), script);
  ApiOptions options = fast_options(server);
  options.retry.max_retries = 2;
  const Collected collected = run_backend(options, make_requests({"bad", "good"}, 1));
  REQUIRE(collected.status.ok());
  const Completion& bad = collected.by_pair.at({"bad", 0}).at(0);
  CHECK(bad.finish_reason == "error");
  CHECK(bad.error.find("after 3 attempts") != std::string::npos);
  CHECK(bad.error.find("500") != std::string::npos);
  CHECK(collected.by_pair.at({"good", 0}).at(0).finish_reason == "stop");
  CHECK(server.requests().size() == 4);
}

TEST_CASE("streamed responses are assembled and a stream cut in the middle is retried", "[harness][api][integration]") {
  test::TempDir dir;
  const json script = {{"rules", json::array({
                                     {{"match", "Problem cut"}, {"responses", {{{"stream_cut", true}, {"reasoning", "r"}}, {{"answer", "5"}, {"reasoning", "r2"}}}}},
                                     {{"match", "Problem long"}, {"responses", {{{"answer", "6"}, {"reasoning", "rr"}, {"finish_reason", "length"}}}}},
                                 })}};
  test::ScriptedServer server(dir.path(), script);
  ApiOptions options = fast_options(server);
  options.stream = true;
  const Collected collected = run_backend(options, make_requests({"cut", "long"}, 2));
  REQUIRE(collected.status.ok());
  const Completion& cut = collected.by_pair.at({"cut", 0}).at(0);
  CHECK(cut.text == "So the final answer is \\boxed{5}.");
  CHECK(cut.reasoning == "r2");
  CHECK(cut.finish_reason == "stop");
  CHECK(cut.completion_tokens == 100);
  CHECK(collected.by_pair.at({"long", 1}).at(0).finish_reason == "length");
  for (const json& request : server.requests()) CHECK(request["stream"] == true);
}

TEST_CASE("a 404 names the endpoint and the model", "[harness][api][integration]") {
  test::TempDir dir;
  test::ScriptedServer server(dir.path(), json::object());
  ApiOptions options = fast_options(server);
  options.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/wrong";
  const Collected collected = run_backend(options, make_requests({"a"}, 1));
  REQUIRE_FALSE(collected.status.ok());
  CHECK(collected.status.message().find("404 from") == 0);
  CHECK(collected.status.message().find("--model 'test-model'") != std::string::npos);
}

TEST_CASE("setting stop lets in-flight requests finish and sends nothing new", "[harness][api][integration]") {
  test::TempDir dir;
  test::ScriptedServer server(dir.path(), {{"delay_s", 0.2}});
  auto backend = ApiBackend::create(fast_options(server));
  REQUIRE(backend.ok());
  std::atomic<bool> stop{false};
  int n_done = 0;
  const Status status = (*backend)->run(make_requests({"a", "b", "c", "d", "e", "f"}, 10), [&](Completion) {
    ++n_done;
    stop = true;
  }, stop);
  CHECK(status.ok());
  CHECK(n_done >= 1);
  CHECK(n_done <= 8);  // the first wave (concurrency 8) at most
  CHECK(static_cast<int>(server.requests().size()) == n_done);
}

}  // namespace reval::harness
