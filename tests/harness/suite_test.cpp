#include "harness/suite.h"

#include <catch2/catch.hpp>

#include "harness/request_plan.h"
#include "tests/support/test_support.h"

namespace reval::harness {

using nlohmann::json;

TEST_CASE("the shipped suites load with the DeepSeek-R1 protocol defaults", "[harness][suite]") {
  for (const std::string name : {"aime24", "aime25", "math500", "math-sample", "aime-sample"}) {
    INFO(name);
    const auto suite = load_suite(test::source_dir() + "/suites/" + name + ".json");
    REQUIRE(suite.ok());
    CHECK(suite->name == name);
    CHECK(suite->sampling.temperature == 0.6);
    CHECK(suite->sampling.top_p == 0.95);
    CHECK(suite->sampling.max_tokens == 32768);
    CHECK_FALSE(suite->system_prompt.has_value());
    CHECK(suite->user_template == "{problem}\nPlease reason step by step, and put your final answer within \\boxed{}.");
    CHECK(suite->metrics.front() == "pass@1");
  }
  CHECK(load_suite(test::source_dir() + "/suites/aime24.json")->samples == 64);
  CHECK(load_suite(test::source_dir() + "/suites/math500.json")->samples == 4);
  CHECK(load_suite(test::source_dir() + "/suites/math500.json")->grader == "math");
}

TEST_CASE("suite errors name the file and the field", "[harness][suite]") {
  const json base = {{"name", "s"}, {"dataset", "d"}, {"grader", "math"}, {"prompt", {{"user", "{problem}"}}}};
  CHECK(parse_suite(base, "s.json").ok());
  json bad = base;
  bad["sampling"] = {{"temprature", 0.5}};
  CHECK(parse_suite(bad, "s.json").status().message() ==
        "s.json: field \"sampling.temprature\": unknown (did you mean \"temperature\"?)");
  bad = base;
  bad["sampling"] = {{"samples", 2.5}};
  CHECK(parse_suite(bad, "s.json").status().message() == "s.json: field \"sampling.samples\": expected a non-negative integer");
  bad = base;
  bad["prompt"] = {{"user", "no placeholder"}};
  CHECK(parse_suite(bad, "s.json").status().message() == "s.json: field \"prompt.user\": must contain {problem}");
  bad = base;
  bad["metrics"] = {"pass@0"};
  CHECK_FALSE(parse_suite(bad, "s.json").ok());
  bad = base;
  bad.erase("grader");
  CHECK(parse_suite(bad, "s.json").status().message() == "s.json: field \"grader\": missing");
}

TEST_CASE("an unknown suite name suggests the closest one", "[harness][suite]") {
  const auto missing = load_suite("aime42");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK(missing.status().message().find("did you mean 'aime24'?") != std::string::npos);
}

TEST_CASE("metrics parse as kind and k", "[harness][suite]") {
  CHECK(parse_metric("cons@64")->kind == "cons");
  CHECK(parse_metric("cons@64")->k == 64);
  CHECK(parse_metric("pass@1")->k == 1);
  CHECK_FALSE(parse_metric("maj@4").ok());
  CHECK_FALSE(parse_metric("pass@x").ok());
}

TEST_CASE("per-sample seeds are deterministic, distinct and independent of the sample count", "[harness][plan]") {
  CHECK(sample_seed(0, "60", 3) == sample_seed(0, "60", 3));
  CHECK(sample_seed(0, "60", 3) != sample_seed(0, "60", 4));
  CHECK(sample_seed(0, "60", 3) != sample_seed(1, "60", 3));
  CHECK(sample_seed(0, "60", 3) != sample_seed(0, "61", 3));
  CHECK(sample_seed(12345, "x", 0) < (1ULL << 31));
  SuiteSpec suite;
  suite.user_template = "{problem}\nPut it in \\boxed{}.";
  suite.system_prompt = "sys";
  const std::vector<datasets::Problem> problems = {{"p1", "1+1?", "2", json::object()}, {"p2", "2+2?", "4", json::object()}};
  const json identity = {{"backend", "api"}, {"name", "m"}, {"base_url", "http://x"}};
  const auto four = expand_requests(suite, problems, SamplingParams{}, 4, 9, identity);
  const auto two = expand_requests(suite, problems, SamplingParams{}, 2, 9, identity);
  REQUIRE(four.size() == 8);
  CHECK(four[1].problem_id == "p1");
  CHECK(four[1].sample == 1);
  CHECK(four[5].problem_id == "p2");
  CHECK(two[3].seed == four[5].seed);
  CHECK(two[3].request_hash == four[5].request_hash);
  CHECK(four[0].messages.size() == 2);
  CHECK(four[0].messages[1].content == "1+1?\nPut it in \\boxed{}.");
  CHECK(four[0].request_hash != four[1].request_hash);
  const json other_model = {{"backend", "api"}, {"name", "m2"}, {"base_url", "http://x"}};
  CHECK(request_hash(other_model, four[0]) != four[0].request_hash);
}

}  // namespace reval::harness
