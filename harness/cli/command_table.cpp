#include "harness/cli/command.h"
#include "harness/cli/commands.h"

namespace reval::cli {

const std::vector<Command>& all_commands() {
  // One line per command; the order is the order of `reval help`.
  static const std::vector<Command> commands = {
      help_command(),
      generate_command(),
      model_info_command(),
      model_quantize_command(),
      model_synth_command(),
      model_tokenize_command(),
  };
  return commands;
}

}  // namespace reval::cli
