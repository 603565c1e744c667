#include <catch2/catch.hpp>

#include "graders/swe/log_parsers.h"

namespace swe = reval::graders::swe;
using swe::TestStatus;

namespace {

swe::TestStatusMap parse(const std::string& parser, const std::string& log) {
  auto config = swe::find_log_parser(parser);
  REQUIRE(config.ok());
  return swe::parse_test_log(*config, log);
}

}  // namespace

TEST_CASE("pytest parser reads the -rA summary lines", "[graders][swe][parsers]") {
  const std::string log =
      "tests/test_a.py ..F.                                   [100%]\n"
      "=========================== short test summary info ============================\n"
      "PASSED tests/test_a.py::test_one\n"
      "PASSED tests/test_a.py::TestK::test_two\n"
      "FAILED tests/test_a.py::test_three - AssertionError: assert 1 == 2\n"
      "ERROR tests/test_a.py::test_four - RuntimeError\n"
      "SKIPPED [1] tests/test_a.py:10: no network\n"
      "XFAIL tests/test_a.py::test_five - known bug\n"
      "==================== 1 failed, 2 passed in 0.05s ====================\n";
  swe::TestStatusMap map = parse("parse_log_pytest", log);
  CHECK(map.at("tests/test_a.py::test_one") == TestStatus::kPassed);
  CHECK(map.at("tests/test_a.py::TestK::test_two") == TestStatus::kPassed);
  CHECK(map.at("tests/test_a.py::test_three") == TestStatus::kFailed);
  CHECK(map.at("tests/test_a.py::test_four") == TestStatus::kError);
  CHECK(map.at("tests/test_a.py::test_five") == TestStatus::kXfail);
  CHECK(map.count("AssertionError:") == 0);
}

TEST_CASE("pytest parser keeps parametrized ids with spaces, dashes and nested brackets whole",
          "[graders][swe][parsers]") {
  const std::string log =
      "=== short test summary info ===\n"
      "PASSED tests/t.py::test_median_cases[four values]\n"
      "FAILED tests/t.py::test_median_cases[two - values [x]] - assert 5 == 3.0\n"
      "PASSED tests/t.py::test_x[a-b]\n";
  swe::TestStatusMap map = parse("parse_log_pytest", log);
  CHECK(map.at("tests/t.py::test_median_cases[four values]") == TestStatus::kPassed);
  CHECK(map.at("tests/t.py::test_median_cases[two - values [x]]") == TestStatus::kFailed);
  CHECK(map.at("tests/t.py::test_x[a-b]") == TestStatus::kPassed);
  // SWE-bench's whitespace split of the same line is recorded too, for ids made by that split.
  CHECK(map.at("tests/t.py::test_median_cases[four") == TestStatus::kPassed);
}

TEST_CASE("pytest parser ignores fake PASSED lines printed before the summary", "[graders][swe][parsers]") {
  const std::string log =
      "----------------------------- Captured stdout call -----------------------------\n"
      "PASSED tests/t.py::test_hard\n"
      "=========================== short test summary info ============================\n"
      "FAILED tests/t.py::test_hard - assert False\n"
      "PASSED tests/t.py::test_easy\n";
  swe::TestStatusMap map = parse("parse_log_pytest", log);
  CHECK(map.at("tests/t.py::test_hard") == TestStatus::kFailed);
  const std::string cheat =
      "PASSED tests/t.py::test_hard\n"
      "=========================== short test summary info ============================\n"
      "PASSED tests/t.py::test_easy\n";
  CHECK(parse("parse_log_pytest", cheat).count("tests/t.py::test_hard") == 0);
}

TEST_CASE("pytest v2 parser strips colours and reads status-last lines", "[graders][swe][parsers]") {
  const std::string log =
      "astropy/io/tests/test_x.py::test_a PASSED\n"
      "astropy/io/tests/test_x.py::test_b FAILED\n"
      "\x1b[32mPASSED\x1b[0m astropy/io/tests/test_x.py::test_c\n";
  swe::TestStatusMap map = parse("parse_log_astropy", log);
  CHECK(map.at("astropy/io/tests/test_x.py::test_a") == TestStatus::kPassed);
  CHECK(map.at("astropy/io/tests/test_x.py::test_b") == TestStatus::kFailed);
  CHECK(map.at("astropy/io/tests/test_x.py::test_c") == TestStatus::kPassed);
}

TEST_CASE("pytest options parser shortens absolute paths in parametrize ids", "[graders][swe][parsers]") {
  const std::string log = "PASSED tests/test_r.py::test_file[/tmp/abc/data.txt]\nPASSED tests/test_r.py::test_url[//host/x]\n";
  swe::TestStatusMap map = parse("parse_log_requests", log);
  CHECK(map.at("tests/test_r.py::test_file[/data.txt]") == TestStatus::kPassed);
  CHECK(map.at("tests/test_r.py::test_url[//host/x]") == TestStatus::kPassed);
}

TEST_CASE("matplotlib parser maps MouseButton names before reading ids", "[graders][swe][parsers]") {
  swe::TestStatusMap map = parse("parse_log_matplotlib", "PASSED lib/t.py::test_click[MouseButton.LEFT]\n");
  CHECK(map.at("lib/t.py::test_click[1]") == TestStatus::kPassed);
}

TEST_CASE("django parser reads verbosity-2 runner output", "[graders][swe][parsers]") {
  const std::string log =
      "test_ascii (auth_tests.test_validators.UsernameValidatorsTests) ... ok\n"
      "test_unicode (auth_tests.test_validators.UsernameValidatorsTests) ... FAIL\n"
      "test_broken (auth_tests.test_validators.X) ... ERROR\n"
      "test_skip (auth_tests.test_validators.X) ... skipped 'needs postgres'\n"
      "test_noisy (auth_tests.test_validators.X) ... Some output printed by the test\n"
      "ok\n"
      "======================================================================\n"
      "FAIL: test_unicode (auth_tests.test_validators.UsernameValidatorsTests)\n";
  swe::TestStatusMap map = parse("parse_log_django", log);
  CHECK(map.at("test_ascii (auth_tests.test_validators.UsernameValidatorsTests)") == TestStatus::kPassed);
  CHECK(map.at("test_unicode (auth_tests.test_validators.UsernameValidatorsTests)") == TestStatus::kFailed);
  CHECK(map.at("test_broken (auth_tests.test_validators.X)") == TestStatus::kError);
  CHECK(map.at("test_skip (auth_tests.test_validators.X)") == TestStatus::kSkipped);
  CHECK(map.at("test_noisy (auth_tests.test_validators.X)") == TestStatus::kPassed);
  CHECK(map.at("test_unicode") == TestStatus::kFailed);
}

TEST_CASE("unittest parser reads verbose results including verdicts on a later line", "[graders][swe][parsers]") {
  const std::string log =
      "test_a (tests.test_slug.SlugTests.test_a) ... ok\n"
      "test_b (tests.test_slug.SlugTests.test_b) ... FAIL\n"
      "test_c (tests.test_slug.SlugTests.test_c) ... expected failure\n"
      "test_d (tests.test_slug.SlugTests.test_d) ... skipped 'later'\n"
      "test_e (tests.test_slug.SlugTests.test_e) ... printing something\n"
      "ok\n";
  swe::TestStatusMap map = parse("parse_log_unittest", log);
  CHECK(map.at("test_a (tests.test_slug.SlugTests.test_a)") == TestStatus::kPassed);
  CHECK(map.at("test_b (tests.test_slug.SlugTests.test_b)") == TestStatus::kFailed);
  CHECK(map.at("test_c (tests.test_slug.SlugTests.test_c)") == TestStatus::kXfail);
  CHECK(map.at("test_d (tests.test_slug.SlugTests.test_d)") == TestStatus::kSkipped);
  CHECK(map.at("test_e (tests.test_slug.SlugTests.test_e)") == TestStatus::kPassed);
}

TEST_CASE("sympy parser reads bin/test verbose lines and failure headers", "[graders][swe][parsers]") {
  const std::string log =
      "sympy/geometry/tests/test_point.py[3]\n"
      "test_point ok\n"
      "test_issue_11617 F\n"
      "test_broken E\n"
      "________________ sympy/geometry/tests/test_point.py:test_issue_11617 ________________\n";
  swe::TestStatusMap map = parse("parse_log_sympy", log);
  CHECK(map.at("test_point") == TestStatus::kPassed);
  CHECK(map.at("test_issue_11617") == TestStatus::kFailed);
  CHECK(map.at("test_broken") == TestStatus::kError);
  CHECK(map.at("sympy/geometry/tests/test_point.py:test_issue_11617") == TestStatus::kFailed);
}

TEST_CASE("every SWE-bench parser name used by the run specs is known", "[graders][swe][parsers]") {
  for (const char* name : {"parse_log_astropy", "parse_log_django", "parse_log_matplotlib", "parse_log_seaborn",
                           "parse_log_flask", "parse_log_requests", "parse_log_xarray", "parse_log_pylint",
                           "parse_log_pytest", "parse_log_scikit", "parse_log_sphinx", "parse_log_sympy"}) {
    CHECK(swe::find_log_parser(name).ok());
  }
  auto unknown = swe::find_log_parser("parse_log_pytset");
  REQUIRE_FALSE(unknown.ok());
  CHECK_THAT(unknown.status().message(), Catch::Contains("did you mean parse_log_pytest"));
}

TEST_CASE("parser tables with unknown options or families are rejected with the parser named",
          "[graders][swe][parsers]") {
  auto bad_option = swe::parse_log_parser_table(R"({"parsers": {"p": {"family": "pytest", "strip": true}}})");
  REQUIRE_FALSE(bad_option.ok());
  CHECK_THAT(bad_option.status().message(), Catch::Contains("p: strip: unknown option"));
  auto bad_family = swe::parse_log_parser_table(R"({"parsers": {"q": {"family": "nose"}}})");
  REQUIRE_FALSE(bad_family.ok());
  CHECK_THAT(bad_family.status().message(), Catch::Contains("q: family"));
}
