#include "datasets/registry.h"

#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "common/files.h"
#include "common/strings.h"
#include "datasets/embedded.h"

namespace reval::datasets {
namespace {

using nlohmann::json;

// The keys each object may have; anything else is reported, since a typo in the registry would
// otherwise be silently ignored.
Status check_keys(const json& object, const std::set<std::string>& allowed, const std::string& where) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (allowed.count(it.key()) == 0) {
      std::vector<std::string> candidates(allowed.begin(), allowed.end());
      std::string message = where + ": unknown key \"" + it.key() + "\"";
      if (auto hint = closest_match(it.key(), candidates)) message += " (did you mean \"" + *hint + "\"?)";
      return invalid_input_error(message);
    }
  }
  return Status::ok_status();
}

Result<std::string> get_string(const json& object, const std::string& key, const std::string& where, bool required) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    if (required) return invalid_input_error(where + ": missing \"" + key + "\"");
    return std::string();
  }
  if (!it->is_string()) return invalid_input_error(where + ": \"" + key + "\" must be a string");
  return it->get<std::string>();
}

bool is_sha256_hex(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<SourceKind> parse_kind(const std::string& name, const std::string& where) {
  if (name == "hf_file") return SourceKind::kHfFile;
  if (name == "hf_rows") return SourceKind::kHfRows;
  if (name == "bundled") return SourceKind::kBundled;
  return invalid_input_error(where + ": unknown source kind \"" + name + "\" (expected hf_file, hf_rows or bundled)");
}

Result<SourcePart> parse_part(const json& object, SourceKind kind, const std::string& where) {
  if (!object.is_object()) return invalid_input_error(where + ": must be an object");
  REVAL_RETURN_IF_ERROR(check_keys(object, {"path", "config", "split", "sha256", "rows", "id_prefix"}, where));
  SourcePart part;
  const bool rows_api = kind == SourceKind::kHfRows;
  REVAL_ASSIGN_OR_RETURN(part.path, get_string(object, "path", where, !rows_api));
  REVAL_ASSIGN_OR_RETURN(part.config, get_string(object, "config", where, rows_api));
  REVAL_ASSIGN_OR_RETURN(part.split, get_string(object, "split", where, rows_api));
  REVAL_ASSIGN_OR_RETURN(part.sha256, get_string(object, "sha256", where, false));
  REVAL_ASSIGN_OR_RETURN(part.id_prefix, get_string(object, "id_prefix", where, false));
  part.sha256 = to_lower(part.sha256);
  if (!part.sha256.empty() && !is_sha256_hex(part.sha256)) {
    return invalid_input_error(where + ": \"sha256\" must be 64 hex digits");
  }
  if (part.path.find("..") != std::string::npos || (!part.path.empty() && part.path[0] == '/')) {
    return invalid_input_error(where + ": \"path\" must be relative and must not contain \"..\"");
  }
  if (auto it = object.find("rows"); it != object.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<std::int64_t>() < 0) {
      return invalid_input_error(where + ": \"rows\" must be a non-negative integer");
    }
    part.rows = it->get<std::int64_t>();
  }
  return part;
}

Result<DatasetSource> parse_source(const json& object, const std::string& where) {
  if (!object.is_object()) return invalid_input_error(where + ": must be an object");
  REVAL_RETURN_IF_ERROR(check_keys(object, {"kind", "repo", "revision", "page_size", "parts"}, where));
  DatasetSource source;
  REVAL_ASSIGN_OR_RETURN(const std::string kind_name, get_string(object, "kind", where, true));
  REVAL_ASSIGN_OR_RETURN(source.kind, parse_kind(kind_name, where));
  REVAL_ASSIGN_OR_RETURN(source.repo, get_string(object, "repo", where, source.kind != SourceKind::kBundled));
  REVAL_ASSIGN_OR_RETURN(std::string revision, get_string(object, "revision", where, false));
  if (!revision.empty()) source.revision = revision;
  if (auto it = object.find("page_size"); it != object.end()) {
    if (!it->is_number_integer() || it->get<int>() < 1 || it->get<int>() > 100) {
      return invalid_input_error(where + ": \"page_size\" must be an integer from 1 to 100");
    }
    source.page_size = it->get<int>();
  }
  auto parts = object.find("parts");
  if (parts == object.end() || !parts->is_array() || parts->empty()) {
    return invalid_input_error(where + ": \"parts\" must be a non-empty array");
  }
  std::set<std::string> cache_names;
  for (std::size_t i = 0; i < parts->size(); ++i) {
    REVAL_ASSIGN_OR_RETURN(SourcePart part,
                           parse_part((*parts)[i], source.kind, where + ".parts[" + std::to_string(i) + "]"));
    if (!cache_names.insert(part.cache_file_name()).second) {
      return invalid_input_error(where + ".parts[" + std::to_string(i) + "]: two parts share the cache file \"" +
                                 part.cache_file_name() + "\"");
    }
    source.parts.push_back(std::move(part));
  }
  return source;
}

Result<FieldMapping> parse_fields(const json& object, const std::string& where) {
  if (!object.is_object()) return invalid_input_error(where + ": must be an object");
  REVAL_RETURN_IF_ERROR(check_keys(object, {"id", "problem", "answer"}, where));
  FieldMapping mapping;
  REVAL_ASSIGN_OR_RETURN(mapping.id, get_string(object, "id", where, false));
  REVAL_ASSIGN_OR_RETURN(mapping.problem, get_string(object, "problem", where, true));
  REVAL_ASSIGN_OR_RETURN(mapping.answer, get_string(object, "answer", where, false));
  return mapping;
}

bool is_valid_id(const std::string& id) {
  if (id.empty()) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return id.find("..") == std::string::npos;
}

Result<DatasetSpec> parse_dataset(const json& object, const std::string& where_in) {
  if (!object.is_object()) return invalid_input_error(where_in + ": must be an object");
  REVAL_ASSIGN_OR_RETURN(const std::string id, get_string(object, "id", where_in, true));
  const std::string where = where_in + " (" + id + ")";
  if (!is_valid_id(id)) return invalid_input_error(where + ": ids use only a-z, 0-9, '-', '_' and '.'");
  REVAL_RETURN_IF_ERROR(check_keys(
      object, {"id", "description", "license", "homepage", "notes", "fields", "source"}, where));
  DatasetSpec spec;
  spec.id = id;
  REVAL_ASSIGN_OR_RETURN(spec.description, get_string(object, "description", where, true));
  REVAL_ASSIGN_OR_RETURN(spec.license, get_string(object, "license", where, true));
  REVAL_ASSIGN_OR_RETURN(spec.homepage, get_string(object, "homepage", where, false));
  REVAL_ASSIGN_OR_RETURN(spec.notes, get_string(object, "notes", where, false));
  auto fields = object.find("fields");
  if (fields == object.end()) return invalid_input_error(where + ": missing \"fields\"");
  REVAL_ASSIGN_OR_RETURN(spec.fields, parse_fields(*fields, where + ".fields"));
  auto source = object.find("source");
  if (source == object.end()) return invalid_input_error(where + ": missing \"source\"");
  REVAL_ASSIGN_OR_RETURN(spec.source, parse_source(*source, where + ".source"));
  return spec;
}

}  // namespace

std::string_view source_kind_name(SourceKind kind) {
  switch (kind) {
    case SourceKind::kHfFile: return "hf_file";
    case SourceKind::kHfRows: return "hf_rows";
    case SourceKind::kBundled: return "bundled";
  }
  return "?";
}

std::string SourcePart::cache_file_name() const {
  if (!path.empty()) {
    // Flatten sub-folders ("data/train.jsonl" -> "data--train.jsonl") so each dataset is one folder.
    return replace_all(path, "/", "--");
  }
  return config + "-" + split + ".jsonl";
}

std::int64_t DatasetSpec::expected_rows() const {
  std::int64_t total = 0;
  for (const SourcePart& part : source.parts) {
    if (part.rows < 0) return -1;
    total += part.rows;
  }
  return total;
}

std::string DatasetSpec::source_summary() const {
  std::vector<std::string> parts;
  for (const SourcePart& part : source.parts) {
    parts.push_back(part.path.empty() ? part.config + "/" + part.split : part.path);
  }
  std::string summary(source_kind_name(source.kind));
  if (!source.repo.empty()) summary += " " + source.repo;
  return summary + " " + join(parts, "+");
}

Result<Registry> Registry::parse(std::string_view json_text, const std::string& origin) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::exception& e) {
    return invalid_input_error(origin + ": not valid JSON: " + e.what());
  }
  if (!document.is_object()) return invalid_input_error(origin + ": must be a JSON object");
  REVAL_RETURN_IF_ERROR(check_keys(document, {"format", "datasets"}, origin));
  auto format = document.find("format");
  if (format == document.end() || !format->is_number_integer() || format->get<int>() != 1) {
    return invalid_input_error(origin + ": \"format\" must be 1");
  }
  auto list = document.find("datasets");
  if (list == document.end() || !list->is_array()) {
    return invalid_input_error(origin + ": \"datasets\" must be an array");
  }
  Registry registry;
  registry.origin_ = origin;
  for (std::size_t i = 0; i < list->size(); ++i) {
    REVAL_ASSIGN_OR_RETURN(DatasetSpec spec,
                           parse_dataset((*list)[i], origin + ": datasets[" + std::to_string(i) + "]"));
    if (registry.find(spec.id) != nullptr) {
      return invalid_input_error(origin + ": dataset id \"" + spec.id + "\" appears twice");
    }
    registry.datasets_.push_back(std::move(spec));
  }
  return registry;
}

Result<Registry> Registry::load_default() {
  const char* override_path = std::getenv("REVAL_REGISTRY");
  if (override_path != nullptr && override_path[0] != '\0') {
    REVAL_ASSIGN_OR_RETURN(const std::string text, read_file(override_path));
    return parse(text, override_path);
  }
  const EmbeddedFile* embedded = find_embedded_file("registry.json");
  if (embedded == nullptr) return internal_error("the built-in registry.json is missing from the build");
  return parse(embedded->contents, "datasets/registry.json (built in)");
}

std::vector<std::string> Registry::ids() const {
  std::vector<std::string> ids;
  for (const DatasetSpec& spec : datasets_) ids.push_back(spec.id);
  return ids;
}

const DatasetSpec* Registry::find(std::string_view id) const {
  for (const DatasetSpec& spec : datasets_) {
    if (spec.id == id) return &spec;
  }
  return nullptr;
}

Result<const DatasetSpec*> Registry::lookup(std::string_view id) const {
  if (const DatasetSpec* spec = find(id)) return spec;
  std::string message = "unknown dataset '" + std::string(id) + "'";
  if (auto hint = closest_match(id, ids())) message += " (did you mean '" + *hint + "'?)";
  return not_found_error(message + "; known datasets: " + join(ids(), ", "));
}

}  // namespace reval::datasets
