#include "harness/sample_record.h"

#include <filesystem>
#include <map>
#include <utility>

#include "common/files.h"

namespace reval::harness {
namespace {

using nlohmann::json;

}  // namespace

json completion_to_json(const Completion& c) {
  json line;
  line["problem_id"] = c.problem_id;
  line["sample"] = c.sample;
  line["text"] = c.text;
  line["reasoning"] = c.reasoning;
  line["reasoning_open"] = c.reasoning_open;
  line["finish_reason"] = c.finish_reason;
  line["prompt_tokens"] = c.prompt_tokens;
  line["completion_tokens"] = c.completion_tokens;
  line["reasoning_tokens"] = c.reasoning_tokens;
  line["latency_ms"] = c.latency_ms;
  line["seed"] = c.seed;
  line["request_hash"] = c.request_hash;
  line["error"] = c.error.empty() ? json(nullptr) : json(c.error);
  return line;
}

Result<Completion> completion_from_json(const json& line) {
  if (!line.is_object()) return invalid_input_error("expected a JSON object");
  Completion c;
  const auto text_field = [&](const char* key, std::string* out, bool required) -> Status {
    const auto it = line.find(key);
    if (it == line.end() || it->is_null()) {
      return required ? invalid_input_error(std::string("missing field \"") + key + "\"") : Status::ok_status();
    }
    if (!it->is_string()) return invalid_input_error(std::string("field \"") + key + "\" must be a string");
    *out = it->get<std::string>();
    return Status::ok_status();
  };
  const auto int_field = [&](const char* key, std::int64_t* out) -> Status {
    const auto it = line.find(key);
    if (it == line.end() || it->is_null()) return Status::ok_status();
    if (!it->is_number_integer()) return invalid_input_error(std::string("field \"") + key + "\" must be an integer");
    *out = it->get<std::int64_t>();
    return Status::ok_status();
  };
  REVAL_RETURN_IF_ERROR(text_field("problem_id", &c.problem_id, true));
  const auto sample = line.find("sample");
  if (sample == line.end() || !sample->is_number_integer()) {
    return invalid_input_error("field \"sample\" must be an integer");
  }
  c.sample = sample->get<int>();
  REVAL_RETURN_IF_ERROR(text_field("text", &c.text, false));
  REVAL_RETURN_IF_ERROR(text_field("reasoning", &c.reasoning, false));
  REVAL_RETURN_IF_ERROR(text_field("finish_reason", &c.finish_reason, true));
  REVAL_RETURN_IF_ERROR(text_field("request_hash", &c.request_hash, false));
  REVAL_RETURN_IF_ERROR(text_field("error", &c.error, false));
  REVAL_RETURN_IF_ERROR(int_field("prompt_tokens", &c.prompt_tokens));
  REVAL_RETURN_IF_ERROR(int_field("completion_tokens", &c.completion_tokens));
  REVAL_RETURN_IF_ERROR(int_field("reasoning_tokens", &c.reasoning_tokens));
  if (const auto it = line.find("reasoning_open"); it != line.end() && it->is_boolean()) c.reasoning_open = it->get<bool>();
  if (const auto it = line.find("latency_ms"); it != line.end() && it->is_number()) c.latency_ms = it->get<double>();
  if (const auto it = line.find("seed"); it != line.end() && it->is_number_unsigned()) c.seed = it->get<std::uint64_t>();
  return c;
}

Result<SamplesFile> parse_samples(std::string_view contents, const std::string& path) {
  SamplesFile out;
  std::map<std::pair<std::string, int>, std::size_t> slot;  // (problem, sample) -> index in out.samples
  std::size_t start = 0;
  std::size_t line_number = 0;
  while (start < contents.size()) {
    ++line_number;
    const std::size_t newline = contents.find('\n', start);
    if (newline == std::string_view::npos) {
      out.dropped_torn_line = true;  // the writer died mid-line
      break;
    }
    const std::string_view text = contents.substr(start, newline - start);
    const bool is_last = newline + 1 == contents.size();
    if (text.empty()) {
      start = newline + 1;
      out.valid_bytes = start;
      continue;
    }
    json parsed = json::parse(text, nullptr, false);
    Result<Completion> completion = parsed.is_discarded() ? Result<Completion>(invalid_input_error("not valid JSON"))
                                                          : completion_from_json(parsed);
    if (!completion.ok()) {
      if (is_last && parsed.is_discarded()) {
        out.dropped_torn_line = true;
        break;
      }
      return completion.status().with_context(path + ":" + std::to_string(line_number));
    }
    ++out.n_lines;
    const auto key = std::make_pair(completion->problem_id, completion->sample);
    const auto found = slot.find(key);
    if (found == slot.end()) {
      slot.emplace(key, out.samples.size());
      out.samples.push_back(std::move(completion).value());
    } else {
      ++out.n_superseded;
      Completion& kept = out.samples[found->second];
      // A success is final; an error is replaced by any later line for the pair.
      if (kept.finish_reason == "error") kept = std::move(completion).value();
    }
    start = newline + 1;
    out.valid_bytes = start;
  }
  return out;
}

Result<SamplesFile> read_samples(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return SamplesFile{};
  REVAL_ASSIGN_OR_RETURN(std::string contents, read_file(path));
  return parse_samples(contents, path);
}

}  // namespace reval::harness
