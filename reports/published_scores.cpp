// Parses the published reference score registry (nlohmann adapter; exceptions stay in this file).
#include "reports/published_scores.h"

#include <cctype>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "reports/internal/embedded_files.h"

namespace reval::reports {
namespace {

using nlohmann::json;

Result<std::string> string_field(const json& object, const char* key, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return invalid_input_error(where + ": field '" + key + "' must be a string");
  }
  return it->get<std::string>();
}

Result<std::vector<std::string>> normalized_aliases(const json& object, const std::string& name,
                                                    const std::string& where) {
  std::vector<std::string> aliases = {normalize_model_key(name)};
  auto it = object.find("aliases");
  if (it == object.end()) return aliases;
  if (!it->is_array()) return invalid_input_error(where + ": field 'aliases' must be a list of strings");
  for (const json& alias : *it) {
    if (!alias.is_string()) return invalid_input_error(where + ": field 'aliases' must be a list of strings");
    aliases.push_back(normalize_model_key(alias.get<std::string>()));
  }
  return aliases;
}

}  // namespace

std::string normalize_model_key(const std::string& text) {
  std::string key;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

Result<PublishedScores> PublishedScores::parse(const std::string& json_text, const std::string& origin) {
  const json root = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return invalid_input_error(origin + ": not a JSON object");
  PublishedScores registry;
  const json sources = root.value("sources", json::object());
  // Named locals: iterating items() of a temporary would dangle.
  const json suites = root.value("suites", json::object());
  const json models = root.value("models", json::object());
  for (const auto& [name, suite] : suites.items()) {
    if (!suite.is_object()) return invalid_input_error(origin + ": suites." + name + ": must be an object");
    REVAL_ASSIGN_OR_RETURN(auto aliases, normalized_aliases(suite, name, origin + ": suites." + name));
    registry.suites_.push_back({name, std::move(aliases)});
  }
  for (const auto& [name, model] : models.items()) {
    const std::string where = origin + ": models." + name;
    if (!model.is_object()) return invalid_input_error(where + ": must be an object");
    REVAL_ASSIGN_OR_RETURN(auto aliases, normalized_aliases(model, name, where));
    registry.models_.push_back({name, std::move(aliases)});
    const json scores = model.value("scores", json::array());
    for (const json& score : scores) {
      if (!score.is_object()) return invalid_input_error(where + ": each score must be an object");
      PublishedScore entry;
      entry.model = name;
      REVAL_ASSIGN_OR_RETURN(entry.suite, string_field(score, "suite", where));
      REVAL_ASSIGN_OR_RETURN(entry.metric, string_field(score, "metric", where));
      REVAL_ASSIGN_OR_RETURN(std::string source_key, string_field(score, "source", where));
      auto value = score.find("value");
      if (value == score.end() || !value->is_number()) {
        return invalid_input_error(where + ": field 'value' must be a number (a percentage)");
      }
      entry.value = value->get<double>() / 100.0;  // the registry keeps percentages as published
      auto source = sources.find(source_key);
      if (source == sources.end() || !source->is_object()) {
        return invalid_input_error(where + ": source '" + source_key + "' is not listed under 'sources'");
      }
      entry.source = source->value("title", source_key);
      entry.url = source->value("url", "");
      entry.note = score.value("note", source->value("protocol", ""));
      registry.scores_.push_back(std::move(entry));
    }
  }
  return registry;
}

const PublishedScores& PublishedScores::builtin() {
  static const PublishedScores registry = [] {
    auto parsed = parse(std::string(internal::kPublishedScoresJson, internal::kPublishedScoresJson_size),
                        "reports/published_scores.json");
    // The embedded file is ours and checked by a unit test; a parse failure is a build defect.
    REVAL_CHECK(parsed.ok());
    return std::move(parsed).value();
  }();
  return registry;
}

std::vector<PublishedScore> PublishedScores::find(const std::string& model_name, const std::string& model_file,
                                                  const std::string& suite) const {
  // The model: an exact alias of the API/model name, else the longest alias that starts the GGUF file
  // name ("DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf"), so R1 never claims its distilled models' files.
  const std::string name_key = normalize_model_key(model_name);
  const std::string file_key = normalize_model_key(std::filesystem::path(model_file).filename().string());
  const ModelEntry* best = nullptr;
  std::size_t best_length = 0;
  for (const ModelEntry& model : models_) {
    for (const std::string& alias : model.aliases) {
      if (alias.empty()) continue;
      const bool exact = alias == name_key;
      const bool file_prefix = !file_key.empty() && file_key.rfind(alias, 0) == 0;
      const std::size_t length = exact ? SIZE_MAX : alias.size();
      if ((exact || file_prefix) && length > best_length) {
        best = &model;
        best_length = length;
      }
    }
  }
  if (best == nullptr) return {};
  const std::string suite_key = normalize_model_key(suite);
  const SuiteEntry* suite_entry = nullptr;
  for (const SuiteEntry& entry : suites_) {
    for (const std::string& alias : entry.aliases) {
      if (alias == suite_key) suite_entry = &entry;
    }
  }
  if (suite_entry == nullptr) return {};
  std::vector<PublishedScore> found;
  for (const PublishedScore& score : scores_) {
    if (score.model == best->name && score.suite == suite_entry->name) found.push_back(score);
  }
  return found;
}

}  // namespace reval::reports
