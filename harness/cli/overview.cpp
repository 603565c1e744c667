#include "harness/cli/overview.h"

#include <algorithm>

#include "common/strings.h"
#include "harness/cli/version.h"

namespace reval::cli {

const Command* find_command(const std::string& name) {
  for (const Command& command : all_commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

const Command* match_command(const std::vector<std::string>& words, std::size_t* n_used) {
  for (std::size_t n = std::min<std::size_t>(words.size(), 3); n >= 1; --n) {
    std::vector<std::string> head(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n));
    if (const Command* command = find_command(join(head, " "))) {
      *n_used = n;
      return command;
    }
  }
  *n_used = 0;
  return nullptr;
}

std::string overview_text() {
  std::string text = "reval " + std::string(version_string()) +
                     " - evaluate reasoning models on AIME, MATH-500 and SWE-bench-style suites\n\n"
                     "usage: reval [-v|-q] <command> [options]\n\ncommands:\n";
  std::size_t width = 0;
  for (const Command& command : all_commands()) width = std::max(width, command.name.size());
  for (const Command& command : all_commands()) {
    text += "  " + command.name + std::string(width - command.name.size() + 3, ' ') + command.summary + "\n";
  }
  text +=
      "\nglobal options:\n  -v, --verbose   more log output (repeat for debug/trace)\n"
      "  -q, --quiet     errors only\n  --version       print the version\n"
      "environment: REVAL_LOG=error|warn|info|debug|trace, REVAL_CACHE=DIR\n\n"
      "Run 'reval help <command>' for the options of one command.\n";
  return text;
}

std::string group_help(const std::string& group) {
  std::string lines;
  const std::string prefix = group + " ";
  std::size_t width = 0;
  for (const Command& command : all_commands()) {
    if (command.name.rfind(prefix, 0) == 0) width = std::max(width, command.name.size());
  }
  for (const Command& command : all_commands()) {
    if (command.name.rfind(prefix, 0) != 0) continue;
    lines += "  " + command.name + std::string(width - command.name.size() + 3, ' ') + command.summary + "\n";
  }
  if (lines.empty()) return "";
  return "usage: reval " + group + " <command> [options]\n\ncommands:\n" + lines;
}

Status unknown_command_error(const std::vector<std::string>& words) {
  const std::string first = words.empty() ? "" : words[0];
  std::vector<std::string> names;
  std::vector<std::string> first_words;
  for (const Command& command : all_commands()) {
    names.push_back(command.name);
    first_words.push_back(split(command.name, ' ')[0]);
  }
  // A group word followed by an unknown subcommand: suggest among that group's members.
  if (words.size() >= 2 && !group_help(first).empty()) {
    const std::string wanted = first + " " + words[1];
    std::string message = "unknown command '" + wanted + "'";
    if (auto hint = closest_match(wanted, names)) message += " (did you mean '" + *hint + "'?)";
    return usage_error(message + "; see 'reval help " + first + "'");
  }
  std::string message = "unknown command '" + first + "'";
  if (auto hint = closest_match(first, first_words)) message += " (did you mean '" + *hint + "'?)";
  return usage_error(message + "; see 'reval help'");
}

}  // namespace reval::cli
