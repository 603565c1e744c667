// The mapping from a source row's fields to reval's Problem schema (id, problem, answer, meta),
// and the conversion of one parsed row into a Problem.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "datasets/problem.h"

namespace reval::datasets {

// Source field names for reval's fields. An empty `id` numbers the rows instead (prefix + 1-based
// row number); an empty `answer` leaves the answer empty (SWE suites). `problem` is required.
struct FieldMapping {
  std::string id = "id";
  std::string problem = "problem";
  std::string answer = "answer";
};

// The reval field names a mapping may set, in display order.
const std::vector<std::string>& mapped_field_names();

// Parses "problem=question,answer=final" into {reval field -> source field}. "id=" (empty value)
// numbers the rows. Errors (usage): a pair without '=', an unknown reval field (with a hint),
// a field given twice.
Result<std::map<std::string, std::string>> parse_field_overrides(std::string_view text);

// `base` with `overrides` applied; an unknown reval field is an invalid_input error.
Result<FieldMapping> apply_field_overrides(FieldMapping base, const std::map<std::string, std::string>& overrides);

// "id=unique_id, problem=problem, answer=answer" (empty fields shown as "(row number)" / "(none)").
std::string describe_mapping(const FieldMapping& mapping);

// Converts one row (a JSON object) into a Problem: mapped fields become id/problem/answer (integers
// and other numbers are converted to strings), every other field goes to meta. `fallback_id` is used
// when the mapping has no id field. Errors (invalid_input, without location; the caller prefixes
// file and line): not an object, a missing or null field (naming the field and listing the row's
// fields), a field of the wrong type, an empty problem.
Result<Problem> row_to_problem(const nlohmann::json& row, const FieldMapping& mapping, const std::string& fallback_id);

}  // namespace reval::datasets
