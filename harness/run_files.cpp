#include "harness/run_files.h"

#include <filesystem>

#include "common/files.h"
#include "harness/run_store.h"

namespace reval::harness {
namespace {

using nlohmann::json;

Result<json> read_json_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return not_found_error(path + " does not exist");
  REVAL_ASSIGN_OR_RETURN(std::string text, read_file(path));
  json parsed = json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return invalid_input_error(path + ": not a valid JSON object");
  return parsed;
}

}  // namespace

Result<json> read_run_json(const std::string& dir) {
  const std::string path = dir + "/" + kRunJson;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return not_found_error("run folder " + dir + " does not exist");
  REVAL_ASSIGN_OR_RETURN(json run, read_json_file(path));
  const auto version = run.find("format_version");
  if (version == run.end() || !version->is_number_integer()) {
    return invalid_input_error(path + ": field \"format_version\": missing");
  }
  if (version->get<int>() > kRunFormatVersion) {
    return invalid_input_error(path + ": format_version " + std::to_string(version->get<int>()) +
                               " is newer than this reval reads (" + std::to_string(kRunFormatVersion) + "); upgrade reval");
  }
  return run;
}

Result<json> read_summary_json(const std::string& dir) {
  const std::string path = dir + "/" + kSummaryJson;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return not_found_error(path + " does not exist; run 'reval grade " + dir + "' first");
  }
  return read_json_file(path);
}

Status write_problems(const std::string& dir, const std::vector<datasets::Problem>& problems) {
  std::string text;
  for (const datasets::Problem& p : problems) {
    text += json{{"id", p.id}, {"problem", p.problem}, {"answer", p.answer}, {"meta", p.meta}}.dump(
                -1, ' ', false, json::error_handler_t::replace) +
            "\n";
  }
  return write_file_atomic(dir + "/" + kProblemsJsonl, text);
}

Result<std::vector<datasets::Problem>> read_problems(const std::string& dir) {
  const std::string path = dir + "/" + kProblemsJsonl;
  REVAL_ASSIGN_OR_RETURN(std::string text, read_file(path));
  std::vector<datasets::Problem> problems;
  std::size_t line_number = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line_number;
    const std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    json row = json::parse(line, nullptr, false);
    const std::string where = path + ":" + std::to_string(line_number);
    if (row.is_discarded() || !row.is_object()) return invalid_input_error(where + ": not valid JSON");
    if (!row.contains("id") || !row["id"].is_string()) return invalid_input_error(where + ": field \"id\": missing");
    datasets::Problem problem;
    problem.id = row["id"].get<std::string>();
    if (row.contains("problem") && row["problem"].is_string()) problem.problem = row["problem"].get<std::string>();
    if (row.contains("answer") && row["answer"].is_string()) problem.answer = row["answer"].get<std::string>();
    if (row.contains("meta")) problem.meta = row["meta"];
    problems.push_back(std::move(problem));
  }
  return problems;
}

}  // namespace reval::harness
