// Constructors of every subcommand, one per cmd_*.cpp file.
#pragma once

#include "harness/cli/command.h"

namespace reval::cli {

Command help_command();
Command generate_command();
Command model_bench_command();
Command model_info_command();
Command model_quantize_command();
Command model_synth_command();
Command model_tokenize_command();
Command run_command();
Command grade_command();
Command compare_command();
Command equiv_command();
Command report_command();
Command datasets_list_command();
Command datasets_fetch_command();
Command datasets_show_command();
Command datasets_verify_command();
Command swe_eval_command();

}  // namespace reval::cli
