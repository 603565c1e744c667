// Constructors of every subcommand, one per cmd_*.cpp file.
#pragma once

#include "harness/cli/command.h"

namespace reval::cli {

Command help_command();
Command generate_command();

}  // namespace reval::cli
