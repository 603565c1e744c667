#include <catch2/catch.hpp>

#include <string>

#include "tests/support/test_support.h"

namespace reval {
namespace {

using test::run_reval;

TEST_CASE("reval equiv prints the verdict and both canonical forms", "[graders][cli][integration]") {
  auto result = run_reval({"equiv", "\\frac{1}{2}", "0.5"});
  CHECK(result.exit_code == 0);
  CHECK(result.out == "true\ngold: \\frac{1}{2}\npred: \\frac{1}{2}\n");
  auto different = run_reval({"equiv", "(2,5)", "[2,5]"});
  CHECK(different.exit_code == 0);
  CHECK(different.out.rfind("false\n", 0) == 0);
}

TEST_CASE("reval equiv --jsonl answers every line in order, with per-row modes and error lines",
          "[graders][cli][integration]") {
  test::TempDir dir;
  std::string input =
      "{\"gold\":\"1/2\",\"pred\":\"0.5\"}\n"
      "not json\n"
      "{\"gold\":\"3\",\"pred\":\"The answer is $\\\\boxed{3}$.\",\"mode\":\"fulltext\"}\n"
      "{\"gold\":\"$\\\\frac{1}{3}$\",\"pred\":\"0.33\",\"gold_mode\":\"fulltext\"}\n"
      "{\"gold\":\"1\"}\n"
      "{\"gold\":\"1\",\"pred\":\"1\",\"mode\":\"sideways\"}\n";
  test::write_text_file(dir.file("pairs.jsonl"), input);
  auto result = run_reval({"equiv", "--jsonl", dir.file("pairs.jsonl")});
  CHECK(result.exit_code == 0);
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t end; (end = result.out.find('\n', start)) != std::string::npos; start = end + 1) {
    lines.push_back(result.out.substr(start, end - start));
  }
  REQUIRE(lines.size() == 6);
  CHECK(lines[0].find("\"equivalent\":true") != std::string::npos);
  CHECK(lines[0].find("\"gold_canonical\":\"\\\\frac{1}{2}\"") != std::string::npos);
  CHECK(lines[1].find("\"error\":\"line 2: not a JSON object\"") != std::string::npos);
  CHECK(lines[2].find("\"equivalent\":true") != std::string::npos);
  CHECK(lines[3].find("\"equivalent\":false") != std::string::npos);
  CHECK(lines[4].find("\"error\"") != std::string::npos);
  CHECK(lines[5].find("\"error\"") != std::string::npos);
  auto flag_mode = run_reval({"equiv", "--jsonl", dir.file("pairs.jsonl"), "--mode", "fulltext"});
  CHECK(flag_mode.exit_code == 0);
}

TEST_CASE("reval equiv reports usage errors with exit code 2", "[graders][cli][integration]") {
  CHECK(run_reval({"equiv", "1"}).exit_code == 2);
  CHECK(run_reval({"equiv", "1", "2", "--mode", "sideways"}).exit_code == 2);
  auto missing = run_reval({"equiv", "--jsonl", "/nonexistent/pairs.jsonl"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.err.find("/nonexistent/pairs.jsonl") != std::string::npos);
}

}  // namespace
}  // namespace reval
