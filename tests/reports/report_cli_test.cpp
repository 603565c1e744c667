#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/reports/fixture_runs.h"
#include "tests/support/test_support.h"

namespace reval {

using test::fixture_runs_dir;
using test::run_reval;

TEST_CASE("reval report writes an HTML file comparing runs", "[reports][integration]") {
  test::TempDir dir;
  const std::string out = dir.file("report.html");
  auto result = run_reval({"report", fixture_runs_dir() + "/aime24-q4km", fixture_runs_dir() + "/aime24-f16",
                           fixture_runs_dir() + "/aime24-api", "-o", out});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  CHECK(result.out.find("wrote " + out + " (3 runs, 12 problems") != std::string::npos);
  CHECK(result.err.find("dropped a torn last line") != std::string::npos);
  const std::string html = test::read_text_file(out);
  CHECK(html.find("DeepSeek-R1-Distill-Qwen-1.5B-F16") != std::string::npos);
}

TEST_CASE("reval report --format md and json print to stdout; --baseline picks the baseline", "[reports][integration]") {
  auto md = run_reval({"report", "--format", "md", fixture_runs_dir() + "/aime24-q4km", fixture_runs_dir() + "/aime24-api",
                       "--baseline", "aime24-api"});
  REQUIRE(md.exit_code == 0);
  CHECK(md.out.find("| deepseek-reasoner (baseline) |") != std::string::npos);
  auto json = run_reval({"report", "--format=json", fixture_runs_dir() + "/swe-api", fixture_runs_dir() + "/swe-f16"});
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out)["runs"].size() == 2);
}

TEST_CASE("reval report errors are one line with a non-zero exit", "[reports][integration]") {
  auto missing = run_reval({"report", fixture_runs_dir() + "/no-such-run"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("no-such-run: not a run folder") != std::string::npos);
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);
  auto baseline = run_reval({"report", fixture_runs_dir() + "/aime24-api", "--baseline", "elsewhere"});
  CHECK(baseline.exit_code == 2);
  CHECK(baseline.err.find("--baseline elsewhere is not one of the runs given") != std::string::npos);
  auto format = run_reval({"report", fixture_runs_dir() + "/aime24-api", "--format", "pdf"});
  CHECK(format.exit_code == 2);
  auto none = run_reval({"report"});
  CHECK(none.exit_code == 2);
}

}  // namespace reval
