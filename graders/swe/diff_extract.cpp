#include "graders/swe/diff_extract.h"

#include <optional>
#include <vector>

#include "common/strings.h"
#include "graders/swe/log_parsers.h"
#include "graders/swe/patch_files.h"

namespace reval::graders::swe {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

struct FencedBlock {
  std::string info;  // the word after ``` ("diff", "python", "")
  std::string body;
};

// Every ``` fenced block, in order (an unterminated last block runs to the end of the text).
std::vector<FencedBlock> fenced_blocks(std::string_view text) {
  std::vector<FencedBlock> blocks;
  std::vector<std::string_view> lines = split_log_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view opener = trim(lines[i]);
    if (!starts_with(opener, "```")) continue;
    FencedBlock block;
    block.info = to_lower(trim(opener.substr(3)));
    std::size_t j = i + 1;
    for (; j < lines.size(); ++j) {
      if (trim(lines[j]) == "```") break;
      block.body.append(lines[j]);
      block.body.push_back('\n');
    }
    blocks.push_back(std::move(block));
    i = j;
  }
  return blocks;
}

bool looks_like_diff(std::string_view text) {
  return !patch_files(text).empty() && text.find("@@") != std::string_view::npos;
}

// The raw diff inside prose: from the first "diff --git" or "--- " + "+++ " header to the end,
// dropping trailing lines that cannot belong to a diff.
std::optional<std::string> raw_diff(std::string_view text) {
  std::vector<std::string_view> lines = split_log_lines(text);
  std::size_t start = lines.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (starts_with(lines[i], "diff --git ") ||
        (starts_with(lines[i], "--- ") && i + 1 < lines.size() && starts_with(lines[i + 1], "+++ "))) {
      start = i;
      break;
    }
  }
  if (start == lines.size()) return std::nullopt;
  std::string out;
  for (std::size_t i = start; i < lines.size(); ++i) {
    out.append(lines[i]);
    out.push_back('\n');
  }
  return out;
}

struct HunkHeader {
  long old_start = 0, old_count = 1, new_start = 0, new_count = 1;
  std::string tail;  // text after the closing "@@"
};

// Reads "N" or "N,M" at text[pos].
bool read_range(std::string_view text, std::size_t& pos, long& start, long& count) {
  std::size_t begin = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  std::optional<std::int64_t> s = parse_int(text.substr(begin, pos - begin));
  if (!s) return false;
  start = static_cast<long>(*s);
  count = 1;
  if (pos < text.size() && text[pos] == ',') {
    begin = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    std::optional<std::int64_t> c = parse_int(text.substr(begin, pos - begin));
    if (!c) return false;
    count = static_cast<long>(*c);
  }
  return true;
}

std::optional<HunkHeader> parse_hunk_header(std::string_view line) {
  HunkHeader h;
  if (!starts_with(line, "@@ -")) return std::nullopt;
  std::size_t pos = 4;
  if (!read_range(line, pos, h.old_start, h.old_count)) return std::nullopt;
  if (line.substr(pos, 2) != " +") return std::nullopt;
  pos += 2;
  if (!read_range(line, pos, h.new_start, h.new_count)) return std::nullopt;
  if (line.substr(pos, 3) != " @@") return std::nullopt;
  h.tail = std::string(line.substr(pos + 3));
  return h;
}

bool is_file_header(const std::vector<std::string_view>& lines, std::size_t i) {
  return starts_with(lines[i], "diff --git ") ||
         (starts_with(lines[i], "--- ") && i + 1 < lines.size() && starts_with(lines[i + 1], "+++ "));
}

}  // namespace

std::string repair_hunk_counts(std::string_view diff, int* n_repaired, bool* malformed) {
  *n_repaired = 0;
  *malformed = false;
  std::vector<std::string_view> lines = split_log_lines(diff);
  std::string out;
  std::size_t i = 0;
  while (i < lines.size()) {
    if (!starts_with(lines[i], "@@")) {
      out.append(lines[i]);
      out.push_back('\n');
      ++i;
      continue;
    }
    std::optional<HunkHeader> header = parse_hunk_header(lines[i]);
    if (!header) {
      *malformed = true;
      return std::string(diff);
    }
    // The body: prefixed lines and empty lines, up to the next hunk or file header.
    std::size_t end = i + 1;
    while (end < lines.size() && !starts_with(lines[end], "@@") && !is_file_header(lines, end)) {
      char c = lines[end].empty() ? ' ' : lines[end][0];
      if (c != ' ' && c != '-' && c != '+' && c != '\\') break;
      ++end;
    }
    std::size_t body_end = end;
    while (body_end > i + 1 && lines[body_end - 1].empty()) --body_end;  // trailing blank lines are not context
    long n_old = 0, n_new = 0;
    std::string body;
    for (std::size_t k = i + 1; k < body_end; ++k) {
      std::string_view line = lines[k];
      char c = line.empty() ? ' ' : line[0];
      if (c == ' ' || c == '-') ++n_old;
      if (c == ' ' || c == '+') ++n_new;
      body.append(line.empty() ? std::string_view(" ") : line);
      body.push_back('\n');
    }
    if (n_old != header->old_count || n_new != header->new_count) {
      ++*n_repaired;
      out += "@@ -" + std::to_string(header->old_start) + "," + std::to_string(n_old) + " +" +
             std::to_string(header->new_start) + "," + std::to_string(n_new) + " @@" + header->tail + "\n";
    } else {
      out.append(lines[i]);  // a correct header stays byte-for-byte as written
      out.push_back('\n');
    }
    out += body;
    i = end;
  }
  return out;
}

ExtractedDiff extract_diff(std::string_view response) {
  ExtractedDiff result;
  std::string candidate;
  std::vector<FencedBlock> blocks = fenced_blocks(response);
  for (const FencedBlock& block : blocks) {
    if ((block.info == "diff" || block.info == "patch") && looks_like_diff(block.body)) {
      candidate += block.body;
      result.source = "fenced_diff";
    }
  }
  if (candidate.empty()) {
    for (const FencedBlock& block : blocks) {
      if (looks_like_diff(block.body)) {
        candidate = block.body;
        result.source = "fenced";
        break;
      }
    }
  }
  if (candidate.empty()) {
    std::optional<std::string> raw = raw_diff(response);
    if (raw && looks_like_diff(*raw)) {
      candidate = *raw;
      result.source = "raw";
    }
  }
  if (candidate.empty()) {
    result.reason = "no_diff";
    result.source.clear();
    return result;
  }
  bool malformed = false;
  result.diff = repair_hunk_counts(candidate, &result.n_hunks_repaired, &malformed);
  if (malformed) {
    result.reason = "malformed_hunk";
    result.diff.clear();
    return result;
  }
  result.found = true;
  return result;
}

}  // namespace reval::graders::swe
