#include "harness/cli/command.h"
#include "harness/cli/commands.h"

namespace reval::cli {

const std::vector<Command>& all_commands() {
  // One line per command; the order is the order of `reval help`.
  static const std::vector<Command> commands = {
      run_command(),
      grade_command(),
      compare_command(),
      report_command(),
      equiv_command(),
      generate_command(),
      swe_eval_command(),
      datasets_list_command(),
      datasets_fetch_command(),
      datasets_show_command(),
      datasets_verify_command(),
      model_info_command(),
      model_bench_command(),
      model_quantize_command(),
      model_synth_command(),
      model_tokenize_command(),
      help_command(),
  };
  return commands;
}

}  // namespace reval::cli
