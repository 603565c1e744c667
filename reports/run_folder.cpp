// The one adapter between the run folder's JSON files and nlohmann::json: every nlohmann exception
// is caught here and turned into a Status naming the file, line and field.
#include "reports/run_folder.h"

#include <algorithm>
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/files.h"

namespace reval::reports {
namespace {

using nlohmann::json;

// Where a JSON object came from, for error messages: "runs/x/grades.jsonl:17".
struct Origin {
  std::string file;
  std::size_t line = 0;  // 0 for whole-file JSON
  std::string where() const { return line == 0 ? file : file + ":" + std::to_string(line); }
};

Status field_error(const Origin& origin, std::string_view field, std::string_view expected) {
  return invalid_input_error(origin.where() + ": field '" + std::string(field) + "' must be " +
                             std::string(expected));
}

// Field readers: a missing or null field leaves the target untouched; a field of the wrong type is an
// error (a reader that guessed would hide a harness bug).
Status read_string(const json& object, std::string_view key, const Origin& origin, std::string& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Status::ok_status();
  if (it->is_string()) {
    out = it->get<std::string>();
    return Status::ok_status();
  }
  // Ids such as AIME problem numbers are sometimes written as numbers.
  if (it->is_number_integer()) {
    out = std::to_string(it->get<std::int64_t>());
    return Status::ok_status();
  }
  return field_error(origin, key, "a string");
}

Status read_int(const json& object, std::string_view key, const Origin& origin, std::optional<std::int64_t>& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Status::ok_status();
  if (!it->is_number_integer()) return field_error(origin, key, "an integer");
  out = it->get<std::int64_t>();
  return Status::ok_status();
}

Status read_double(const json& object, std::string_view key, const Origin& origin, std::optional<double>& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Status::ok_status();
  if (!it->is_number()) return field_error(origin, key, "a number");
  out = it->get<double>();
  return Status::ok_status();
}

Status read_bool(const json& object, std::string_view key, const Origin& origin, bool& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return Status::ok_status();
  if (!it->is_boolean()) return field_error(origin, key, "a boolean");
  out = it->get<bool>();
  return Status::ok_status();
}

Status read_sample_index(const json& object, const Origin& origin, int& out) {
  std::optional<std::int64_t> value;
  REVAL_RETURN_IF_ERROR(read_int(object, "sample", origin, value));
  if (!value || *value < 0 || *value > 1'000'000'000) return field_error(origin, "sample", "an integer >= 0");
  out = static_cast<int>(*value);
  return Status::ok_status();
}

const json& object_or_empty(const json& object, std::string_view key) {
  static const json kEmpty = json::object();
  auto it = object.find(key);
  return (it != object.end() && it->is_object()) ? *it : kEmpty;
}

std::size_t utf8_floor(const std::string& text, std::size_t pos) {
  while (pos > 0 && pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) --pos;
  return pos;
}

Status parse_model(const json& model, const Origin& origin, ModelInfo& out) {
  REVAL_RETURN_IF_ERROR(read_string(model, "backend", origin, out.backend));
  REVAL_RETURN_IF_ERROR(read_string(model, "name", origin, out.name));
  REVAL_RETURN_IF_ERROR(read_string(model, "base_url", origin, out.base_url));
  REVAL_RETURN_IF_ERROR(read_string(model, "file", origin, out.file));
  REVAL_RETURN_IF_ERROR(read_string(model, "file_sha256", origin, out.file_sha256));
  for (const auto& [type, count] : object_or_empty(model, "quantization").items()) {
    if (!count.is_number_integer()) return field_error(origin, "model.quantization." + type, "an integer");
    out.quantization[type] = count.get<std::int64_t>();
  }
  const json& price = object_or_empty(model, "price_per_mtok");
  REVAL_RETURN_IF_ERROR(read_double(price, "input", origin, out.price_input_per_mtok));
  REVAL_RETURN_IF_ERROR(read_double(price, "output", origin, out.price_output_per_mtok));
  return Status::ok_status();
}

Status parse_run_info(const json& run, const Origin& origin, RunInfo& out) {
  if (!run.is_object()) return invalid_input_error(origin.where() + ": expected a JSON object");
  std::optional<std::int64_t> version;
  REVAL_RETURN_IF_ERROR(read_int(run, "format_version", origin, version));
  if (!version) return field_error(origin, "format_version", "present");
  if (*version != kRunFormatVersion) {
    return invalid_input_error(origin.where() + ": format_version " + std::to_string(*version) +
                               " is not supported (this reval reads version " +
                               std::to_string(kRunFormatVersion) + ")");
  }
  out.format_version = static_cast<int>(*version);
  REVAL_RETURN_IF_ERROR(read_string(run, "reval_version", origin, out.reval_version));
  REVAL_RETURN_IF_ERROR(read_string(run, "run_id", origin, out.run_id));
  REVAL_RETURN_IF_ERROR(read_string(run, "started", origin, out.started));
  REVAL_RETURN_IF_ERROR(read_string(run, "finished", origin, out.finished));
  REVAL_RETURN_IF_ERROR(read_string(run, "settings_hash", origin, out.settings_hash));
  const json& suite = object_or_empty(run, "suite");
  REVAL_RETURN_IF_ERROR(read_string(suite, "name", origin, out.suite_name));
  REVAL_RETURN_IF_ERROR(read_string(suite, "dataset", origin, out.dataset));
  REVAL_RETURN_IF_ERROR(read_string(suite, "grader", origin, out.grader));
  REVAL_RETURN_IF_ERROR(read_string(suite, "retrieval", origin, out.retrieval));
  if (auto it = suite.find("metrics"); it != suite.end() && it->is_array()) {
    for (const json& metric : *it) {
      if (!metric.is_string()) return field_error(origin, "suite.metrics", "a list of strings");
      out.metrics.push_back(metric.get<std::string>());
    }
  }
  REVAL_RETURN_IF_ERROR(parse_model(object_or_empty(run, "model"), origin, out.model));
  const json& sampling = object_or_empty(run, "sampling");
  REVAL_RETURN_IF_ERROR(read_double(sampling, "temperature", origin, out.sampling.temperature));
  REVAL_RETURN_IF_ERROR(read_double(sampling, "top_p", origin, out.sampling.top_p));
  REVAL_RETURN_IF_ERROR(read_int(sampling, "max_tokens", origin, out.sampling.max_tokens));
  REVAL_RETURN_IF_ERROR(read_int(sampling, "samples", origin, out.sampling.samples));
  REVAL_RETURN_IF_ERROR(read_int(sampling, "seed", origin, out.sampling.seed));
  const json& machine = object_or_empty(run, "machine");
  REVAL_RETURN_IF_ERROR(read_string(machine, "host", origin, out.machine_host));
  REVAL_RETURN_IF_ERROR(read_string(machine, "cpu", origin, out.machine_cpu));
  REVAL_RETURN_IF_ERROR(read_int(machine, "n_threads", origin, out.machine_threads));
  return Status::ok_status();
}

Status parse_summary(const json& summary, const Origin& origin, RunSummary& out) {
  if (!summary.is_object()) return invalid_input_error(origin.where() + ": expected a JSON object");
  for (const auto& [name, metric] : object_or_empty(summary, "metrics").items()) {
    if (!metric.is_object()) return field_error(origin, "metrics." + name, "an object");
    MetricEstimate estimate;
    std::optional<double> value;
    REVAL_RETURN_IF_ERROR(read_double(metric, "value", origin, value));
    if (!value) return field_error(origin, "metrics." + name + ".value", "a number");
    estimate.value = *value;
    REVAL_RETURN_IF_ERROR(read_double(metric, "stderr", origin, estimate.stderr_));
    if (auto ci = metric.find("ci95"); ci != metric.end() && !ci->is_null()) {
      if (!ci->is_array() || ci->size() != 2 || !(*ci)[0].is_number() || !(*ci)[1].is_number()) {
        return field_error(origin, "metrics." + name + ".ci95", "a pair of numbers");
      }
      estimate.ci_low = (*ci)[0].get<double>();
      estimate.ci_high = (*ci)[1].get<double>();
    }
    out.metrics[name] = estimate;
  }
  REVAL_RETURN_IF_ERROR(read_int(summary, "n_problems", origin, out.n_problems));
  REVAL_RETURN_IF_ERROR(read_int(summary, "n_samples", origin, out.n_samples));
  REVAL_RETURN_IF_ERROR(read_int(summary, "k", origin, out.k));
  REVAL_RETURN_IF_ERROR(read_double(summary, "truncated_fraction", origin, out.truncated_fraction));
  REVAL_RETURN_IF_ERROR(read_int(summary, "errors", origin, out.errors));
  REVAL_RETURN_IF_ERROR(read_double(summary, "mean_reasoning_tokens", origin, out.mean_reasoning_tokens));
  REVAL_RETURN_IF_ERROR(read_double(summary, "mean_answer_tokens", origin, out.mean_answer_tokens));
  REVAL_RETURN_IF_ERROR(read_double(summary, "wall_time_s", origin, out.wall_time_s));
  REVAL_RETURN_IF_ERROR(read_int(summary, "completion_tokens", origin, out.completion_tokens));
  REVAL_RETURN_IF_ERROR(read_double(summary, "tokens_per_s", origin, out.tokens_per_s));
  REVAL_RETURN_IF_ERROR(read_double(summary, "cost_usd", origin, out.cost_usd));
  return Status::ok_status();
}

Status parse_problem(const json& row, const Origin& origin, ProblemRecord& out) {
  REVAL_RETURN_IF_ERROR(read_string(row, "id", origin, out.id));
  if (out.id.empty()) return field_error(origin, "id", "a non-empty string");
  REVAL_RETURN_IF_ERROR(read_string(row, "problem", origin, out.problem));
  return read_string(row, "answer", origin, out.answer);
}

Status parse_sample(const json& row, const Origin& origin, const ReadOptions& options, SampleRecord& out) {
  REVAL_RETURN_IF_ERROR(read_string(row, "problem_id", origin, out.problem_id));
  if (out.problem_id.empty()) return field_error(origin, "problem_id", "a non-empty string");
  REVAL_RETURN_IF_ERROR(read_sample_index(row, origin, out.sample));
  std::string text, reasoning;
  REVAL_RETURN_IF_ERROR(read_string(row, "text", origin, text));
  REVAL_RETURN_IF_ERROR(read_string(row, "reasoning", origin, reasoning));
  out.text = clip_text(std::move(text), options.max_text_bytes);
  out.reasoning = clip_text(std::move(reasoning), options.max_text_bytes);
  REVAL_RETURN_IF_ERROR(read_string(row, "finish_reason", origin, out.finish_reason));
  REVAL_RETURN_IF_ERROR(read_int(row, "prompt_tokens", origin, out.prompt_tokens));
  REVAL_RETURN_IF_ERROR(read_int(row, "completion_tokens", origin, out.completion_tokens));
  REVAL_RETURN_IF_ERROR(read_int(row, "reasoning_tokens", origin, out.reasoning_tokens));
  REVAL_RETURN_IF_ERROR(read_double(row, "latency_ms", origin, out.latency_ms));
  return read_string(row, "error", origin, out.error);
}

Status parse_test_outcomes(const json& swe, std::string_view key, const Origin& origin, TestOutcomes& out) {
  const json& group = object_or_empty(swe, key);
  for (auto [list_name, target] : {std::pair{"success", &out.success}, std::pair{"failure", &out.failure}}) {
    auto it = group.find(list_name);
    if (it == group.end() || it->is_null()) continue;
    if (!it->is_array()) return field_error(origin, "swe." + std::string(key) + "." + list_name, "a list");
    for (const json& name : *it) {
      if (!name.is_string()) return field_error(origin, "swe." + std::string(key) + "." + list_name, "strings");
      target->push_back(name.get<std::string>());
    }
  }
  return Status::ok_status();
}

Status parse_grade(const json& row, const Origin& origin, GradeRecord& out) {
  REVAL_RETURN_IF_ERROR(read_string(row, "problem_id", origin, out.problem_id));
  if (out.problem_id.empty()) return field_error(origin, "problem_id", "a non-empty string");
  REVAL_RETURN_IF_ERROR(read_sample_index(row, origin, out.sample));
  if (auto it = row.find("correct"); it == row.end() || !it->is_boolean()) {
    return field_error(origin, "correct", "a boolean");
  }
  REVAL_RETURN_IF_ERROR(read_bool(row, "correct", origin, out.correct));
  REVAL_RETURN_IF_ERROR(read_string(row, "extracted", origin, out.extracted));
  REVAL_RETURN_IF_ERROR(read_string(row, "canonical", origin, out.canonical));
  REVAL_RETURN_IF_ERROR(read_string(row, "reason", origin, out.reason));
  REVAL_RETURN_IF_ERROR(read_string(row, "rule", origin, out.rule));
  auto swe_it = row.find("swe");
  if (swe_it == row.end() || swe_it->is_null()) return Status::ok_status();
  if (!swe_it->is_object()) return field_error(origin, "swe", "an object");
  SweOutcome swe;
  REVAL_RETURN_IF_ERROR(read_string(*swe_it, "outcome", origin, swe.outcome));
  REVAL_RETURN_IF_ERROR(read_string(*swe_it, "reason", origin, swe.reason));
  REVAL_RETURN_IF_ERROR(read_bool(*swe_it, "resolved", origin, swe.resolved));
  REVAL_RETURN_IF_ERROR(read_bool(*swe_it, "patch_applied", origin, swe.patch_applied));
  REVAL_RETURN_IF_ERROR(read_string(*swe_it, "apply_method", origin, swe.apply_method));
  REVAL_RETURN_IF_ERROR(parse_test_outcomes(*swe_it, "FAIL_TO_PASS", origin, swe.fail_to_pass));
  REVAL_RETURN_IF_ERROR(parse_test_outcomes(*swe_it, "PASS_TO_PASS", origin, swe.pass_to_pass));
  out.swe = std::move(swe);
  return Status::ok_status();
}

// Calls `parse_line(json, origin)` for every non-blank line of a JSON Lines file. A last line that
// does not parse and has no trailing newline is a torn write: dropped with a warning. Any other bad
// line is an error naming the line.
template <typename ParseLine>
Status for_each_json_line(const std::string& path, std::vector<std::string>& warnings, ParseLine parse_line) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::ok_status();
  REVAL_ASSIGN_OR_RETURN(MappedFile file, MappedFile::open(path));
  const std::string_view data(reinterpret_cast<const char*>(file.data()), file.size());
  std::size_t pos = 0;
  std::size_t line_number = 0;
  while (pos < data.size()) {
    const std::size_t end = std::min(data.find('\n', pos), data.size());
    const std::string_view line = data.substr(pos, end - pos);
    const bool is_last_unterminated = end == data.size();
    pos = end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const Origin origin{path, line_number};
    json row = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (row.is_discarded() || !row.is_object()) {
      if (is_last_unterminated) {
        warnings.push_back(origin.where() + ": dropped a torn last line");
        break;
      }
      return invalid_input_error(origin.where() + ": not a JSON object");
    }
    REVAL_RETURN_IF_ERROR(parse_line(row, origin));
  }
  return Status::ok_status();
}

Result<json> read_json_file(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(std::string text, read_file(path));
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return invalid_input_error(path + ": not valid JSON");
  return value;
}

}  // namespace

ClippedText clip_text(std::string text, std::size_t max_bytes) {
  ClippedText clipped;
  if (max_bytes == 0 || text.size() <= max_bytes) {
    clipped.head = std::move(text);
    return clipped;
  }
  const std::size_t head_end = utf8_floor(text, max_bytes * 3 / 4);
  std::size_t tail_begin = text.size() - max_bytes / 4;
  while (tail_begin < text.size() && (static_cast<unsigned char>(text[tail_begin]) & 0xC0) == 0x80) ++tail_begin;
  clipped.tail = text.substr(tail_begin);
  clipped.n_chars_omitted = tail_begin - head_end;
  text.resize(head_end);
  clipped.head = std::move(text);
  return clipped;
}

std::size_t count_sample_lines(const std::string& path) {
  auto file = MappedFile::open(path + "/samples.jsonl");
  if (!file.ok()) return 0;
  const std::string_view data(reinterpret_cast<const char*>(file->data()), file->size());
  return static_cast<std::size_t>(std::count(data.begin(), data.end(), '\n'));
}

Result<RunFolder> read_run_folder(const std::string& path, const ReadOptions& options) {
  RunFolder run;
  run.path = path;
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec)) return not_found_error(path + ": not a run folder (no such directory)");
  const std::string run_json = path + "/run.json";
  if (!std::filesystem::exists(run_json, ec)) return not_found_error(run_json + ": missing (is this a run folder?)");
  REVAL_ASSIGN_OR_RETURN(json info, read_json_file(run_json));
  REVAL_RETURN_IF_ERROR(parse_run_info(info, Origin{run_json, 0}, run.info));

  const std::string summary_json = path + "/summary.json";
  if (std::filesystem::exists(summary_json, ec)) {
    REVAL_ASSIGN_OR_RETURN(json summary, read_json_file(summary_json));
    RunSummary parsed;
    REVAL_RETURN_IF_ERROR(parse_summary(summary, Origin{summary_json, 0}, parsed));
    run.summary = std::move(parsed);
  }
  const auto add_problem = [&](const json& row, const Origin& origin) -> Status {
    ProblemRecord problem;
    REVAL_RETURN_IF_ERROR(parse_problem(row, origin, problem));
    run.problems.push_back(std::move(problem));
    return Status::ok_status();
  };
  const auto add_sample = [&](const json& row, const Origin& origin) -> Status {
    SampleRecord sample;
    REVAL_RETURN_IF_ERROR(parse_sample(row, origin, options, sample));
    run.samples.push_back(std::move(sample));
    return Status::ok_status();
  };
  const auto add_grade = [&](const json& row, const Origin& origin) -> Status {
    GradeRecord grade;
    REVAL_RETURN_IF_ERROR(parse_grade(row, origin, grade));
    run.grades.push_back(std::move(grade));
    return Status::ok_status();
  };
  REVAL_RETURN_IF_ERROR(for_each_json_line(path + "/problems.jsonl", run.warnings, add_problem));
  REVAL_RETURN_IF_ERROR(for_each_json_line(path + "/samples.jsonl", run.warnings, add_sample));
  REVAL_RETURN_IF_ERROR(for_each_json_line(path + "/grades.jsonl", run.warnings, add_grade));
  return run;
}

}  // namespace reval::reports
