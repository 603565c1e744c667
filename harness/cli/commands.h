// Constructors of every subcommand, one per cmd_*.cpp file.
#pragma once

#include "harness/cli/command.h"

namespace reval::cli {

Command help_command();
Command generate_command();
Command model_info_command();
Command model_quantize_command();
Command model_synth_command();
Command model_tokenize_command();

}  // namespace reval::cli
