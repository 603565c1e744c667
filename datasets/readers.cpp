#include "datasets/readers.h"

#include <unordered_map>

#include <nlohmann/json.hpp>

#include "common/files.h"
#include "common/strings.h"
#include "datasets/gzip.h"

namespace reval::datasets {
namespace {

using nlohmann::json;

// Checks ids are unique across everything loaded so far (they key the run store).
class IdIndex {
 public:
  explicit IdIndex(const std::vector<Problem>& existing) {
    for (const Problem& problem : existing) where_.emplace(problem.id, "an earlier file");
  }
  // An error when `id` was seen before; records it otherwise.
  Status add(const std::string& id, const std::string& where) {
    auto [it, inserted] = where_.emplace(id, where);
    if (!inserted) return invalid_input_error("duplicate id \"" + id + "\" (first seen at " + it->second + ")");
    return Status::ok_status();
  }

 private:
  std::unordered_map<std::string, std::string> where_;
};

std::string_view strip_utf8_bom(std::string_view text) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  return text;
}

// Handles one bad row: an error, or a counted skip when skip_bad_rows is set.
Status reject_row(const Status& error, const ParseOptions& options, ParseStats* stats) {
  if (!options.skip_bad_rows) return error;
  if (stats->n_skipped == 0) stats->first_skip_reason = error.message();
  ++stats->n_skipped;
  return Status::ok_status();
}

// Maps one parsed row and appends it; `where` is "file:12" or "file: row 3".
Status add_row(const json& row, const std::string& where, std::size_t row_number, const ParseOptions& options,
               IdIndex* ids, std::vector<Problem>* out, ParseStats* stats) {
  auto problem = row_to_problem(row, options.mapping, options.id_prefix + std::to_string(row_number));
  if (!problem.ok()) return reject_row(problem.status().with_context(where), options, stats);
  Status unique = ids->add(problem->id, where);
  if (!unique.ok()) return reject_row(unique.with_context(where), options, stats);
  out->push_back(std::move(problem).value());
  ++stats->n_rows;
  return Status::ok_status();
}

Status parse_jsonl(std::string_view text, const ParseOptions& options, IdIndex* ids, std::vector<Problem>* out,
                   ParseStats* stats) {
  std::size_t line_number = 0;
  std::size_t row_number = 0;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = trim(text.substr(at, end - at));
    at = end + 1;
    ++line_number;
    if (line.empty()) continue;
    ++row_number;
    const std::string where = options.label + ":" + std::to_string(line_number);
    json row;
    try {
      row = json::parse(line);
    } catch (const json::exception& e) {
      // nlohmann's message starts "[json.exception.parse_error.101] parse error at line 1, column 7: ...".
      std::string detail = e.what();
      if (const std::size_t colon = detail.find("column"); colon != std::string::npos) detail = detail.substr(colon);
      REVAL_RETURN_IF_ERROR(reject_row(invalid_input_error(where + ": malformed JSON (" + detail + ")"), options, stats));
      continue;
    }
    REVAL_RETURN_IF_ERROR(add_row(row, where, row_number, options, ids, out, stats));
  }
  return Status::ok_status();
}

Status parse_json_array(std::string_view text, const ParseOptions& options, IdIndex* ids,
                        std::vector<Problem>* out, ParseStats* stats) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    std::string detail = e.what();
    if (const std::size_t at = detail.find("line "); at != std::string::npos) detail = detail.substr(at);
    return invalid_input_error(options.label + ": malformed JSON (" + detail + ")");
  }
  if (!document.is_array()) return invalid_input_error(options.label + ": expected a JSON array of rows");
  for (std::size_t i = 0; i < document.size(); ++i) {
    const std::string where = options.label + ": row " + std::to_string(i + 1);
    REVAL_RETURN_IF_ERROR(add_row(document[i], where, i + 1, options, ids, out, stats));
  }
  return Status::ok_status();
}

}  // namespace

TextFormat detect_text_format(std::string_view text) {
  const std::string_view body = trim(strip_utf8_bom(text));
  return (!body.empty() && body.front() == '[') ? TextFormat::kJsonArray : TextFormat::kJsonl;
}

Status parse_problems(std::string_view text, const ParseOptions& options, std::vector<Problem>* out,
                      ParseStats* stats) {
  ParseStats local_stats;
  if (stats == nullptr) stats = &local_stats;
  text = strip_utf8_bom(text);
  IdIndex ids(*out);
  if (detect_text_format(text) == TextFormat::kJsonArray) return parse_json_array(text, options, &ids, out, stats);
  return parse_jsonl(text, options, &ids, out, stats);
}

Result<std::string> read_dataset_text(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(std::string data, read_file(path));
  if (looks_gzipped(data)) return gunzip(data, path);
  return data;
}

Status load_problems_from_file(const std::string& path, const ParseOptions& options, std::vector<Problem>* out,
                               ParseStats* stats) {
  REVAL_ASSIGN_OR_RETURN(const std::string text, read_dataset_text(path));
  return parse_problems(text, options, out, stats);
}

}  // namespace reval::datasets

