#include "datasets/field_mapping.h"

#include <algorithm>
#include <vector>

#include "common/strings.h"

namespace reval::datasets {
namespace {

std::string list_fields(const nlohmann::json& row) {
  std::vector<std::string> names;
  for (auto it = row.begin(); it != row.end(); ++it) names.push_back(it.key());
  return names.empty() ? "none" : join(names, ", ");
}

// A scalar cell as text: strings as they are, integers in decimal, other numbers in JSON's
// shortest round-trip form ("0.5", "1e+100").
Result<std::string> cell_to_string(const nlohmann::json& value, const std::string& field) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) {
    return value.is_number_unsigned() ? std::to_string(value.get<std::uint64_t>())
                                      : std::to_string(value.get<std::int64_t>());
  }
  if (value.is_number()) return value.dump();
  return invalid_input_error("field \"" + field + "\" is " + std::string(value.type_name()) +
                             "; expected a string or a number");
}

}  // namespace

const std::vector<std::string>& mapped_field_names() {
  static const std::vector<std::string> names = {"id", "problem", "answer"};
  return names;
}

Result<std::map<std::string, std::string>> parse_field_overrides(std::string_view text) {
  std::map<std::string, std::string> overrides;
  for (const std::string& raw : split(text, ',')) {
    const std::string pair(trim(raw));
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    if (eq == std::string::npos) {
      return usage_error("--fields: \"" + pair + "\" is not FIELD=SOURCE (e.g. problem=question)");
    }
    const std::string field(trim(std::string_view(pair).substr(0, eq)));
    const std::string source(trim(std::string_view(pair).substr(eq + 1)));
    const auto& known = mapped_field_names();
    if (std::find(known.begin(), known.end(), field) == known.end()) {
      std::string message = "--fields: unknown field \"" + field + "\"";
      if (auto hint = closest_match(field, known)) message += " (did you mean \"" + *hint + "\"?)";
      return usage_error(message + "; the fields are id, problem, answer");
    }
    if (overrides.count(field) > 0) return usage_error("--fields: \"" + field + "\" given twice");
    if (field == "problem" && source.empty()) return usage_error("--fields: problem needs a source field");
    overrides[field] = source;
  }
  return overrides;
}

Result<FieldMapping> apply_field_overrides(FieldMapping base, const std::map<std::string, std::string>& overrides) {
  for (const auto& [field, source] : overrides) {
    if (field == "id") {
      base.id = source;
    } else if (field == "problem") {
      base.problem = source;
    } else if (field == "answer") {
      base.answer = source;
    } else {
      return invalid_input_error("unknown field \"" + field + "\" in the field mapping; the fields are id, problem, answer");
    }
  }
  if (base.problem.empty()) return invalid_input_error("the field mapping names no source field for \"problem\"");
  return base;
}

std::string describe_mapping(const FieldMapping& mapping) {
  return "id=" + (mapping.id.empty() ? std::string("(row number)") : mapping.id) + ", problem=" + mapping.problem +
         ", answer=" + (mapping.answer.empty() ? std::string("(none)") : mapping.answer);
}

Result<Problem> row_to_problem(const nlohmann::json& row, const FieldMapping& mapping, const std::string& fallback_id) {
  if (!row.is_object()) {
    return invalid_input_error("row is " + std::string(row.type_name()) + ", expected a JSON object");
  }
  auto take = [&](const std::string& field) -> Result<std::string> {
    auto it = row.find(field);
    if (it == row.end()) {
      return invalid_input_error("missing field \"" + field + "\" (the row has: " + list_fields(row) + ")");
    }
    if (it->is_null()) return invalid_input_error("field \"" + field + "\" is null");
    return cell_to_string(*it, field);
  };

  Problem problem;
  if (mapping.id.empty()) {
    problem.id = fallback_id;
  } else {
    REVAL_ASSIGN_OR_RETURN(problem.id, take(mapping.id));
    if (problem.id.empty()) return invalid_input_error("field \"" + mapping.id + "\" (the id) is empty");
  }
  REVAL_ASSIGN_OR_RETURN(problem.problem, take(mapping.problem));
  if (trim(problem.problem).empty()) {
    return invalid_input_error("field \"" + mapping.problem + "\" (the problem) is empty");
  }
  if (!mapping.answer.empty()) {
    REVAL_ASSIGN_OR_RETURN(problem.answer, take(mapping.answer));
  }
  for (auto it = row.begin(); it != row.end(); ++it) {
    const std::string& key = it.key();
    if (key == mapping.id || key == mapping.problem || key == mapping.answer) continue;
    problem.meta[key] = *it;
  }
  return problem;
}

}  // namespace reval::datasets
