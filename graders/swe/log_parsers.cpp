#include "graders/swe/log_parsers.h"

#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/strings.h"
#include "graders/swe/embedded_data.h"

namespace reval::graders::swe {
namespace {

using nlohmann::json;

Result<ParserFamily> family_from_name(const std::string& name) {
  if (name == "pytest") return ParserFamily::kPytest;
  if (name == "django") return ParserFamily::kDjango;
  if (name == "unittest") return ParserFamily::kUnittest;
  if (name == "sympy") return ParserFamily::kSympy;
  return invalid_input_error("family: unknown parser family '" + name + "' (pytest, django, unittest, sympy)");
}

Result<LogParserConfig> parse_one(const std::string& name, const json& entry) {
  if (!entry.is_object()) return invalid_input_error("expected an object");
  LogParserConfig config;
  config.name = name;
  if (!entry.contains("family") || !entry["family"].is_string()) return invalid_input_error("family: missing");
  REVAL_ASSIGN_OR_RETURN(config.family, family_from_name(entry["family"].get<std::string>()));
  for (auto it = entry.begin(); it != entry.end(); ++it) {
    const std::string& key = it.key();
    if (key == "family") continue;
    if (key == "replacements") {
      if (!it->is_array()) return invalid_input_error("replacements: expected [[from, to], ...]");
      for (const json& pair : *it) {
        if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string() || !pair[1].is_string()) {
          return invalid_input_error("replacements: expected [[from, to], ...]");
        }
        config.replacements.emplace_back(pair[0].get<std::string>(), pair[1].get<std::string>());
      }
      continue;
    }
    bool* flag = key == "strip_ansi"               ? &config.strip_ansi
                 : key == "status_suffix"          ? &config.status_suffix
                 : key == "normalize_path_options" ? &config.normalize_path_options
                 : key == "summary_only"           ? &config.summary_only
                                                   : nullptr;
    if (flag == nullptr) return invalid_input_error(key + ": unknown option");
    if (!it->is_boolean()) return invalid_input_error(key + ": expected true or false");
    *flag = it->get<bool>();
  }
  return config;
}

}  // namespace

std::string_view test_status_name(TestStatus status) {
  switch (status) {
    case TestStatus::kPassed: return "PASSED";
    case TestStatus::kFailed: return "FAILED";
    case TestStatus::kSkipped: return "SKIPPED";
    case TestStatus::kError: return "ERROR";
    case TestStatus::kXfail: return "XFAIL";
  }
  return "?";
}

Result<std::map<std::string, LogParserConfig>> parse_log_parser_table(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input_error("log parser table: not a JSON object");
  if (!doc.contains("parsers") || !doc["parsers"].is_object()) {
    return invalid_input_error("log parser table: parsers: missing");
  }
  std::map<std::string, LogParserConfig> table;
  for (auto it = doc["parsers"].begin(); it != doc["parsers"].end(); ++it) {
    Result<LogParserConfig> config = parse_one(it.key(), it.value());
    if (!config.ok()) return config.status().with_context("log parser table: " + it.key());
    table.emplace(it.key(), std::move(config).value());
  }
  return table;
}

const std::map<std::string, LogParserConfig>& builtin_log_parsers() {
  static const std::map<std::string, LogParserConfig> table = [] {
    Result<std::map<std::string, LogParserConfig>> parsed = parse_log_parser_table(embedded_log_parsers_json());
    REVAL_CHECK(parsed.ok() && "graders/swe/data/log_parsers.json is malformed");
    return std::move(parsed).value();
  }();
  return table;
}

Result<LogParserConfig> find_log_parser(const std::string& name) {
  const auto& table = builtin_log_parsers();
  auto it = table.find(name);
  if (it != table.end()) return it->second;
  std::vector<std::string> names;
  for (const auto& entry : table) names.push_back(entry.first);
  std::string hint;
  if (std::optional<std::string> close = closest_match(name, names)) hint = " (did you mean " + *close + "?)";
  return not_found_error("unknown log parser '" + name + "'" + hint + "; known: " + join(names, ", "));
}

std::vector<std::string_view> split_log_lines(std::string_view log) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < log.size()) {
    std::size_t end = log.find('\n', pos);
    if (end == std::string_view::npos) end = log.size();
    std::string_view line = log.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

TestStatusMap parse_test_log(const LogParserConfig& config, std::string_view log) {
  switch (config.family) {
    case ParserFamily::kPytest: return parse_pytest_log(config, log);
    case ParserFamily::kDjango: return parse_django_log(log);
    case ParserFamily::kUnittest: return parse_unittest_log(log);
    case ParserFamily::kSympy: return parse_sympy_log(log);
  }
  return {};
}

}  // namespace reval::graders::swe
