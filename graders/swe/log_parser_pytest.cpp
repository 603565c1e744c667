// pytest -rA logs: the short test summary lines "PASSED <id>", "FAILED <id> - <message>",
// "ERROR <id> - ...", "SKIPPED ...", "XFAIL <id> - reason", as SWE-bench's parse_log_pytest reads
// them, but with whole node ids: a parametrized id's brackets may hold spaces and " - ", so the id
// runs to the first whitespace outside brackets. When that differs from SWE-bench's whitespace split,
// the split form is recorded too (dataset ids were produced by that split).
#include <optional>

#include "graders/swe/log_parsers.h"

namespace reval::graders::swe {
namespace {

struct StatusWord {
  std::string_view word;
  TestStatus status;
};
// SWE-bench's TestStatus values (XPASS is not one of them and is ignored, as there).
constexpr StatusWord kStatusWords[] = {{"PASSED", TestStatus::kPassed},
                                       {"FAILED", TestStatus::kFailed},
                                       {"SKIPPED", TestStatus::kSkipped},
                                       {"ERROR", TestStatus::kError},
                                       {"XFAIL", TestStatus::kXfail}};

std::optional<TestStatus> status_prefix(std::string_view line, std::size_t& word_len) {
  for (const StatusWord& s : kStatusWords) {
    if (line.substr(0, s.word.size()) == s.word) {
      word_len = s.word.size();
      return s.status;
    }
  }
  return std::nullopt;
}

std::optional<TestStatus> status_from_word(std::string_view word) {
  for (const StatusWord& s : kStatusWords) {
    if (word == s.word) return s.status;
  }
  return std::nullopt;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }

// The node id at the start of `text`: up to the first whitespace outside [...].
std::string_view node_id_at(std::string_view text) {
  int depth = 0;
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '[') ++depth;
    if (c == ']' && depth > 0) --depth;
    if (is_space(c) && depth == 0) break;
  }
  // An unbalanced '[' (a truncated line) falls back to the first whitespace.
  if (depth > 0) {
    std::size_t ws = 0;
    while (ws < text.size() && !is_space(text[ws])) ++ws;
    return text.substr(0, ws);
  }
  return text.substr(0, i);
}

std::string_view first_token(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && !is_space(text[i])) ++i;
  return text.substr(0, i);
}

std::string_view skip_spaces(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text;
}

// SWE-bench's strip: "\x1b[31m"-style colour codes and every control character 1..31.
std::string strip_ansi(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '[') {
      std::size_t j = i + 1;
      while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
      if (j > i + 1 && j < line.size() && line[j] == 'm') {
        i = j;
        continue;
      }
    }
    if (c >= 1 && c < 32) continue;
    out.push_back(c);
  }
  return out;
}

// "[/abs/path/to/file]" -> "[/file]" (SWE-bench's pytest options parser; keeps "//" and globs).
std::string normalize_options(std::string_view id) {
  std::size_t open = id.find('[');
  std::size_t close = id.rfind(']');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::string(id);
  std::string_view main = id.substr(0, open);
  std::string_view option = id.substr(open + 1, close - open - 1);
  std::string normalized(option);
  if (!option.empty() && option[0] == '/' && option.substr(0, 2) != "//" &&
      option.find('*') == std::string_view::npos) {
    normalized = "/" + std::string(option.substr(option.rfind('/') + 1));
  }
  return std::string(main) + "[" + normalized + "]";
}

void record(TestStatusMap& map, const LogParserConfig& config, std::string_view id, TestStatus status) {
  if (id.empty()) return;
  map[config.normalize_path_options ? normalize_options(id) : std::string(id)] = status;
}

}  // namespace

TestStatusMap parse_pytest_log(const LogParserConfig& config, std::string_view log) {
  std::vector<std::string> lines;
  for (std::string_view raw : split_log_lines(log)) {
    std::string line = config.strip_ansi ? strip_ansi(raw) : std::string(raw);
    for (const auto& [from, to] : config.replacements) {
      for (std::size_t pos = line.find(from); pos != std::string::npos; pos = line.find(from, pos + to.size())) {
        line.replace(pos, from.size(), to);
      }
    }
    lines.push_back(std::move(line));
  }
  // Captured stdout of a test is shown before the summary; a test printing "PASSED x" there must
  // not count, so status-first lines are read only after the last summary header when one exists.
  std::size_t summary_start = 0;
  if (config.summary_only) {
    for (std::size_t i = lines.size(); i-- > 0;) {
      if (lines[i].find("short test summary info") != std::string::npos && lines[i].rfind("===", 0) == 0) {
        summary_start = i + 1;
        break;
      }
    }
  }
  TestStatusMap map;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    std::size_t word_len = 0;
    if (std::optional<TestStatus> status = status_prefix(line, word_len)) {
      if (i < summary_start) continue;
      std::string_view rest = skip_spaces(line.substr(word_len));
      if (rest.size() == line.size() - word_len) continue;  // "PASSEDX": not a status word
      std::string_view id = node_id_at(rest);
      record(map, config, id, *status);
      std::string_view naive = first_token(rest);
      if (naive != id && map.count(std::string(naive)) == 0) record(map, config, naive, *status);
      continue;
    }
    if (config.status_suffix) {
      // "<id> PASSED" (classic verbose style): first token is the id, last the status.
      std::string_view trimmed = skip_spaces(line);
      std::size_t last_space = trimmed.find_last_of(" \t");
      if (last_space == std::string_view::npos) continue;
      std::optional<TestStatus> status = status_from_word(trimmed.substr(last_space + 1));
      if (!status) continue;
      std::string_view id = node_id_at(trimmed);
      if (id.size() > last_space) continue;
      record(map, config, id, *status);
    }
  }
  return map;
}

}  // namespace reval::graders::swe
