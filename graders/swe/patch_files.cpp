#include "graders/swe/patch_files.h"

#include "common/strings.h"
#include "graders/swe/log_parsers.h"

namespace reval::graders::swe {
namespace {

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// "a/foo/bar.py\t2024-01-01 ..." -> "foo/bar.py"; "/dev/null" -> "".
std::string header_path(std::string_view text) {
  std::size_t tab = text.find('\t');
  if (tab != std::string_view::npos) text = text.substr(0, tab);
  text = trim(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') text = text.substr(1, text.size() - 2);
  if (text == "/dev/null") return "";
  if (starts_with(text, "a/") || starts_with(text, "b/")) text.remove_prefix(2);
  return std::string(text);
}

// "diff --git a/X b/Y": split at " b/" (paths with spaces are ambiguous; the ---/+++ lines win).
bool parse_git_header(std::string_view line, PatchFile& file) {
  std::string_view rest = line.substr(std::string_view("diff --git ").size());
  std::size_t split_at = rest.find(" b/");
  if (split_at == std::string_view::npos) return false;
  file.old_path = header_path(rest.substr(0, split_at));
  file.new_path = header_path(rest.substr(split_at + 1));
  return true;
}

}  // namespace

std::vector<PatchFile> patch_files(std::string_view patch) {
  std::vector<PatchFile> files;
  std::vector<std::string_view> lines = split_log_lines(patch);
  bool in_git_block = false;  // the current file came from a "diff --git" header
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (starts_with(line, "diff --git ")) {
      PatchFile file;
      if (parse_git_header(line, file)) {
        files.push_back(file);
        in_git_block = true;
      }
      continue;
    }
    if (starts_with(line, "--- ") && i + 1 < lines.size() && starts_with(lines[i + 1], "+++ ")) {
      PatchFile file;
      file.old_path = header_path(line.substr(4));
      file.new_path = header_path(lines[i + 1].substr(4));
      if (in_git_block && !files.empty()) {
        files.back() = file;  // the ---/+++ pair is authoritative (handles /dev/null and spaces)
      } else {
        files.push_back(file);
      }
      in_git_block = false;
      ++i;
      continue;
    }
    if (starts_with(line, "@@")) in_git_block = false;
  }
  return files;
}

Status check_patch_paths(std::string_view patch) {
  for (const PatchFile& file : patch_files(patch)) {
    for (const std::string& path : {file.old_path, file.new_path}) {
      if (path.empty()) continue;
      if (path.front() == '/') return invalid_input_error("patch touches an absolute path: " + path);
      for (const std::string& part : split(path, '/')) {
        if (part == "..") return invalid_input_error("patch path leaves the work tree: " + path);
        if (to_lower(part) == ".git") return invalid_input_error("patch path is inside .git: " + path);
      }
    }
  }
  // Git extended headers can also rename or copy files; check those targets too.
  for (std::string_view line : split_log_lines(patch)) {
    for (std::string_view key : {"rename to ", "rename from ", "copy to ", "copy from "}) {
      if (!starts_with(line, key)) continue;
      std::string path(trim(line.substr(key.size())));
      if (!path.empty() && (path.front() == '/' || contains(path, "..") || contains(to_lower(path), ".git/"))) {
        return invalid_input_error("patch renames or copies an unsafe path: " + path);
      }
    }
  }
  return Status::ok_status();
}

bool patch_is_empty(std::string_view patch) { return trim(patch).empty() || patch_files(patch).empty(); }

}  // namespace reval::graders::swe
