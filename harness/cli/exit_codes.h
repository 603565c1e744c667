// Process exit codes of the `reval` binary (STYLE.md): the CLI is the only place that picks them.
#pragma once

#include "common/status.h"

namespace reval::cli {

enum class ExitCode : int {
  kOk = 0,
  kFailure = 1,        // the command ran but its check failed (e.g. `datasets verify` found a mismatch)
  kUsage = 2,          // bad command line
  kBadInput = 3,       // bad input file, config or dataset
  kBackend = 4,        // backend or network failure
  kSandbox = 5,        // sandbox could not be set up
  kInterrupted = 130,  // Ctrl-C
  kInternal = 70,      // a bug in reval
};

ExitCode exit_code_for(const Status& status);

}  // namespace reval::cli
