#include <algorithm>

#include "harness/cli/command.h"
#include "harness/cli/commands.h"

namespace reval::cli {

std::string command_help(const Command& command) {
  std::string text = "usage: " + command.usage + "\n";
  if (!command.summary.empty()) text += "\n" + command.summary + "\n";
  if (!command.description.empty()) text += "\n" + command.description + "\n";
  if (!command.options.empty()) {
    text += "\noptions:\n";
    std::size_t width = 0;
    std::vector<std::string> heads;
    for (const OptionSpec& option : command.options) {
      std::string head = "  ";
      head += option.short_name != 0 ? std::string("-") + option.short_name + ", " : "    ";
      head += option.name;
      if (!option.value_name.empty()) head += " " + option.value_name;
      width = std::max(width, head.size());
      heads.push_back(head);
    }
    for (std::size_t i = 0; i < heads.size(); ++i) {
      text += heads[i] + std::string(width - heads[i].size() + 2, ' ') + command.options[i].help + "\n";
    }
  }
  return text;
}

}  // namespace reval::cli
