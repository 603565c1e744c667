// Lookup of commands by name and the texts of `reval help` (overview and command groups).
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "harness/cli/command.h"

namespace reval::cli {

// The command whose name is exactly `name` ("datasets fetch"), or nullptr.
const Command* find_command(const std::string& name);

// The command matching the longest prefix of `words`; *n_used says how many words its name took.
const Command* match_command(const std::vector<std::string>& words, std::size_t* n_used);

// `reval help` with no argument: every command with its summary.
std::string overview_text();

// Help for a group prefix such as "datasets" (its subcommands), or "" when no command starts so.
std::string group_help(const std::string& group);

// "unknown command 'rnu' (did you mean 'run'?)" as a usage error.
Status unknown_command_error(const std::vector<std::string>& words);

}  // namespace reval::cli
