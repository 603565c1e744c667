// Test-log parsers as data: each SWE-bench parser name (parse_log_pytest, parse_log_django, ...) maps
// to a parser family plus options in graders/swe/data/log_parsers.json (embedded at build time).
// A parser turns the test command's output into test id -> status, like SWE-bench's log parsers.
// Pure functions; thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace reval::graders::swe {

// SWE-bench's TestStatus values, spelled as in its logs and report.json.
enum class TestStatus { kPassed, kFailed, kSkipped, kError, kXfail };
std::string_view test_status_name(TestStatus status);  // "PASSED", "FAILED", ...

using TestStatusMap = std::map<std::string, TestStatus>;

enum class ParserFamily { kPytest, kDjango, kUnittest, kSympy };

struct LogParserConfig {
  std::string name;  // "parse_log_pytest"
  ParserFamily family = ParserFamily::kPytest;
  // pytest family options:
  bool strip_ansi = false;              // drop colour escapes and control characters first (pytest_v2)
  bool status_suffix = false;           // also read "<id> PASSED" lines (old pytest / verbose classic style)
  bool normalize_path_options = false;  // "[/abs/path/x]" -> "[/x]" in parametrize ids (pytest_options)
  bool summary_only = true;             // status-first lines count only after the last "short test summary info"
  std::vector<std::pair<std::string, std::string>> replacements;  // applied to each line first
};

// The built-in parser table (graders/swe/data/log_parsers.json).
const std::map<std::string, LogParserConfig>& builtin_log_parsers();

// Parses a parser table in the log_parsers.json format; errors name the parser and field.
Result<std::map<std::string, LogParserConfig>> parse_log_parser_table(std::string_view json_text);

// The config for `name`, or not_found_error listing the known parsers.
Result<LogParserConfig> find_log_parser(const std::string& name);

// Parses `log` (only the test command's output: the harness cuts the section between its own
// markers before calling this, so text outside it cannot add results).
TestStatusMap parse_test_log(const LogParserConfig& config, std::string_view log);

// Family implementations (log_parser_pytest.cpp, log_parser_unittest.cpp).
TestStatusMap parse_pytest_log(const LogParserConfig& config, std::string_view log);
TestStatusMap parse_django_log(std::string_view log);
TestStatusMap parse_unittest_log(std::string_view log);
TestStatusMap parse_sympy_log(std::string_view log);

// Splits text into lines (without the '\n'; a trailing '\r' is dropped).
std::vector<std::string_view> split_log_lines(std::string_view log);

}  // namespace reval::graders::swe
