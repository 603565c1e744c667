#include "graders/swe/instance.h"

#include <zlib.h>

#include <set>

#include "common/files.h"
#include "common/strings.h"

namespace reval::graders::swe {
namespace {

using nlohmann::json;

// Fields read into SweInstance members; everything else goes to `extra`.
const std::set<std::string>& known_fields() {
  static const std::set<std::string> fields = {
      "instance_id", "repo",       "base_commit", "patch",     "test_patch",   "problem_statement",
      "hints_text",  "version",    "environment_setup_commit", "created_at",   "FAIL_TO_PASS",
      "PASS_TO_PASS", "test_cmd",  "log_parser",  "test_directives", "bundle_ref"};
  return fields;
}

Status read_string(const json& row, const char* field, bool required, std::string& out) {
  auto it = row.find(field);
  if (it == row.end() || it->is_null()) {
    if (required) return invalid_input_error(std::string(field) + ": missing");
    return Status::ok_status();
  }
  if (it->is_number() && std::string_view(field) == "version") {  // 3.0 appears as a number in some exports
    out = it->dump();
    return Status::ok_status();
  }
  if (!it->is_string()) return invalid_input_error(std::string(field) + ": expected a string");
  out = it->get<std::string>();
  return Status::ok_status();
}

// FAIL_TO_PASS / PASS_TO_PASS: a JSON-encoded string holding a list (HF datasets) or a plain list.
Status read_test_list(const json& row, const char* field, std::vector<std::string>& out) {
  auto it = row.find(field);
  if (it == row.end() || it->is_null()) return invalid_input_error(std::string(field) + ": missing");
  json list = *it;
  if (list.is_string()) {
    list = json::parse(it->get<std::string>(), nullptr, /*allow_exceptions=*/false);
    if (list.is_discarded()) return invalid_input_error(std::string(field) + ": not a JSON-encoded list");
  }
  if (!list.is_array()) return invalid_input_error(std::string(field) + ": expected a list of test ids");
  for (const json& item : list) {
    if (!item.is_string()) return invalid_input_error(std::string(field) + ": test ids must be strings");
    out.push_back(item.get<std::string>());
  }
  return Status::ok_status();
}

Result<std::vector<std::string>> read_string_list(const json& value, const char* field) {
  std::vector<std::string> out;
  if (!value.is_array()) return invalid_input_error(std::string(field) + ": expected a list of strings");
  for (const json& item : value) {
    if (!item.is_string()) return invalid_input_error(std::string(field) + ": expected a list of strings");
    out.push_back(item.get<std::string>());
  }
  return out;
}

// Splits a JSONL text into parsed rows, with 1-based line numbers for errors.
Result<std::vector<std::pair<std::size_t, json>>> parse_rows(const std::string& path, const std::string& text) {
  std::vector<std::pair<std::size_t, json>> rows;
  std::string_view body = trim(text);
  if (!body.empty() && body.front() == '[') {
    json array = json::parse(body, nullptr, false);
    if (array.is_discarded() || !array.is_array()) return invalid_input_error(path + ": not a JSON array");
    for (std::size_t i = 0; i < array.size(); ++i) rows.emplace_back(i + 1, std::move(array[i]));
    return rows;
  }
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    ++line_no;
    std::string_view line = trim(std::string_view(text).substr(pos, end - pos));
    pos = end + 1;
    if (line.empty()) continue;
    json row = json::parse(line, nullptr, false);
    if (row.is_discarded() || !row.is_object()) {
      return invalid_input_error(path + ":" + std::to_string(line_no) + ": not a JSON object");
    }
    rows.emplace_back(line_no, std::move(row));
  }
  return rows;
}

}  // namespace

Result<SweInstance> parse_instance(const json& row) {
  SweInstance inst;
  REVAL_RETURN_IF_ERROR(read_string(row, "instance_id", true, inst.instance_id));
  if (inst.instance_id.empty()) return invalid_input_error("instance_id: empty");
  auto context = [&](const Status& s) { return s.with_context(inst.instance_id); };
  Status s;
  if (!(s = read_string(row, "repo", true, inst.repo)).ok()) return context(s);
  if (!(s = read_string(row, "base_commit", true, inst.base_commit)).ok()) return context(s);
  if (!(s = read_string(row, "patch", false, inst.patch)).ok()) return context(s);
  if (!(s = read_string(row, "test_patch", true, inst.test_patch)).ok()) return context(s);
  if (!(s = read_string(row, "problem_statement", false, inst.problem_statement)).ok()) return context(s);
  if (!(s = read_string(row, "hints_text", false, inst.hints_text)).ok()) return context(s);
  if (!(s = read_string(row, "version", false, inst.version)).ok()) return context(s);
  if (!(s = read_string(row, "environment_setup_commit", false, inst.environment_setup_commit)).ok()) {
    return context(s);
  }
  if (!(s = read_string(row, "created_at", false, inst.created_at)).ok()) return context(s);
  if (!(s = read_test_list(row, "FAIL_TO_PASS", inst.fail_to_pass)).ok()) return context(s);
  if (!(s = read_test_list(row, "PASS_TO_PASS", inst.pass_to_pass)).ok()) return context(s);
  std::string value;
  if (row.contains("test_cmd") && !row["test_cmd"].is_null()) {
    if (!(s = read_string(row, "test_cmd", true, value)).ok()) return context(s);
    inst.test_cmd = value;
  }
  if (row.contains("log_parser") && !row["log_parser"].is_null()) {
    if (!(s = read_string(row, "log_parser", true, value)).ok()) return context(s);
    inst.log_parser = value;
  }
  if (row.contains("bundle_ref") && !row["bundle_ref"].is_null()) {
    if (!(s = read_string(row, "bundle_ref", true, value)).ok()) return context(s);
    inst.bundle_ref = value;
  }
  if (row.contains("test_directives") && !row["test_directives"].is_null()) {
    Result<std::vector<std::string>> directives = read_string_list(row["test_directives"], "test_directives");
    if (!directives.ok()) return context(directives.status());
    inst.test_directives = std::move(directives).value();
  }
  if (inst.repo.find('/') == std::string::npos) return context(invalid_input_error("repo: expected owner/name"));
  for (auto it = row.begin(); it != row.end(); ++it) {
    if (known_fields().count(it.key()) == 0) inst.extra[it.key()] = it.value();
  }
  return inst;
}

Result<std::string> read_maybe_gzip(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(std::string raw, read_file(path));
  if (raw.size() < 2 || static_cast<unsigned char>(raw[0]) != 0x1f || static_cast<unsigned char>(raw[1]) != 0x8b) {
    return raw;
  }
  z_stream stream{};
  // 16 + MAX_WBITS: expect a gzip header (and accept concatenated members via the loop below).
  if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) return internal_error(path + ": zlib init failed");
  std::string out;
  stream.next_in = reinterpret_cast<Bytef*>(raw.data());
  stream.avail_in = static_cast<uInt>(raw.size());
  char buffer[1 << 16];
  int rc = Z_OK;
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    rc = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (rc == Z_STREAM_END) {
      if (stream.avail_in == 0) break;
      inflateReset(&stream);
      continue;
    }
    if (rc != Z_OK) break;
  }
  inflateEnd(&stream);
  if (rc != Z_STREAM_END) return invalid_input_error(path + ": corrupt or truncated gzip data");
  return out;
}

Result<std::vector<SweInstance>> load_instances(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(std::string text, read_maybe_gzip(path));
  REVAL_ASSIGN_OR_RETURN(auto rows, parse_rows(path, text));
  std::vector<SweInstance> instances;
  std::set<std::string> seen;
  for (auto& [line_no, row] : rows) {
    Result<SweInstance> inst = parse_instance(row);
    if (!inst.ok()) return inst.status().with_context(path + ":" + std::to_string(line_no));
    if (!seen.insert(inst->instance_id).second) {
      return invalid_input_error(path + ":" + std::to_string(line_no) + ": duplicate instance_id " +
                                 inst->instance_id);
    }
    instances.push_back(std::move(inst).value());
  }
  if (instances.empty()) return invalid_input_error(path + ": no instances");
  return instances;
}

Result<std::map<std::string, Prediction>> load_predictions(const std::string& path) {
  REVAL_ASSIGN_OR_RETURN(std::string text, read_maybe_gzip(path));
  std::vector<std::pair<std::size_t, json>> rows;
  std::string_view body = trim(text);
  if (!body.empty() && body.front() == '{' && body.find('\n') == std::string_view::npos) {
    // A single JSON object keyed by instance_id (SWE-bench accepts this form too).
    json object = json::parse(body, nullptr, false);
    if (!object.is_discarded() && object.is_object() && !object.contains("instance_id")) {
      std::size_t i = 0;
      for (auto it = object.begin(); it != object.end(); ++it) rows.emplace_back(++i, it.value());
    }
  }
  if (rows.empty()) {
    REVAL_ASSIGN_OR_RETURN(rows, parse_rows(path, text));
  }
  std::map<std::string, Prediction> predictions;
  for (const auto& [line_no, row] : rows) {
    std::string where = path + ":" + std::to_string(line_no);
    if (!row.is_object()) return invalid_input_error(where + ": not a JSON object");
    Prediction p;
    Status s = read_string(row, "instance_id", true, p.instance_id);
    if (s.ok()) s = read_string(row, "model_name_or_path", false, p.model_name_or_path);
    if (!s.ok()) return s.with_context(where);
    auto patch = row.find("model_patch");
    if (patch == row.end() || patch->is_null()) {
      p.patch_is_none = true;
    } else if (!patch->is_string()) {
      return invalid_input_error(where + ": model_patch: expected a string or null");
    } else {
      p.model_patch = patch->get<std::string>();
    }
    if (!predictions.emplace(p.instance_id, p).second) {
      return invalid_input_error(where + ": duplicate prediction for " + p.instance_id);
    }
  }
  return predictions;
}

std::map<std::string, Prediction> builtin_predictions(const std::vector<SweInstance>& instances,
                                                      const std::string& kind) {
  std::map<std::string, Prediction> out;
  for (const SweInstance& inst : instances) {
    Prediction p;
    p.instance_id = inst.instance_id;
    p.model_name_or_path = kind;
    p.model_patch = kind == "gold" ? inst.patch : "";
    out.emplace(inst.instance_id, std::move(p));
  }
  return out;
}

}  // namespace reval::graders::swe
