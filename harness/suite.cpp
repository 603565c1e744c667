#include "harness/suite.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "common/files.h"
#include "common/strings.h"

namespace reval::harness {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

Status field_error(const std::string& path, const std::string& field, const std::string& what) {
  return invalid_input_error(path + ": field \"" + field + "\": " + what);
}

Status read_string(const json& object, const char* key, const std::string& prefix, const std::string& path,
                   bool required, std::string* out) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return required ? field_error(path, prefix + key, "missing") : Status::ok_status();
  }
  if (!it->is_string()) return field_error(path, prefix + key, "expected a string");
  *out = it->get<std::string>();
  return Status::ok_status();
}

Status read_sampling(const json& spec, const std::string& path, SuiteSpec* suite) {
  const auto it = spec.find("sampling");
  if (it == spec.end()) return Status::ok_status();
  if (!it->is_object()) return field_error(path, "sampling", "expected an object");
  static const std::vector<std::string> kKnown = {"temperature", "top_p", "top_k", "min_p", "max_tokens", "samples", "stop"};
  for (const auto& [key, value] : it->items()) {
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      const auto hint = closest_match(key, kKnown);
      return field_error(path, "sampling." + key, hint ? "unknown (did you mean \"" + *hint + "\"?)" : "unknown");
    }
    const std::string name = "sampling." + key;
    if (key == "stop") {
      if (!value.is_array()) return field_error(path, name, "expected an array of strings");
      for (const json& stop : value) {
        if (!stop.is_string()) return field_error(path, name, "expected an array of strings");
        suite->sampling.stop.push_back(stop.get<std::string>());
      }
      continue;
    }
    if (!value.is_number()) return field_error(path, name, "expected a number");
    const double number = value.get<double>();
    if (key == "temperature") suite->sampling.temperature = number;
    if (key == "top_p") suite->sampling.top_p = number;
    if (key == "min_p") suite->sampling.min_p = number;
    const bool integral = number == static_cast<double>(static_cast<long long>(number));
    if ((key == "top_k" || key == "max_tokens" || key == "samples") && (!integral || number < 0)) {
      return field_error(path, name, "expected a non-negative integer");
    }
    if (key == "top_k") suite->sampling.top_k = static_cast<int>(number);
    if (key == "max_tokens") suite->sampling.max_tokens = static_cast<int>(number);
    if (key == "samples") suite->samples = static_cast<int>(number);
  }
  if (suite->samples < 1) return field_error(path, "sampling.samples", "must be at least 1");
  if (suite->sampling.max_tokens < 1) return field_error(path, "sampling.max_tokens", "must be at least 1");
  return Status::ok_status();
}

}  // namespace

Result<MetricName> parse_metric(const std::string& name) {
  const std::size_t at = name.find('@');
  const std::string kind = name.substr(0, at);
  if (at == std::string::npos || (kind != "pass" && kind != "cons")) {
    return invalid_input_error("metric \"" + name + "\": expected pass@K or cons@K");
  }
  const auto k = parse_int(name.substr(at + 1));
  if (!k || *k < 1 || *k > 1000000) return invalid_input_error("metric \"" + name + "\": K must be a positive integer");
  return MetricName{kind, static_cast<int>(*k)};
}

Result<SuiteSpec> parse_suite(const json& spec, const std::string& path) {
  if (!spec.is_object()) return invalid_input_error(path + ": expected a JSON object");
  SuiteSpec suite;
  suite.source_path = path;
  REVAL_RETURN_IF_ERROR(read_string(spec, "name", "", path, true, &suite.name));
  REVAL_RETURN_IF_ERROR(read_string(spec, "description", "", path, false, &suite.description));
  REVAL_RETURN_IF_ERROR(read_string(spec, "dataset", "", path, true, &suite.dataset));
  REVAL_RETURN_IF_ERROR(read_string(spec, "grader", "", path, true, &suite.grader));
  const auto prompt = spec.find("prompt");
  if (prompt == spec.end() || !prompt->is_object()) return field_error(path, "prompt", "expected an object with \"user\"");
  REVAL_RETURN_IF_ERROR(read_string(*prompt, "user", "prompt.", path, true, &suite.user_template));
  if (suite.user_template.find("{problem}") == std::string::npos) {
    return field_error(path, "prompt.user", "must contain {problem}");
  }
  std::string system;
  REVAL_RETURN_IF_ERROR(read_string(*prompt, "system", "prompt.", path, false, &system));
  if (!system.empty()) suite.system_prompt = system;
  REVAL_RETURN_IF_ERROR(read_sampling(spec, path, &suite));
  const auto metrics = spec.find("metrics");
  if (metrics == spec.end()) {
    suite.metrics = {"pass@1"};
  } else {
    if (!metrics->is_array()) return field_error(path, "metrics", "expected an array of strings");
    for (const json& metric : *metrics) {
      if (!metric.is_string()) return field_error(path, "metrics", "expected an array of strings");
      const Result<MetricName> parsed = parse_metric(metric.get<std::string>());
      if (!parsed.ok()) return parsed.status().with_context(path);
      suite.metrics.push_back(metric.get<std::string>());
    }
  }
  if (const auto fields = spec.find("fields"); fields != spec.end()) {
    if (!fields->is_object()) return field_error(path, "fields", "expected an object");
    for (const auto& [key, value] : fields->items()) {
      if (!value.is_string()) return field_error(path, "fields." + key, "expected a string");
      suite.fields[key] = value.get<std::string>();
    }
  }
  if (const auto swe = spec.find("swe"); swe != spec.end()) {
    if (!swe->is_object()) return field_error(path, "swe", "expected an object");
    for (const auto& [key, value] : swe->items()) {
      if (key != "repos") return field_error(path, "swe." + key, "unknown (known: \"repos\")");
    }
    REVAL_RETURN_IF_ERROR(read_string(*swe, "repos", "swe.", path, false, &suite.swe_repos));
    if (!suite.swe_repos.empty() && !fs::path(suite.swe_repos).is_absolute()) {
      suite.swe_repos = (fs::path(path).parent_path() / suite.swe_repos).lexically_normal().string();
    }
  }
  // A dataset given as a relative file path is relative to the suite file ("{repos}/..." is relative
  // to the repository folder, resolved when the run knows it).
  if (suite.dataset.find('/') != std::string::npos && !fs::path(suite.dataset).is_absolute() &&
      suite.dataset.rfind("{repos}", 0) != 0) {
    suite.dataset = (fs::path(path).parent_path() / suite.dataset).lexically_normal().string();
  }
  return suite;
}

std::vector<std::string> suite_search_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("REVAL_SUITES_DIR"); env != nullptr && *env != '\0') dirs.push_back(env);
  dirs.push_back("suites");
#ifdef REVAL_SOURCE_SUITES_DIR
  dirs.push_back(REVAL_SOURCE_SUITES_DIR);
#endif
  return dirs;
}

Result<SuiteSpec> load_suite(const std::string& name_or_path) {
  std::error_code ec;
  std::string path;
  if (name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".json")) {
    if (!fs::is_regular_file(name_or_path, ec)) return not_found_error("suite file " + name_or_path + " does not exist");
    path = name_or_path;
  } else {
    std::vector<std::string> known;
    for (const std::string& dir : suite_search_dirs()) {
      const std::string candidate = dir + "/" + name_or_path + ".json";
      if (path.empty() && fs::is_regular_file(candidate, ec)) path = candidate;
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".json") known.push_back(entry.path().stem().string());
      }
    }
    if (path.empty()) {
      std::sort(known.begin(), known.end());
      known.erase(std::unique(known.begin(), known.end()), known.end());
      const auto hint = closest_match(name_or_path, known);
      return not_found_error("unknown suite '" + name_or_path + "'" +
                             (hint ? " (did you mean '" + *hint + "'?)" : "") + "; known: " + join(known, ", "));
    }
  }
  REVAL_ASSIGN_OR_RETURN(std::string text, read_file(path));
  json spec = json::parse(text, nullptr, false);
  if (spec.is_discarded()) return invalid_input_error(path + ": not valid JSON");
  return parse_suite(spec, path);
}

json suite_to_json(const SuiteSpec& suite) {
  return {{"name", suite.name},
          {"dataset", suite.dataset},
          {"grader", suite.grader},
          {"prompt", {{"system", suite.system_prompt ? json(*suite.system_prompt) : json(nullptr)},
                      {"user", suite.user_template}}},
          {"metrics", suite.metrics}};
}

}  // namespace reval::harness
