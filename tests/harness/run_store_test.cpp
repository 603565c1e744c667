#include "harness/run_store.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/support/test_support.h"

namespace reval::harness {
namespace {

using nlohmann::json;

json run_json(double temperature) {
  return {{"suite", {{"name", "s"}}}, {"settings", {{"sampling", {{"temperature", temperature}, {"seed", 0}}}}}};
}

Completion completion(const std::string& problem, int sample, const std::string& finish = "stop") {
  Completion c;
  c.problem_id = problem;
  c.sample = sample;
  c.text = "answer " + problem;
  c.finish_reason = finish;
  if (finish == "error") c.error = "boom";
  c.seed = 7;
  return c;
}

}  // namespace

TEST_CASE("a run folder is created, appended to and resumed with its finished pairs", "[harness][store]") {
  test::TempDir dir;
  const std::string run = dir.file("run");
  {
    auto store = RunStore::open(run, run_json(0.6), false);
    REQUIRE(store.ok());
    CHECK_FALSE((*store)->resumed());
    REQUIRE((*store)->append(completion("a", 0)).ok());
    REQUIRE((*store)->append(completion("a", 1, "error")).ok());
    CHECK_FALSE((*store)->is_done("a", 0));  // as of opening
  }
  auto store = RunStore::open(run, run_json(0.6), false);
  REQUIRE(store.ok());
  CHECK((*store)->resumed());
  CHECK((*store)->is_done("a", 0));
  CHECK_FALSE((*store)->is_done("a", 1));  // errors are retried on resume
  REQUIRE((*store)->append(completion("a", 1)).ok());
  const auto samples = read_samples(run + "/samples.jsonl");
  REQUIRE(samples.ok());
  CHECK(samples->n_lines == 3);
  CHECK(samples->n_superseded == 1);
  REQUIRE(samples->samples.size() == 2);
  CHECK(samples->samples[1].finish_reason == "stop");
  const json written = json::parse(test::read_text_file(run + "/run.json"));
  CHECK(written["format_version"] == 1);
  CHECK(written["settings_hash"].get<std::string>().size() == 64);
}

TEST_CASE("a torn last line is dropped and cut off so later appends stay valid", "[harness][store]") {
  test::TempDir dir;
  const std::string run = dir.file("run");
  {
    auto store = RunStore::open(run, run_json(0.6), false);
    REQUIRE(store.ok());
    REQUIRE((*store)->append(completion("a", 0)).ok());
  }
  const std::string path = run + "/samples.jsonl";
  const std::string good = test::read_text_file(path);
  test::write_text_file(path, good + R"({"problem_id": "b", "sample": 0, "te)");
  {
    auto store = RunStore::open(run, run_json(0.6), false);
    REQUIRE(store.ok());
    CHECK((*store)->existing().dropped_torn_line);
    CHECK((*store)->existing().samples.size() == 1);
    REQUIRE((*store)->append(completion("b", 0)).ok());
  }
  const auto samples = read_samples(path);
  REQUIRE(samples.ok());
  CHECK_FALSE(samples->dropped_torn_line);
  CHECK(samples->samples.size() == 2);
}

TEST_CASE("a corrupt line before the last is an error naming the line", "[harness][store]") {
  const std::string contents = "{\"problem_id\":\"a\",\"sample\":0,\"finish_reason\":\"stop\"}\n{bad}\n"
                               "{\"problem_id\":\"b\",\"sample\":0,\"finish_reason\":\"stop\"}\n";
  const auto parsed = parse_samples(contents, "run/samples.jsonl");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message() == "run/samples.jsonl:2: not valid JSON");
  const auto missing = parse_samples("{\"sample\":0,\"finish_reason\":\"stop\"}\n", "f");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "f:1: missing field \"problem_id\"");
}

TEST_CASE("a folder made with other settings is refused unless --force-new", "[harness][store]") {
  test::TempDir dir;
  const std::string run = dir.file("run");
  {
    auto store = RunStore::open(run, run_json(0.6), false);
    REQUIRE(store.ok());
    REQUIRE((*store)->append(completion("a", 0)).ok());
  }
  const auto refused = RunStore::open(run, run_json(0.7), false);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kInvalidInput);
  CHECK(refused.status().message().find("sampling.temperature: 0.6 before, 0.7 now") != std::string::npos);
  CHECK(refused.status().message().find("--force-new") != std::string::npos);
  auto fresh = RunStore::open(run, run_json(0.7), true);
  REQUIRE(fresh.ok());
  CHECK_FALSE((*fresh)->resumed());
  CHECK((*fresh)->existing().samples.empty());
  int n_aside = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().rfind("run.replaced-", 0) == 0) ++n_aside;
  }
  CHECK(n_aside == 1);
}

TEST_CASE("two stores cannot write one run folder at once", "[harness][store]") {
  test::TempDir dir;
  auto first = RunStore::open(dir.file("run"), run_json(0.6), false);
  REQUIRE(first.ok());
  auto second = RunStore::open(dir.file("run"), run_json(0.6), false);
  REQUIRE_FALSE(second.ok());
  CHECK(second.status().message().find("in use by another reval process") != std::string::npos);
}

TEST_CASE("a completion survives the trip through a samples line", "[harness][store]") {
  Completion c = completion("p", 3);
  c.reasoning = "r\n\"quoted\"";
  c.reasoning_open = true;
  c.prompt_tokens = 1;
  c.completion_tokens = 2;
  c.reasoning_tokens = 3;
  c.latency_ms = 4.5;
  c.seed = 2147483647;
  c.request_hash = "abc";
  const auto back = completion_from_json(completion_to_json(c));
  REQUIRE(back.ok());
  CHECK(back->problem_id == "p");
  CHECK(back->sample == 3);
  CHECK(back->reasoning == c.reasoning);
  CHECK(back->reasoning_open);
  CHECK(back->completion_tokens == 2);
  CHECK(back->latency_ms == 4.5);
  CHECK(back->seed == 2147483647u);
  CHECK(back->request_hash == "abc");
  CHECK(back->error.empty());
}

}  // namespace reval::harness
