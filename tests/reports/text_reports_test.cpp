#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/render.h"
#include "tests/reports/fixture_runs.h"
#include "tests/support/test_support.h"

namespace reval::reports {

namespace {

ReportModel fixture_model(const std::vector<std::string>& names) {
  std::vector<RunFolder> runs;
  for (const std::string& name : names) {
    auto run = read_run_folder(test::fixture_runs_dir() + "/" + name);
    REQUIRE(run.ok());
    runs.push_back(std::move(run).value());
  }
  auto model = build_report_model(std::move(runs), {});
  REQUIRE(model.ok());
  return std::move(model).value();
}

}  // namespace

TEST_CASE("the Markdown report has the headline and comparison tables", "[reports][markdown]") {
  const ReportModel model = fixture_model({"aime24-q4km", "aime24-f16", "aime24-api"});
  const std::string md = render_markdown(model);
  CHECK(md.find("| run | pass@1 (95% CI) | cons@8 (95% CI) | pass@8 (95% CI) | samples |") != std::string::npos);
  CHECK(md.find("| DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M (baseline) |") != std::string::npos);
  CHECK(md.find("### Paired comparison against DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M") != std::string::npos);
  CHECK(md.find("| deepseek-reasoner | 12 | ") != std::string::npos);
  CHECK(md.find("All 3 runs cover the same 12 problems") != std::string::npos);
  CHECK(md.find("pass@1 28.9%, cons@64 52.7% published for DeepSeek-R1-Distill-Qwen-1.5B on aime24") != std::string::npos);
  // Each table row has as many cells as the header.
  const std::string header = md.substr(md.find("| run |"), md.find('\n', md.find("| run |")) - md.find("| run |"));
  const auto pipes = [](const std::string& line) { return std::count(line.begin(), line.end(), '|'); };
  const std::size_t row_start = md.find("| deepseek-reasoner |");
  CHECK(pipes(header) == pipes(md.substr(row_start, md.find('\n', row_start) - row_start)));
}

TEST_CASE("the JSON report carries summary values, comparisons and per-problem results", "[reports][json]") {
  const ReportModel model = fixture_model({"aime24-q4km", "aime24-api-subset"});
  const nlohmann::json report = nlohmann::json::parse(render_json(model));
  CHECK(report["format_version"] == 1);
  CHECK(report["scope"]["problem_sets_differ"] == true);
  CHECK(report["scope"]["n_problems"] == 10);
  REQUIRE(report["runs"].size() == 2);
  CHECK(report["runs"][0]["from_summary"] == false);
  CHECK(report["runs"][1]["from_summary"] == true);
  const nlohmann::json summary =
      nlohmann::json::parse(test::read_text_file(test::fixture_runs_dir() + "/aime24-api-subset/summary.json"));
  CHECK(report["runs"][1]["metrics"]["pass@1"]["value"] == summary["metrics"]["pass@1"]["value"]);
  CHECK(report["runs"][0]["per_problem"].size() == 10);
  REQUIRE(report["comparisons"].size() == 1);
  CHECK(report["comparisons"][0]["n_problems"] == 10);
  CHECK(report["comparisons"][0]["delta"].get<double>() == Approx(model.comparisons[0].paired.delta));
  CHECK(report["baseline"] == "aime24-q4km");
}

TEST_CASE("the HTML report is self-contained and shows hostile model output as text", "[reports][html]") {
  const ReportModel model = fixture_model({"aime24-q4km", "aime24-f16", "aime24-api"});
  HtmlOptions options;
  options.generator = "reval test";
  const std::string html = render_html(model, options);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("{{") == std::string::npos);
  // The only executable script is ours; the fixture's alert(1) appears only escaped.
  CHECK(html.find("<script>alert") == std::string::npos);
  CHECK(html.find("onerror=\"alert") == std::string::npos);
  CHECK(html.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)") != std::string::npos);
  std::size_t n_exec_scripts = 0;
  for (std::size_t pos = html.find("<script>"); pos != std::string::npos; pos = html.find("<script>", pos + 1)) ++n_exec_scripts;
  CHECK(n_exec_scripts == 1);
  // No external resources.
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  for (const char* id : {"id=\"headline\"", "id=\"chart\"", "id=\"comparison\"", "id=\"problems\"", "id=\"samples\"",
                         "id=\"lengths\"", "id=\"metadata\"", "id=\"d-11\""}) {
    CHECK(html.find(id) != std::string::npos);
  }
  CHECK(html.find("id=\"swe\"") == std::string::npos);
}

TEST_CASE("the HTML report of SWE runs has the SWE section", "[reports][html]") {
  const std::string html = render_html(fixture_model({"swe-api", "swe-f16"}), {});
  CHECK(html.find("id=\"swe\"") != std::string::npos);
  CHECK(html.find("tests/test_units.py::test_case_") != std::string::npos);
  CHECK(html.find("<script>alert('swe')") == std::string::npos);
}

TEST_CASE("the sample text budget bounds the embedded text", "[reports][html]") {
  const ReportModel model = fixture_model({"aime24-q4km", "aime24-f16", "aime24-api"});
  HtmlOptions small;
  small.sample_text_budget_bytes = 0;  // every sample gets the minimum share
  HtmlOptions large;
  const std::size_t small_size = render_html(model, small).size();
  const std::size_t large_size = render_html(model, large).size();
  CHECK(small_size < large_size);
  // 288 samples at most kMinSampleTextBytes each, plus the page and per-sample fields.
  CHECK(small_size < 288 * (kMinSampleTextBytes + 400) + 200'000);
}

TEST_CASE("parse_report_format accepts html, md and json only", "[reports]") {
  CHECK(parse_report_format("html").value() == ReportFormat::kHtml);
  CHECK(parse_report_format("md").value() == ReportFormat::kMarkdown);
  CHECK(parse_report_format("json").value() == ReportFormat::kJson);
  CHECK(parse_report_format("pdf").status().code() == StatusCode::kUsage);
}

}  // namespace reval::reports
