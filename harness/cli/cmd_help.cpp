#include <cstdio>

#include "common/strings.h"
#include "harness/cli/commands.h"
#include "harness/cli/overview.h"

namespace reval::cli {

Command help_command() {
  Command command;
  command.name = "help";
  command.summary = "Show the commands, or the help of one command";
  command.usage = "reval help [COMMAND...]";
  command.max_positionals = -1;
  command.run = [](const ParsedArgs& args, CommandContext& ctx) -> Status {
    if (args.positionals().empty()) {
      std::fputs(overview_text().c_str(), ctx.out);
      return Status::ok_status();
    }
    const std::string wanted = join(args.positionals(), " ");
    const Command* found = find_command(wanted);
    if (found != nullptr) {
      std::fputs(command_help(*found).c_str(), ctx.out);
      return Status::ok_status();
    }
    const std::string group = group_help(wanted);
    if (!group.empty()) {
      std::fputs(group.c_str(), ctx.out);
      return Status::ok_status();
    }
    return unknown_command_error(args.positionals());
  };
  return command;
}

}  // namespace reval::cli
