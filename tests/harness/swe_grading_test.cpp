// The SWE verdict store (swe_results.jsonl) and the conversion of verdicts into grades and the
// outcome breakdown (what resuming relies on); the shipped SWE suites.
#include <catch2/catch.hpp>

#include "harness/suite.h"
#include "harness/swe_grading.h"
#include "harness/swe_suite.h"
#include "tests/support/test_support.h"

namespace reval::harness {
namespace {

using nlohmann::json;

json verdict(const std::string& outcome, const std::string& reason) {
  return {{"outcome", outcome}, {"reason", reason}, {"resolved", outcome == "resolved"}, {"patch_applied", true},
          {"apply_method", "git apply -v"}, {"diff_source", "fenced_diff"}, {"files", {"a.py", "b.py"}},
          {"diff_sha256", std::string(64, 'c')}};
}

Completion completion(const std::string& problem, int sample, const std::string& hash,
                      const std::string& finish = "stop") {
  Completion c;
  c.problem_id = problem;
  c.sample = sample;
  c.request_hash = hash;
  c.finish_reason = finish;
  return c;
}

}  // namespace

TEST_CASE("swe_results.jsonl keeps verdicts across reopening; errors and other requests are graded again",
          "[harness][swe]") {
  test::TempDir dir;
  {
    auto results = SweResults::open(dir.path());
    REQUIRE(results.ok());
    REQUIRE((*results)->append("p1", 0, "h1", verdict("resolved", "resolved")).ok());
    REQUIRE((*results)->append("p2", 0, "h2", verdict("error", "sandbox_error")).ok());
    REQUIRE((*results)->append("p3", 0, "h3", verdict("unresolved", "tests_failed")).ok());
    REQUIRE((*results)->append("p3", 0, "h3", verdict("patch_failed", "patch_failed")).ok());  // the later line wins
  }
  auto reopened = SweResults::open(dir.path());
  REQUIRE(reopened.ok());
  const SweResults& results = **reopened;
  CHECK(results.is_graded(completion("p1", 0, "h1")));
  CHECK_FALSE(results.is_graded(completion("p1", 0, "other-hash")));  // a regenerated sample
  CHECK_FALSE(results.is_graded(completion("p2", 0, "h2")));          // infrastructure error: retried
  CHECK_FALSE(results.is_graded(completion("p1", 1, "h1")));
  const auto verdicts = results.verdicts();
  REQUIRE(verdicts.size() == 3);
  CHECK(verdicts.at({"p3", 0})["swe"]["outcome"] == "patch_failed");
}

TEST_CASE("a torn last verdict line is dropped and cut off; a bad line before it is an error", "[harness][swe]") {
  test::TempDir dir;
  const std::string good = json{{"problem_id", "p1"}, {"sample", 0}, {"request_hash", "h"}, {"swe", verdict("resolved", "resolved")}}.dump();
  test::write_text_file(dir.file(kSweResultsJsonl), good + "\n{\"problem_id\": \"p2\", \"sam");
  {
    auto results = SweResults::open(dir.path());
    REQUIRE(results.ok());
    CHECK((*results)->verdicts().size() == 1);
    REQUIRE((*results)->append("p2", 0, "h", verdict("unresolved", "tests_failed")).ok());
  }
  const auto read = SweResults::read(dir.path());
  REQUIRE(read.ok());
  CHECK(read->size() == 2);  // the append landed on a clean line
  test::write_text_file(dir.file(kSweResultsJsonl), "not json\n" + good + "\n");
  const auto bad = SweResults::open(dir.path());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("swe_results.jsonl:1") != std::string::npos);
}

TEST_CASE("verdicts become grades (correct = resolved) and an outcome breakdown", "[harness][swe]") {
  std::map<std::pair<std::string, int>, json> verdicts;
  verdicts[{"p1", 0}] = {{"swe", verdict("resolved", "resolved")}};
  verdicts[{"p1", 1}] = {{"swe", verdict("empty_patch", "no_diff")}};
  verdicts[{"p2", 0}] = {{"swe", verdict("unresolved", "tests_failed")}};
  const auto grades = swe_external_grades(verdicts);
  const ExternalGrade& resolved = grades.at({"p1", 0});
  CHECK(resolved.grade.correct);
  CHECK(resolved.grade.extracted == "a.py b.py");
  CHECK(resolved.grade.canonical == std::string(16, 'c'));
  CHECK(resolved.grade.rule == "fenced_diff");
  CHECK(resolved.extra["swe"]["outcome"] == "resolved");
  CHECK_FALSE(grades.at({"p2", 0}).grade.correct);

  // p2#1 is stored but not graded yet; the error sample and the sample past k are not counted.
  const std::vector<Completion> samples = {completion("p1", 0, "a"), completion("p1", 1, "b"), completion("p2", 0, "c"),
                                           completion("p2", 1, "d"), completion("p2", 2, "e", "error"),
                                           completion("p1", 5, "f")};
  const json breakdown = swe_outcome_breakdown(verdicts, samples, 3);
  CHECK(breakdown["outcomes"]["resolved"] == 1);
  CHECK(breakdown["outcomes"]["empty_patch"] == 1);
  CHECK(breakdown["outcomes"]["unresolved"] == 1);
  CHECK(breakdown["ungraded"] == 1);
  CHECK(breakdown["retrieval"] == "oracle");
  CHECK(format_swe_breakdown(breakdown) ==
        "  swe outcomes: 1 resolved, 1 unresolved, 0 patch failed, 0 error, 1 empty, 1 not graded yet (oracle retrieval)\n");

  // The normal statistics: pass@1 is the resolved rate over the graded samples.
  ScoringInput input;
  input.problems = {{"p1", "", "", json::object()}, {"p2", "", "", json::object()}};
  input.samples = {completion("p1", 0, "a"), completion("p1", 1, "b"), completion("p2", 0, "c"), completion("p2", 1, "d")};
  input.metrics = {"pass@1", "pass@2"};
  input.k = 2;
  input.external_grades = &grades;
  const ScoredRun scored = score_run(input);
  CHECK(scored.grades.size() == 3);
  CHECK(scored.grades[0]["swe"]["outcome"] == "resolved");
  CHECK(scored.summary["n_ungraded"] == 1);
  CHECK(scored.summary["metrics"]["pass@1"]["value"].get<double>() == Approx(0.25));  // (1/2 + 0/1) / 2
  CHECK(scored.summary["metrics"]["pass@2"]["value"].get<double>() == Approx(0.5));
}

TEST_CASE("the shipped SWE suites load: grader swe, oracle prompt placeholders, repository defaults", "[harness][swe]") {
  for (const char* name : {"swe-sample", "swe-real", "swe-verified"}) {
    INFO(name);
    const auto suite = load_suite(test::source_dir() + "/suites/" + name + ".json");
    REQUIRE(suite.ok());
    CHECK(suite->grader == kSweGrader);
    CHECK(suite->user_template.find("{problem}") != std::string::npos);
    CHECK(suite->user_template.find("{files}") != std::string::npos);
    CHECK(suite->metrics == std::vector<std::string>{"pass@1"});
  }
  const auto real = load_suite(test::source_dir() + "/suites/swe-real.json");
  REQUIRE(real.ok());
  // Relative to the suite file: <repo>/suites/../../shared/data/swe-real/repos.
  CHECK(real->swe_repos.size() > std::string("shared/data/swe-real/repos").size());
  CHECK(real->swe_repos.find("shared/data/swe-real/repos") != std::string::npos);
  CHECK(real->dataset == "{repos}/../instances.jsonl");  // not made relative to the suite file
  CHECK(resolve_swe_dataset(real->dataset, "/data/swe-real/repos") == "/data/swe-real/instances.jsonl");
  CHECK(resolve_swe_dataset("swe-verified", "/data/mirrors") == "swe-verified");
  CHECK(load_suite(test::source_dir() + "/suites/swe-verified.json")->dataset == "swe-verified");
}

TEST_CASE("an unknown field under \"swe\" in a suite is named", "[harness][swe]") {
  const nlohmann::json spec = {{"name", "s"}, {"dataset", "d"}, {"grader", "swe"},
                               {"prompt", {{"user", "{problem}"}}}, {"swe", {{"repo", "x"}}}};
  const auto suite = parse_suite(spec, "s.json");
  REQUIRE_FALSE(suite.ok());
  CHECK(suite.status().message() == "s.json: field \"swe.repo\": unknown (known: \"repos\")");
}

}  // namespace reval::harness
