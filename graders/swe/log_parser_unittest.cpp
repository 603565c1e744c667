// Logs of unittest-style runners: Django's tests/runtests.py at --verbosity 2 and
// `python -m unittest -v` ("test_x (module.Class) ... ok"), and sympy's bin/test --verbose
// ("test_x ok", "test_y F", "test_z E"). Semantics follow SWE-bench's parse_log_django and
// parse_log_sympy so that ids in SWE-bench datasets match.
#include "common/strings.h"
#include "graders/swe/log_parsers.h"

namespace reval::graders::swe {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// The second whitespace-separated token ("FAIL: test_x (a.B)" -> "test_x"), as SWE-bench reads it.
std::string second_token(std::string_view line) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < line.size() && tokens.size() < 2) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) tokens.emplace_back(line.substr(start, i - start));
  }
  return tokens.size() == 2 ? tokens[1] : std::string();
}

// The result words a unittest runner prints after " ... ".
struct Outcome {
  std::string_view suffix;
  TestStatus status;
  bool exact;  // the line must end with it (else it may be followed by a reason)
};
constexpr Outcome kUnittestOutcomes[] = {
    {" ... ok", TestStatus::kPassed, true},           {" ... OK", TestStatus::kPassed, true},
    {" ...  OK", TestStatus::kPassed, true},          {" ... FAIL", TestStatus::kFailed, true},
    {" ... ERROR", TestStatus::kError, true},         {" ... skipped", TestStatus::kSkipped, false},
    {" ... expected failure", TestStatus::kXfail, true}, {" ... unexpected success", TestStatus::kFailed, true},
};

}  // namespace

TestStatusMap parse_django_log(std::string_view log) {
  TestStatusMap map;
  std::string prev_test;
  bool have_prev = false;
  for (std::string_view raw : split_log_lines(log)) {
    std::string_view line = trim(raw);
    if (line.find("--version is equivalent to version") != std::string_view::npos) {
      map["--version is equivalent to version"] = TestStatus::kPassed;
    }
    std::size_t dots = line.find(" ... ");
    if (dots != std::string_view::npos) {
      prev_test = std::string(line.substr(0, dots));
      have_prev = true;
    }
    for (std::string_view suffix : {" ... ok", " ... OK", " ...  OK"}) {
      if (ends_with(line, suffix)) {
        std::string_view test = line.substr(0, line.size() - suffix.size());
        // A migration message can precede the test name on the same line (seen in django-7188).
        if (starts_with(test, "Applying sites.0002_alter_domain_unique...")) {
          test = trim(test.substr(test.find("...") + 3));
        }
        map[std::string(test)] = TestStatus::kPassed;
        break;
      }
    }
    if (std::size_t at = line.find(" ... skipped"); at != std::string_view::npos) {
      map[std::string(line.substr(0, at))] = TestStatus::kSkipped;
    }
    if (ends_with(line, " ... FAIL")) map[std::string(line.substr(0, line.find(" ... FAIL")))] = TestStatus::kFailed;
    if (starts_with(line, "FAIL:")) {
      std::string test = second_token(line);
      if (!test.empty()) map[test] = TestStatus::kFailed;
    }
    if (ends_with(line, " ... ERROR")) {
      map[std::string(line.substr(0, line.find(" ... ERROR")))] = TestStatus::kError;
    }
    if (starts_with(line, "ERROR:")) {
      std::string test = second_token(line);
      if (!test.empty()) map[test] = TestStatus::kError;
    }
    // Output printed between " ... " and the verdict pushes "ok" onto a line of its own.
    if (starts_with(line, "ok") && have_prev) map[prev_test] = TestStatus::kPassed;
  }
  return map;
}

TestStatusMap parse_unittest_log(std::string_view log) {
  TestStatusMap map;
  std::string pending;  // a test whose verdict was pushed to a later line by its own output
  for (std::string_view raw : split_log_lines(log)) {
    std::string_view line = trim(raw);
    bool matched = false;
    for (const Outcome& outcome : kUnittestOutcomes) {
      std::size_t at = outcome.exact ? (ends_with(line, outcome.suffix) ? line.size() - outcome.suffix.size()
                                                                          : std::string_view::npos)
                                     : line.find(outcome.suffix);
      if (at == std::string_view::npos || at == 0) continue;
      map[std::string(line.substr(0, at))] = outcome.status;
      matched = true;
      pending.clear();
      break;
    }
    if (matched) continue;
    std::size_t dots = line.find(" ... ");
    if (dots != std::string_view::npos && dots > 0) {
      pending = std::string(line.substr(0, dots));
    } else if (!pending.empty()) {
      if (line == "ok") map[pending] = TestStatus::kPassed;
      if (line == "FAIL") map[pending] = TestStatus::kFailed;
      if (line == "ERROR") map[pending] = TestStatus::kError;
      if (line == "ok" || line == "FAIL" || line == "ERROR") pending.clear();
    }
  }
  return map;
}

TestStatusMap parse_sympy_log(std::string_view log) {
  TestStatusMap map;
  for (std::string_view raw : split_log_lines(log)) {
    std::string_view line = trim(raw);
    // Failure headers: "____ sympy/core/tests/test_x.py:test_name ____".
    if (starts_with(line, "_") && ends_with(line, "_")) {
      std::string_view inner = trim(std::string_view(line).substr(line.find_first_not_of('_')));
      std::size_t end = inner.find_last_not_of('_');
      if (end != std::string_view::npos) inner = trim(inner.substr(0, end + 1));
      if (inner.find(".py:") != std::string_view::npos && inner.find(' ') == std::string_view::npos) {
        map[std::string(inner)] = TestStatus::kFailed;
      }
      continue;
    }
    if (!starts_with(line, "test_")) continue;
    std::string_view name = line.substr(0, line.find_first_of(" \t"));
    if (ends_with(line, " E")) map[std::string(name)] = TestStatus::kError;
    if (ends_with(line, " F")) map[std::string(name)] = TestStatus::kFailed;
    if (ends_with(line, " ok")) map[std::string(name)] = TestStatus::kPassed;
  }
  return map;
}

}  // namespace reval::graders::swe
