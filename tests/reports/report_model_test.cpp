#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/report_model.h"
#include "tests/reports/fixture_runs.h"
#include "tests/support/test_support.h"

namespace reval::reports {

namespace {

std::vector<RunFolder> read_runs(const std::vector<std::string>& names) {
  std::vector<RunFolder> runs;
  for (const std::string& name : names) {
    auto run = read_run_folder(test::fixture_runs_dir() + "/" + name);
    REQUIRE(run.ok());
    runs.push_back(std::move(run).value());
  }
  return runs;
}

nlohmann::json summary_of(const std::string& name) {
  return nlohmann::json::parse(test::read_text_file(test::fixture_runs_dir() + "/" + name + "/summary.json"));
}

}  // namespace

TEST_CASE("runs on the same problems show their summary.json numbers", "[reports][model]") {
  auto model = build_report_model(read_runs({"aime24-q4km", "aime24-f16", "aime24-api"}), {});
  REQUIRE(model.ok());
  CHECK_FALSE(model->problem_sets_differ);
  CHECK(model->problem_ids.size() == 12);
  CHECK(model->scope_note == "All 3 runs cover the same 12 problems (aime24).");
  CHECK(model->metric_names == std::vector<std::string>{"pass@1", "cons@8", "pass@8"});
  for (const RunReport& run : model->runs) {
    const nlohmann::json summary = summary_of(run.folder.info.run_id);
    CHECK(run.headline.from_summary);
    for (const MetricCell& cell : run.headline.metrics) {
      INFO(run.label << " " << cell.name);
      REQUIRE(cell.available);
      CHECK(cell.value == summary["metrics"][cell.name]["value"].get<double>());
      CHECK(*cell.ci_low == summary["metrics"][cell.name]["ci95"][0].get<double>());
    }
    CHECK(*run.headline.truncated_fraction == summary["truncated_fraction"].get<double>());
    CHECK(run.headline.n_samples == summary["n_samples"].get<std::int64_t>());
  }
  CHECK(model->runs[0].label == "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M");
  CHECK(model->runs[2].label == "deepseek-reasoner");
  CHECK(model->warnings.size() == 1);  // the Q4_K_M run's torn samples line
}

TEST_CASE("per-problem results recomputed from grades match summary.json's per_problem", "[reports][model]") {
  auto model = build_report_model(read_runs({"aime24-f16", "aime24-api"}), {});
  REQUIRE(model.ok());
  for (const RunReport& run : model->runs) {
    const nlohmann::json per_problem = summary_of(run.folder.info.run_id)["per_problem"];
    for (std::size_t p = 0; p < model->problem_ids.size(); ++p) {
      INFO(run.label << " problem " << model->problem_ids[p]);
      CHECK(per_problem[p]["problem_id"] == model->problem_ids[p]);
      CHECK(run.problems[p].n == per_problem[p]["n"].get<int>());
      CHECK(run.problems[p].correct == per_problem[p]["correct"].get<int>());
      CHECK(run.problems[p].cons_correct == per_problem[p]["cons_correct"].get<bool>());
    }
  }
}

TEST_CASE("runs with different problem sets are compared on their intersection, stated clearly", "[reports][model]") {
  auto model = build_report_model(read_runs({"aime24-q4km", "aime24-api-subset"}), {});
  REQUIRE(model.ok());
  CHECK(model->problem_sets_differ);
  CHECK(model->problem_ids.size() == 10);
  CHECK(model->scope_note.find("different problem sets") != std::string::npos);
  CHECK(model->scope_note.find("only on the 10 problems all runs share") != std::string::npos);
  // The Q4_K_M run's summary covers 12 problems: its headline is recomputed on the 10 shared ones.
  const RunReport& q4 = model->runs[0];
  CHECK_FALSE(q4.headline.from_summary);
  double sum = 0;
  for (const ProblemResult& result : q4.problems) sum += result.pass1();
  CHECK(q4.headline.metrics[0].value == Approx(sum / 10));
  CHECK(q4.headline.n_samples == 80);
  CHECK(model->runs[1].headline.from_summary);
}

TEST_CASE("the paired comparison is the run minus the baseline on each problem", "[reports][model]") {
  ReportOptions options;
  options.baseline = 1;
  auto model = build_report_model(read_runs({"aime24-q4km", "aime24-f16", "aime24-api"}), options);
  REQUIRE(model.ok());
  REQUIRE(model->comparisons.size() == 2);
  CHECK(model->comparisons[0].run == 0);
  CHECK(model->comparisons[1].run == 2);
  for (const Comparison& comparison : model->comparisons) {
    const RunReport& base = model->runs[1];
    const RunReport& run = model->runs[comparison.run];
    double delta = 0;
    int won = 0, lost = 0;
    for (std::size_t p = 0; p < model->problem_ids.size(); ++p) {
      const double d = run.problems[p].pass1() - base.problems[p].pass1();
      delta += d;
      won += d > 0 ? 1 : 0;
      lost += d < 0 ? 1 : 0;
    }
    CHECK(comparison.paired.n_problems == 12);
    CHECK(comparison.paired.delta == Approx(delta / 12));
    CHECK(comparison.paired.n_b_better == won);
    CHECK(comparison.paired.n_a_better == lost);
    CHECK(comparison.paired.ci_low <= comparison.paired.delta);
    CHECK(comparison.paired.ci_high >= comparison.paired.delta);
  }
}

TEST_CASE("published scores attach to runs whose model is known", "[reports][model]") {
  auto model = build_report_model(read_runs({"aime24-q4km", "aime24-api"}), {});
  REQUIRE(model.ok());
  REQUIRE(model->runs[0].published.size() == 2);
  CHECK(model->runs[0].published[0].model == "DeepSeek-R1-Distill-Qwen-1.5B");
  REQUIRE(model->runs[1].published.size() == 1);
  CHECK(model->runs[1].published[0].model == "DeepSeek-R1");
}

TEST_CASE("SWE runs expose their outcomes and runs without shared problems are an error", "[reports][model]") {
  auto swe = build_report_model(read_runs({"swe-api", "swe-f16"}), {});
  REQUIRE(swe.ok());
  CHECK(swe->runs[0].has_swe);
  CHECK(swe->metric_names == std::vector<std::string>{"pass@1"});
  auto disjoint = build_report_model(read_runs({"swe-api", "aime24-api"}), {});
  REQUIRE_FALSE(disjoint.ok());
  CHECK(disjoint.status().message().find("the runs are on different datasets (aime24: aime24-api; swe-verified: swe-api)") !=
        std::string::npos);
  ReportOptions bad;
  bad.baseline = 5;
  CHECK(build_report_model(read_runs({"swe-api"}), bad).status().code() == StatusCode::kUsage);
  // Same dataset, no shared ids.
  std::vector<RunFolder> apart = read_runs({"aime24-api", "aime24-f16"});
  apart[1].problems.clear();
  for (SampleRecord& sample : apart[1].samples) sample.problem_id = "x" + sample.problem_id;
  auto none = build_report_model(std::move(apart), {});
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("the runs share no problem") != std::string::npos);
  CHECK(metric_k("cons@64") == 64);
  CHECK(metric_k("accuracy") == 0);
}

}  // namespace reval::reports
