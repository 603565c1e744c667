#include "harness/scoring.h"

#include <catch2/catch.hpp>

namespace reval::harness {
namespace {

using nlohmann::json;

// Grades by exact match of the whole answer text: enough to check the bookkeeping around the grader.
class ExactGrader : public graders::Grader {
 public:
  graders::Grade grade(std::string_view gold, const graders::Response& response) const override {
    graders::Grade grade;
    grade.extracted = response.text;
    grade.canonical = response.text;
    grade.correct = response.finish_reason != "length" && response.text == gold;
    grade.reason = response.finish_reason == "length" ? "truncated" : (grade.correct ? "equivalent" : "not_equivalent");
    return grade;
  }
  std::string canonical_gold(std::string_view gold) const override { return std::string(gold); }
};

Completion sample(const std::string& problem, int index, const std::string& text, const std::string& finish = "stop") {
  Completion c;
  c.problem_id = problem;
  c.sample = index;
  c.text = text;
  c.finish_reason = finish;
  c.completion_tokens = 100;
  c.reasoning_tokens = 80;
  if (finish == "error") c.error = "boom";
  return c;
}

}  // namespace

TEST_CASE("scoring computes pass@1, cons@k and pass@k per problem and over the suite", "[harness][scoring]") {
  ScoringInput input;
  input.run_json = {{"suite", {{"name", "s"}}}, {"model", {{"name", "m"}, {"backend", "api"}}}, {"wall_time_s", 10.0}};
  input.problems = {{"a", "", "1", json::object()}, {"b", "", "2", json::object()}, {"c", "", "3", json::object()}};
  input.samples = {
      sample("a", 0, "1"), sample("a", 1, "1"), sample("a", 2, "9"), sample("a", 3, "1"),
      sample("b", 3, "2"), sample("b", 0, "5"), sample("b", 1, "5"), sample("b", 2, "2", "length"),
      sample("a", 4, "9"),  // beyond k: ignored
      sample("c", 0, "", "error"),
  };
  input.metrics = {"pass@1", "cons@4", "pass@4"};
  input.k = 4;
  const ExactGrader grader;
  const ScoredRun scored = score_run(input, grader);
  const json& s = scored.summary;
  CHECK(scored.grades.size() == 8);
  CHECK(s["n_problems"] == 2);
  CHECK(s["n_problems_missing"] == 1);
  CHECK(s["n_samples"] == 8);
  CHECK(s["errors"] == 1);
  CHECK(s["truncated_fraction"].get<double>() == Approx(1.0 / 8));
  CHECK(s["mean_reasoning_tokens"].get<double>() == Approx(80));
  CHECK(s["completion_tokens"] == 900);
  CHECK(s["tokens_per_s"].get<double>() == Approx(90));
  // a: 3/4 correct, b: 1/4 correct.
  CHECK(s["metrics"]["pass@1"]["value"].get<double>() == Approx(0.5));
  // a's majority is "1" (right); b's is "5" (wrong).
  CHECK(s["metrics"]["cons@4"]["value"].get<double>() == Approx(0.5));
  CHECK(s["metrics"]["pass@4"]["value"].get<double>() == Approx(1.0));
  CHECK(s["per_problem"][0]["cons_answer"] == "1");
  CHECK(s["per_problem"][1]["cons_correct"] == false);
  CHECK(s["per_problem"][2]["n"] == 0);
  CHECK_FALSE(s["per_problem"][2].contains("pass@1"));
  const std::string text = format_summary(s);
  CHECK(text.find("pass@1     50.0% ±") != std::string::npos);
  CHECK(text.find("errors 1") != std::string::npos);
  CHECK(text.find("1 problems without samples") != std::string::npos);
}

TEST_CASE("scoring is deterministic for a seed", "[harness][scoring]") {
  ScoringInput input;
  for (int p = 0; p < 20; ++p) {
    input.problems.push_back({"p" + std::to_string(p), "", "1", json::object()});
    for (int i = 0; i < 3; ++i) input.samples.push_back(sample("p" + std::to_string(p), i, (p + i) % 2 ? "1" : "0"));
  }
  input.metrics = {"pass@1"};
  input.k = 3;
  input.seed = 5;
  const ExactGrader grader;
  CHECK(score_run(input, grader).summary == score_run(input, grader).summary);
}

}  // namespace reval::harness
