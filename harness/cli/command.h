// The shape of one `reval` subcommand. Each command lives in its own file (cmd_*.cpp) and is
// listed once in command_table.cpp; main.cpp dispatches, prints errors and picks exit codes.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "harness/cli/args.h"
#include "harness/cli/exit_codes.h"

namespace reval::cli {

struct CommandContext {
  std::FILE* out = stdout;  // results go here
  std::FILE* err = stderr;  // progress and warnings go here
  // A command whose run succeeded but whose check failed (e.g. a verification) sets this.
  ExitCode exit_code = ExitCode::kOk;
};

struct Command {
  std::string name;         // "run", or "datasets fetch" for a command in a group
  std::string summary;      // one line for `reval help`
  std::string usage;        // "reval datasets fetch NAME [--offline]"
  std::string description;  // paragraphs shown by `reval help NAME`
  std::vector<OptionSpec> options;
  int min_positionals = 0;
  int max_positionals = 0;  // < 0: unlimited
  std::function<Status(const ParsedArgs&, CommandContext&)> run;
};

// Every command that works, in the order `reval help` lists them.
const std::vector<Command>& all_commands();

// The full help text of one command (usage, description, options).
std::string command_help(const Command& command);

}  // namespace reval::cli
