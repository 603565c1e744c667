#include "graders/swe/run_spec.h"

#include "common/check.h"
#include "common/strings.h"
#include "graders/swe/embedded_data.h"
#include "graders/swe/patch_files.h"

namespace reval::graders::swe {
namespace {

using nlohmann::json;

// Extensions SWE-bench's get_test_directives drops: data files touched by test_patch are not run.
constexpr std::string_view kNonTestExtensions[] = {".json", ".png", "csv", ".txt", ".md", ".jpg",
                                                   ".jpeg", ".pkl", ".yml", ".yaml", ".toml"};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Applies the fields of `layer` onto `spec`; a null value clears the field.
Status apply_layer(const json& layer, RunSpec& spec) {
  if (!layer.is_object()) return invalid_input_error("expected an object");
  for (auto it = layer.begin(); it != layer.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (key == "test_cmd" || key == "log_parser") {
      if (!value.is_string()) return invalid_input_error(key + ": expected a string");
      (key == "test_cmd" ? spec.test_cmd : spec.log_parser) = value.get<std::string>();
    } else if (key == "directives") {
      if (value == "files") {
        spec.directives = DirectiveStyle::kFiles;
      } else if (value == "django_modules") {
        spec.directives = DirectiveStyle::kDjangoModules;
      } else {
        return invalid_input_error("directives: expected \"files\" or \"django_modules\"");
      }
    } else if (key == "env") {
      spec.env.clear();
      if (value.is_null()) continue;
      if (!value.is_object()) return invalid_input_error("env: expected an object of strings");
      for (auto e = value.begin(); e != value.end(); ++e) {
        if (!e->is_string()) return invalid_input_error("env: " + e.key() + ": expected a string");
        spec.env[e.key()] = e->get<std::string>();
      }
    } else if (key == "install") {
      spec.install.clear();
      if (value.is_null()) continue;
      if (!value.is_array()) return invalid_input_error("install: expected a list of strings");
      for (const json& step : value) {
        if (!step.is_string()) return invalid_input_error("install: expected a list of strings");
        spec.install.push_back(step.get<std::string>());
      }
    } else {
      return invalid_input_error(key + ": unknown field");
    }
  }
  return Status::ok_status();
}

bool needs_quoting(std::string_view word) {
  if (word.empty()) return true;
  for (char c : word) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("_-./:=+,@%[]").find(c) != std::string_view::npos;
    if (!safe) return true;
  }
  return false;
}

std::string shell_quote(std::string_view word) {
  if (!needs_quoting(word)) return std::string(word);
  return "'" + replace_all(std::string(word), "'", "'\\''") + "'";
}

}  // namespace

Result<SpecTable> SpecTable::parse(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return invalid_input_error("run specs: not a JSON object");
  if (!doc.contains("repos") || !doc["repos"].is_object()) return invalid_input_error("run specs: repos: missing");
  SpecTable table;
  for (auto it = doc["repos"].begin(); it != doc["repos"].end(); ++it) {
    const std::string& repo = it.key();
    const json& entry = it.value();
    if (!entry.is_object() || !entry.contains("default") || !entry.contains("versions") ||
        !entry["versions"].is_object()) {
      return invalid_input_error("run specs: " + repo + ": expected {\"default\": {...}, \"versions\": {...}}");
    }
    RepoEntry repo_entry;
    repo_entry.defaults = entry["default"];
    RunSpec check;
    Status s = apply_layer(repo_entry.defaults, check);
    if (!s.ok()) return s.with_context("run specs: " + repo + ": default");
    for (auto v = entry["versions"].begin(); v != entry["versions"].end(); ++v) {
      RunSpec merged = check;
      s = apply_layer(v.value(), merged);
      if (!s.ok()) return s.with_context("run specs: " + repo + ": " + v.key());
      repo_entry.versions[v.key()] = v.value();
    }
    table.repos_[repo] = std::move(repo_entry);
  }
  return table;
}

const SpecTable& SpecTable::builtin() {
  static const SpecTable table = [] {
    Result<SpecTable> parsed = SpecTable::parse(embedded_run_specs_json());
    REVAL_CHECK(parsed.ok() && "graders/swe/data/run_specs.json is malformed");
    return std::move(parsed).value();
  }();
  return table;
}

std::vector<std::string> SpecTable::repos() const {
  std::vector<std::string> names;
  for (const auto& entry : repos_) names.push_back(entry.first);
  return names;
}

Result<RunSpec> SpecTable::lookup(const std::string& repo, const std::string& version) const {
  auto it = repos_.find(repo);
  if (it == repos_.end()) return not_found_error("no run spec for repository " + repo);
  auto v = it->second.versions.find(version);
  if (v == it->second.versions.end()) {
    std::vector<std::string> known;
    for (const auto& entry : it->second.versions) known.push_back(entry.first);
    return not_found_error("no run spec for " + repo + " version '" + version + "' (known: " + join(known, ", ") +
                           ")");
  }
  RunSpec spec;
  REVAL_RETURN_IF_ERROR(apply_layer(it->second.defaults, spec));
  REVAL_RETURN_IF_ERROR(apply_layer(v->second, spec));
  return spec;
}

Result<RunSpec> resolve_run_spec(const SweInstance& instance, const SpecTable& table) {
  RunSpec spec;
  Result<RunSpec> from_table = table.lookup(instance.repo, instance.version);
  bool overridden = instance.test_cmd.has_value() && instance.log_parser.has_value();
  if (from_table.ok()) {
    spec = std::move(from_table).value();
  } else if (!overridden) {
    return from_table.status().with_context(instance.instance_id);
  }
  if (instance.test_cmd) spec.test_cmd = *instance.test_cmd;
  if (instance.log_parser) spec.log_parser = *instance.log_parser;
  if (spec.test_cmd.empty()) return invalid_input_error(instance.instance_id + ": run spec has no test_cmd");
  return spec;
}

std::vector<std::string> test_directives(const SweInstance& instance, const RunSpec& spec) {
  if (instance.test_directives) return *instance.test_directives;
  std::vector<std::string> directives;
  for (const PatchFile& file : patch_files(instance.test_patch)) {
    const std::string& path = file.path();
    bool data_file = false;
    for (std::string_view ext : kNonTestExtensions) data_file = data_file || ends_with(path, ext);
    if (data_file) continue;
    if (spec.directives == DirectiveStyle::kDjangoModules) {
      std::string module = ends_with(path, ".py") ? path.substr(0, path.size() - 3) : path;
      if (module.rfind("tests/", 0) == 0) module = module.substr(6);
      directives.push_back(replace_all(module, "/", "."));
    } else {
      directives.push_back(path);
    }
  }
  return directives;
}

std::string full_test_command(const RunSpec& spec, const std::vector<std::string>& directives) {
  std::string command = spec.test_cmd;
  for (const std::string& d : directives) command += " " + shell_quote(d);
  return command;
}

}  // namespace reval::graders::swe
